// vm-bhyve fake on the host itself (seed profile): lib/vm-base's preconditions, every error of
// docs/freebsd/vm-bhyve.md that needs no jail, the second runs (docs/freebsd/idempotency.md), and the state after a reboot.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT } from './seed-steps.js';

const VM = '/usr/local/sbin/vm';

describe('vm-bhyve 1.4 on a seed host', () => {
  const r = scenarioBox('seed', [
    BOOT,
    step('not-enabled', 'vm list'),
    step('no-dir', 'sysrc vm_enable=YES >/dev/null; vm list'),
    step('zfs', 'sysrc vm_enable=YES vm_dir=zfs:zroot/vms >/dev/null; kldstat -qm zfs && kldunload zfs; vm list; kldload zfs; vm list; sysrc -x vm_dir'),
    step('first', 'mkdir /var/vms; sysrc vm_dir=/var/vms >/dev/null; kldload vmm nmdm if_tap bridgestp; vm list; ls -A /var/vms /var/vms/.config; wc -c </var/vms/.config/system.conf'),
    step('init-twice', 'kldload if_bridge; vm init && vm init && ls /var/vms/.templates'),
    step('bad-switch', 'vm switch create x'),
    step('unknown-switch', 'vm switch add nosuch em0'),
    step('switch', 'vm switch create public && vm switch add public em0 && vm switch info public'),
    step('bad-name', 'vm create a'),
    step('bad-template', 'vm create -t nosuch test'),
    step('create', 'vm create -c 2 -m 1G -s 5G test && grep -E "^(cpu|memory)=" /var/vms/test/test.conf && stat -c "%s %a" /var/vms/test/disk0.img'),
    step('info', 'vm info test | sed -e "s/uuid: .*/uuid: U/" -e "s/mac-address: .*/mac-address: M/"'),
    step('start-missing', 'vm start nosuch'),
    step('install-missing', 'vm install nosuch /etc/hostname'),
    step('info-missing', 'vm info nosuch'),
    step('usage', 'vm frobnicate | head -n 1'),
    step('poweroff-stopped', 'vm poweroff -f test'),
    step('destroy-no', 'echo n | vm destroy test; ls /var/vms'),
    step('destroy-eof', 'vm destroy test </dev/null; ls /var/vms'),
    step('destroy-gone', 'vm destroy -f test'),
    step('reboot', '/usr/local/freebsd/libexec/sim-boot; kldload vmm nmdm if_tap bridgestp if_bridge; vm switch list'),
    step('add-before-init', 'vm switch add public igb1'),
    step('after-init', 'vm init; vm switch list; vm switch remove public em0; vm switch destroy public; vm switch list; cat /var/vms/.config/system.conf'),
  ], 300_000); // 22 steps of vm-bhyve, each a few forks of sh: minutes on a loaded machine

  it('checks vm_enable, then vm_dir, then creates its directories and an empty system.conf', () => {
    expect(r['not-enabled']).toEqual({ stdout: '', stderr: `${VM}: ERROR: $vm_enable is not enabled in /etc/rc.conf!\n`, code: 1 });
    expect(r['no-dir']).toEqual({ stdout: '', stderr: `${VM}: ERROR: $vm_dir has not been configured or is not a valid directory\n`, code: 1 });
    expect(r['first']?.stdout).toBe(
      'NAME  DATASTORE  LOADER  CPU  MEMORY  VNC  AUTO  STATE\n' +
        '/var/vms:\n.config\n.img\n.iso\n.templates\n\n/var/vms/.config:\nnull.iso\nsystem.conf\n0\n',
    );
  });

  it('a zfs: vm_dir needs the zfs module, and then a dataset (there is no zfs(8) in the simulator)', () => {
    expect(r['zfs']?.stderr).toBe(
      `${VM}: ERROR: ZFS support requested but ZFS not available\n${VM}: ERROR: unable to locate mountpoint for ZFS dataset zroot/vms\n`,
    );
  });

  it('init is silent and idempotent and copies the default template', () => {
    expect(r['init-twice']).toEqual({ stdout: 'default.conf\n', stderr: '', code: 0 });
  });

  it('switch errors and switch info', () => {
    expect(r['bad-switch']).toEqual({ stdout: '', stderr: `${VM}: ERROR: invalid switch name - 'x'\n`, code: 1 });
    expect(r['unknown-switch']).toEqual({ stdout: '', stderr: `${VM}: ERROR: unable to configure switch of unknown type\n`, code: 1 });
    expect(r['switch']?.stdout).toBe(
      '------------------------\nVirtual Switch: public\n------------------------\n  type: standard\n  ident: vm-public\n' +
        '  vlan: -\n  physical-ports: em0\n  bytes-in: 0 (0.000B)\n  bytes-out: 0 (0.000B)\n\n',
    );
  });

  it('create errors, -c/-m/-s, and info of a stopped guest', () => {
    expect(r['bad-name']).toEqual({ stdout: '', stderr: `${VM}: ERROR: invalid virtual machine name - 'a'\n`, code: 1 });
    expect(r['bad-template']).toEqual({ stdout: '', stderr: `${VM}: ERROR: unable to find template /var/vms/.templates/nosuch.conf\n`, code: 1 });
    // config::set is sysrc, which quotes the template's unquoted values when it rewrites them
    expect(r['create']?.stdout).toBe('cpu="2"\nmemory="1G"\n5368709120 600\n');
    expect(r['info']?.stdout).toBe(
      '------------------------\nVirtual Machine: test\n------------------------\n  state: stopped\n  datastore: default\n' +
        '  loader: bhyveload\n  uuid: U\n  cpu: 2\n  memory: 1G\n\n  network-interface\n    number: 0\n    emulation: virtio-net\n' +
        '    virtual-switch: public\n    fixed-mac-address: M\n    fixed-device: -\n\n  virtual-disk\n    number: 0\n' +
        '    device-type: file\n    emulation: virtio-blk\n    options: -\n    system-path: /var/vms/test/disk0.img\n' +
        '    bytes-size: 5368709120 (5.000G)\n    bytes-used: 1024 (1.000K)\n\n',
    );
  });

  it('start of an unknown guest exits 0 anyway; install and info do not', () => {
    expect(r['start-missing']).toEqual({ stdout: 'Starting nosuch\n  ! nosuch does not seem to be a valid virtual machine\n', stderr: '', code: 0 });
    expect(r['install-missing']).toEqual({ stdout: 'Starting nosuch\n  ! nosuch does not seem to be a valid virtual machine\n', stderr: '', code: 1 });
    expect(r['info-missing']).toEqual({ stdout: '', stderr: `${VM}: ERROR: unable to locate virtual machine 'nosuch'\n`, code: 1 });
    expect(r['usage']?.stdout).toBe('vm-bhyve: Bhyve virtual machine management v1.4.2 (rev. 104002)\n');
  });

  it('poweroff needs a running guest; destroy asks, and without a tty end of input means yes (util::confirm)', () => {
    expect(r['poweroff-stopped']).toEqual({ stdout: '', stderr: `${VM}: ERROR: test doesn't appear to be a running virtual machine\n`, code: 1 });
    expect(r['destroy-no']).toEqual({ stdout: 'test\n', stderr: '', code: 0 });
    expect(r['destroy-eof']).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(r['destroy-gone']).toEqual({ stdout: '', stderr: `${VM}: ERROR: test doesn't appear to be a valid virtual machine\n`, code: 1 });
  });

  it('after a reboot the bridge is gone until vm init; remove and destroy clean system.conf', () => {
    expect(r['reboot']?.stdout).toBe(
      'NAME    TYPE      IFACE  ADDRESS  PRIVATE  MTU  VLAN  PORTS\npublic  standard  -      -        no       -    -     em0\n',
    );
    expect(r['add-before-init']).toEqual({ stdout: '', stderr: `${VM}: ERROR: unable to locate switch id\n`, code: 1 });
    expect(r['after-init']?.stdout).toBe(
      'NAME    TYPE      IFACE      ADDRESS  PRIVATE  MTU  VLAN  PORTS\npublic  standard  vm-public  -        no       -    -     em0\n' +
        'NAME  TYPE  IFACE  ADDRESS  PRIVATE  MTU  VLAN  PORTS\nswitch_list=""\n',
    );
  });
});
