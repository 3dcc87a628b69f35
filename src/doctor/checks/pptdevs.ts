// Each device a guest passes through (passthruN="B/S/F") must be reserved in /boot/loader.conf
// (pptdevs, pptdevs2, pptdevs3), vmm.ko must be loaded by the loader (vmm_load="YES": the ppt
// driver lives in vmm.ko and must win the probe at boot), and after the reboot the device shows
// on ppt in `pciconf -l` — else bhyve says "PCI device at B/S/F is not using the ppt(4) driver"
// (docs/freebsd/passthrough.md).
import { isYes, loaderVar } from '../boot-config.js';
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { parsePciconfList } from '../../freebsd/pciconf.js';
import { passthroughGuests, reservedDevices } from '../passthrough.js';
import { STEP } from '../walkthrough.js';

const pptdevTask = (devices: readonly string[], names: readonly string[]) =>
  `- name: ${names.join(', ')} reserved for passthrough (pptdevs, vmm loaded by the loader), rebooted\n  pptdev:\n    devices: [${names.map((name) => JSON.stringify(name)).join(', ')}]\n    reboot: true${devices.length > 0 ? '' : ''}`;

export const pptdevs: Check = {
  id: 'pptdevs',
  summary: 'each passthruN device is in pptdevs, vmm_load="YES" is set, and the device is attached to ppt',
  evaluate(evidence) {
    const { host } = evidence;
    const guests = passthroughGuests(evidence);
    const reserved = new Set(reservedDevices(evidence));
    const pci = parsePciconfList(host.text('pciconf'));
    const findings: Finding[] = [];
    const nameOf = (bsf: string) => pci.find((device) => device.bhyveId === bsf)?.device ?? bsf;
    if ((guests.length > 0 || reserved.size > 0) && !isYes(loaderVar(host, 'vmm_load'))) {
      findings.push({
        id: 'vmm-load-missing',
        severity: 'error',
        what: 'devices are reserved for passthrough but /boot/loader.conf lacks vmm_load="YES": the ppt driver (in vmm.ko) is not there at boot to claim them',
        evidence: [host.evidence('loader.conf')],
        fix: { task: '- name: vmm is loaded by the loader, so ppt claims the reserved devices at boot\n  sysrc:\n    path: /boot/loader.conf\n    name: vmm_load\n    value: "YES"', step: STEP.pptdevs },
      });
    }
    for (const { jail, guest, devices } of guests) {
      for (const bsf of devices) {
        const device = pci.find((entry) => entry.bhyveId === bsf);
        if (!reserved.has(bsf)) {
          findings.push({
            id: 'pptdev-not-reserved',
            severity: 'error',
            jail,
            what: `guest ${guest.name} in jail ${jail} passes ${bsf} through, but pptdevs does not reserve it: bhyve says "PCI device at ${bsf} is not using the ppt(4) driver"`,
            evidence: [host.evidence('loader.conf'), host.evidence('pciconf')],
            fix: { task: pptdevTask(devices, [nameOf(bsf)]), step: STEP.pptdevs },
          });
        } else if (device !== undefined && !device.device.startsWith('ppt')) {
          findings.push({
            id: 'pptdev-not-attached',
            severity: 'error',
            jail,
            what: `${bsf} is reserved in pptdevs but attached to ${device.device}, not ppt: the host has not rebooted since${isYes(loaderVar(host, 'vmm_load')) ? '' : ', and vmm_load="YES" is missing'}`,
            evidence: [host.evidence('pciconf'), host.evidence('loader.conf')],
            fix: { task: pptdevTask(devices, [device.device]), step: STEP.pptdevs },
          });
        }
      }
    }
    return findings;
  },
};
