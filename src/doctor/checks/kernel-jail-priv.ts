// A jailed bhyve that passes a device through opens /dev/io (PRIV_IO) and /dev/mem for writing
// (PRIV_KMEM_WRITE), which prison_priv_check denies every jail unless the kernel carries the
// walk-through's kern_jail.c change (docs/freebsd/passthrough.md). No sysctl tells whether the
// running kernel has it, so doctor reads what can tell: the kernel that booted (kern.bootfile),
// whether it is a release build or a local one (uname -v: `#N: DATE … root@HOST:/usr/obj/…`),
// the patch stamp kernel_patch writes beside the kernels it installs, and /usr/src's kern_jail.c.
import type { Check } from '../check.js';
import { fileText } from '../boot-config.js';
import { passthroughGuests } from '../passthrough.js';
import type { ProbeResults } from '../probe.js';
import { STEP } from '../walkthrough.js';

const task =
  '- name: jails may use PRIV_IO and PRIV_KMEM_WRITE (kernel patch, built, booted once, made default)\n  kernel_patch:\n    src: files/bhyve-in-jail.patch\n    build: true\n    reboot: true';

/** Whether kern_jail.c's case list around PRIV_KMEM_READ also grants PRIV_IO and PRIV_KMEM_WRITE. */
export function sourceHasChange(host: ProbeResults): boolean {
  const context = host.text('kern_jail.c');
  return /case PRIV_IO:/.test(context) && /case PRIV_KMEM_WRITE:/.test(context);
}

/** A release kernel's `uname -v` has no local build number (`#N:`). */
export function isLocalBuild(host: ProbeResults): boolean {
  return /#\d+:/.test(host.text('uname-v'));
}

export const kernelJailPriv: Check = {
  id: 'kernel-jail-priv',
  summary: 'where a jailed guest passes devices through, the running kernel carries the jail PRIV_IO/KMEM_WRITE change',
  evaluate(evidence) {
    const guests = passthroughGuests(evidence);
    if (guests.length === 0) return [];
    const { host } = evidence;
    const stamped = fileText(host, 'kernel-stamp') !== undefined && host.text('kernel-stamp').trim() !== '';
    const local = isLocalBuild(host);
    const patchedSource = sourceHasChange(host);
    const where = [...new Set(guests.map((entry) => `${entry.jail}/${entry.guest.name}`))].join(', ');
    const evidenceList = [host.evidence('bootfile'), host.evidence('uname-v'), host.evidence('kernel-stamp'), host.evidence('kern_jail.c')];
    if (stamped && patchedSource) return [];
    if (!local) {
      return [
        {
          id: 'kernel-jail-priv',
          severity: 'error',
          what: `the running kernel is a release build, which denies jails PRIV_IO and PRIV_KMEM_WRITE: ${where} fails with "failed to open /dev/io: Operation not permitted"`,
          evidence: evidenceList,
          fix: { task, step: STEP.kernelPatch },
        },
      ];
    }
    if (!patchedSource) {
      return [
        {
          id: 'kernel-jail-priv',
          severity: 'error',
          what: `the running kernel was built locally, but /usr/src/sys/kern/kern_jail.c lacks the PRIV_IO/PRIV_KMEM_WRITE change: ${where} likely fails with "failed to open /dev/io: Operation not permitted"`,
          evidence: evidenceList,
          fix: { task, step: STEP.kernelPatch },
        },
      ];
    }
    return [
      {
        id: 'kernel-jail-priv-unproven',
        severity: 'warning',
        what: 'the running kernel is a local build and /usr/src has the jail change, but nothing shows this kernel was built from it (no beastie.patch-sha256 beside it)',
        evidence: evidenceList,
        fix: { task, step: STEP.kernelPatch },
      },
    ];
  },
};
