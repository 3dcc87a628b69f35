// Every doctor check as a table: a host set up by the seed's playbooks gives no finding; each
// pitfall, planted in the probe outputs as the real tools print it, gives its finding.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/doctor/checks/all.js';
import { diagnose } from '../../src/doctor/run-doctor.js';
import { splitSysctl, sysctlCommand } from '../../src/doctor/sysctl-probe.js';
import { DEVFS_RULES, GUEST_TEST, JAIL_CONF, evidence, guests, jailConfs } from './evidence-fixture.js';
import { WALKTHROUGH_RULESET_25 } from '../fixtures/walkthrough-ruleset.js';

/** The kernel's rulesets once the walk-through's devfs.rules is loaded: 25 includes 4 only. */
const WALKTHROUGH_LOADED = '[1]\n100 hide\n[4]\n100 include 1\n200 include 2\n300 include 3\n400 path fuse unhide\n500 path zfs unhide\n[25]\n100 include 4\n200 path vmm unhide\n300 path vmm/* unhide\n400 path tap* unhide\n500 path mem unhide\n600 path kmem unhide\n700 path nmdm* unhide\n800 path pci unhide\n900 path io unhide\n';

const ids = (e: ReturnType<typeof evidence>) => diagnose(ALL_CHECKS, e).map((finding) => finding.id);
const jailConf = (text: string) => ({ 'jail.conf': jailConfs(['/usr/local/bastille/jails/bhyve/jail.conf', text]) });

describe('doctor checks', () => {
  it('a host set up by bhyve-jail.yml + passthrough.yml has no finding', () => {
    expect(diagnose(ALL_CHECKS, evidence())).toEqual([]);
  });

  const cases: readonly (readonly [string, ReturnType<typeof evidence>, string])[] = [
    ['no VT-x', evidence({ dmesg: 'vmx_init: processor does not support VMX operation\nmodule_register_init: MOD_LOAD (vmm, 0xffffffff82b2e9e0, 0) error 6\n', kld: 'vmm file\nnmdm module\nif_bridge module\nif_tap module\n' }), 'cpu-virtualization'],
    ['VT-x disabled in the firmware', evidence({ dmesg: '  VT-x: (disabled in BIOS) PAT,HLT,MTF,PAUSE,EPT,UG,VPID\n' }), 'cpu-virtualization'],
    ['VT-x without EPT', evidence({ dmesg: '  VT-x: PAT,HLT,MTF,PAUSE,VPID\n' }), 'cpu-virtualization'],
    ['AMD-V without nested paging', evidence({ 'hw.model': 'AMD Opteron\n', dmesg: '  SVM: NRIP,NAsids=8\n' }), 'cpu-virtualization'],
    ['Intel CPU without VMX, before vmm is loaded', evidence({ dmesg: '  Features2=0x7ffafbdf<SSE3,PCLMULQDQ,DTES64,MON,DS_CPL,SMX,EST,TM2,SSSE3,SDBG,FMA,CX16,xTPR,PDCM,PCID,SSE4.1,SSE4.2,x2APIC,MOVBE,POPCNT,TSCDLT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND>\n' }), 'cpu-virtualization'],
    ['AMD CPU older than Barcelona (no POPCNT, no SVM)', evidence({ 'hw.model': 'AMD Athlon(tm) 64 Processor 3200+\n', dmesg: '  Features2=0x2001<SSE3,CX16>\n  AMD Features2=0x3<LAHF,CMP>\n' }), 'cpu-virtualization'],
    ['AMD CPU with POPCNT but no SVM', evidence({ 'hw.model': 'AMD EPYC 7302P 16-Core Processor\n', dmesg: '  Features2=0x7ed8320b<SSE3,PCLMULQDQ,MON,SSSE3,FMA,CX16,SSE4.1,SSE4.2,MOVBE,POPCNT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND>\n  AMD Features2=0x35c237fb<LAHF,CMP,ExtAPIC,CR8,ABM,SSE4A,MAS,Prefetch,OSVW,IBS,SKINIT,WDT,TCE,Topology,PCXC,PNXC,DBE,PL2I,MWAITX>\n' }), 'cpu-virtualization'],
    ['AMD CPU without SVM, after kldload vmm', evidence({ 'hw.model': 'AMD EPYC 7302P 16-Core Processor\n', dmesg: 'SVM: not available.\nmodule_register_init: MOD_LOAD (vmm, 0xffffffff82b2e9e0, 0) error 6\n' }), 'cpu-virtualization'],
    ['no IOMMU', evidence({ acpidump: '' }), 'iommu-missing'],
    ['AMD-Vi present but off', evidence({ acpidump: '  IVRS: Length=208, Revision=2, Checksum=1,\n' }), 'amdvi-disabled'],
    ['vmm not loaded', evidence({ kld: 'vmm absent\nnmdm module\nif_bridge module\nif_tap module\n', jls: '' }), 'vmm-not-loaded'],
    ['nmdm not persistent', evidence({ 'rc.conf': 'kld_list="if_bridge if_tap"\nbastille_enable="YES"\n' }), 'nmdm-not-at-boot'],
    ['if_tap not loaded on 12.x', evidence({ kld: 'vmm module\nnmdm module\nif_bridge module\nif_tap absent\nif_tuntap absent\n' }), 'net-driver-not-loaded'],
    ['if_bridge not at boot', evidence({ 'rc.conf': 'kld_list="nmdm if_tap"\nbastille_enable="YES"\n' }), 'net-driver-not-at-boot'],
    ['vmm not loaded before a stopped allow.vmm jail', evidence({ kld: 'vmm absent\nnmdm module\nif_bridge module\nif_tap module\n', jls: '' }), 'vmm-before-jail'],
    ['vmm loaded by hand, jail starts at boot', evidence({ 'loader.conf': 'pptdevs="1/0/0"\n' }), 'vmm-before-jail'],
    ['ruleset not in devfs.rules', evidence({ 'devfs.rules': { absent: true }, 'devfs-loaded': '' }), 'devfs-ruleset-missing'],
    ['ruleset hides io', evidence({ 'devfs.rules': DEVFS_RULES.replace('add path io unhide\n', '') }), 'devfs-ruleset-incomplete'],
    ['ruleset not loaded', evidence({ 'devfs-loaded': '' }), 'devfs-ruleset-not-loaded'],
    ["the walk-through's ruleset 25, loaded: include 4 only", evidence({ 'devfs.rules': WALKTHROUGH_RULESET_25, 'devfs-loaded': WALKTHROUGH_LOADED }), 'devfs-ruleset-nested-include'],
    ["the walk-through's ruleset 25 in devfs.rules, not loaded", evidence({ 'devfs.rules': WALKTHROUGH_RULESET_25, 'devfs-loaded': '' }), 'devfs-ruleset-nested-include'],
    ['jail runs with another ruleset', evidence({ jls: 'name=bhyve devfs_ruleset=13 securelevel=-1 vnet=new allow.vmm path=/p\n' }), 'devfs-ruleset-not-applied'],
    ['jail started before the ruleset loaded', evidence({}, { 'jail-dev': 'fd\nnull\nrandom\nurandom\nzero\n' }), 'devfs-ruleset-not-applied'],
    ['no allow.vmm', evidence({ ...jailConf(JAIL_CONF.replace('  allow.vmm;\n', '')), jls: 'name=bhyve devfs_ruleset=25 securelevel=-1 vnet=new allow.novmm path=/p\n' }, {}, { examined: ['bhyve'] }), 'jail-allow-vmm'],
    ['not a VNET jail', evidence({ ...jailConf(JAIL_CONF.replace('  vnet;\n', '').replace('  vnet.interface = e0b_bastille0;\n', '')), jls: 'name=bhyve devfs_ruleset=25 securelevel=-1 vnet=inherit allow.vmm path=/p\n' }), 'jail-vnet'],
    ['securelevel 2 with passthrough', evidence({ ...jailConf(JAIL_CONF.replace('securelevel = -1', 'securelevel = 2')) }, { 'jail-securelevel': '2\n' }), 'jail-securelevel'],
    ['release kernel with passthrough', evidence({ 'uname-v': 'FreeBSD 12.2-RELEASE r366954 GENERIC\n', bootfile: '/boot/kernel/kernel\n', 'kernel-stamp': { absent: true } }), 'kernel-jail-priv'],
    ['jail on 12.2 running bhyve, host kernel 14.3', evidence({ 'uname-r': '14.3-RELEASE\n', userland: '14.3-RELEASE\n' }, { 'jail-userland': '12.2-RELEASE\n' }), 'jail-userland-older'],
    ['jail on 12.2 running bhyve, host kernel 13.5', evidence({ 'uname-r': '13.5-RELEASE\n', userland: '13.5-RELEASE\n' }, { 'jail-userland': '12.2-RELEASE-p3\n' }), 'jail-userland-older'],
    ['kernel from other sources', evidence({ 'uname-r': '12.2-RELEASE-p4\n', userland: '13.0-RELEASE\n' }), 'kernel-sources'],
    ['device not in pptdevs', evidence({ 'loader.conf': 'vmm_load="YES"\nkernel="kernel.patched"\n' }), 'pptdev-not-reserved'],
    ['device reserved, not rebooted', evidence({ pciconf: 'igb0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\n' }), 'pptdev-not-attached'],
    ['pptdevs without vmm_load', evidence({ 'loader.conf': 'pptdevs="1/0/0"\n', 'rc.conf': 'kld_list="vmm nmdm if_bridge if_tap"\n' }), 'vmm-load-missing'],
    ['memory changed while running', evidence({}, { guests: guests({ ...GUEST_TEST, run: GUEST_TEST.run.replace('-m 4G', '-m 2G') }) }), 'guest-restart-pending'],
    ['switch on vtnet0', evidence({}, { 'system.conf': 'switch_list="public"\ntype_public="standard"\nports_public="vtnet0"\n' }), 'switch-interface-missing'],
    ['DHCP in the jail', evidence({}, { 'jail-rc.conf': 'ifconfig_vnet0="DHCP"\nvm_enable="YES"\n' }), 'jail-dhcp-not-sync'],
    ['VNET name with a dash on Bastille 1.4', evidence({ 'bastille-version': '1.4.4\n', 'jail.conf': jailConfs(['/usr/local/bastille/jails/test-bhyve/jail.conf', JAIL_CONF.replace('bhyve {', 'test-bhyve {')]), jls: '', 'devfs.rules': `${DEVFS_RULES}[bastille_vnet=13]\nadd path 'bpf*' unhide\n` }), 'bastille-vnet-name'],
    ['devfs.rules without bastille_vnet on Bastille 1.4', evidence({ 'bastille-version': '1.4.4\n' }), 'bastille-setup-devfs'],
  ];
  for (const [name, planted, id] of cases) {
    it(`${name} → ${id}`, () => expect(ids(planted)).toContain(id));
  }

  it('a local kernel from a kern_jail.c granting PRIV_IO alone: bhyve gets past /dev/io and fails at /dev/mem; the fix puts the released file back first', () => {
    const half = evidence({ 'kern_jail.c': '3319-\t\t * exists in the jail and they have permission to access it).\n3320-\t\t */\n3321:\tcase PRIV_IO:\n3322-\tcase PRIV_KMEM_READ:\n3323-\t\treturn (0);\n3324-\n' });
    const found = diagnose(ALL_CHECKS, half).filter((finding) => finding.id === 'kernel-jail-priv');
    expect(found).toHaveLength(1);
    expect(found[0]?.what).toMatch(/grants jails PRIV_IO without PRIV_KMEM_WRITE: bhyve\/test likely gets past \/dev\/io and fails with "failed to open \/dev\/mem: Operation not permitted"/);
    expect(found[0]?.fix.task).toMatch(/^# first put back the released kern_jail\.c[^\n]*\n- name: [^\n]*\n  kernel_patch:/);
    expect(found[0]?.evidence.map((e) => e.output).join('\n')).toContain('case PRIV_IO:');
    // PRIV_KMEM_WRITE alone: bhyve stops at /dev/io, the first it opens
    const other = evidence({ 'kern_jail.c': '3321:\tcase PRIV_KMEM_READ:\n3322-\tcase PRIV_KMEM_WRITE:\n3323-\t\treturn (0);\n' });
    expect(diagnose(ALL_CHECKS, other).find((finding) => finding.id === 'kernel-jail-priv')?.what).toMatch(/without PRIV_IO: bhyve\/test likely fails with "failed to open \/dev\/io/);
    // the labels must end in return (0): a run cut by another statement grants nothing
    const cut = evidence({ 'kern_jail.c': '3321:\tcase PRIV_IO:\n3322-\t\tbreak;\n3323:\tcase PRIV_KMEM_READ:\n3324-\tcase PRIV_KMEM_WRITE:\n3325-\t\treturn (0);\n' });
    expect(diagnose(ALL_CHECKS, cut).find((finding) => finding.id === 'kernel-jail-priv')?.what).toMatch(/without PRIV_IO/);
  });

  it('the boot messages\' CPU lines: VMX / SVM and POPCNT on a capable CPU give nothing; without them the finding says which flag is missing', () => {
    const skylake = '  Features2=0x7ffafbff<SSE3,PCLMULQDQ,DTES64,MON,DS_CPL,VMX,SMX,EST,TM2,SSSE3,SDBG,FMA,CX16,xTPR,PDCM,PCID,SSE4.1,SSE4.2,x2APIC,MOVBE,POPCNT,TSCDLT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND>\n  VT-x: PAT,HLT,MTF,PAUSE,EPT,UG,VPID\n';
    const epyc = '  Features2=0x7ed8320b<SSE3,PCLMULQDQ,MON,SSSE3,FMA,CX16,SSE4.1,SSE4.2,MOVBE,POPCNT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND>\n  AMD Features2=0x35c237ff<LAHF,CMP,SVM,ExtAPIC,CR8,ABM,SSE4A,MAS,Prefetch,OSVW,IBS,SKINIT,WDT,TCE,Topology,PCXC,PNXC,DBE,PL2I,MWAITX>\n  SVM: NP,NRIP,VClean,AFlush,DAssist,NAsids=32768\n';
    expect(diagnose(ALL_CHECKS, evidence({ dmesg: skylake }))).toEqual([]);
    expect(diagnose(ALL_CHECKS, evidence({ 'hw.model': 'AMD EPYC 7302P 16-Core Processor\n', dmesg: epyc }))).toEqual([]);
    const what = (model: string, dmesg: string) => diagnose(ALL_CHECKS, evidence({ 'hw.model': model, dmesg })).find((finding) => finding.id === 'cpu-virtualization')?.what;
    expect(what('Intel(R) Pentium(R) CPU G4560 @ 3.50GHz\n', skylake.replace('DS_CPL,VMX,', 'DS_CPL,').replace(/  VT-x: .*\n/, ''))).toMatch(/no VT-x: its Features2 line has no VMX/);
    expect(what('AMD Athlon(tm) 64 Processor 3200+\n', '  Features2=0x2001<SSE3,CX16>\n  AMD Features2=0x3<LAHF,CMP>\n')).toMatch(/no POPCNT \(Features2=<SSE3,CX16>\), so it predates Barcelona/);
    expect(what('AMD EPYC 7302P 16-Core Processor\n', epyc.replace('CMP,SVM,', 'CMP,').replace(/  SVM: .*\n/, ''))).toMatch(/AMD Features2 line has no SVM/);
    // vmm's own message after kldload is not identcpu's SVM line: it is not read as a feature list
    expect(what('AMD EPYC 7302P 16-Core Processor\n', 'SVM: not available.\n')).toMatch(/no AMD-V \(SVM: not available\.\)/);
    // a message buffer that no longer holds the boot lines proves nothing either way
    expect(diagnose(ALL_CHECKS, evidence({ dmesg: 'pid 812 (sh), jid 0, uid 0: exited on signal 11\n' }))).toEqual([]);
  });

  it('a local kernel from the fully patched tree, built by hand (no stamp beside it): a warning, not an error', () => {
    const found = diagnose(ALL_CHECKS, evidence({ 'kernel-stamp': { absent: true } }));
    expect(found.map((finding) => [finding.id, finding.severity])).toEqual([['kernel-jail-priv-unproven', 'warning']]);
    // the same unstamped kernel on a tree lacking the change is the error
    const unpatched = evidence({ 'kernel-stamp': { absent: true }, 'kern_jail.c': '3321:\tcase PRIV_KMEM_READ:\n3322-\t\treturn (0);\n' });
    expect(diagnose(ALL_CHECKS, unpatched).map((finding) => [finding.id, finding.severity])).toEqual([['kernel-jail-priv', 'error']]);
  });

  it('a named jail the host lacks is a finding', () => {
    expect(ids(evidence({}, {}, { examined: ['nosuch'] }))).toEqual(['jail-missing']);
  });

  it('never shows a secret the evidence holds: values of password/secret/token/key variables, a VNC password in bhyve options', () => {
    const planted = evidence(
      { kld: 'vmm absent\nnmdm module\nif_bridge module\nif_tap module\n', 'rc.conf': `hostname="sim01"\nmysql_root_password="S3cret-rc"\nwg_private_key=S3cret-key\nsnmp_token='S3cret-tok'\n` },
      { guests: guests({ name: 'test', conf: GUEST_TEST.conf.replace('debug="yes"\n', 'debug="yes"\nbhyve_options="-s 29,fbuf,tcp=0.0.0.0:5900,password=S3cret-vnc,w=1024"\n'), run: GUEST_TEST.run.replace('-m 4G', '-m 2G') }) },
    );
    const findings = diagnose(ALL_CHECKS, planted);
    expect(findings.map((finding) => finding.id)).toEqual(expect.arrayContaining(['vmm-not-loaded', 'guest-restart-pending']));
    const shown = findings.flatMap((finding) => finding.evidence.map((e) => e.output)).join('\n');
    expect(shown).not.toContain('S3cret');
    expect(shown).toContain('mysql_root_password="********"');
    expect(shown).toContain('wg_private_key=********');
    expect(shown).toContain('fbuf,tcp=0.0.0.0:5900,password=********,w=1024');
    expect(shown).toContain('hostname="sim01"');
  });

  it('every finding carries evidence and a fix with its walk-through step', () => {
    for (const [, planted] of cases) {
      for (const finding of diagnose(ALL_CHECKS, planted)) {
        expect(finding.evidence.length).toBeGreaterThan(0);
        expect(finding.fix.step).toMatch(/^walk-through/);
        expect(finding.fix.task).toMatch(/^(# .*\n)*- name: /);
      }
    }
  });

  describe('a ruleset whose hide_all is behind a nested include (vfs.devfs.rule_depth)', () => {
    const planted = evidence({ 'devfs.rules': WALKTHROUGH_RULESET_25, 'devfs-loaded': WALKTHROUGH_LOADED }, { 'jail-dev': 'console\nio\nkmem\nmem\nnull\npci\nrandom\nurandom\nvmm\nzero\n' });
    const found = () => diagnose(ALL_CHECKS, planted).filter((finding) => finding.id === 'devfs-ruleset-nested-include');

    it('is one error naming the include chain and the depth, with the kernel\'s rulesets, the sysctl and the jail\'s /dev as evidence', () => {
      expect(found()).toHaveLength(1);
      const [finding] = found();
      expect(finding?.severity).toBe('error');
      expect(finding?.jail).toBe('bhyve');
      expect(finding?.what).toMatch(/^jail bhyve's devfs ruleset 25 hides nothing: ruleset 25 includes 4 \(devfsrules_jail\) includes 1 \(devfsrules_hide_all\), but the kernel follows includes only 1 deep/);
      // (the fixture's probes are named by their ids; on a host each is its command, test/doctor/doctor-fleet.test.ts)
      expect(finding?.evidence.map((entry) => entry.command)).toEqual(['devfs-loaded', 'devfs.rules', 'devfs.rule_depth', 'jail-dev']);
      expect(finding?.evidence[0]?.output).toContain('[25]\n100 include 4\n200 path vmm unhide');
      expect(finding?.evidence[1]?.output).toContain('[devfs_rules_bhyve_jail=25]\nadd include $devfsrules_jail\nadd path vmm unhide');
      expect(finding?.evidence[2]?.output).toBe('vfs.devfs.rule_depth: 1');
      expect(finding?.evidence[3]?.output).toContain('console');
      expect(finding?.what).toContain('the jail sees every device of the host');
    });

    it('a devfs.rules edited back to the walk-through\'s text but not loaded yet: found on the file, for the next load', () => {
      const next = diagnose(ALL_CHECKS, evidence({ 'devfs.rules': WALKTHROUGH_RULESET_25 })).filter((finding) => finding.id === 'devfs-ruleset-nested-include');
      expect(next).toHaveLength(1);
      expect(next[0]?.what).toMatch(/^jail bhyve's devfs ruleset 25 hides nothing as \/etc\/devfs\.rules writes it: .* a jail mounting \/dev after the next service devfs restart or boot sees every device of the host/);
      expect(next[0]?.evidence.map((entry) => entry.command)).toEqual(['devfs.rules', 'devfs.rule_depth']);
    });

    it('its fix writes ruleset 25 with 1, 2 and 3 before 4 and keeps what it unhid', () => {
      const task = found()[0]?.fix.task ?? '';
      expect(task).toContain('    number: 25\n    rules:\n      - add include $devfsrules_hide_all\n      - add include $devfsrules_unhide_basic\n      - add include $devfsrules_unhide_login\n      - add include $devfsrules_jail\n      - add path vmm unhide\n');
      for (const path of ["'tap*'", 'mem', 'kmem', "'nmdm*'", 'pci', 'io']) expect(task.split('\n')).toContain(`      - add path ${path} unhide`);
    });

    it('is not found with the fixed ruleset, nor when the kernel follows includes 2 deep, nor for the default ruleset 4', () => {
      expect(diagnose(ALL_CHECKS, evidence()).map((finding) => finding.id)).not.toContain('devfs-ruleset-nested-include');
      const deeper = evidence({ 'devfs.rules': WALKTHROUGH_RULESET_25, 'devfs-loaded': WALKTHROUGH_LOADED, 'devfs.rule_depth': 'vfs.devfs.rule_depth: 2\n' });
      expect(ids(deeper)).not.toContain('devfs-ruleset-nested-include');
      const jail4 = evidence({ ...jailConf(JAIL_CONF.replace('devfs_ruleset = 25', 'devfs_ruleset = 4')), jls: 'name=bhyve devfs_ruleset=4 securelevel=-1 vnet=new allow.vmm path=/p\n' });
      expect(ids(jail4)).not.toContain('devfs-ruleset-nested-include');
    });
  });

  it('reads every sysctl in one command and hands each check what `sysctl NAME` alone prints', () => {
    expect(sysctlCommand.text).toBe('sysctl hw.model kern.securelevel kern.bootfile hw.vmm security.jail.param.allow.vmm vfs.devfs.rule_depth');
    // vmm not loaded: hw.vmm and allow.vmm are unknown, sysctl goes on and exits with their count
    const split = splitSysctl({
      stdout: 'hw.model: AMD EPYC 7302P 16-Core Processor\nkern.securelevel: -1\nkern.bootfile: /boot/kernel/kernel\n',
      stderr: "sysctl: unknown oid 'hw.vmm'\nsysctl: unknown oid 'security.jail.param.allow.vmm'\n",
    });
    expect(split.get('hw.model')).toEqual({ command: 'sysctl -n hw.model', stdout: 'AMD EPYC 7302P 16-Core Processor\n', stderr: '', exitCode: 0 });
    expect(split.get('securelevel')?.stdout).toBe('-1\n');
    expect(split.get('bootfile')?.stdout).toBe('/boot/kernel/kernel\n');
    expect(split.get('hw.vmm')).toEqual({ command: 'sysctl hw.vmm', stdout: '', stderr: "sysctl: unknown oid 'hw.vmm'\n", exitCode: 1 });
    const loaded = splitSysctl({ stdout: 'hw.model: X\nkern.securelevel: 2\nkern.bootfile: /boot/kernel/kernel\nhw.vmm.vmx.initialized: 1\nhw.vmm.amdvi.enable: 0\nsecurity.jail.param.allow.vmm: 0\n', stderr: '' });
    expect(loaded.get('hw.vmm')?.stdout).toBe('hw.vmm.vmx.initialized: 1\nhw.vmm.amdvi.enable: 0\n');
    expect(loaded.get('allow.vmm')).toMatchObject({ command: 'sysctl security.jail.param.allow.vmm', stdout: 'security.jail.param.allow.vmm: 0\n', exitCode: 0 });
  });
});
