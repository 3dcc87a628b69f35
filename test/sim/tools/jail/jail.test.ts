// jail(8), jls(8) and jexec(8) fakes against docs/freebsd/kld.md, docs/freebsd/bastille.md and jail.c's texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBox, scenarioBox, step, type Box, type StepResult } from './box.js';
import { BOOT } from './seed-steps.js';

const CONF = `cat >/etc/jail.conf <<'X'
t1 {
  path = /var/tmp/t1root;
  host.hostname = t1.example;
  mount.devfs;
  devfs_ruleset = 4;
  allow.vmm;
  allow.raw_sockets;
  allow.nomount;
  securelevel = 2;
  ip4.addr = 10.0.0.5;
}
X
mkdir -p /var/tmp/t1root`;

describe('jail, jls, jexec (seed profile)', () => {
  const r = scenarioBox('seed', [
    BOOT,
    step('conf', CONF),
    step('create-novmm', 'jail -c t1'),
    step('kld', 'kldload vmm'),
    step('create', 'jail -c t1'),
    step('create-again', 'jail -c t1'),
    step('jls', 'jls'),
    step('jls-N', 'jls -N'),
    step('jls-params', 'jls -j t1 jid securelevel devfs_ruleset allow.vmm'),
    step('jls-n', 'jls -n -j t1 allow.vmm'),
    step('jls-allow', 'jls -n -j t1 allow.raw_sockets allow.mount allow.sysvipc'),
    step('jls-name', 'jls name'),
    step('jls-v', 'jls -v'),
    step('jls-h', 'jls -h -j t1 name vnet'),
    step('jls-missing', 'jls -j nosuch'),
    step('inside', 'jexec t1 sh -c "hostname; sysctl -n security.jail.jailed kern.securelevel; ls /dev; test -x /bin/sh && echo sh-ok"'),
    step('inside-kldload', 'jexec t1 kldload nmdm'),
    step('jexec-missing', 'jexec nosuch true'),
    step('jexec-nocmd', 'jexec t1 nosuchcommand'),
    step('show', `jail -f /etc/jail.conf -e '|' t1`),
    step('restart', 'jail -rc t1; jls jid'),
    step('remove', 'jail -r t1'),
    step('remove-again', 'jail -r t1'),
    step('mounts-left', 'grep -c t1root /proc/self/mountinfo || true'),
    step('hooks', `cat >/etc/jail.conf <<'X'
t2 {
path = /var/tmp/t1root;
interface = bastille0;
ip4.addr = 10.0.0.6;
}
t3 {
path = /var/tmp/t1root;
interface = em0;
ip4.addr = 10.0.0.7;
exec.prestart = "echo prestart; false";
}
t4 {
path = /var/tmp/t1root;
vnet;
vnet.interface = e0b_nosuch;
exec.poststart += "echo poststart";
}
X
jail -c t2; jail -c t3; jail -c t4; jls name; ifconfig em0 | grep -c inet || true`),
    step('jls-empty', 'jls'),
  ], 120_000);

  it('keeps every allow.* permission of the config, not only allow.vmm (allow.noX leaves X off)', () => {
    expect(r['jls-allow']).toEqual({ stdout: 'allow.raw_sockets allow.nomount allow.nosysvipc\n', stderr: '', code: 0 });
  });

  it('refuses allow.vmm while vmm.ko is not loaded (docs/freebsd/kld.md)', () => {
    expect(r['create-novmm']).toEqual({ stdout: '', stderr: 'jail: t1: unknown parameter: allow.vmm\n', code: 1 });
  });

  it('creates the jail once and says "already exists" the second time', () => {
    expect(r['create']).toMatchObject({ stdout: 't1: created\n', code: 0 });
    expect(r['create-again']).toEqual({ stdout: '', stderr: 'jail: "t1" already exists\n', code: 1 });
  });

  it('lists jails as jls.c formats them', () => {
    expect(r['jls']?.stdout).toBe(
      '   JID  IP Address      Hostname                      Path\n' +
        '     1  10.0.0.5        t1.example                    /var/tmp/t1root\n',
    );
    expect(r['jls-N']?.stdout).toBe(
      ' JID             IP Address      Hostname                      Path\n' +
        ' t1              10.0.0.5        t1.example                    /var/tmp/t1root\n',
    );
    expect(r['jls-params']?.stdout).toBe('1 2 4 true\n');
    expect(r['jls-n']?.stdout).toBe('allow.vmm\n');
    expect(r['jls-name']?.stdout).toBe('t1\n');
    expect(r['jls-v']?.stdout).toBe(
      '   JID  Hostname                      Path\n        Name                          State\n        CPUSetID\n        IP Address(es)\n' +
        '     1  t1.example                    /var/tmp/t1root\n        t1                            ACTIVE\n        2\n        10.0.0.5\n',
    );
    expect(r['jls-h']?.stdout).toBe('name vnet\nt1 inherit\n');
    expect(r['jls-missing']).toEqual({ stdout: '', stderr: 'jls: jail "nosuch" not found\n', code: 1 });
  });

  it('runs commands chrooted in the jail, which sees its hostname, jailed=1, its securelevel and its devfs', () => {
    expect(r['inside']?.stdout).toBe('t1.example\n1\n2\nnull\nrandom\nurandom\nzero\nsh-ok\n');
    expect(r['inside-kldload']).toMatchObject({ stderr: 'kldload: can\'t load nmdm: Operation not permitted\n', code: 1 });
    expect(r['jexec-missing']).toEqual({ stdout: '', stderr: 'jexec: jail "nosuch" not found\n', code: 1 });
    expect(r['jexec-nocmd']).toMatchObject({ stderr: 'jexec: execvp: nosuchcommand: No such file or directory\n', code: 1 });
  });

  it('prints the configured parameters with -e', () => {
    expect(r['show']?.stdout).toBe(
      'name=t1|path=/var/tmp/t1root|host.hostname=t1.example|mount.devfs|devfs_ruleset=4|allow.vmm|allow.raw_sockets|allow.nomount|securelevel=2|ip4.addr=10.0.0.5\n',
    );
  });

  it('restarts with -rc under a new JID', () => {
    expect(r['restart']).toEqual({ stdout: 't1: removed\nt1: created\n2\n', stderr: '', code: 0 });
  });

  it('reports failing network and exec commands as command.c does, and leaves nothing running', () => {
    expect(r['hooks']?.stdout).toBe('prestart\nt4: created\nt4: removed\n0\n');
    expect(r['hooks']?.stderr).toBe(
      'ifconfig: interface bastille0 does not exist\n' +
        'jail: t2: /sbin/ifconfig bastille0 inet 10.0.0.6 netmask 255.255.255.255 alias: failed\n' +
        'jail: t3: /bin/sh -c echo prestart; false: failed\n' +
        'ifconfig: interface e0b_nosuch does not exist\n' +
        'jail: t4: /sbin/ifconfig e0b_nosuch vnet 3: failed\n',
    );
  });

  it('removes the jail, unmounts everything, and says "not found" the second time', () => {
    expect(r['remove']).toMatchObject({ stdout: 't1: removed\n', code: 0 });
    expect(r['remove-again']).toEqual({ stdout: '', stderr: 'jail: "t1" not found\n', code: 1 });
    expect(r['mounts-left']?.stdout.trim()).toBe('0');
    expect(r['jls-empty']?.stdout).toBe('   JID  IP Address      Hostname                      Path\n');
  });
});

// FreeBSD 15.0's vmm creates VMs through /dev/vmmctl (docs/freebsd/upgrade.md): a 15.0 userland in
// a jail needs the node unhidden by the jail's devfs ruleset; a 14.3 kernel has no such node.
describe('/dev/vmmctl on a 15.0 host (r15 profile)', () => {
  let box: Box;
  let r: Record<string, StepResult>;
  const conf = (ruleset: number) => `cat >/etc/jail.conf <<'X'
v1 {
  path = /var/tmp/v1root;
  mount.devfs;
  devfs_ruleset = ${ruleset};
  allow.vmm;
}
X
mkdir -p /var/tmp/v1root`;

  beforeAll(async () => {
    box = await makeBox('r15');
    r = await box.scenario([
      BOOT,
      step('rules', 'devfs rule -s 30 add include 4 && devfs rule -s 30 add path vmm unhide && devfs rule -s 30 add path "vmm/*" unhide && devfs rule -s 31 add include 30 && devfs rule -s 31 add path vmmctl unhide'),
      step('kld', 'kldload vmm'),
      step('hidden', `${conf(30)}; jail -c v1 && jexec v1 sh -c 'ls /dev; bhyveload -m 256M g1'`),
      step('hidden-bhyve', "jexec v1 bhyve -c 1 -m 256M -s 0,hostbridge -s 31,lpc g2"),
      step('visible', `jail -r v1; ${conf(31)}; jail -c v1 && jexec v1 sh -c 'ls /dev; bhyveload -m 256M g1' && ls /var/sim/run/vmm`),
    ]);
  }, 120_000);
  afterAll(async () => box.remove());

  it('bhyveload and bhyve fail with ENOENT while the ruleset hides vmmctl, as libvmmapi opens it to create a VM', () => {
    expect(r['hidden']).toEqual({ stdout: 'v1: created\nnull\nrandom\nurandom\nvmm\nzero\n', stderr: 'vm_create: No such file or directory\n', code: 1 });
    expect(r['hidden-bhyve']).toMatchObject({ stderr: 'bhyve: vm_openf: No such file or directory\n', code: 4 });
  });

  it('creates the VM once the ruleset unhides vmmctl', () => {
    expect(r['visible']).toEqual({ stdout: 'v1: removed\nv1: created\nnull\nrandom\nurandom\nvmm\nvmmctl\nzero\ng1\n', stderr: '', code: 0 });
  });
});
