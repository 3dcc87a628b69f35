// bastille fake in its two versions: 0.7.20200714 (seed) and 1.4.4 (current), against
// docs/freebsd/bastille.md and the BastilleBSD sources at those tags.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT, editJailConf, RULESET_25 } from './seed-steps.js';

const G = '\u001b[0;32m';
const R = '\u001b[0;31m';
const X = '\u001b[0;0m';

describe('bastille 0.7 (seed profile)', () => {
  const r = scenarioBox('seed', [
    BOOT,
    RULESET_25,
    step('version', 'bastille version'),
    step('create-early', 'bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0'),
    step('bootstrap', 'bastille bootstrap 12.2-RELEASE'),
    step('bootstrap-again', 'bastille bootstrap 12.2-RELEASE'),
    step('list-release', 'bastille list release'),
    step('create', 'bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0'),
    step('create-again', 'bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0'),
    step('conf', 'cat /usr/local/bastille/jails/test-bhyve/jail.conf'),
    step('fstab', 'cat /usr/local/bastille/jails/test-bhyve/fstab'),
    step('jails-after-create', 'jls name'),
    editJailConf('test-bhyve', 2),
    step('start-novmm', 'bastille start test-bhyve'),
    step('kld', 'kldload vmm nmdm'),
    step('start', 'bastille start test-bhyve'),
    step('start-again', 'bastille start test-bhyve'),
    step('list', 'bastille list'),
    step('list-jails', 'bastille list jails'),
    step('cmd', 'bastille cmd test-bhyve ifconfig -l'),
    step('sysrc', 'bastille sysrc test-bhyve vm_enable=YES'),
    step('destroy-running', 'bastille destroy test-bhyve'),
    step('stop', 'bastille stop test-bhyve'),
    step('stop-again', 'bastille stop test-bhyve'),
    // 0.7's upgrade.sh upgrades a release (RELEASE NEWRELEASE), not a jail: the 1.x forms fail
    step('upgrade-1x', 'bastille upgrade -a test-bhyve 13.5-RELEASE'),
    step('upgrade-jail', 'bastille upgrade test-bhyve 13.5-RELEASE'),
    step('upgrade-release', 'bastille upgrade 12.2-RELEASE 13.5-RELEASE'),
    step('destroy', 'bastille destroy test-bhyve'),
    step('gone', 'ls /usr/local/bastille/jails'),
  ], 120_000);

  it('prints its version in colour, as 0.7 always does', () => {
    expect(r['version']?.stdout).toBe(`${G}0.7.20200714${X}\n`);
  });

  it('needs a bootstrapped release, then bootstraps once', () => {
    expect(r['create-early']?.stderr).toBe(`${R}Release must be bootstrapped first; see 'bastille bootstrap'.${X}\n`);
    expect(r['create-early']?.code).toBe(1);
    expect(r['bootstrap']?.code).toBe(0);
    expect(r['bootstrap']?.stdout).toContain(`${G}Bootstrap successful.${X}\n`);
    expect(r['bootstrap-again']).toMatchObject({ stdout: `${R}Bootstrap appears complete.${X}\n`, code: 1 });
    expect(r['list-release']?.stdout).toBe('12.2-RELEASE\n');
  });

  it('accepts the seed’s VNET name test-bhyve, writes the seed’s jail.conf layout and does not start it', () => {
    expect(r['create']?.code).toBe(0);
    expect(r['create']?.stdout).toContain(`${G}Valid: (em0).${X}\n`);
    expect(r['conf']?.stdout).toBe(`test-bhyve {
  devfs_ruleset = 13;
  enforce_statfs = 2;
  exec.clean;
  exec.consolelog = /var/log/bastille/test-bhyve_console.log;
  exec.start = '/bin/sh /etc/rc';
  exec.stop = '/bin/sh /etc/rc.shutdown';
  host.hostname = test-bhyve;
  mount.devfs;
  mount.fstab = /usr/local/bastille/jails/test-bhyve/fstab;
  path = /usr/local/bastille/jails/test-bhyve/root;
  securelevel = 2;

  vnet;
  vnet.interface = e0b_bastille0;
  exec.prestart += "jib addm bastille0 em0";
  exec.poststop += "jib destroy bastille0";
}
`);
    expect(r['fstab']?.stdout).toBe(
      '/usr/local/bastille/releases/12.2-RELEASE /usr/local/bastille/jails/test-bhyve/root/.bastille nullfs ro 0 0\n',
    );
    expect(r['jails-after-create']?.stdout).toBe('');
  });

  it('refuses a second create', () => {
    expect(r['create-again']).toMatchObject({
      stderr: `${R}Jail: test-bhyve already created. test-bhyve/root/.bastille exists.${X}\n`,
      code: 1,
    });
  });

  it('start exits 0 even when jail(8) fails on allow.vmm without vmm.ko', () => {
    expect(r['start-novmm']).toEqual({
      stdout: `${G}[test-bhyve]:${X}\n\n`,
      stderr: 'jail: test-bhyve: unknown parameter: allow.vmm\n',
      code: 0,
    });
  });

  it('starts once, then says "Already started."', () => {
    expect(r['start']).toEqual({ stdout: `${G}[test-bhyve]:${X}\ntest-bhyve: created\n\n`, stderr: '', code: 0 });
    expect(r['start-again']).toEqual({ stdout: `${R}[test-bhyve]: Already started.${X}\n\n`, stderr: '', code: 0 });
  });

  it('lists with jls -N and list jails; the VNET jail sees lo0 and vnet0', () => {
    expect(r['list']?.stdout).toBe(
      ' JID             IP Address      Hostname                      Path\n' +
        ' test-bhyve                      test-bhyve                    /usr/local/bastille/jails/test-bhyve/root\n',
    );
    expect(r['list-jails']?.stdout).toBe('test-bhyve\n');
    expect(r['cmd']?.stdout).toBe(`${G}[test-bhyve]:${X}\nlo0 vnet0\n\n`);
    expect(r['sysrc']?.stdout).toBe(`${G}[test-bhyve]:${X}\nvm_enable:  -> YES\n\n`);
  });

  it('upgrades releases, not jails, as 0.7 does: the 1.x forms fail', () => {
    expect(r['upgrade-1x']).toEqual({ stdout: `${R}Usage: bastille upgrade release newrelease.${X}\n`, stderr: '', code: 1 });
    expect(r['upgrade-jail']).toEqual({ stdout: `${R}test-bhyve not found. See bootstrap.${X}\n`, stderr: '', code: 1 });
    // the release's upgrade is freebsd-update -b RELEASES/12.2-RELEASE -r 13.5-RELEASE upgrade with no
    // --currently-running: the source is the host's 12.2 here, and it only stages (install is the user's)
    expect(r['upgrade-release']).toMatchObject({ stderr: '', code: 0 });
    expect(r['upgrade-release']?.stdout).toContain('Fetching metadata signature for 13.5-RELEASE from update2.freebsd.org... done.\n');
    expect(r['upgrade-release']?.stdout).toContain('/bin/freebsd-version\n');
    expect(r['upgrade-release']?.stdout?.endsWith('To install the downloaded upgrades, run "/usr/sbin/freebsd-update install".\n')).toBe(true);
  });

  it('stops, refuses to destroy a running jail, destroys a stopped one', () => {
    expect(r['destroy-running']).toMatchObject({ stdout: `${R}Jail running.${X}\n${R}See 'bastille stop test-bhyve'.${X}\n`, code: 1 });
    expect(r['stop']?.stdout).toBe(`${G}[test-bhyve]:${X}\ntest-bhyve: removed\n\n`);
    expect(r['stop-again']?.stdout).toBe(`${R}[test-bhyve]: Not started.${X}\n\n`);
    expect(r['destroy']?.code).toBe(0);
    expect(r['destroy']?.stdout).toMatch(
      /^\u001b\[0;32mDeleting Jail: test-bhyve\.\u001b\[0;0m\n\u001b\[0;32mNote: jail console logs archived\.\u001b\[0;0m\n\u001b\[0;32m\/var\/log\/bastille\/test-bhyve_console\.log-\d{4}-\d\d-\d\d\u001b\[0;0m\n\n$/,
    );
    expect(r['gone']?.stdout).toBe('');
  });
});

describe('bastille 1.4.4 (current profile)', () => {
  const r = scenarioBox('current', [
    BOOT,
    RULESET_25,
    step('version', 'bastille version'),
    step('bootstrap', 'bastille bootstrap 14.3-RELEASE'),
    step('bootstrap-again', 'bastille bootstrap 14.3-RELEASE'),
    step('create-dash', 'bastille create --vnet test-bhyve 14.3-RELEASE 192.168.1.50 em0'),
    step('create-digits', 'bastille create 1234 14.3-RELEASE 192.168.1.51'),
    step('create-dash-start', 'bastille create _x 14.3-RELEASE 192.168.1.51'),
    step('create-special', 'bastille create "a.b" 14.3-RELEASE 192.168.1.51'),
    step('create-norelease', 'bastille create web 13.2-RELEASE 192.168.1.51'),
    step('create-badrelease', 'bastille create web foo 192.168.1.51 | head -n 3'),
    step('create-badip', 'bastille create web 14.3-RELEASE 192.168.1.300'),
    step('create-badsubnet', 'bastille create --vnet web 14.3-RELEASE 192.168.1.5/40 em0'),
    step('create-dhcp-std', 'bastille create web 14.3-RELEASE DHCP'),
    step('create-noiface', 'bastille create --vnet web 14.3-RELEASE 192.168.1.5'),
    step('create-iface', 'bastille create --vnet bhyve 14.3-RELEASE 192.168.1.50 em9'),
    step('create', 'bastille create --vnet bhyve 14.3-RELEASE 192.168.1.50 em0'),
    step('create-again', 'bastille create --vnet bhyve 14.3-RELEASE 192.168.1.50 em0'),
    step('conf', 'cat /usr/local/bastille/jails/bhyve/jail.conf'),
    step('settings', 'cat /usr/local/bastille/jails/bhyve/settings.conf'),
    step('running', 'jls name'),
    step('start-again', 'bastille start bhyve'),
    step('set', 'bastille config bhyve set allow.vmm'),
    step('set-again', 'bastille config bhyve set allow.vmm'),
    step('set-level', 'bastille config bhyve set securelevel -1'),
    step('get', 'bastille config bhyve get securelevel; bastille config bhyve get allow.vmm; bastille config bhyve get ip4.addr'),
    step('unsupported', 'bastille config bhyve set foo.bar 1'),
    step('count', 'grep -c "allow.vmm;" /usr/local/bastille/jails/bhyve/jail.conf'),
    step('restart-novmm', 'bastille restart bhyve'),
    step('list-jails', 'bastille list jails'),
    step('list-a', 'bastille list -a'),
    step('cmd-stopped', 'bastille cmd bhyve hostname'),
    step('notfound', 'bastille start nosuch'),
    // set_target_single (upgrade): error_exit, so a blank line follows; a number is a JID
    step('notfound-single', 'bastille upgrade nosuch 14.3-RELEASE'),
    step('notfound-jid', 'bastille destroy -y 999'),
    step('all-single', 'bastille upgrade ALL 14.3-RELEASE'),
    step('kld', 'kldload vmm'),
    step('start-vmm', 'bastille start bhyve >/dev/null 2>&1; jls name'),
    step('create-bridge', 'bastille create --vnet web 14.3-RELEASE 192.168.1.5 em0bridge'),
    step('cmd-fails', 'bastille cmd bhyve false'),
    step('destroy-running', 'bastille destroy bhyve'),
    step('remove', 'bastille config bhyve remove allow.vmm; grep -c allow.vmm /usr/local/bastille/jails/bhyve/jail.conf'),
    step('remove-again', 'bastille config bhyve remove allow.vmm'),
    step('stop', 'bastille stop bhyve'),
    step('stop-again', 'bastille stop bhyve'),
    step('standard', 'bastille create web 14.3-RELEASE 10.1.1.5 em0 >/dev/null 2>&1; sed -n "/osrelease/,/}/p" /usr/local/bastille/jails/web/jail.conf; jls -j web ip4.addr'),
    step('list', 'bastille stop web >/dev/null 2>&1; bastille start bhyve >/dev/null 2>&1; bastille list; bastille list all'),
  ], 120_000);

  it('prints 1.4.4 and speaks without colour when stdout is not a tty', () => {
    expect(r['version']?.stdout).toBe('1.4.4\n');
    expect(r['bootstrap']?.stderr).not.toContain('\u001b[');
    expect(r['bootstrap']?.stderr).toMatch(/^\nBootstrapping FreeBSD release: 14\.3-RELEASE\n[\s\S]*\nBootstrap successful!\nSee 'bastille --help' for available commands\.\n\n$/);
    expect(r['bootstrap-again']).toEqual({
      stdout: '',
      stderr: '\nBootstrapping FreeBSD release: 14.3-RELEASE\n\nBootstrap appears complete!\n\n',
      code: 0,
    });
  });

  it('rejects the seed’s VNET name and the other invalid names with the real messages', () => {
    // create.sh prints its banner first, then error_exit's message on stderr and a blank stdout line
    const refused = (name: string, jail: string, message: string) =>
      expect(r[name]).toEqual({ stdout: '\n', stderr: `\nCreating jail: ${jail}...\n${message}`, code: 1 });
    refused('create-dash', 'test-bhyve', '[ERROR]: VNET jail names may not contain (-|_) characters.\n');
    refused('create-dash-start', '_x', '[ERROR]: Jail names may not begin with (-|_) characters!\n');
    refused('create-special', 'a.b', '[ERROR]: Jail names may not contain special characters!\n');
    refused('create-norelease', 'web', "[ERROR]: Release must be bootstrapped first.\nSee 'bastille bootstrap'.\n");
    refused('create-badip', 'web', '[ERROR]: Invalid IP: 192.168.1.300\n');
    refused('create-badsubnet', 'web', '[ERROR]: Invalid subnet: /40\n');
    refused('create-dhcp-std', 'web', '\nValid IP: DHCP\n[ERROR]: Unsupported IP option for non-VNET jail: DHCP\n');
    refused('create-noiface', 'web', '\nValid IP: 192.168.1.5/24\n[ERROR]: Network interface not set.\n');
    expect(r['create-badrelease']).toMatchObject({
      stdout: '\n    Options:\n\n',
      stderr: '\nCreating jail: web...\nUnknown release: foo\nUsage: bastille create [option(s)] NAME RELEASE IP [INTERFACE]\n',
    });
    refused('create-digits', '1234', '[ERROR]: Jail names may not contain only digits.\n');
    expect(r['create-iface']?.stderr).toContain('[ERROR]: Invalid interface: em9\n');
    expect(r['create-iface']?.code).toBe(1);
  });

  it('creates, starts and restarts the jail, and refuses a second create', () => {
    expect(r['create']?.code).toBe(0);
    expect(r['create']?.stderr).toContain('\nCreating jail: bhyve...\n');
    expect(r['create']?.stdout).toContain('bhyve: removed\nbhyve: created\n');
    expect(r['running']?.stdout).toBe('bhyve\n');
    expect(r['create-again']).toEqual({ stdout: '\n', stderr: '\nCreating jail: bhyve...\n[ERROR]: Jail already exists: bhyve\n', code: 1 });
    expect(r['settings']?.stdout).toBe('boot="on"\ndepend=""\npriority="99"\n');
  });

  it('writes the 14.x jail.conf layout (docs/freebsd/bastille.md)', () => {
    expect(r['conf']?.stdout).toMatch(/^bhyve \{\n {2}enforce_statfs = 2;\n {2}devfs_ruleset = 13;\n/);
    expect(r['conf']?.stdout).toContain('  osrelease = "14.3-RELEASE";\n\n  vnet;\n  vnet.interface = e0b_bhyve;\n');
    expect(r['conf']?.stdout).toContain('  exec.prestart += "jib addm bhyve em0";\n');
    expect(r['conf']?.stdout).toContain('  exec.poststop += "ifconfig e0a_bhyve destroy";\n}\n');
  });

  it('says "Jail is already running." on stderr and exits 0', () => {
    expect(r['start-again']).toEqual({ stdout: '', stderr: '\n[bhyve]:\nJail is already running.\n', code: 0 });
  });

  it('config set is idempotent, config get reads jail -e', () => {
    const restart = "A restart is required for the changes to be applied. See 'bastille restart'.\n";
    expect(r['set']).toEqual({ stdout: '', stderr: restart, code: 0 });
    expect(r['set-again']?.code).toBe(0);
    expect(r['count']?.stdout).toBe('1\n');
    expect(r['get']?.stdout).toBe('-1\nenabled\nnot set\n');
    expect(r['unsupported']).toEqual({ stdout: '\n', stderr: '[ERROR]: Unsupported property: foo.bar\n', code: 1 });
  });

  it('restart exits 0 while the start fails on allow.vmm (vmm.ko not loaded)', () => {
    expect(r['restart-novmm']?.code).toBe(0);
    expect(r['restart-novmm']?.stderr).toContain('jail: bhyve: unknown parameter: allow.vmm\n');
    expect(r['list-jails']?.stdout).toBe('bhyve\n');
    expect(r['cmd-stopped']).toEqual({
      stdout: '',
      stderr: '\n[bhyve]:\nJail is not running.\nUse [-a|--auto] to auto-start the jail.\n',
      code: 0,
    });
  });

  it('rejects list -a and unknown targets', () => {
    expect(r['list-a']).toEqual({ stdout: '\n', stderr: '[ERROR]: "-a" is deprecated. Use "all" instead.\n', code: 1 });
    // common.sh 1.4.4 set_target: error_continue in its loop (the message only), then exit 1
    // ("[ERROR]: Jail not found: NAME" came after the tag, commit db211deb)
    expect(r['notfound']).toEqual({ stdout: '', stderr: 'Jail not found "nosuch"\n', code: 1 });
    expect(r['notfound-single']).toEqual({ stdout: '\n', stderr: 'Jail not found "nosuch"\n', code: 1 });
    expect(r['notfound-jid']).toEqual({ stdout: '', stderr: 'Error: JID "999" not found. Is jail running?\n', code: 1 });
    expect(r['all-single']).toEqual({ stdout: '\n', stderr: '[all|ALL] not supported with this command.\n', code: 1 });
  });

  it('refuses a bridge for --vnet, reports failed commands, refuses to destroy a running jail', () => {
    expect(r['start-vmm']?.stdout).toBe('bhyve\n');
    expect(r['create-bridge']).toEqual({ stdout: '\n', stderr: '\nCreating jail: web...\n[ERROR]: Interface is a bridge: em0bridge\n', code: 1 });
    expect(r['cmd-fails']).toEqual({ stdout: '\n', stderr: '\n[bhyve]:\n[ERROR]: Command failed on 1 jails.\n', code: 1 });
    // destroy.sh's error_continue: its `continue` ends the caller's loop over the jails (FreeBSD
    // sh keeps the loop nesting across a function call), so the refusal exits 0
    expect(r['destroy-running']).toEqual({
      stdout: '',
      stderr: '\n[bhyve]:\nJail is running.\nUse [-a|--auto] to auto-stop the jail.\n',
      code: 0,
    });
  });

  it('config remove deletes every matching line once, then says the value is not present', () => {
    expect(r['remove']).toMatchObject({ stdout: '0\n', stderr: '\n[bhyve]:\nProperty removed: allow.vmm\n' });
    expect(r['remove-again']).toEqual({ stdout: '\n', stderr: '[ERROR]: Value not present in jail.conf: allow.vmm\n', code: 1 });
  });

  it('stops once, then says "Jail is already stopped." with rc 0', () => {
    expect(r['stop']).toEqual({ stdout: 'bhyve: removed\n', stderr: '\n[bhyve]:\n', code: 0 });
    expect(r['stop-again']).toEqual({ stdout: '', stderr: '\n[bhyve]:\nJail is already stopped.\n', code: 0 });
  });

  it('writes a standard jail with ip4.addr = IFACE|IP (generate_jail_conf)', () => {
    expect(r['standard']?.stdout).toBe('  osrelease = "14.3-RELEASE";\n\n  ip4.addr = em0|10.1.1.5;\n  \n  ip6 = disable;\n}\n10.1.1.5\n');
  });

  it('lists jails as list.sh 1.4.4 pads its columns', () => {
    expect(r['list']?.stdout).toMatch(
      new RegExp(
        '^ JID  Name   Boot  Prio  State  Type   IP Address    Published Ports  Release       Tags\n' +
          ' \\d    bhyve  on    99    Up     thin   192\\.168\\.1\\.50  -                14\\.3-RELEASE  -\n' +
          ' -    web    on    99    Down   thin   10\\.1\\.1\\.5      -                14\\.3-RELEASE  -\n' +
          ' JID  Boot  Prio  State  IP Address    Published Ports  Hostname  Release       Path\n' +
          ' \\d    on    99    Up     192\\.168\\.1\\.50  -                bhyve     14\\.3-RELEASE  /usr/local/bastille/jails/bhyve/root\n' +
          ' -    on    99    Down   10\\.1\\.1\\.5      -                web       14\\.3-RELEASE  /usr/local/bastille/jails/web/root\n$',
      ),
    );
  });
});

describe('bastille.conf settings (the seed host on ZFS, as the article edits them)', () => {
  const r = scenarioBox('seedzfs', [
    BOOT,
    step(
      'conf',
      `sed -i 's|^bastille_prefix=.*|bastille_prefix="/usr/local/jails2"|; s|^bastille_zfs_enable=.*|bastille_zfs_enable="YES"|; s|^bastille_zfs_zpool=.*|bastille_zfs_zpool="zroot"|' /usr/local/etc/bastille/bastille.conf`,
    ),
    step('create', 'bastille bootstrap 12.2-RELEASE >/dev/null && bastille create --vnet test-bhyve 12.2-RELEASE 192.168.1.225 em0 >/dev/null; stat -c %a /usr/local/jails2; cat /usr/local/jails2/jails/test-bhyve/fstab; grep path /usr/local/jails2/jails/test-bhyve/jail.conf; zfs get -H -o value mountpoint zroot/bastille/jails/test-bhyve'),
    step('insecure', 'chmod 755 /usr/local/jails2; bastille list jails'),
    step('no-conf', 'rm /usr/local/etc/bastille/bastille.conf; bastille list'),
  ], 120_000);

  it('puts releases and jails under bastille_prefix (the zroot/bastille datasets mount there)', () => {
    expect(r['create']?.stdout).toBe(
      '750\n/usr/local/jails2/releases/12.2-RELEASE /usr/local/jails2/jails/test-bhyve/root/.bastille nullfs ro 0 0\n' +
        '  path = /usr/local/jails2/jails/test-bhyve/root;\n/usr/local/jails2/jails/test-bhyve\n',
    );
  });

  it('refuses an insecure prefix and a missing bastille.conf', () => {
    expect(r['insecure']).toEqual({
      stdout: '\n',
      stderr: `${R}Insecure permissions on /usr/local/jails2${X}\n${R}Try: chmod 0750 /usr/local/jails2${X}\n`,
      code: 1,
    });
    expect(r['no-conf']).toEqual({ stdout: '', stderr: `${R}Missing Configuration${X}\n`, code: 1 });
  });
});

// bastille upgrade of today's Bastille (upgrade.sh, docs/freebsd/bastille.md "Upgrading jails"):
// one thin jail moved from 14.3 to 15.0, in a small box of its own.
describe('bastille upgrade (current profile, Bastille 1.4.4)', () => {
  const r = scenarioBox('current', [
    BOOT,
    step('jail', 'bastille bootstrap 14.3-RELEASE >/dev/null 2>&1 && bastille create bhyve 14.3-RELEASE 10.1.1.5 em0 >/dev/null 2>&1; jls name'),
    step('upgrade-norelease', 'bastille upgrade bhyve 15.0-RELEASE'),
    step('upgrade-running', 'bastille bootstrap 15.0-RELEASE >/dev/null 2>&1; bastille upgrade bhyve 15.0-RELEASE'),
    step('upgrade-badname', 'bastille upgrade bhyve 15.0'),
    step('upgrade-auto', `bastille upgrade -a bhyve 15.0-RELEASE 2>&1 | grep -v '^$'; J=/usr/local/bastille/jails/bhyve; cat $J/fstab; grep osrelease $J/jail.conf; jexec bhyve freebsd-version; jls name`),
    step('upgrade-again', 'bastille upgrade bhyve 15.0-RELEASE'),
  ], 120_000);

  it('refuses a release that is not bootstrapped, a running jail without -a, and a bad release name', () => {
    expect(r['jail']?.stdout).toBe('bhyve\n');
    expect(r['upgrade-norelease']).toEqual({ stdout: '\n', stderr: "[ERROR]: Release not found: 15.0-RELEASE\nSee 'bastille bootstrap'.\n", code: 1 });
    expect(r['upgrade-running']).toEqual({ stdout: '\n', stderr: '\n[bhyve]:\nJail is running.\nUse [-a|--auto] to auto-stop the jail.\n', code: 1 });
    expect(r['upgrade-badname']).toEqual({ stdout: '\n', stderr: '[ERROR]: Invalid release: \n', code: 1 });
  });

  it('with -a stops the thin jail, points its fstab and osrelease at the new release, starts it, and the jail runs that userland', () => {
    expect(r['upgrade-auto']?.stdout).toBe(
      [
        '[bhyve]:', 'bhyve: removed', '[bhyve]:', '[bhyve]:', 'bhyve: created', 'Upgraded bhyve: 14.3-RELEASE -> 15.0-RELEASE',
        "See 'bastille etcupdate TARGET' to update /etc",
        '/usr/local/bastille/releases/15.0-RELEASE /usr/local/bastille/jails/bhyve/root/.bastille nullfs ro 0 0',
        '  osrelease = 15.0-RELEASE;', '15.0-RELEASE', 'bhyve', '',
      ].join('\n'),
    );
    expect(r['upgrade-again']).toEqual({
      stdout: '\n',
      stderr: "\n[bhyve]:\n[ERROR]: Jail is already running release: 15.0-RELEASE\nSee 'bastille update RELEASE' to update the release.\n",
      code: 1,
    });
  });
});
