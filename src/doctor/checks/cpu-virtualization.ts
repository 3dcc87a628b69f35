// The CPU must offer what vmm.ko needs: Intel VT-x with EPT and unrestricted guest, or AMD-V
// with nested paging (RVI), enabled in the firmware. The boot messages print `VT-x:` / `SVM:`
// lines (sys/x86/x86/identcpu.c, with "(disabled in BIOS)" when the firmware turned it off);
// without VT-x vmm's MOD_LOAD fails with `vmx_init: processor does not support VMX operation`
// and hw.vmm.vmx.initialized reads 0, which vm-bhyve refuses (docs/freebsd/host.md, kld.md).
// identcpu prints the VT-x / SVM line only when the Features2 line has VMX / AMD Features2 has SVM,
// so with the Features2 line present and neither line the CPU has no hardware virtualisation at
// all — found before anyone loads vmm. On AMD the Handbook's sign is POPCNT on Features2: CPUs
// without it predate Barcelona, the first with RVI (docs/freebsd/host.md, "CPU virtualisation").
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
    // identcpu's lines are indented by two spaces; vmm's MOD_LOAD messages ("SVM: not available.") are not.
    const vtx = /^ {2}VT-x: (.*)$/m.exec(dmesg)?.[1];
    const svm = /^ {2}SVM: (.*)$/m.exec(dmesg)?.[1];
    const features2 = /^ {2}Features2=0x[0-9a-f]+<([^>]*)>/m.exec(dmesg)?.[1];
    const amd = /\bAMD\b/.test(host.text('hw.model'));
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
    if (vtx === undefined && svm === undefined && features2 !== undefined) {
      if (!amd) return [finding('the CPU has no VT-x: its Features2 line has no VMX, so the boot messages have no VT-x line and vmm.ko cannot initialise')];
      if (!features2.split(',').includes('POPCNT')) {
        return [finding(`the CPU has no AMD-V with RVI: its Features2 line has no POPCNT (Features2=<${features2}>), so it predates Barcelona, AMD's first CPUs with RVI, and the boot messages have no SVM line`)];
      }
      return [finding('the CPU has no AMD-V: its AMD Features2 line has no SVM, so the boot messages have no SVM line and vmm.ko cannot initialise')];
    }
    if (/^SVM: not available\./m.test(dmesg)) return [finding('the CPU has no AMD-V (SVM: not available.): vmm.ko cannot initialise')];
    if (/^SVM: disabled by BIOS\./m.test(dmesg)) return [finding('AMD-V (SVM) is disabled in the firmware (SVM: disabled by BIOS.): vmm.ko cannot use it')];
    if (vtx !== undefined && vtx.includes('(disabled in BIOS)')) return [finding('VT-x is disabled in the firmware: vmm.ko cannot use it')];
    if (svm !== undefined && svm.includes('(disabled in BIOS)')) return [finding('AMD-V (SVM) is disabled in the firmware: vmm.ko cannot use it')];
    if (vtx !== undefined && !(vtx.includes('EPT') && vtx.includes('UG'))) return [finding(`VT-x lacks ${['EPT', 'UG'].filter((f) => !vtx.includes(f)).join(' and ')} (VT-x: ${vtx.trim()}): bhyve needs extended page tables and unrestricted guest`)];
    if (svm !== undefined && !/\bNP\b/.test(svm)) return [finding(`AMD-V lacks nested paging (SVM: ${svm.trim()}): bhyve needs RVI`)];
    if (vmm === 'file') return [finding('vmm.ko is linked but its vmm module did not register: the CPU lacks the virtualisation vmm needs')];
    if (vmm === 'module' && initialized === '0' && /Intel/.test(host.text('hw.model'))) return [finding('hw.vmm.vmx.initialized is 0: VT-x did not initialise (vm-bhyve: "kernel vmm not initialised")')];
    return [];
  },
};
