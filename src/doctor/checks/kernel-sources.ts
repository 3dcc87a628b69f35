// A kernel built from the sources of another release than the userland it boots (an upgrade by
// freebsd-update after the patched build, or /usr/src from an older release) mixes two releases:
// `uname -r` (the running kernel) names the release it was built from and `freebsd-version -u`
// the userland's (docs/freebsd/host.md). Only the release matters; patch levels (-pN) may differ.
import type { Check } from '../check.js';
import { isLocalBuild } from './kernel-jail-priv.js';
import { STEP } from '../walkthrough.js';

/** `12.2-RELEASE-p4` → `12.2-RELEASE`. */
function release(text: string): string {
  return text.trim().replace(/-p\d+$/, '');
}

export const kernelSources: Check = {
  id: 'kernel-sources',
  summary: "a locally built kernel comes from this release's sources (uname -r and freebsd-version -u name the same release)",
  evaluate({ host }) {
    const kernel = release(host.text('uname-r'));
    const userland = release(host.text('userland'));
    if (kernel === '' || userland === '' || kernel === userland || !isLocalBuild(host)) return [];
    return [
      {
        id: 'kernel-sources',
        severity: 'error',
        what: `the running kernel was built from ${kernel} sources but the userland is ${userland}: rebuild the patched kernel from ${userland}'s /usr/src`,
        evidence: [host.evidence('uname-r'), host.evidence('uname-v'), host.evidence('userland')],
        fix: {
          task: `# /usr/src must hold ${userland}'s sources first (e.g. git -C /usr/src checkout releng/${userland.replace(/-RELEASE$/, '')}).\n- name: jails may use PRIV_IO and PRIV_KMEM_WRITE, in a kernel built from this release\n  kernel_patch:\n    src: files/bhyve-in-jail.patch\n    build: true\n    reboot: true`,
          step: STEP.kernelPatch,
        },
      },
    ];
  },
};
