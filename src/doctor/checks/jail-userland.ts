// A jail that runs bhyve with an older userland than the host's kernel: its bhyve, bhyveload and
// libvmmapi talk to the newer vmm.ko through ioctls whose numbers encode their structures' sizes,
// with no version handshake (docs/freebsd/upgrade.md "Jails after the host's upgrade"). A 13.x
// kernel runs a 12.2 bhyve (the COMPAT_FREEBSD12 memory-segment shim, an unchanged VM_RUN); from
// 14.x on, VM_GET_CPUS refuses the old 32-byte cpuset with ERANGE and the old bhyverun.c asserts on
// the set it never got, and 15.0 renumbers the bootrom segment without translating
// VM_MMAP_MEMSEG: both derived from the sources, not seen on a machine. A thin Bastille jail keeps
// its release through the host's upgrade; playbooks/tasks/jails-upgrade.yml moves it.
import { examinedJails, type Check } from '../check.js';
import type { Finding } from '../finding.js';
import { STEP } from '../walkthrough.js';
import { releaseNumbers } from '../../freebsd/release-numbers.js';

export const jailUserland: Check = {
  id: 'jail-userland',
  summary: "a jail that runs bhyve has the host kernel's release as its userland (freebsd-version -u in the jail, uname -r on the host)",
  evaluate(evidence) {
    const kernelText = evidence.host.text('uname-r').trim();
    const kernel = releaseNumbers(kernelText);
    if (kernel === undefined) return [];
    const findings: Finding[] = [];
    for (const jail of examinedJails(evidence)) {
      const inside = evidence.inside.get(jail.name);
      if (inside === undefined) continue;
      const userlandText = inside.text('jail-userland').trim();
      const userland = releaseNumbers(userlandText);
      // only a jail with vm-bhyve guests runs bhyve
      if (userland === undefined || inside.text('vm-list').trim() === '') continue;
      const older = userland[0] < kernel[0] || (userland[0] === kernel[0] && userland[1] < kernel[1]);
      if (!older) continue;
      const risk =
        kernel[0] >= 14 && userland[0] < 14
          ? `: on a ${kernel[0]}.x kernel a ${userland[0]}.x bhyve likely aborts when its vCPU starts (VM_GET_CPUS answers ERANGE to its cpuset; derived from the sources)`
          : kernel[0] >= 15
            ? ': on 15.0 a pre-15 bhyve cannot map a UEFI guest\'s bootrom (VM_MMAP_MEMSEG EINVAL; derived from the sources)'
            : ': its bhyve works through the kernel\'s compatibility shims now, and stops working from 14.x on';
      findings.push({
        id: 'jail-userland-older',
        severity: 'warning',
        jail: jail.name,
        what: `jail ${jail.name} runs bhyve from a ${userlandText} userland on a ${kernelText} kernel${risk}`,
        evidence: [inside.evidence('jail-userland'), evidence.host.evidence('uname-r'), inside.evidence('vm-list')],
        fix: {
          task: `# after the host's upgrade, with the facts gathered again (beastie_release is then the host's release)\n- name: jail ${jail.name} runs the host's release (playbooks/tasks/jails-upgrade.yml)\n  import_tasks: tasks/jails-upgrade.yml\n  vars:\n    jail_name: ${jail.name}`,
          step: STEP.createJail,
        },
      });
    }
    return findings;
  },
};
