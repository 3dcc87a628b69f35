// The boot hook: a reboot drops the jails' old mounts, starts the jails whose boot setting is on
// (Bastille 0.7: bastille_enable + bastille_list) and, inside them, vm-bhyve's vm_list guests.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT, editJailConf, HOST_MODULES, RULESET_25, vmSetup } from './seed-steps.js';

const J = 'jexec test-bhyve';
const MOUNTS = 'grep -c /usr/local/bastille/jails/test-bhyve/root /proc/self/mountinfo';

describe('sim-boot-jails (seed profile)', () => {
  const r = scenarioBox('seed', [
    BOOT,
    RULESET_25,
    step('bootstrap', 'bastille bootstrap 12.2-RELEASE >/dev/null && bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0 >/dev/null'),
    editJailConf('test-bhyve', -1),
    HOST_MODULES,
    step('start-jail', 'bastille start test-bhyve >/dev/null'),
    vmSetup('test-bhyve'),
    step('guest', `${J} vm switch create public && ${J} vm switch add public vnet0 && ${J} vm create test && ${J} sysrc vm_list=test >/dev/null`),
    step('enable', `sysrc bastille_enable=YES >/dev/null
printf 'vmm_load="YES"\\nnmdm_load="YES"\\nif_tap_load="YES"\\nbridgestp_load="YES"\\nif_bridge_load="YES"\\n' >>/boot/loader.conf`),
    step('mounts-before', MOUNTS),
    step('reboot', '/usr/local/freebsd/libexec/sim-boot'),
    step('mounts-after', MOUNTS),
    step('jls', 'jls name'),
    step('vm-list', `${J} vm list | tail -n 1`),
    step('no-boot', `sysrc bastille_enable=NO >/dev/null; /usr/local/freebsd/libexec/sim-boot; jls name; ${MOUNTS} || true`),
  ], 180_000);

  it('restarts the jail with the same mounts as before the reboot, not twice as many', () => {
    expect(r['reboot']?.code).toBe(0);
    expect(Number(r['mounts-before']?.stdout)).toBeGreaterThan(5);
    expect(r['mounts-after']?.stdout).toBe(r['mounts-before']?.stdout);
    expect(r['jls']?.stdout).toBe('test-bhyve\n');
  });

  it('starts the jail’s vm_list guests through its rc (vm init, vm startall)', () => {
    expect(r['vm-list']?.stdout).toMatch(/^test {2}default {4}bhyveload {2}1 {4}256M {4}- {4}Yes \[1\] {2}Running \(\d+\)\n$/);
  });

  it('starts nothing when bastille_enable is off, and leaves no mounts behind', () => {
    expect(r['no-boot']?.stdout).toBe('0\n');
  });
});
