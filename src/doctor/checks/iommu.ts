// Passthrough needs an IOMMU: vm-bhyve's util::check_bhyve_iommu looks for a DMAR ACPI table
// (Intel VT-d) in `acpidump -t`, or `vmm.amdvi.enable: 1` in `sysctl hw` (AMD-Vi, which FreeBSD
// leaves off until the loader tunable hw.vmm.amdvi.enable=1 turns it on), and a guest with
// passthru0 stops at "pci passthrough not supported on this system (no VT-d or amdvi)"
// (lib/vm-util, lib/vm-run; docs/freebsd/vm-bhyve.md).
import type { Check } from '../check.js';
import { wantsPassthrough } from '../passthrough.js';
import { STEP } from '../walkthrough.js';

export const iommu: Check = {
  id: 'iommu',
  summary: 'where devices are passed through, the firmware offers an IOMMU (DMAR/IVRS) and AMD-Vi is enabled',
  evaluate(evidence) {
    if (!wantsPassthrough(evidence)) return [];
    const { host } = evidence;
    const tables = host.text('acpidump');
    const amdviOn = /^hw\.vmm\.amdvi\.enable: 1/m.test(host.text('hw.vmm'));
    if (/^ {2}DMAR:/m.test(tables) || amdviOn) return [];
    if (/^ {2}IVRS:/m.test(tables)) {
      return [
        {
          id: 'amdvi-disabled',
          severity: 'error',
          what: 'the firmware has an AMD-Vi IOMMU (IVRS table) but hw.vmm.amdvi.enable is not 1: bhyve cannot pass devices through',
          evidence: [host.evidence('acpidump'), host.evidence('hw.vmm')],
          fix: {
            task: '- name: AMD-Vi is enabled for bhyve passthrough (applies at the next boot)\n  sysrc:\n    path: /boot/loader.conf\n    name: hw.vmm.amdvi.enable\n    value: "1"',
            step: STEP.iommu,
          },
        },
      ];
    }
    return [
      {
        id: 'iommu-missing',
        severity: 'error',
        what: 'no IOMMU: acpidump shows neither a DMAR (VT-d) nor an IVRS (AMD-Vi) table, so vm-bhyve refuses passthrough ("no VT-d or amdvi")',
        evidence: [host.evidence('acpidump'), host.evidence('hw.vmm')],
        fix: {
          task: '# Not fixable by a task: enable VT-d / AMD-Vi (IOMMU) in the firmware setup, then reboot.\n- name: the host reboots with the IOMMU enabled\n  reboot: {}',
          step: STEP.iommu,
        },
      },
    ];
  },
};
