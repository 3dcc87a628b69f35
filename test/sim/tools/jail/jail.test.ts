// jail(8), jls(8) and jexec(8) fakes against docs/freebsd/kld.md, docs/freebsd/bastille.md and jail.c's texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBox, scenarioBox, step, type Box, type StepResult } from './box.js';
import { BOOT, RULESET_25 } from './seed-steps.js';

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
      // 31 includes 30 (its include of 1 and 2 is skipped there: vfs.devfs.rule_depth is 1), so it lists 1 and 2 itself
      step('rules', 'devfs rule -s 30 add include 1 && devfs rule -s 30 add include 2 && devfs rule -s 30 add path vmm unhide && devfs rule -s 30 add path "vmm/*" unhide && devfs rule -s 31 add include 1 && devfs rule -s 31 add include 2 && devfs rule -s 31 add include 30 && devfs rule -s 31 add path vmmctl unhide'),
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

// vfs.devfs.rule_depth (sys/fs/devfs/devfs_devs.c: 1 on every kernel; devfs_rule.c devfs_rule_run
// follows an include only while depth is left, docs/freebsd/devfs.md "Include depth"): the seed's
// ruleset 25 starts with `add include $devfsrules_jail` only, so ruleset 4's own includes of 1, 2
// and 3 are skipped, hide_all never runs and the jail sees the host's devices. Ruleset 26 lists 1,
// 2 and 3 itself before 4, as freebsd-src's devfsrules_jail_vnet does, and hides them.
describe('devfs include depth: the seed ruleset 25 in a jail (seed profile)', () => {
  const conf = (name: string, ruleset: number) => `cat >/etc/jail.conf <<'X'
${name} {
  path = /var/tmp/${name}root;
  mount.devfs;
  devfs_ruleset = ${ruleset};
  allow.vmm;
}
X
mkdir -p /var/tmp/${name}root`;
  const devOf = (name: string) => `jexec ${name} ls /dev | paste -sd ' ' -`;
  const r = scenarioBox('seed', [
    BOOT,
    RULESET_25,
    step('fixed', `cat >>/etc/devfs.rules <<'X'
[devfs_rules_bhyve_jail_fixed=26]
add include $devfsrules_hide_all
add include $devfsrules_unhide_basic
add include $devfsrules_unhide_login
add include $devfsrules_jail
add path vmm unhide
X
service devfs restart`),
    step('kld', 'kldload vmm'),
    step('depth', 'sysctl vfs.devfs.rule_depth'),
    step('seed-25', `${conf('d1', 25)}; jail -c d1 >/dev/null && ${devOf('d1')} && jail -r d1 >/dev/null`),
    step('fixed-26', `${conf('d2', 26)}; jail -c d2 >/dev/null && ${devOf('d2')} && jail -r d2 >/dev/null`),
    step('jail-4', `${conf('d3', 4)}; jail -c d3 >/dev/null && ${devOf('d3')}`),
    step('in-jail-write', 'jexec d3 sysctl vfs.devfs.rule_depth=2'),
    step('bad-value', 'sysctl vfs.devfs.rule_depth=deep'),
    step('deeper', 'jail -r d3 >/dev/null; sysctl vfs.devfs.rule_depth=2'),
    step('seed-25-deeper', `${conf('d4', 25)}; jail -c d4 >/dev/null && ${devOf('d4')} && jail -r d4 >/dev/null`),
    step('reboot', '/usr/local/freebsd/libexec/sim-boot && sysctl -n vfs.devfs.rule_depth'),
  ], 120_000);

  it('the kernel follows includes one level deep (vfs.devfs.rule_depth: 1)', () => {
    expect(r['depth']).toEqual({ stdout: 'vfs.devfs.rule_depth: 1\n', stderr: '', code: 0 });
  });

  it('a jail on the seed ruleset 25 sees the host\'s devices: console, which no ruleset unhides', () => {
    expect(r['seed-25']).toEqual({ stdout: 'console io kmem mem null pci random urandom vmm zero\n', stderr: '', code: 0 });
  });

  it('ruleset 26, listing 1, 2 and 3 before 4, hides them; so does ruleset 4 itself', () => {
    expect(r['fixed-26']).toEqual({ stdout: 'null random urandom vmm zero\n', stderr: '', code: 0 });
    expect(r['jail-4']).toEqual({ stdout: 'null random urandom zero\n', stderr: '', code: 0 });
  });

  it('vfs.devfs.rule_depth is writable on the host only, takes unsigned integers, and is 1 again after a boot', () => {
    expect(r['in-jail-write']).toEqual({ stdout: 'vfs.devfs.rule_depth: 1\n', stderr: 'sysctl: vfs.devfs.rule_depth=2: Operation not permitted\n', code: 1 });
    expect(r['bad-value']).toEqual({ stdout: '', stderr: "sysctl: invalid unsigned integer 'deep'\n", code: 1 });
    expect(r['deeper']).toEqual({ stdout: 'vfs.devfs.rule_depth: 1 -> 2\n', stderr: '', code: 0 });
    // with depth 2 ruleset 4's includes run inside 25 too: hide_all hides console again
    expect(r['seed-25-deeper']).toEqual({ stdout: 'io kmem mem null pci random urandom vmm zero\n', stderr: '', code: 0 });
    expect(r['reboot']).toEqual({ stdout: '1\n', stderr: '', code: 0 });
  });
});

// devfs -m ROOT/dev rule -s N applyset on a running jail's devfs (sbin/devfs/rule.c rule_applyset,
// sys/fs/devfs/devfs_rule.c DEVFSIO_SAPPLY; docs/freebsd/devfs.md): the ruleset's rules run over
// the mount's current nodes, so a node appears when a rule unhides it, disappears when one hides
// it, and keeps its state when no rule matches it. The rulesets here include no ruleset that
// includes another, so vfs.devfs.rule_depth plays no part.
describe('devfs applyset on a running jail (r15 profile)', () => {
  const root = '/var/tmp/a1root';
  const devOf = `jexec a1 ls /dev | paste -sd ' ' -`;
  const r = scenarioBox('r15', [
    BOOT,
    step('kld', 'kldload vmm'),
    step('rules', 'devfs rule -s 30 add include 1 && devfs rule -s 30 add include 2 && devfs rule -s 30 add path vmm unhide && devfs rule -s 40 add path zero unhide && devfs rule -s 41 add path vmmctl hide'),
    step('start', `cat >/etc/jail.conf <<'X'
a1 {
  path = ${root};
  mount.devfs;
  devfs_ruleset = 30;
  allow.vmm;
}
X
mkdir -p ${root} && jail -c a1 && ${devOf}`),
    step('rule-added', `devfs rule -s 30 add path vmmctl unhide && ${devOf}`),
    step('applyset', `devfs -m ${root}/dev rule -s 30 applyset && ${devOf} && jexec a1 bhyveload -m 256M g1 && ls /var/sim/run/vmm`),
    step('lacks-rule', `devfs -m ${root}/dev/ rule -s 40 applyset && ${devOf}`),
    step('hides', `devfs -m ${root}/dev rule -s 41 applyset && ${devOf}`),
    step('own-ruleset', `devfs -m ${root}/dev rule applyset && ${devOf} && jls -j a1 devfs_ruleset`),
    step('no-ruleset', `devfs -m ${root}/dev rule -s 99 applyset`),
    step('no-mount', 'devfs -m /nonexistent/dev rule -s 30 applyset'),
    step('not-devfs', 'devfs -m /var/tmp rule -s 30 applyset'),
    step('in-jail', 'jexec a1 devfs rule -s 30 applyset'),
    step('extra-arg', `devfs -m ${root}/dev rule -s 30 applyset now`),
  ], 120_000);

  it('a rule added to the jail\'s loaded ruleset shows in the jail only once the ruleset is applied to its /dev', () => {
    expect(r['start']).toEqual({ stdout: 'a1: created\nnull random urandom vmm zero\n', stderr: '', code: 0 });
    expect(r['rule-added']).toEqual({ stdout: 'null random urandom vmm zero\n', stderr: '', code: 0 });
    expect(r['applyset']).toEqual({ stdout: 'null random urandom vmm vmmctl zero\ng1\n', stderr: '', code: 0 });
  });

  it('a ruleset that lacks a rule for a node leaves it as it is; one that hides it removes it; ruleset 0 is the mount\'s own', () => {
    expect(r['lacks-rule']).toEqual({ stdout: 'null random urandom vmm vmmctl zero\n', stderr: '', code: 0 });
    expect(r['hides']).toEqual({ stdout: 'null random urandom vmm zero\n', stderr: '', code: 0 });
    expect(r['own-ruleset']).toEqual({ stdout: 'null random urandom vmm vmmctl zero\n30\n', stderr: '', code: 0 });
  });

  it('fails as devfs(8) does: no such ruleset, no such mount point, not a devfs, inside a jail, extra arguments', () => {
    expect(r['no-ruleset']).toEqual({ stdout: '', stderr: 'devfs rule: ioctl DEVFSIO_SAPPLY: No such process\n', code: 1 });
    expect(r['no-mount']).toEqual({ stdout: '', stderr: 'devfs: open: /nonexistent/dev: No such file or directory\n', code: 1 });
    expect(r['not-devfs']).toEqual({ stdout: '', stderr: 'devfs rule: ioctl DEVFSIO_SAPPLY: Inappropriate ioctl for device\n', code: 1 });
    expect(r['in-jail']).toEqual({ stdout: '', stderr: 'devfs rule: ioctl DEVFSIO_SAPPLY: Operation not permitted\n', code: 1 });
    expect(r['extra-arg']).toEqual({ stdout: '', stderr: 'usage: devfs rule|ruleset arguments\n', code: 1 });
  });
});
