// A jailed bhyve that passes a device through opens /dev/io (iodev.c checks PRIV_IO) and /dev/mem
// for writing (memdev.c checks PRIV_KMEM_READ, then PRIV_KMEM_WRITE), which prison_priv_check
// denies every jail unless the kernel carries the walk-through's kern_jail.c change; the two
// privileges are checked apart, so a change that adds one without the other fails at the other's
// device (docs/freebsd/passthrough.md, "The permission chain inside a jail"). No sysctl tells
// which privileges the running kernel grants, so doctor reads what can tell: the kernel that
// booted (kern.bootfile), whether it is a release build or a local one (uname -v: `#N: DATE …
// root@HOST:/usr/obj/…`), the patch stamp kernel_patch writes beside the kernels it installs,
// and /usr/src's kern_jail.c around `case PRIV_KMEM_READ:`.
import type { Check } from '../check.js';
import { fileText } from '../boot-config.js';
import { passthroughGuests } from '../passthrough.js';
import type { ProbeResults } from '../probe.js';
import { STEP } from '../walkthrough.js';

const task =
  '- name: jails may use PRIV_IO and PRIV_KMEM_WRITE (kernel patch, built, booted once, made default)\n  kernel_patch:\n    src: files/bhyve-in-jail.patch\n    build: true\n    reboot: true';

/** The two privileges of the change, each with the device bhyve fails to open without it. */
const CHANGE = [
  { privilege: 'PRIV_IO', device: '/dev/io' },
  { privilege: 'PRIV_KMEM_WRITE', device: '/dev/mem' },
] as const;

/**
 * The privileges the probed kern_jail.c lines grant jails: those named in the run of `case`
 * labels around `case PRIV_KMEM_READ:` (grep -n -B3 -A3 prints `N:` or `N-` before each line),
 * which ends in `return (0);`. Comment lines inside the run are skipped; any other statement ends it.
 */
export function sourceGrants(host: ProbeResults): ReadonlySet<string> {
  const lines = host.text('kern_jail.c').split('\n').map((line) => line.replace(/^\d+[:-]/, ''));
  let run: string[] = [];
  for (const line of lines) {
    const label = /^\s*case (PRIV_[A-Z0-9_]+):/.exec(line);
    if (label?.[1] !== undefined) run.push(label[1]);
    else if (/^\s*return \(0\);/.test(line) && run.includes('PRIV_KMEM_READ')) return new Set(run);
    else if (!/^\s*(\/\*|\*|$)/.test(line)) run = [];
  }
  return new Set();
}

/** Whether kern_jail.c grants jails both privileges of the change. */
export function sourceHasChange(host: ProbeResults): boolean {
  const grants = sourceGrants(host);
  return CHANGE.every((entry) => grants.has(entry.privilege));
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
    const grants = sourceGrants(host);
    const missing = CHANGE.filter((entry) => !grants.has(entry.privilege));
    const where = [...new Set(guests.map((entry) => `${entry.jail}/${entry.guest.name}`))].join(', ');
    const evidenceList = [host.evidence('bootfile'), host.evidence('uname-v'), host.evidence('kernel-stamp'), host.evidence('kern_jail.c')];
    if (stamped && missing.length === 0) return [];
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
    const first = missing[0];
    if (first !== undefined) {
      // bhyve opens /dev/io before /dev/mem, so the first missing privilege is the one it fails on
      const partial = missing.length < CHANGE.length;
      return [
        {
          id: 'kernel-jail-priv',
          severity: 'error',
          what: partial
            ? `the running kernel was built locally, but /usr/src/sys/kern/kern_jail.c grants jails ${CHANGE.filter((entry) => grants.has(entry.privilege)).map((entry) => entry.privilege).join(', ')} without ${missing.map((entry) => entry.privilege).join(', ')}: ${where} likely ${first === CHANGE[0] ? '' : `gets past ${CHANGE[0].device} and `}fails with "failed to open ${first.device}: Operation not permitted"`
            : `the running kernel was built locally, but /usr/src/sys/kern/kern_jail.c lacks the PRIV_IO/PRIV_KMEM_WRITE change: ${where} likely fails with "failed to open ${first.device}: Operation not permitted"`,
          evidence: evidenceList,
          fix: {
            // the walk-through's patch does not apply over half of itself: the released file comes first
            task: partial ? `# first put back the released kern_jail.c (reverse the partial change, or git -C /usr/src checkout sys/kern/kern_jail.c).\n${task}` : task,
            step: STEP.kernelPatch,
          },
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
