// The generic modules on the simulated FreeBSD fleet over the real SSH transport: sysrc, service
// and pkg use FreeBSD's tools (the simulator's fakes of them), reboot waits for a new
// kern.boottime, and the file modules run three ways over SFTP/SSH too.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import blockinfile from '../../modules/blockinfile.js';
import command from '../../modules/command.js';
import copy from '../../modules/copy.js';
import fetch from '../../modules/fetch.js';
import file from '../../modules/file.js';
import lineinfile from '../../modules/lineinfile.js';
import ping from '../../modules/ping.js';
import pkg from '../../modules/pkg.js';
import reboot from '../../modules/reboot.js';
import service from '../../modules/service.js';
import sysrc from '../../modules/sysrc.js';
import template from '../../modules/template.js';
import wait_for_connection from '../../modules/wait_for_connection.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { waitFor } from '../helpers/wait-for.js';
import { FleetSessions, hostDigest, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
const hosts = { applied: 'sim01', fresh: 'sim02' };

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
}, 180_000);
afterAll(async () => {
  // A running jail's mounts would outlive the fleet's namespaces: remove it whatever happened.
  for (const host of fleet?.hosts ?? []) await fleet.ssh(host, 'jls -j pj >/dev/null 2>&1 && jail -r pj');
  await sessions?.close();
  await fleet?.down();
});

const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;

describe('sysrc on the fleet', () => {
  it('three ways: sets a value in rc.conf; sysrc is not run when the value is already there', async () => {
    const { first, second } = await threeWayOverSsh(sessions, fleet, sysrc, { name: 'vm_enable', value: 'YES' }, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['sysrc -f /etc/rc.conf vm_enable=YES']);
    expect(second.msg).toBe('vm_enable is "YES" in /etc/rc.conf');
    expect(await sh('sim01', 'sysrc -n vm_enable')).toBe('YES\n');
    expect(await sh('sim02', 'sysrc -n vm_enable 2>&1; echo rc=$?')).toMatch(/unknown variable 'vm_enable'\nrc=1/);
  });

  it('three ways: adds to a list with += (kld_list)', async () => {
    await fleet.ssh('sim01', 'sysrc kld_list="vmm"');
    await fleet.ssh('sim02', 'sysrc kld_list="vmm"');
    const { first } = await threeWayOverSsh(sessions, fleet, sysrc, { name: 'kld_list', value: 'nmdm', state: 'value_present' }, hosts);
    expect(first.diffs[0]).toEqual({ header: '/etc/rc.conf kld_list', before: 'kld_list="vmm"\n', after: 'kld_list="vmm nmdm"\n' });
    expect(await sh('sim01', 'sysrc -n kld_list')).toBe('vmm nmdm\n');
  });

  it('three ways: removes from a list with -=', async () => {
    await threeWayOverSsh(sessions, fleet, sysrc, { name: 'kld_list', value: 'vmm', state: 'value_absent' }, hosts);
    expect(await sh('sim01', 'sysrc -n kld_list')).toBe('nmdm\n');
  });

  it('three ways: a -f file such as /boot/loader.conf, then absent', async () => {
    await threeWayOverSsh(sessions, fleet, sysrc, { name: 'vmm_load', value: 'YES', path: '/boot/loader.conf' }, hosts);
    expect(await sh('sim01', 'grep vmm_load /boot/loader.conf')).toBe('vmm_load="YES"\n');
    await fleet.ssh('sim02', 'sysrc -f /boot/loader.conf vmm_load=YES');
    await threeWayOverSsh(sessions, fleet, sysrc, { name: 'vmm_load', state: 'absent', path: '/boot/loader.conf' }, hosts);
    expect(await sh('sim01', 'grep -c vmm_load /boot/loader.conf')).toBe('0\n');
  });
});

describe('service on the fleet', () => {
  it('three ways: started and enabled', async () => {
    const { first, second } = await threeWayOverSsh(sessions, fleet, service, { name: 'ntpd', state: 'started', enabled: true }, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['sysrc ntpd_enable=YES', 'service ntpd onestart']);
    expect(second.msg).toBe('ntpd_enable is YES; ntpd is running');
    expect(await sh('sim01', 'service ntpd status')).toMatch(/^ntpd is running as pid \d+\.$/m);
  });

  it('three ways: stopped', async () => {
    await fleet.ssh('sim02', 'service ntpd onestart');
    await threeWayOverSsh(sessions, fleet, service, { name: 'ntpd', state: 'stopped' }, hosts);
    expect(await sh('sim01', 'service ntpd onestatus; echo rc=$?')).toMatch(/ntpd is not running\.\nrc=1/);
  });

  it('three ways: args (arguments) are service(8) options before the name, in onestatus too', async () => {
    await fleet.ssh('sim02', 'service ntpd onestop');
    const { first, second } = await threeWayOverSsh(sessions, fleet, service, { name: 'ntpd', state: 'started', args: '-v' }, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['service -v ntpd onestart']);
    expect(second.msg).toBe('ntpd is running');
    expect(await sh('sim01', 'service -v ntpd onestatus')).toBe('ntpd is located in /etc/rc.d\nntpd is running as pid ' + (await sh('sim01', 'cat /var/sim/run/svc/ntpd.pid')).trim() + '.\n');
    await fleet.ssh('sim01', 'service ntpd onestop');
  });

  it('a service without an rc.d script fails with service(8)\'s words', async () => {
    const outcome = await sessions.run(service, 'sim01', { name: 'nosuchd', state: 'started' });
    expect(outcome.status).toBe('failed');
    expect(outcome.msg).toMatch(/nosuchd does not exist in \/etc\/rc\.d or the local startup/);
  });
});

describe('pkg on the fleet', () => {
  it('three ways: installs two packages with one pkg install, bootstrapping pkg', async () => {
    const { first, second } = await threeWayOverSsh(sessions, fleet, pkg, { name: ['tmux', 'nano'] }, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['env ASSUME_ALWAYS_YES=yes pkg update', 'env ASSUME_ALWAYS_YES=yes pkg install -y tmux nano']);
    expect(second.msg).toBe('tmux, nano are installed');
    expect(second.values).toMatchObject({ msg: 'package(s) already present' });
    expect(await sh('sim01', 'pkg info -e tmux && pkg info -e nano && echo both')).toBe('both\n');
  });

  it('three ways: removes a package', async () => {
    await fleet.ssh('sim02', 'ASSUME_ALWAYS_YES=yes pkg install -y nano');
    await threeWayOverSsh(sessions, fleet, pkg, { name: 'nano', state: 'absent' }, hosts);
    expect(await sh('sim01', 'pkg info -e nano; echo rc=$?')).toBe('rc=1\n');
  });

  it('an unknown package fails with pkg\'s message', async () => {
    const outcome = await sessions.run(pkg, 'sim01', { name: 'no-such-package' });
    expect(outcome.status).toBe('failed');
    expect(outcome.msg).toMatch(/No packages available to install matching 'no-such-package'/);
  });
});

describe('pkg inside a jail (the task keyword jail:)', () => {
  it('three ways: installs into the jail\'s own package db, bootstrapping its pkg', async () => {
    const makeJail = "mkdir -p /usr/local/jails/pj && printf 'pj {\\n  path = \"/usr/local/jails/pj\";\\n  mount.devfs;\\n  persist;\\n}\\n' > /etc/jail.conf && jail -c pj";
    for (const host of ['sim01', 'sim02']) {
      const made = await fleet.ssh(host, makeJail);
      expect(made.exitCode, `${host}: ${made.stdout}${made.stderr}`).toBe(0);
    }
    const { first } = await threeWayOverSsh(sessions, fleet, pkg, { name: 'grub2-bhyve' }, { ...hosts, jail: 'pj' });
    expect(first.results.map((r) => r.command)).toEqual(['jexec pj env ASSUME_ALWAYS_YES=yes pkg update', 'jexec pj env ASSUME_ALWAYS_YES=yes pkg install -y grub2-bhyve']);
    expect(await sh('sim01', 'jexec pj pkg info -e grub2-bhyve && echo in-jail; pkg info -e grub2-bhyve || echo not-on-host')).toBe('in-jail\nnot-on-host\n');
  });
});

describe('file modules over SSH', () => {
  it('three ways: command with creates, copy, lineinfile, blockinfile, file', async () => {
    await threeWayOverSsh(sessions, fleet, file, { path: '/usr/local/etc/beastie', state: 'directory', mode: '0750' }, hosts);
    await fleet.ssh('sim02', 'mkdir -p /usr/local/etc/beastie');
    await threeWayOverSsh(sessions, fleet, copy, { dest: '/usr/local/etc/beastie/a.conf', content: 'a=1\n', mode: '0640', owner: 'root' }, hosts);
    await fleet.ssh('sim02', "printf 'a=1\\n' > /usr/local/etc/beastie/a.conf");
    await threeWayOverSsh(sessions, fleet, lineinfile, { path: '/usr/local/etc/beastie/a.conf', regexp: '^a=', line: 'a=2' }, hosts);
    await threeWayOverSsh(sessions, fleet, blockinfile, { path: '/usr/local/etc/beastie/a.conf', block: 'b=3' }, hosts);
    await threeWayOverSsh(sessions, fleet, command, { cmd: 'touch /usr/local/etc/beastie/done', creates: '/usr/local/etc/beastie/done' }, hosts);
    expect(await sh('sim01', 'cat /usr/local/etc/beastie/a.conf; stat -c %a /usr/local/etc/beastie/a.conf')).toBe(
      'a=2\n# BEGIN ANSIBLE MANAGED BLOCK\nb=3\n# END ANSIBLE MANAGED BLOCK\n640\n',
    );
  });
});

describe('template and fetch over SSH', () => {
  it('template three ways; fetch brings the rendered file back byte for byte, then is not changed', async () => {
    const local = await mkdtemp(join(tmpdir(), 'beastie-ssh-tpl-'));
    try {
      await writeFile(join(local, 'guest.conf.hbs'), 'loader="{{ loader }}"\ncpu={{ cpus }}\n');
      const vars = { playbook_dir: local, loader: 'bhyveload', cpus: 2 };
      const params = { src: 'guest.conf.hbs', dest: '/usr/local/etc/guest.conf', mode: '0644' };
      const first = await sessions.run(template, 'sim01', params, { vars });
      expect(first.status, first.msg).toBe('changed');
      const digest = hostDigest(fleet, 'sim02');
      expect((await sessions.run(template, 'sim02', params, { vars, check: true })).status).toBe('changed');
      expect(hostDigest(fleet, 'sim02')).toBe(digest);
      expect((await sessions.run(template, 'sim01', params, { vars })).status).toBe('ok');

      const fetchParams = { src: '/usr/local/etc/guest.conf', dest: join(local, 'backups') };
      expect((await sessions.run(fetch, 'sim01', fetchParams)).status).toBe('changed');
      expect(await readFile(join(local, 'backups', 'sim01', 'usr/local/etc/guest.conf'), 'utf8')).toBe('loader="bhyveload"\ncpu=2\n');
      expect((await sessions.run(fetch, 'sim01', fetchParams)).status).toBe('ok');
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });
});

describe('reboot and waiting for the host over SSH', () => {
  it('ping answers pong', async () => {
    expect(await sessions.run(ping, 'sim01', {})).toMatchObject({ status: 'ok', values: { ping: 'pong' } });
  });

  it('reboot: --check reboots nothing; apply waits for a new kern.boottime, and again', async () => {
    const boottime = async (host: string) => sh(host, 'sysctl -n kern.boottime');
    const fresh = await boottime('sim02');
    const digest = hostDigest(fleet, 'sim02');
    const check = await sessions.run(reboot, 'sim02', {}, { check: true });
    expect(check.status).toBe('changed');
    expect(await boottime('sim02')).toBe(fresh);
    expect(hostDigest(fleet, 'sim02')).toBe(digest);

    for (const round of [1, 2]) {
      const before = await boottime('sim01');
      const started = Date.now();
      const outcome = await sessions.run(reboot, 'sim01', { reboot_timeout: 120 });
      expect(outcome.status, `round ${round}: ${outcome.msg}`).toBe('changed');
      expect(outcome.values).toMatchObject({ rebooted: true });
      expect(await boottime('sim01')).not.toBe(before);
      console.log(`reboot round ${round}: ${Date.now() - started} ms`);
    }
    expect(await sessions.run(wait_for_connection, 'sim01', { timeout: 30 })).toMatchObject({ status: 'ok' });
  }, 300_000);

  it('wait_for_connection rides out a reboot started elsewhere', async () => {
    const before = await sh('sim02', 'sysctl -n kern.boottime');
    // Warm the connection, then reboot behind its back: the next probes meet a closed connection and a refused port.
    expect((await sessions.run(ping, 'sim02', {})).status).toBe('ok');
    await fleet.ssh('sim02', 'shutdown -r now');
    // shutdown returns before the host goes down (init does it): start waiting once the reboot has
    // begun, seen as SSH failing or a new boot time, so a loaded machine cannot make the module
    // meet the host still up, before the reboot.
    await waitFor('sim02 to begin its reboot', async () => {
      const probe = await fleet.ssh('sim02', 'sysctl -n kern.boottime', 10_000);
      return probe.exitCode !== 0 || probe.stdout !== before;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    const outcome = await sessions.run(wait_for_connection, 'sim02', { sleep: 1, timeout: 60 });
    expect(outcome.status, outcome.msg).toBe('ok');
    expect(await sh('sim02', 'sysctl -n kern.boottime')).not.toBe(before);
  }, 120_000);
});
