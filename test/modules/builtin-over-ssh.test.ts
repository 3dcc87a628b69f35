// Ansible's other builtin and posix modules (issue 12) on the simulated FreeBSD fleet over the real
// SSH transport: three ways for those that change the host (apply → changed, --check on a fresh
// host → changed and nothing written, apply again → ok), and their registered results checked
// against the keys Ansible documents in each module's RETURN block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import raw from '../../modules/raw.js';
import replace from '../../modules/replace.js';
import slurp from '../../modules/slurp.js';
import stat from '../../modules/stat.js';
import tempfile from '../../modules/tempfile.js';
import group from '../../modules/group.js';
import user from '../../modules/user.js';
import sysctl from '../../modules/sysctl.js';
import wait_for from '../../modules/wait_for.js';
import cron from '../../modules/cron.js';
import find from '../../modules/find.js';
import get_url from '../../modules/get_url.js';
import getent from '../../modules/getent.js';
import mount from '../../modules/mount.js';
import hostname from '../../modules/hostname.js';
import package_ from '../../modules/package.js';
import package_facts from '../../modules/package_facts.js';
import service_facts from '../../modules/service_facts.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions, hostDigest, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
const hosts = { applied: 'sim01', fresh: 'sim02' };

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
}, 180_000);
afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
});

const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;
const both = async (command: string) => {
  for (const host of ['sim01', 'sim02']) {
    const result = await fleet.ssh(host, command);
    expect(result.exitCode, `${host}: ${result.stderr}`).toBe(0);
  }
};

describe('stat on the fleet', () => {
  it('returns Ansible\'s stat keys for a file, a link and a missing path; never changed, the same in --check', async () => {
    await both("mkdir -p /usr/local/etc/st && printf 'hello\\n' > /usr/local/etc/st/f && chmod 0640 /usr/local/etc/st/f && ln -sf f /usr/local/etc/st/l");
    const file = await sessions.run(stat, 'sim01', { path: '/usr/local/etc/st/f' });
    expect(file.status).toBe('ok');
    expect(file.values['stat']).toMatchObject({
      exists: true, path: '/usr/local/etc/st/f', mode: '0640', isreg: true, isdir: false, islnk: false, uid: 0, gid: 0, pw_name: 'root', gr_name: 'root',
      size: 6, rusr: true, wusr: true, rgrp: true, roth: false, readable: true, writeable: true, executable: false,
      // sha1 of "hello\n", Ansible's default checksum_algorithm.
      checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f', mimetype: 'text/plain', charset: 'us-ascii',
    });
    const ansibleKeys = ['exists', 'path', 'mode', 'isdir', 'ischr', 'isblk', 'isreg', 'isfifo', 'islnk', 'issock', 'uid', 'gid', 'size', 'inode', 'dev', 'nlink', 'atime', 'mtime', 'ctime', 'wusr', 'rusr', 'xusr', 'wgrp', 'rgrp', 'xgrp', 'woth', 'roth', 'xoth', 'isuid', 'isgid', 'blocks', 'block_size', 'device_type', 'readable', 'writeable', 'executable', 'pw_name', 'gr_name', 'checksum', 'mimetype', 'charset', 'attributes'];
    expect(Object.keys(file.values['stat'] as object)).toEqual(expect.arrayContaining(ansibleKeys));
    const link = await sessions.run(stat, 'sim01', { path: '/usr/local/etc/st/l', checksum_algorithm: 'sha256' });
    expect(link.values['stat']).toMatchObject({ islnk: true, lnk_target: 'f', lnk_source: '/usr/local/etc/st/f' });
    expect(link.values['stat']).not.toHaveProperty('checksum');
    const followed = await sessions.run(stat, 'sim01', { path: '/usr/local/etc/st/l', follow: true, checksum_algorithm: 'sha256' });
    expect(followed.values['stat']).toMatchObject({ isreg: true, checksum: '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03' });
    const missing = await sessions.run(stat, 'sim02', { path: '/usr/local/etc/nothing' }, { check: true });
    expect(missing).toMatchObject({ status: 'ok', values: { stat: { exists: false } } });
  });
});

describe('slurp on the fleet', () => {
  it('returns the bytes base64-encoded with encoding and source', async () => {
    await both("printf 'a\\0b\\n' > /usr/local/etc/st/bin");
    const outcome = await sessions.run(slurp, 'sim01', { src: '/usr/local/etc/st/bin' });
    expect(outcome).toMatchObject({ status: 'ok', values: { content: Buffer.from('a\0b\n').toString('base64'), encoding: 'base64', source: '/usr/local/etc/st/bin' } });
    expect((await sessions.run(slurp, 'sim01', { src: '/usr/local/etc/none' })).msg).toBe('file not found: /usr/local/etc/none');
  });
});

describe('replace on the fleet', () => {
  it('three ways: rewrites every match, registers msg', async () => {
    await both("printf 'jail_enable=\"NO\"\\nvm_enable=\"NO\"\\n' > /usr/local/etc/st/rc");
    const { first, second } = await threeWayOverSsh(sessions, fleet, replace, { path: '/usr/local/etc/st/rc', regexp: '="NO"$', replace: '="YES"' }, hosts);
    expect(first.values['msg']).toBe('2 replacements made');
    expect(second.values['msg']).toBe('');
    expect(await sh('sim01', 'cat /usr/local/etc/st/rc')).toBe('jail_enable="YES"\nvm_enable="YES"\n');
  });
});

describe('tempfile and raw on the fleet', () => {
  it('tempfile makes a new private file each run, nothing in --check; raw runs its line', async () => {
    const first = await sessions.run(tempfile, 'sim01', { path: '/var/tmp', suffix: '.beastie' });
    const again = await sessions.run(tempfile, 'sim01', { path: '/var/tmp', suffix: '.beastie' });
    expect([first.status, again.status]).toEqual(['changed', 'changed']);
    expect(first.values['path']).toMatch(/^\/var\/tmp\/ansible\.[A-Za-z0-9]{10}\.beastie$/);
    expect(first.values['path']).not.toBe(again.values['path']);
    expect(await sh('sim01', `stat -c %a ${String(first.values['path'])}`)).toBe('600\n');
    const dir = await sessions.run(tempfile, 'sim01', { state: 'directory' });
    expect(await sh('sim01', `stat -c %a ${String(dir.values['path'])}`)).toBe('700\n');
    const before = hostDigest(fleet, 'sim02');
    expect(await sessions.run(tempfile, 'sim02', { path: '/var/tmp' }, { check: true })).toMatchObject({ status: 'changed', results: [] });
    expect(hostDigest(fleet, 'sim02')).toBe(before);

    const ran = await sessions.run(raw, 'sim01', { cmd: 'freebsd-version; echo two | tr a-z A-Z' });
    expect(ran).toMatchObject({ status: 'changed', values: { rc: 0, stdout_lines: [expect.stringMatching(/-RELEASE/), 'TWO'] } });
  });
});

describe('group and user on the fleet (pw)', () => {
  it('three ways: a group with a gid, then a user in it with a password hash; absent with remove', async () => {
    const g = await threeWayOverSsh(sessions, fleet, group, { name: 'vmops', gid: 2101 }, hosts);
    expect(g.first.values).toMatchObject({ name: 'vmops', gid: 2101, state: 'present', system: false });
    await fleet.ssh('sim02', 'pw groupadd -n vmops -g 2101');
    const hash = '$6$beastie$0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ./0123456789abcdef';
    const params = { name: 'ops', comment: 'Operations', groups: ['vmops', 'operator'], home: '/var/home/ops', shell: '/bin/sh', password: hash };
    const { first, second } = await threeWayOverSsh(sessions, fleet, user, params, hosts);
    expect(first.results.map((r) => r.command)).toEqual(["pw useradd -n ops -c Operations -d /var/home/ops -G vmops,operator -m -s /bin/sh -H 0", 'pw usershow -n ops -7']);
    expect(first.values).toMatchObject({ name: 'ops', state: 'present', comment: 'Operations', home: '/var/home/ops', shell: '/bin/sh', groups: 'vmops,operator', password: 'NOT_LOGGING_PASSWORD', uid: expect.any(Number), group: expect.any(Number) });
    expect(second.values).toMatchObject({ uid: first.values['uid'], group: first.values['group'] });
    expect(await sh('sim01', 'pw usershow ops | cut -d: -f2; grep -c "^ops:\\*:" /etc/passwd; grep ^vmops: /etc/group; ls -d /var/home/ops')).toBe(`${hash}\n1\nvmops:*:2101:ops\n/var/home/ops\n`);
    // append keeps vmops and operator
    const appended = await sessions.run(user, 'sim01', { name: 'ops', groups: 'staff', append: true });
    expect(appended.status, appended.msg).toBe('changed');
    expect(await sh('sim01', 'grep -c "[:,]ops\\(,\\|$\\)" /etc/group')).toBe('3\n');

    await fleet.ssh('sim02', `pw useradd -n ops -d /var/home/ops -m`);
    await threeWayOverSsh(sessions, fleet, user, { name: 'ops', state: 'absent', remove: true }, hosts);
    expect(await sh('sim01', 'grep -c "^ops:" /etc/master.passwd /etc/passwd; test -e /var/home/ops || echo gone')).toBe('/etc/master.passwd:0\n/etc/passwd:0\ngone\n');
    await threeWayOverSsh(sessions, fleet, group, { name: 'vmops', state: 'absent' }, hosts);
  });
});

describe('wait_for on the fleet (nc, sockstat, test on the host)', () => {
  it('a port that opens, its banner, a port that stays closed, a file and a string in it; --check does not wait', async () => {
    const address = fleet.hosts[0]?.address ?? '';
    const port = 40000 + Math.floor(Math.random() * 20000);
    // A server that accepts connections and greets each one, started after a second: the wait has something to wait for.
    const server = `sleep 1; exec perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr => "${address}", LocalPort => ${port}, Listen => 5, ReuseAddr => 1) or die; alarm 60; while ($c = $s->accept) { print $c "SSH-2.0-OpenSSH_9.9 FreeBSD\\r\\n"; close $c }'`;
    await fleet.ssh('sim01', `nohup sh -c ${JSON.stringify(server).replaceAll('$', '\\$')} </dev/null >/dev/null 2>&1 &`);
    const open = await sessions.run(wait_for, 'sim01', { host: address, port, timeout: 30 });
    expect(open.status, open.msg).toBe('ok');
    expect(open.values).toEqual({ state: 'started', port, path: null, search_regex: null, match_groups: [], match_groupdict: {}, elapsed: expect.any(Number) });
    const banner = await sessions.run(wait_for, 'sim01', { host: address, port, search_regex: 'OpenSSH_(\\d+)', timeout: 10 });
    expect(banner).toMatchObject({ status: 'ok', values: { match_groups: ['9'] } });
    const closed = await sessions.run(wait_for, 'sim01', { host: address, port: port + 1, state: 'stopped', timeout: 5 });
    expect(closed.status).toBe('ok');
    const timeout = await sessions.run(wait_for, 'sim01', { host: address, port: port + 1, timeout: 2 });
    expect(timeout).toMatchObject({ status: 'failed', msg: `Timeout when waiting for ${address}:${port + 1}` });
    expect(await sessions.run(wait_for, 'sim02', { port: port + 2, timeout: 600 }, { check: true })).toMatchObject({ status: 'changed', results: [] });

    await fleet.ssh('sim01', "rm -f /var/tmp/ready; nohup sh -c 'sleep 1; echo \"state: ready 42\" > /var/tmp/ready' </dev/null >/dev/null 2>&1 &");
    const file = await sessions.run(wait_for, 'sim01', { path: '/var/tmp/ready', search_regex: 'ready (?<n>\\d+)', timeout: 20 });
    expect(file).toMatchObject({ status: 'ok', values: { path: '/var/tmp/ready', match_groups: ['42'], match_groupdict: { n: '42' } } });
    const gone = await sessions.run(wait_for, 'sim01', { path: '/var/tmp/nothing-here', state: 'absent', timeout: 5 });
    expect(gone.status).toBe('ok');
  });
});

describe('sysctl on the fleet', () => {
  it('three ways: /etc/sysctl.conf and the running kernel; a loader tunable', async () => {
    const { first } = await threeWayOverSsh(sessions, fleet, sysctl, { name: 'net.link.tap.up_on_open', value: '1' }, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['sysctl net.link.tap.up_on_open=1']);
    expect(await sh('sim01', 'grep -c up_on_open /etc/sysctl.conf; tail -n 1 /etc/sysctl.conf; sysctl -n net.link.tap.up_on_open')).toBe('1\nnet.link.tap.up_on_open=1\n1\n');
    await threeWayOverSsh(sessions, fleet, sysctl, { name: 'hw.vmm.amdvi.enable', value: 1, sysctl_file: '/boot/loader.conf' }, hosts);
    expect(await sh('sim01', 'grep amdvi /boot/loader.conf')).toBe('hw.vmm.amdvi.enable="1"\n');
    const unknown = await sessions.run(sysctl, 'sim01', { name: 'no.such.oid', value: '1' });
    expect(unknown).toMatchObject({ status: 'failed', msg: expect.stringMatching(/^Invalid sysctl: no\.such\.oid/) });
  });
});

describe('cron on the fleet (crontab -l/-u, /etc/cron.d)', () => {
  it('three ways: a job in root\'s crontab, then in a cron_file; removing the last job removes the file', async () => {
    const { first } = await threeWayOverSsh(sessions, fleet, cron, { name: 'snapshots', minute: '0', hour: '3', job: '/usr/local/sbin/snap all' }, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['crontab -u root -']);
    expect(first.values).toMatchObject({ jobs: ['snapshots'], envs: [] });
    expect(await sh('sim01', 'crontab -l')).toBe('#Ansible: snapshots\n0 3 * * * /usr/local/sbin/snap all\n');
    await threeWayOverSsh(sessions, fleet, cron, { name: 'snapshots', minute: '0', hour: '4', job: '/usr/local/sbin/snap all' }, hosts);
    expect(await sh('sim01', 'crontab -l | tail -n 1')).toBe('0 4 * * * /usr/local/sbin/snap all\n');

    await threeWayOverSsh(sessions, fleet, cron, { name: 'weekly', special_time: 'weekly', user: 'root', cron_file: 'beastie', job: 'periodic weekly' }, hosts);
    expect(await sh('sim01', 'cat /etc/cron.d/beastie; stat -c %a /etc/cron.d/beastie')).toBe('#Ansible: weekly\n@weekly root periodic weekly\n644\n');
    await fleet.ssh('sim02', "mkdir -p /etc/cron.d && printf '#Ansible: weekly\\n@weekly root periodic weekly\\n' > /etc/cron.d/beastie");
    await threeWayOverSsh(sessions, fleet, cron, { name: 'weekly', cron_file: 'beastie', state: 'absent' }, hosts);
    expect(await sh('sim01', 'test -e /etc/cron.d/beastie || echo gone')).toBe('gone\n');
  });
});

describe('hostname, package and the facts modules on the fleet', () => {
  it('hostname three ways (hostname(1) and /etc/rc.conf.d/hostname); package three ways; then package_facts, service_facts, getent', async () => {
    const named = await threeWayOverSsh(sessions, fleet, hostname, { name: 'bhyve01.example.org' }, hosts);
    expect(named.first.values).toMatchObject({ ansible_facts: { ansible_hostname: 'bhyve01', ansible_nodename: 'bhyve01.example.org', ansible_fqdn: 'bhyve01.example.org', ansible_domain: 'example.org' } });
    expect(await sh('sim01', 'hostname; cat /etc/rc.conf.d/hostname')).toBe('bhyve01.example.org\nhostname="bhyve01.example.org"\n');

    await threeWayOverSsh(sessions, fleet, package_, { name: 'tmux', state: 'installed' }, hosts);
    const packages = await sessions.run(package_facts, 'sim01', {});
    expect(packages.status).toBe('ok');
    expect((packages.values['ansible_facts'] as { packages: Record<string, unknown[]> }).packages['tmux']).toEqual([
      { name: 'tmux', version: expect.any(String), origin: expect.stringMatching(/\/tmux$/), arch: expect.stringMatching(/^FreeBSD:/), automatic: false, installed: expect.any(Number), prefix: '/usr/local', source: 'pkg' },
    ]);

    await fleet.ssh('sim01', 'sysrc sshd_enable=YES ntpd_enable=NO >/dev/null; service ntpd onestop >/dev/null 2>&1; true');
    const services = await sessions.run(service_facts, 'sim01', {});
    const found = (services.values['ansible_facts'] as { services: Record<string, unknown> }).services;
    expect(found['sshd']).toEqual({ name: 'sshd', state: 'running', status: 'enabled', source: 'freebsd' });
    expect(found['ntpd']).toEqual({ name: 'ntpd', state: 'stopped', status: 'disabled', source: 'freebsd' });

    const root = await sessions.run(getent, 'sim01', { database: 'passwd', key: 'root' });
    // The password field is Debian's `x` until the simulated pw(8) of an earlier test rewrites
    // /etc/passwd as pwd_mkdb does (`*`); the rest of root's entry is the same either way.
    expect(root).toMatchObject({ status: 'ok', setFacts: { getent_passwd: { root: [expect.stringMatching(/^[x*]$/), '0', '0', 'root', '/root', '/bin/bash'] } } });
    expect((await sessions.run(getent, 'sim01', { database: 'passwd', key: 'nobody-here' })).msg).toBe('One or more supplied key could not be found in the database.');
  });
});

describe('find on the fleet', () => {
  it('lists matching files with Ansible\'s keys; never changed', async () => {
    await fleet.ssh('sim01', "mkdir -p /var/tmp/fd/sub && printf 'ERROR x\\n' > /var/tmp/fd/a.log && echo ok > /var/tmp/fd/sub/b.log && touch /var/tmp/fd/c.conf");
    const found = await sessions.run(find, 'sim01', { paths: '/var/tmp/fd', patterns: '*.log', recurse: true, get_checksum: true });
    expect(found.status).toBe('ok');
    expect(found.values).toMatchObject({ matched: 2, examined: 4, msg: 'All paths examined' });
    const files = (found.values['files'] as { path: string; checksum: string; isreg: boolean; pw_name: string }[]).sort((a, b) => a.path.localeCompare(b.path));
    expect(files.map((x) => [x.path, x.isreg, x.pw_name])).toEqual([['/var/tmp/fd/a.log', true, 'root'], ['/var/tmp/fd/sub/b.log', true, 'root']]);
    expect(files[0]?.checksum).toMatch(/^[0-9a-f]{40}$/);
    const containing = await sessions.run(find, 'sim01', { paths: '/var/tmp/fd', contains: 'ERROR', recurse: true });
    expect(containing.values).toMatchObject({ matched: 1, files: [{ path: '/var/tmp/fd/a.log' }] });
  });
});

describe('get_url on the fleet (fetch on the host)', () => {
  it('three ways: downloads into a directory with a mode; a wrong checksum leaves nothing behind', async () => {
    const url = 'https://download.freebsd.org/releases/ISO-IMAGES/14.1/FreeBSD-14.1-RELEASE-amd64-bootonly.iso.xz';
    await both('mkdir -p /var/tmp/iso');
    const { first, second } = await threeWayOverSsh(sessions, fleet, get_url, { url, dest: '/var/tmp/iso', mode: '0640' }, hosts);
    expect(first.values).toMatchObject({ url, dest: '/var/tmp/iso/FreeBSD-14.1-RELEASE-amd64-bootonly.iso.xz', status_code: 200, size: 98332812, checksum_src: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(second.msg).toBe('file already exists: /var/tmp/iso/FreeBSD-14.1-RELEASE-amd64-bootonly.iso.xz');
    expect(await sh('sim01', 'stat -c "%a %s" /var/tmp/iso/FreeBSD-14.1-RELEASE-amd64-bootonly.iso.xz; ls -a /var/tmp/iso | grep -c get_url')).toBe('640 98332812\n0\n');
    const wrong = await sessions.run(get_url, 'sim01', { url, dest: '/var/tmp/iso/other.xz', checksum: `sha256:${'0'.repeat(64)}` });
    expect(wrong).toMatchObject({ status: 'failed', msg: expect.stringContaining('did not match') });
    expect(await sh('sim01', 'ls -a /var/tmp/iso | grep -c -e get_url -e other; true')).toBe('0\n');
  });
});

describe('mount on the fleet (fstab, mount, umount in the host\'s namespace)', () => {
  it('three ways: a tmpfs mounted from its fstab line; then unmounted and absent', async () => {
    const params = { path: '/var/tmp/scratch', src: 'tmpfs', fstype: 'tmpfs', opts: 'rw,size=1m', state: 'mounted' };
    const { first } = await threeWayOverSsh(sessions, fleet, mount, params, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['mkdir -p /var/tmp/scratch && mount /var/tmp/scratch']);
    expect(first.values).toMatchObject({ name: '/var/tmp/scratch', src: 'tmpfs', fstype: 'tmpfs', opts: 'rw,size=1m', fstab: '/etc/fstab' });
    expect(await sh('sim01', 'grep scratch /etc/fstab; grep -c " /var/tmp/scratch tmpfs " /proc/mounts')).toBe('tmpfs\t/var/tmp/scratch\ttmpfs\trw,size=1m\t0\t0\n1\n');
    await fleet.ssh('sim02', "printf 'tmpfs\\t/var/tmp/scratch\\ttmpfs\\trw,size=1m\\t0\\t0\\n' >> /etc/fstab && mkdir -p /var/tmp/scratch && mount /var/tmp/scratch");
    await threeWayOverSsh(sessions, fleet, mount, { path: '/var/tmp/scratch', state: 'unmounted' }, hosts);
    expect(await sh('sim01', 'grep -c " /var/tmp/scratch " /proc/mounts; grep -c scratch /etc/fstab')).toBe('0\n1\n');
    await threeWayOverSsh(sessions, fleet, mount, { path: '/var/tmp/scratch', state: 'absent' }, hosts);
    expect(await sh('sim01', 'grep -c scratch /etc/fstab; true')).toBe('0\n');
    await fleet.ssh('sim02', 'umount /var/tmp/scratch');
  });
});
