// vm-bhyve fake inside the seed's Bastille jail, and the bhyve passthrough permission ladder of
// docs/freebsd/passthrough.md and docs/freebsd/vm-bhyve.md (with vm-bhyve's logs), including the second runs (docs/freebsd/idempotency.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBox, scenarioBox, step, type Box, type StepResult } from './box.js';
import { BOOT, editJailConf, HOST_MODULES, RULESET_25, vmSetup } from './seed-steps.js';

const J = 'jexec test-bhyve';
const CONF = '/usr/local/bastille/jails/test-bhyve/jail.conf';
const GUEST = '/usr/local/bastille/jails/test-bhyve/root/vms/test';
const VM = '/usr/local/sbin/vm';

/**
 * Rulesets 26 (25 without pci) and 27 (25 without io), loaded with the others. They list
 * rulesets 1, 2 and 3 before 4: ruleset 4's own includes are skipped inside them
 * (vfs.devfs.rule_depth 1, docs/freebsd/devfs.md "Include depth"), and without hide_all nothing is hidden.
 */
const OTHER_RULESETS = step(
  'rulesets',
  `grep -q rules_nopci /etc/devfs.rules || cat >>/etc/devfs.rules <<'X'
[rules_nopci=26]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add include $devfsrules_jail
add path vmm unhide
add path vmm/* unhide
add path mem unhide
add path io unhide
[rules_noio=27]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add include $devfsrules_jail
add path vmm unhide
add path vmm/* unhide
add path mem unhide
add path pci unhide
X
service devfs restart`,
);

/** Sets the jail's devfs ruleset and restarts it; then starts the guest and shows its bhyve.log. */
function tryRuleset(name: string, ruleset: number): ReturnType<typeof step> {
  return step(
    name,
    `sed -i 's/devfs_ruleset = [0-9]*;/devfs_ruleset = ${ruleset};/' ${CONF}; bastille restart test-bhyve >/dev/null 2>&1
rm -f ${GUEST}/bhyve.log; ${J} vm start test >/dev/null; cat ${GUEST}/bhyve.log`,
  );
}

describe('vm-bhyve 1.4 in the seed jail, unpatched kernel', () => {
  const r = scenarioBox('seed', [
    BOOT,
    RULESET_25,
    OTHER_RULESETS,
    step('bootstrap', 'bastille bootstrap 12.2-RELEASE >/dev/null && bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0 >/dev/null'),
    editJailConf('test-bhyve', 2),
    HOST_MODULES,
    step('start-jail', 'bastille start test-bhyve'),
    step('vm-before-pkg', `${J} vm init`),
    vmSetup('test-bhyve'),
    step('version', `${J} vm version`),
    step('sw-create', `${J} vm switch create public`),
    step('sw-create-again', `${J} vm switch create public`),
    step('sw-add-vtnet0', `${J} vm switch add public vtnet0`),
    step('sw-add', `${J} vm switch add public vnet0`),
    step('sw-add-again', `${J} vm switch add public vnet0`),
    step('sw-list', `${J} vm switch list`),
    step('system-conf', `${J} cat /vms/.config/system.conf`),
    step('create', `${J} vm create test`),
    step('create-again', `${J} vm create test`),
    step('guest-conf', `${J} cat /vms/test/test.conf`),
    step('iso-missing', `${J} vm install test FreeBSD-12.2-RELEASE-amd64-bootonly.iso`),
    step('iso', `${J} sh -c ': >/vms/.iso/FreeBSD-12.2-RELEASE-amd64-bootonly.iso'; ${J} vm iso`),
    step('install-f', `${J} vm install -f test FreeBSD-12.2-RELEASE-amd64-bootonly.iso`),
    step('passthru-conf', `printf 'wired_memory="yes"\\npassthru0="1/0/0"\\ndebug="yes"\\n' >>${GUEST}/test.conf`),
    step('install-f-error', `${J} vm install -f test FreeBSD-12.2-RELEASE-amd64-bootonly.iso`),
    step('start-sl2', `${J} vm start test`),
    step('bhyve-log-sl2', `cat ${GUEST}/bhyve.log`),
    step('vm-log-sl2', `tail -n 4 ${GUEST}/vm-bhyve.log | cut -c 18-`),
    step('list-stopped', `${J} vm list`),
    editJailConf('test-bhyve', -1),
    step('restart-jail', 'bastille restart test-bhyve >/dev/null'),
    step('sl', `${J} sysctl -n kern.securelevel`),
    step('bhyve-log-unpatched', `rm -f ${GUEST}/bhyve.log; ${J} vm start test >/dev/null; cat ${GUEST}/bhyve.log`),
    step('passthru-list', `${J} vm passthru | sed -n '1p;/^igb0/p'`),
    tryRuleset('bhyve-log-nopci', 26),
    step('passthru-nopci', `${J} vm passthru`),
    step('unwired', `${J} bhyve -c 1 -m 256M -s 6:0,passthru,1/0/0 direct`),
    step('stop-stopped', `${J} vm stop test`),
  ], 180_000);

  it('is not there before pkg install, then init is silent', () => {
    expect(r['vm-before-pkg']).toMatchObject({ stderr: 'jexec: execvp: vm: No such file or directory\n', code: 1 });
    expect(r['vm-setup']).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(r['version']?.stdout).toBe('vm-bhyve: Bhyve virtual machine management v1.4.2 (rev. 104002)\n');
  });

  it('switch create/add are not idempotent (docs/freebsd/vm-bhyve.md); vtnet0 does not exist in a VNET jail', () => {
    expect(r['sw-create']).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(r['sw-create-again']).toEqual({ stdout: '', stderr: `${VM}: ERROR: switch public already exists\n`, code: 1 });
    expect(r['sw-add-vtnet0']).toEqual({
      stdout: '',
      stderr: `${VM}: ERROR: failed to add member vtnet0 to the virtual switch public\n`,
      code: 1,
    });
    expect(r['sw-add']).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(r['sw-add-again']).toEqual({
      stdout: '',
      stderr: `${VM}: ERROR: failed to add member vnet0 to the virtual switch public\n`,
      code: 1,
    });
    expect(r['sw-list']?.stdout).toBe(
      'NAME    TYPE      IFACE      ADDRESS  PRIVATE  MTU  VLAN  PORTS\npublic  standard  vm-public  -        no       -    -     vnet0\n',
    );
    expect(r['system-conf']?.stdout).toBe('switch_list="public"\ntype_public="standard"\nports_public="vnet0"\n');
  });

  it('create writes the guest from the default template and refuses a second create', () => {
    expect(r['create']).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(r['create-again']).toEqual({ stdout: '', stderr: `${VM}: ERROR: virtual machine already exists in /vms/test\n`, code: 1 });
    expect(r['guest-conf']?.stdout).toMatch(
      /^# beastie simulator stand-in[^\n]*\n\nloader="bhyveload"\ncpu=1\nmemory=256M\nnetwork0_type="virtio-net"\nnetwork0_switch="public"\ndisk0_type="virtio-blk"\ndisk0_name="disk0.img"\nuuid="[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"\nnetwork0_mac="58:9c:fc:0[0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}"\n$/,
    );
  });

  it('install finds the iso in .iso and -f returns 1 when the installer powers off (docs/freebsd/vm-bhyve.md)', () => {
    expect(r['iso-missing']).toEqual({
      stdout: '',
      stderr: `${VM}: ERROR: unable to locate iso file - 'FreeBSD-12.2-RELEASE-amd64-bootonly.iso'\n`,
      code: 1,
    });
    expect(r['iso']?.stdout).toBe('DATASTORE           FILENAME\ndefault             FreeBSD-12.2-RELEASE-amd64-bootonly.iso\n');
    expect(r['install-f']?.code).toBe(1);
    expect(r['install-f']?.stdout).toMatch(/^Starting test\n {2}\* found guest in \/vms\/test\n {2}\* booting\.\.\.\n/);
  });

  it('install -f returns bhyve’s 4 on a device error; bhyve’s stderr still goes to bhyve.log (vm-run: 2> $_logpath)', () => {
    expect(r['install-f-error']).toEqual({
      stdout: 'Starting test\n  * found guest in /vms/test\n  * booting...\n',
      stderr: '',
      code: 4,
    });
  });

  it('securelevel 2: vm start exits 0, bhyve.log holds the seed’s two lines, the guest is stopped', () => {
    expect(r['start-sl2']).toEqual({
      stdout: 'Starting test\n  * found guest in /vms/test\n  * booting...\n',
      stderr: '',
      code: 0,
    });
    expect(r['bhyve-log-sl2']?.stdout).toBe(
      'bhyve: failed to open /dev/pci: Operation not permitted\ndevice emulation initialization error: No such file or directory\n',
    );
    expect(r['vm-log-sl2']?.stdout).toBe('bhyve exited with status 4\ndestroying network device tap0\nstopped\n'.replace(/^/, 'starting bhyve (run 1)\n'));
    expect(r['list-stopped']?.stdout).toBe(
      'NAME  DATASTORE  LOADER     CPU  MEMORY  VNC  AUTO  STATE\ntest  default    bhyveload  1    256M    -    No    Stopped\n',
    );
  });

  it('securelevel -1 on the unpatched kernel: /dev/io is refused (PRIV_IO)', () => {
    expect(r['sl']?.stdout).toBe('-1\n');
    expect(r['bhyve-log-unpatched']?.stdout).toBe(
      'bhyve: failed to open /dev/io: Operation not permitted\ndevice emulation initialization error: No such file or directory\n',
    );
  });

  it('pci hidden by the jail’s ruleset: ENOENT, and vm passthru shows only its header', () => {
    expect(r['passthru-nopci']).toEqual({
      stdout: 'DEVICE     BHYVE ID     READY        DESCRIPTION\n',
      stderr: 'pciconf: /dev/pci: No such file or directory\n',
      code: 0,
    });
    expect(r['bhyve-log-nopci']?.stdout).toBe(
      'bhyve: failed to open /dev/pci: No such file or directory\ndevice emulation initialization error: No such file or directory\n',
    );
  });

  it('vm passthru reads pciconf (igb0 not reserved yet); bhyve wants wired memory; stop of a stopped guest warns', () => {
    expect(r['passthru-list']?.stdout).toBe(
      'DEVICE     BHYVE ID     READY        DESCRIPTION\nigb0       1/0/0        No           82580 Gigabit Network Connection\n',
    );
    expect(r['unwired']).toEqual({
      stdout: '',
      stderr: 'bhyve: passthru requires guest memory to be wired\ndevice emulation initialization error: No such file or directory\n',
      code: 4,
    });
    expect(r['stop-stopped']).toEqual({ stdout: '', stderr: `${VM}: WARNING: test doesn't appear to be a running virtual machine\n`, code: 0 });
  });
});

describe('vm-bhyve 1.4 in the seed jail after pptdevs, the kernel patch and a reboot', () => {
  let box: Box;
  let r: Record<string, StepResult>;

  beforeAll(async () => {
    box = await makeBox('seed');
    const setup = [
      BOOT,
      RULESET_25,
      OTHER_RULESETS,
      step('bootstrap', 'bastille bootstrap 12.2-RELEASE >/dev/null && bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0 >/dev/null'),
      editJailConf('test-bhyve', -1),
      HOST_MODULES,
      step('start-jail', 'bastille start test-bhyve'),
      vmSetup('test-bhyve'),
      step('guest', `${J} vm switch create public && ${J} vm switch add public vnet0 && ${J} vm create test &&
printf 'wired_memory="yes"\npassthru0="1/0/0"\ndebug="yes"\n' >>${GUEST}/test.conf`),
      // the loader reserves igb0 for ppt; the installed kernel carries the jail patch (what
      // make installkernel writes after the seed's patch, docs/freebsd/passthrough.md)
      step('loader', `printf 'vmm_load="YES"\nnmdm_load="YES"\nif_tap_load="YES"\nbridgestp_load="YES"\nif_bridge_load="YES"\npptdevs="1/0/0"\n' >>/boot/loader.conf
sed -i 's/^kernel_jail_privs=.*/kernel_jail_privs="PRIV_IO PRIV_KMEM_READ PRIV_KMEM_WRITE"/' /boot/kernel/kernel`),
    ];
    await box.scenario(setup);
    r = await box.scenario([
      BOOT,
      step('pciconf', 'pciconf -l | grep pci0:1:0:0'),
      step('start-jail', 'bastille start test-bhyve >/dev/null; bastille cmd test-bhyve vm init'),
      step('passthru', `${J} vm passthru | grep ' 1/0/0 '`),
      step('start', `${J} vm start test`),
      step('list', `${J} vm list`),
      step('devs', `${J} ls /dev /dev/vmm | grep -E 'nmdm|tap|^test$'`),
      step('console', 'cat /var/sim/run/vmm/test.console'),
      step('vm-log', `grep -c 'passthru,1/0/0' ${GUEST}/vm-bhyve.log`),
      step('install-running', `${J} vm install test FreeBSD.iso; ${J} sh -c ': >/vms/.iso/FreeBSD.iso'; ${J} vm install test FreeBSD.iso`),
      step('stop', `${J} vm stop test`),
      step('list-stopped', `${J} vm list | tail -n 1`),
      step('devs-after', `${J} ls /dev /dev/vmm | grep -cE 'nmdm|tap|^test$' || true`),
      step('poweroff', `${J} vm start test >/dev/null; ${J} vm poweroff -f test; ${J} vm list | tail -n 1; tail -n 3 ${GUEST}/vm-bhyve.log | cut -c 18-`),
      step('second-device', `printf 'passthru1="1/0/1"\n' >>${GUEST}/test.conf; rm -f ${GUEST}/bhyve.log; ${J} vm start test >/dev/null; cat ${GUEST}/bhyve.log; sed -i '/^passthru1=/d' ${GUEST}/test.conf`),
      // the running kernel as one built from a tree that grants jails PRIV_IO but not PRIV_KMEM_WRITE
      step('half-patched', `cp /var/sim/run/kernel /tmp/kernel.full && sed -i 's/^kernel_jail_privs=.*/kernel_jail_privs="PRIV_IO PRIV_KMEM_READ"/' /var/sim/run/kernel
rm -f ${GUEST}/bhyve.log; ${J} vm start test >/dev/null; cat ${GUEST}/bhyve.log; mv /tmp/kernel.full /var/sim/run/kernel`),
      tryRuleset('bhyve-log-noio', 27),
      // the jail's release directory moved to 14.3 ahead of the 12.2 kernel (freebsd-update -b, the
      // wrong order), then rolled back
      step('newer-userland', `rel=/usr/local/bastille/releases/12.2-RELEASE; ${J} vm poweroff -f test >/dev/null 2>&1
sed -i 's/devfs_ruleset = [0-9]*;/devfs_ruleset = 25;/' ${CONF}; bastille restart test-bhyve >/dev/null 2>&1
freebsd-update -b $rel --currently-running 12.2-RELEASE -r 14.3-RELEASE upgrade </dev/null >/dev/null; for i in 1 2 3; do freebsd-update -b $rel install >/dev/null; done
${J} freebsd-version -u; uname -r; rm -f ${GUEST}/bhyve.log; ${J} vm start test >/dev/null; cat ${GUEST}/bhyve.log; ${J} vm list | tail -n 1
freebsd-update -b $rel rollback >/dev/null; ${J} freebsd-version -u`),
      step('no-allow-vmm', `sed -i '/allow.vmm;/d; s/devfs_ruleset = [0-9]*;/devfs_ruleset = 25;/' ${CONF}; bastille restart test-bhyve >/dev/null 2>&1
${J} vm start test >/dev/null; grep -c 'fatal; loader returned error 1' ${GUEST}/vm-bhyve.log; ${J} vm list | tail -n 1`),
    ]);
  }, 180_000);
  afterAll(async () => box.remove());

  // 14.0's struct vm_run gives VM_RUN an ioctl number a 12.2 vmm.ko does not know: ENOTTY (25), and
  // bhyverun.c prints vm_loop's line and exits 1 (docs/freebsd/upgrade.md)
  it('a 14.3 userland on the 12.2 kernel: bhyve stops at VM_RUN with ENOTTY, the guest does not run', () => {
    expect(r['newer-userland']?.stdout).toMatch(/^14\.3-RELEASE\n12\.2-RELEASE\n/);
    expect(r['newer-userland']?.stdout).toContain('vm_run error -1, errno 25\n');
    expect(r['newer-userland']?.stdout).toMatch(/Stopped\n12\.2-RELEASE\n$/);
  });

  it('boots with igb0 attached to ppt0 and vm passthru says READY Yes', () => {
    expect(r['pciconf']?.stdout).toMatch(/^ppt0@pci0:1:0:0:/);
    expect(r['start-jail']).toMatchObject({ code: 0 });
    expect(r['passthru']?.stdout).toBe('ppt0       1/0/0        Yes          82580 Gigabit Network Connection\n');
  });

  it('starts the passthrough guest, whose console shows the seed’s igb0 lines', () => {
    expect(r['start']).toEqual({ stdout: 'Starting test\n  * found guest in /vms/test\n  * booting...\n', stderr: '', code: 0 });
    expect(r['list']?.stdout).toMatch(/\ntest {2}default {4}bhyveload {2}1 {4}256M {4}- {4}No {4}Running \(\d+\)\n$/);
    expect(r['console']?.stdout).toContain(
      'igb0: <Intel(R) PRO/1000 PCI-Express Network Driver> mem 0xc0080000-0xc00fffff,0xc0100000-0xc0103fff irq 16 at device 6.0 on pci0\n',
    );
    expect(r['console']?.stdout).toContain('FreeBSD 12.2-RELEASE r366954 GENERIC amd64\n');
    expect(r['vm-log']?.stdout).toBe('1\n');
  });

  it('the jail’s /dev shows the guest’s vmm, nmdm and tap nodes (unhidden by ruleset 25) only while it runs', () => {
    expect(r['devs']?.stdout).toBe('nmdm-test.1A\nnmdm-test.1B\ntap0\ntest\n');
    expect(r['devs-after']?.stdout).toBe('0\n');
  });

  it('install while running says so and exits 1; stop sends the ACPI shutdown', () => {
    expect(r['install-running']).toMatchObject({
      stdout: 'Starting test\n  * found guest in /vms/test\n  ! guest appears to be running already\n',
      code: 1,
    });
    expect(r['install-running']?.stderr).toBe(`${VM}: ERROR: unable to locate iso file - 'FreeBSD.iso'\n`);
    expect(r['stop']).toEqual({ stdout: 'Sending ACPI shutdown to test\n', stderr: '', code: 0 });
    expect(r['list-stopped']?.stdout).toMatch(/Stopped\n$/);
  });

  it('poweroff -f stops a running guest the way vm-run logs it', () => {
    expect(r['poweroff']?.stdout).toMatch(/^test .* Stopped\nbhyve exited with status 1\ndestroying network device tap\d+\nstopped\n$/);
  });

  it('a device not reserved for ppt is refused', () => {
    expect(r['second-device']?.stdout).toBe(
      'bhyve: PCI device at 1/0/1 is not using the ppt(4) driver\ndevice emulation initialization error: No such file or directory\n',
    );
  });

  it('a kernel granting jails PRIV_IO without PRIV_KMEM_WRITE: past /dev/io, /dev/mem opened for writing is refused', () => {
    expect(r['half-patched']?.stdout).toBe(
      'bhyve: failed to open /dev/mem: Operation not permitted\ndevice emulation initialization error: No such file or directory\n',
    );
  });

  it('io hidden by the ruleset: ENOENT even on the patched kernel', () => {
    expect(r['bhyve-log-noio']?.stdout).toBe(
      'bhyve: failed to open /dev/io: No such file or directory\ndevice emulation initialization error: No such file or directory\n',
    );
  });

  it('without allow.vmm the loader cannot create the vmm instance', () => {
    expect(r['no-allow-vmm']?.stdout).toMatch(/^1\ntest .*Stopped\n$/);
  });
});
