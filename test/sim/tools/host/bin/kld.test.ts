// kldload / kldstat / kldunload against docs/freebsd/kld.md, docs/freebsd/idempotency.md (kldload twice), including
// EPERM at securelevel > 0 and inside a jail, and vmm on a CPU without VT-x (novtx).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootedHost, hostSandbox, type HostSandbox } from '../host-sandbox.js';

describe('kldload, kldstat, kldunload (seed)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seed');
  });
  afterAll(() => host.dispose());

  it('reports vmm absent before loading: kldstat -q -m rc 1, -m and -n messages', () => {
    expect(host.run('kldstat -q -m vmm').code).toBe(1);
    expect(host.run('kldstat -m vmm')).toEqual({
      stdout: '',
      stderr: "kldstat: can't find module vmm: No such file or directory\n",
      code: 1,
    });
    expect(host.run('kldstat -n vmm').stderr).toBe("kldstat: can't find file vmm: No such file or directory\n");
  });

  it('loads vmm silently once, then fails with EEXIST (docs/freebsd/idempotency.md), -n stays silent', () => {
    expect(host.run('kldload vmm')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('kldload vmm')).toEqual({
      stdout: '',
      stderr: "kldload: can't load vmm: module already loaded or in kernel\n",
      code: 1,
    });
    expect(host.run('kldload -n vmm')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('kldload -nv vmm').stdout).toBe('vmm is already loaded\n');
    expect(host.run('kldload vmm.ko').stderr).toBe("kldload: can't load vmm.ko: module already loaded or in kernel\n");
  });

  it('lists files in the 12.x right-aligned layout and finds the module', () => {
    const all = host.run('kldstat').stdout.split('\n');
    expect(all[0]).toBe('Id Refs Address                Size Name');
    expect(all[1]).toBe(' 1   15 0xffffffff80200000  1f3c6c8 kernel');
    expect(all[2]).toBe(' 2    1 0xffffffff8213d000   3a9b48 vmm.ko');
    expect(host.run('kldstat -q -m vmm').code).toBe(0);
    expect(host.run('kldstat -n vmm.ko').stdout).toBe(
      'Id Refs Address                Size Name\n 2    1 0xffffffff8213d000   3a9b48 vmm.ko\n',
    );
    expect(host.run('kldstat -m vmm').stdout).toMatch(/^Id  Refs Name\n +\d+ +1 vmm\n$/);
  });

  it('reports unknown modules and usage errors like kldload.c', () => {
    expect(host.run('kldload foo')).toEqual({
      stdout: '',
      stderr: "kldload: can't load foo: No such file or directory\n",
      code: 1,
    });
    expect(host.run('kldload')).toEqual({ stdout: '', stderr: 'usage: kldload [-nqv] file ...\n', code: 1 });
    expect(host.run('kldload -v nmdm').stdout).toMatch(/^Loaded nmdm, id=3\n$/);
  });

  it('unloads by name and says when the file is not loaded', () => {
    expect(host.run('kldunload nmdm').code).toBe(0);
    expect(host.run('kldstat -q -m nmdm').code).toBe(1);
    expect(host.run('kldunload nmdm')).toEqual({ stdout: '', stderr: "kldunload: can't find file nmdm\n", code: 1 });
  });

  it('links dependencies after the file, releases them on unload, never reuses file ids', () => {
    expect(host.run('kldload -v if_bridge').stdout).toBe('Loaded if_bridge, id=4\n');
    expect(host.run('kldstat -q -n bridgestp.ko').code).toBe(0);
    expect(host.run('kldstat -n bridgestp').stdout.split('\n')[1]).toMatch(/^ 5 {4}1 0xffffffff[0-9a-f]{8} +8a50 bridgestp\.ko$/);
    host.run('kldunload if_bridge');
    expect(host.run('kldstat -q -n bridgestp.ko').code).toBe(1);
    expect(host.run('kldload -v if_bridge').stdout).toBe('Loaded if_bridge, id=6\n');
  });

  it('refuses to load at securelevel > 0 (EPERM) until a reboot lowers it', () => {
    expect(host.run('sysctl kern.securelevel=1').stdout).toBe('kern.securelevel: -1 -> 1\n');
    expect(host.run('kldload nmdm')).toEqual({
      stdout: '',
      stderr: "kldload: can't load nmdm: Operation not permitted\n",
      code: 1,
    });
    expect(host.run('kldunload vmm').stderr).toBe("kldunload: can't unload file: Operation not permitted\n");
    expect(host.boot().code).toBe(0);
    expect(host.run('sysctl -n kern.securelevel').stdout).toBe('-1\n');
    expect(host.run('kldstat -q -m vmm').code).toBe(1);
    expect(host.run('kldload nmdm').code).toBe(0);
  });

  it('refuses inside a jail but kldstat shows the host modules there', () => {
    host.run('kldload vmm');
    host.run(
      'printf \'jail_name=bhyve\\njail_jid=1\\njail_securelevel=-1\\njail_devfs_ruleset=25\\njail_allow_vmm=yes\\njail_vnet=yes\\njail_hostname=bhyve\\njail_osrelease=12.2-RELEASE\\njail_devices="null zero pci"\\n\' > /var/sim/jail',
    );
    expect(host.run('kldload nmdm').stderr).toBe("kldload: can't load nmdm: Operation not permitted\n");
    expect(host.run('kldstat -q -m vmm').code).toBe(0);
    host.run('rm /var/sim/jail');
  });
});

describe('vmm without VT-x (novtx)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('novtx');
  });
  afterAll(() => host.dispose());

  it('links vmm.ko but the vmm module fails to initialise (vmx_init ENXIO), as vmm_handler does', () => {
    expect(host.run('kldload vmm')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('kldstat -q -m vmm').code).toBe(1);
    expect(host.run('kldstat -q -n vmm.ko').code).toBe(0);
    expect(host.run('sysctl -n hw.vmm.vmx.initialized').stdout).toBe('0\n');
    // a second kldload finds the linked file and only counts a reference
    expect(host.run('kldload vmm').code).toBe(0);
    expect(host.run('kldstat -n vmm').stdout.split('\n')[1]).toMatch(/^ 2 {4}2 /);
  });

  it('logs vmx_init and the failed MOD_LOAD in dmesg', () => {
    const log = host.run('dmesg').stdout;
    expect(log).toContain('FreeBSD 12.2-RELEASE r366954 GENERIC amd64\n');
    expect(log).toContain('vmx_init: processor does not support VMX operation\nmodule_register_init: MOD_LOAD (vmm, ');
    expect(log).toMatch(/, 0\) error 6\n$/);
  });
});

// The machine description's CPU knobs (sim/README.md "The CPU"): what identcpu prints at boot and
// what vmm's MOD_LOAD says on CPUs bhyve cannot use (vmx.c, svm.c), and AMD-Vi's loader tunable.
describe('vmm on other CPUs (hw_cpu_virt, hw_cpu_virt_bios in /var/sim/hardware/sysctl)', () => {
  const hosts: HostSandbox[] = [];
  afterAll(() => {
    for (const host of hosts) host.dispose();
  });
  /** A seed host whose machine description gains `lines`, booted, after `kldload vmm`. */
  const machine = (lines: string, loader = ''): HostSandbox => {
    const host = hostSandbox('seed');
    hosts.push(host);
    host.run(`printf '%s\\n' '${lines}' >>/var/sim/hardware/sysctl${loader === '' ? '' : ` && printf '%s\\n' '${loader}' >/boot/loader.conf`}`);
    expect(host.boot().code).toBe(0);
    host.run('kldload vmm');
    return host;
  };

  it('the seed machine: VT-x with EPT and UG at boot, vmm initialised', () => {
    const host = machine('');
    // identcpu's order: the CPU line, the feature lines (%b: the value, then the set bits' names), then VT-x
    expect(host.run('dmesg').stdout).toContain(
      'CPU: Intel(R) Xeon(R) CPU E3-1225 v5 @ 3.30GHz (3312.19-MHz K8-class CPU)\n' +
        '  Features2=0x7ffafbff<SSE3,PCLMULQDQ,DTES64,MON,DS_CPL,VMX,SMX,EST,TM2,SSSE3,SDBG,FMA,CX16,xTPR,PDCM,PCID,SSE4.1,SSE4.2,x2APIC,MOVBE,POPCNT,TSCDLT,AESNI,XSAVE,OSXSAVE,AVX,F16C,RDRAND>\n' +
        '  VT-x: PAT,HLT,MTF,PAUSE,EPT,UG,VPID\n',
    );
    expect(host.run('kldstat -q -m vmm').code).toBe(0);
    expect(host.run('sysctl -n hw.vmm.vmx.initialized hw.vmm.vmx.cap.unrestricted_guest').stdout).toBe('1\n1\n');
  });

  it('VT-x without EPT: vmx_init refuses the secondary controls (EINVAL), the module does not register', () => {
    const host = machine('hw_cpu_virt="PAT,HLT,MTF,PAUSE,VPID"');
    const log = host.run('dmesg').stdout;
    expect(log).toContain('  VT-x: PAT,HLT,MTF,PAUSE,VPID\n');
    expect(log).toContain('vmx_init: processor does not support desired secondary processor-based controls\nmodule_register_init: MOD_LOAD (vmm, 0xffffffff82b2e9e0, 0) error 22\n');
    expect(host.run('kldstat -q -m vmm').code).toBe(1);
    expect(host.run('sysctl -n hw.vmm.vmx.initialized').stdout).toBe('0\n');
  });

  it('VT-x turned off in the firmware', () => {
    const log = machine('hw_cpu_virt_bios=off').run('dmesg').stdout;
    expect(log).toContain('  VT-x: (disabled in BIOS) PAT,HLT,MTF,PAUSE,EPT,UG,VPID\n');
    expect(log).toContain('vmx_init: VMX operation disabled by BIOS\nmodule_register_init: MOD_LOAD (vmm, 0xffffffff82b2e9e0, 0) error 6\n');
  });

  it('AMD-V without nested paging: svm.c refuses it', () => {
    const host = machine('hw_model="AMD Athlon(tm) 64 X2 Dual Core Processor 5000+"\nhw_cpu_virt="NAsids=64"');
    const log = host.run('dmesg').stdout;
    expect(log).toContain('  SVM: NAsids=64\n');
    expect(log).toContain('SVM: Nested Paging feature not available.\nmodule_register_init: MOD_LOAD (vmm, 0xffffffff82b2e9e0, 0) error 6\n');
    expect(host.run('kldstat -q -m vmm').code).toBe(1);
  });

  it('an AMD CPU without SVM: AMD Features2 has no SVM bit, so no SVM line; svm_available says not available', () => {
    const host = machine('hw_model="AMD Athlon(tm) 64 X2 Dual Core Processor 4400+"\nhw_cpu_virt=none\nhw_cpu_features2=SSE3\nhw_cpu_amd_features2=LAHF,CMP');
    const log = host.run('dmesg').stdout;
    expect(log).toContain('  Features2=0x1<SSE3>\n  AMD Features2=0x3<LAHF,CMP>\nreal memory');
    expect(log).toContain('SVM: not available.\nmodule_register_init: MOD_LOAD (vmm, 0xffffffff82b2e9e0, 0) error 6\n');
  });

  it('AMD with AMD-Vi: an IVRS table, and hw.vmm.amdvi.enable follows the loader tunable', () => {
    const off = machine('hw_model="AMD EPYC 7302P 16-Core Processor"');
    expect(off.run('dmesg').stdout).toContain('  SVM: NP,NRIP,VClean,AFlush,DAssist,NAsids=32768\n');
    expect(off.run('kldstat -q -m vmm').code).toBe(0);
    expect(off.run('acpidump -t').stdout).toMatch(/^ {2}IVRS: Length=\d+/m);
    expect(off.run('acpidump -t').stdout).not.toMatch(/DMAR/);
    expect(off.run('sysctl hw.vmm.amdvi.enable hw.vmm.vmx.initialized').stdout).toBe('hw.vmm.amdvi.enable: 0\nhw.vmm.vmx.initialized: 0\n');
    const on = machine('hw_model="AMD EPYC 7302P 16-Core Processor"', 'hw.vmm.amdvi.enable="1"');
    expect(on.run('sysctl -n hw.vmm.amdvi.enable').stdout).toBe('1\n');
  }, 180_000);
});
