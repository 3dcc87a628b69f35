// The jail tools on the other profiles: current (14.3, Bastille 1.4.4, vm-bhyve 1.6: 14.x's
// capitalised bhyve error), bare (nothing installed until `pkg install`), novtx (vmm unusable).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBox, scenarioBox, step, type Box, type StepResult } from './box.js';
import { BOOT, RULESET_25 } from './seed-steps.js';

const J = 'jexec bhyve';
const CONF = '/usr/local/bastille/jails/bhyve/jail.conf';
const GUEST = '/usr/local/bastille/jails/bhyve/root/vms/test';

describe('current profile: Bastille 1.4.4 jail, vm-bhyve 1.6, FreeBSD 14.3', () => {
  const r = scenarioBox('current', [
    BOOT,
    RULESET_25,
    step('kld', 'kldload vmm nmdm if_tuntap bridgestp if_bridge'),
    step('create', 'bastille bootstrap 14.3-RELEASE >/dev/null 2>&1 && bastille create --vnet bhyve 14.3-RELEASE 192.168.1.50 em0 >/dev/null 2>&1'),
    step('config', `bastille config bhyve set allow.vmm 2>/dev/null && bastille config bhyve set devfs_ruleset 25 2>/dev/null && bastille restart bhyve >/dev/null 2>&1; grep -E 'allow.vmm|devfs_ruleset' ${CONF}`),
    step('setup', `${J} env ASSUME_ALWAYS_YES=yes pkg install vm-bhyve >/dev/null; ${J} sysrc vm_enable=YES vm_dir=/vms >/dev/null; ${J} mkdir /vms; ${J} vm init
${J} cp /usr/local/share/examples/vm-bhyve/default.conf /vms/.templates/; ${J} vm switch create public; ${J} vm switch add public vnet0; ${J} vm create test
printf 'passthru0="1/0/0"\\ndebug="yes"\\n' >>${GUEST}/test.conf`),
    step('version', `${J} vm version`),
    step('start', `${J} vm start test; cat ${GUEST}/bhyve.log`),
    step('release', `${J} freebsd-version; ${J} uname -r`),
  ], 180_000);

  it('bastille config set writes the 1.4.4 lines once', () => {
    expect(r['config']?.stdout).toBe('  devfs_ruleset = 25;\n  allow.vmm;\n');
    expect(r['setup']).toMatchObject({ stdout: '', stderr: '', code: 0 });
  });

  it('vm-bhyve 1.6 and bhyve 14.x texts', () => {
    expect(r['version']?.stdout).toBe('vm-bhyve: Bhyve virtual machine management v1.6-devel (rev. 106001)\n');
    expect(r['start']?.stdout).toBe(
      'Starting test\n  * found guest in /vms/test\n  * booting...\n' +
        'bhyve: failed to open /dev/pci: Operation not permitted\nDevice emulation initialization error: No such file or directory\n',
    );
  });
});

describe('bare profile: pkg install brings bastille and vm-bhyve', () => {
  const r = scenarioBox('bare', [
    BOOT,
    step('before', 'bastille version; vm version'),
    step('install', 'env ASSUME_ALWAYS_YES=yes pkg install bastille vm-bhyve >/dev/null; ls -l /usr/local/bin/bastille /usr/local/sbin/vm | cut -c1-10'),
    step('after', 'bastille version; vm version'),
    step('vm-disabled', 'vm list'),
  ], 120_000);

  it('has neither tool before, both at their installed paths after', () => {
    expect(r['before']?.code).toBe(127);
    expect(r['install']?.stdout).toBe('-rwxr-xr-x\n-rwxr-xr-x\n');
    expect(r['after']?.stdout).toBe('1.4.4\nvm-bhyve: Bhyve virtual machine management v1.6-devel (rev. 106001)\n');
    expect(r['vm-disabled']).toEqual({
      stdout: '',
      stderr: '/usr/local/sbin/vm: ERROR: $vm_enable is not enabled in /etc/rc.conf!\n',
      code: 1,
    });
  });
});

describe('novtx profile: vmm cannot initialise', () => {
  let box: Box;
  let r: Record<string, StepResult>;

  beforeAll(async () => {
    box = await makeBox('novtx');
    r = await box.scenario([BOOT, step('vm', 'sysrc vm_enable=YES vm_dir=/var/tmp >/dev/null; vm list')]);
  }, 120_000);
  afterAll(async () => box.remove());

  it('vm stops at lib/vm-base’s VT-x check (hw.vmm.vmx.initialized)', () => {
    expect(r['vm']).toEqual({ stdout: '', stderr: '/usr/local/sbin/vm: ERROR: kernel vmm not initialised (no VT-x / AMD SVM cpu support?)\n', code: 1 });
  });
});
