// The CPU must offer what vmm.ko needs: Intel VT-x with EPT and unrestricted guest, or AMD-V
// with nested paging (RVI), enabled in the firmware. The boot messages print `VT-x:` / `SVM:`
// lines (sys/x86/x86/identcpu.c, with "(disabled in BIOS)" when the firmware turned it off);
// without VT-x vmm's MOD_LOAD fails with `vmx_init: processor does not support VMX operation`
// and hw.vmm.vmx.initialized reads 0, which vm-bhyve refuses (docs/freebsd/host.md, kld.md).
import type { Check } from '../check.js';
import type { Finding } from '../finding.js';
import { moduleStates } from '../kernel-modules.js';
import { STEP } from '../walkthrough.js';

const id = 'cpu-virtualization';

export const cpuVirtualization: Check = {
  id,
  summary: 'the CPU supports bhyve (VT-x with EPT and UG, or AMD-V with RVI), enabled in the firmware',
  evaluate({ host }) {
    const dmesg = host.text('dmesg');
    const vmm = moduleStates(host).get('vmm');
    const initialized = /^hw\.vmm\.vmx\.initialized: (\d+)/m.exec(host.text('hw.vmm'))?.[1];
    const vtx = /^\s*VT-x: (.*)$/m.exec(dmesg)?.[1];
    const svm = /^\s*SVM: (.*)$/m.exec(dmesg)?.[1];
    const evidence = [host.evidence('hw.model'), host.evidence('dmesg'), host.evidence('hw.vmm')];
    const finding = (what: string): Finding => ({
      id,
      severity: 'error',
      what,
      evidence,
      fix: {
        task: '# Not fixable by a task: enable VT-x (Intel) or SVM/AMD-V (AMD) in the firmware setup, or\n# run the guests on a host whose CPU has EPT/RVI; then reboot.\n- name: the CPU offers hardware virtualisation\n  reboot: {}',
        step: STEP.cpu,
      },
    });
    if (/vmx_init: processor does not support VMX operation/.test(dmesg)) return [finding('the CPU has no VT-x (vmx_init: processor does not support VMX operation): vmm.ko cannot initialise')];
    if (vtx !== undefined && vtx.includes('(disabled in BIOS)')) return [finding('VT-x is disabled in the firmware: vmm.ko cannot use it')];
    if (svm !== undefined && svm.includes('(disabled in BIOS)')) return [finding('AMD-V (SVM) is disabled in the firmware: vmm.ko cannot use it')];
    if (vtx !== undefined && !(vtx.includes('EPT') && vtx.includes('UG'))) return [finding(`VT-x lacks ${['EPT', 'UG'].filter((f) => !vtx.includes(f)).join(' and ')} (VT-x: ${vtx.trim()}): bhyve needs extended page tables and unrestricted guest`)];
    if (svm !== undefined && !/\bNP\b/.test(svm)) return [finding(`AMD-V lacks nested paging (SVM: ${svm.trim()}): bhyve needs RVI`)];
    if (vmm === 'file') return [finding('vmm.ko is linked but its vmm module did not register: the CPU lacks the virtualisation vmm needs')];
    if (vmm === 'module' && initialized === '0' && /Intel/.test(host.text('hw.model'))) return [finding('hw.vmm.vmx.initialized is 0: VT-x did not initialise (vm-bhyve: "kernel vmm not initialised")')];
    return [];
  },
};
