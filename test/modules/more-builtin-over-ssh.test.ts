// More of Ansible's builtin and posix modules, and vbotka.freebsd.service (issue 12), on the simulated FreeBSD fleet over the
// real SSH transport: three ways (apply → changed, --check on a fresh host → changed and nothing
// written, apply again → ok) and the registered results checked against Ansible's RETURN keys.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assemble from '../../modules/assemble.js';
import authorized_key from '../../modules/authorized_key.js';
import command from '../../modules/command.js';
import cron from '../../modules/cron.js';
import cronvar from '../../modules/cronvar.js';
import file from '../../modules/file.js';
import git from '../../modules/git.js';
import kld from '../../modules/kld.js';
import portinstall from '../../modules/portinstall.js';
import shutdown from '../../modules/shutdown.js';
import mount from '../../modules/mount.js';
import replace from '../../modules/replace.js';
import uri from '../../modules/uri.js';
import script from '../../modules/script.js';
import setup from '../../modules/setup.js';
import unarchive from '../../modules/unarchive.js';
import vbotkaService from '../../modules/vbotka_service.js';
import { hostPaths } from '../../sim/infra/fleet-layout.js';
import { readHostState } from '../../sim/infra/host-state.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { waitFor } from '../helpers/wait-for.js';
import { FleetSessions, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
let files: string;
const hosts = { applied: 'sim01', fresh: 'sim02' };

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  files = await mkdtemp(join(tmpdir(), 'beastie-more-builtin-'));
  await mkdir(join(files, 'files/tree/etc'), { recursive: true });
  await writeFile(join(files, 'files/tree/etc/app.conf'), 'port=8080\n');
  await writeFile(join(files, 'files/tree/README'), 'hello\n');
  execFileSync('tar', ['-czf', join(files, 'files/site.tgz'), '-C', join(files, 'files/tree'), '.']);
  await writeFile(join(files, 'files/mark.sh'), '#!/bin/sh\n# Records its arguments and where it ran.\necho "$@" > /usr/local/etc/script-mark\npwd\n');
}, 180_000);
afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

const vars = () => ({ playbook_dir: files, inventory_hostname: 'sim01' });
const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;
const both = async (command: string) => {
  for (const host of ['sim01', 'sim02']) {
    const result = await fleet.ssh(host, command);
    expect(result.exitCode, `${host}: ${result.stderr}`).toBe(0);
  }
};

describe('script on the fleet', () => {
  it('runs the controller file on the host with its arguments and chdir; creates makes it idempotent', async () => {
    const params = { cmd: "mark.sh one 'two words'", chdir: '/usr/local', creates: '/usr/local/etc/script-mark' };
    const first = await sessions.run(script, 'sim01', params, { vars: vars() });
    expect(first.status, first.msg).toBe('changed');
    expect(first.values).toMatchObject({ rc: 0, stdout: '/usr/local', stdout_lines: ['/usr/local'], stderr: '' });
    expect(await sh('sim01', 'cat /usr/local/etc/script-mark')).toBe('one two words\n');
    expect(await sh('sim01', 'ls /tmp | grep -c beastie-script || true')).toBe('0\n');
    const check = await sessions.run(script, 'sim02', params, { check: true, vars: vars() });
    expect(check.status).toBe('changed');
    expect((await fleet.ssh('sim02', 'test -e /usr/local/etc/script-mark')).exitCode).toBe(1);
    const again = await sessions.run(script, 'sim01', params, { vars: vars() });
    expect(again).toMatchObject({ status: 'ok', values: { rc: 0, stdout: 'skipped, since /usr/local/etc/script-mark exists' } });
  });
});

describe('unarchive on the fleet', () => {
  it('three ways from a controller archive, then from a host archive with remote_src, owner and mode', async () => {
    await both('mkdir -p /usr/local/www/site /usr/local/www/remote');
    const { first, second } = await threeWayOverSsh(sessions, fleet, unarchive, { src: 'site.tgz', dest: '/usr/local/www/site', list_files: true }, { ...hosts, vars: vars() });
    expect(await sh('sim01', 'cat /usr/local/www/site/etc/app.conf')).toBe('port=8080\n');
    const ansibleKeys = ['dest', 'src', 'handler', 'state', 'uid', 'gid', 'owner', 'group', 'mode', 'size', 'files'];
    expect(Object.keys(first.values)).toEqual(expect.arrayContaining([...ansibleKeys, 'extract_results']));
    expect(second.values).toMatchObject({ handler: 'TgzArchive', state: 'directory', files: ['README', 'etc/', 'etc/app.conf'] });
    await sh('sim01', 'echo changed > /usr/local/www/site/README');
    expect((await sessions.run(unarchive, 'sim01', { src: 'site.tgz', dest: '/usr/local/www/site' }, { vars: vars() })).status).toBe('changed');
    expect(await sh('sim01', 'cat /usr/local/www/site/README')).toBe('hello\n');

    await both('cp /usr/local/www/site/etc/app.conf /tmp/x 2>/dev/null; tar -czf /usr/local/www/remote.tgz -C /usr/local/www site');
    const remote = { src: '/usr/local/www/remote.tgz', dest: '/usr/local/www/remote', remote_src: true, owner: 'nobody', mode: '0750' };
    await threeWayOverSsh(sessions, fleet, unarchive, remote, hosts);
    expect(await sh('sim01', 'stat -c "%U %a" /usr/local/www/remote/site/etc/app.conf')).toBe('nobody 750\n');
    expect((await sessions.run(unarchive, 'sim01', { ...remote, src: '/usr/local/www/none.tgz' })).msg).toBe("Source '/usr/local/www/none.tgz' does not exist");
  });
});

describe('git on the fleet', () => {
  const commit = (message: string) =>
    `cd /usr/local/src/work && echo ${message} > index.html && git add index.html && git -c user.name=t -c user.email=t@example.org commit -q -m ${message} && git push -q origin HEAD:main 2>/dev/null && git rev-parse HEAD`;
  it("clones a host's repository three ways; a new commit updates it (before/after); local changes need force; a tag", async () => {
    await both('rm -rf /usr/local/src/site.git /usr/local/src/work && mkdir -p /usr/local/src && git init -q --bare -b main /usr/local/src/site.git && git clone -q /usr/local/src/site.git /usr/local/src/work 2>/dev/null');
    const first = (await fleet.ssh('sim01', commit('one'))).stdout.trim();
    expect((await fleet.ssh('sim02', commit('one'))).exitCode).toBe(0);
    const params = { repo: '/usr/local/src/site.git', dest: '/usr/local/www/gitsite' };
    const { first: cloned, check, second } = await threeWayOverSsh(sessions, fleet, git, params, hosts);
    expect(cloned.values).toMatchObject({ before: null, after: first });
    expect(check.values).toMatchObject({ before: null });
    expect(second.values).toMatchObject({ before: first, after: first, remote_url_changed: false });
    expect(await sh('sim01', 'cat /usr/local/www/gitsite/index.html')).toBe('one\n');

    const next = (await fleet.ssh('sim01', commit('two'))).stdout.trim();
    const updated = await sessions.run(git, 'sim01', params);
    expect(updated).toMatchObject({ status: 'changed', values: { before: first, after: next } });
    expect(await sh('sim01', 'cat /usr/local/www/gitsite/index.html')).toBe('two\n');

    await sh('sim01', 'echo local >> /usr/local/www/gitsite/index.html');
    expect(await sessions.run(git, 'sim01', params)).toMatchObject({ status: 'failed', msg: 'Local modifications exist in the destination: /usr/local/www/gitsite (force=no).' });
    expect(await sessions.run(git, 'sim01', { ...params, force: true })).toMatchObject({ status: 'changed', values: { before: next, after: next } });
    expect(await sh('sim01', 'cat /usr/local/www/gitsite/index.html')).toBe('two\n');

    await sh('sim01', `cd /usr/local/src/work && git tag v1 ${first} && git push -q origin v1 2>/dev/null`);
    expect(await sessions.run(git, 'sim01', { ...params, version: 'v1' })).toMatchObject({ status: 'changed', values: { before: next, after: first } });
    expect((await sessions.run(git, 'sim01', { ...params, version: 'v1' })).status).toBe('ok');
    expect(await sh('sim01', 'cat /usr/local/www/gitsite/index.html')).toBe('one\n');
  });

  it('single_branch clones the one branch (another branch on the remote is not fetched)', async () => {
    await sh('sim01', 'rm -rf /usr/local/src/two.git /usr/local/src/two /usr/local/www/single && git init -q --bare -b main /usr/local/src/two.git && git clone -q /usr/local/src/two.git /usr/local/src/two 2>/dev/null');
    await sh('sim01', 'cd /usr/local/src/two && echo a > a && git add a && git -c user.name=t -c user.email=t@example.org commit -q -m a && git push -q origin HEAD:main HEAD:other 2>/dev/null');
    const single = { repo: '/usr/local/src/two.git', dest: '/usr/local/www/single', version: 'main', single_branch: true };
    expect((await sessions.run(git, 'sim01', single)).status).toBe('changed');
    const branches = await sh('sim01', 'git -C /usr/local/www/single branch -r');
    expect(branches).toContain('origin/main');
    expect(branches).not.toContain('origin/other');
    expect((await sessions.run(git, 'sim01', single)).status).toBe('ok');
  });
});

describe('assemble on the fleet', () => {
  it('three ways from fragments on the host; a new fragment changes it, with backup_file', async () => {
    await both("mkdir -p /usr/local/etc/frags && printf 'a=1\\n' > /usr/local/etc/frags/10-a && printf 'b=2' > /usr/local/etc/frags/20-b && printf 'h\\n' > /usr/local/etc/frags/.h");
    const params = { src: '/usr/local/etc/frags', dest: '/usr/local/etc/app.conf', delimiter: '# --', ignore_hidden: true, mode: '0640' };
    const { first } = await threeWayOverSsh(sessions, fleet, assemble, params, hosts);
    expect(first.values).toMatchObject({ dest: '/usr/local/etc/app.conf', size: 12, mode: '0640' });
    expect(await sh('sim01', 'cat /usr/local/etc/app.conf; stat -c %a /usr/local/etc/app.conf')).toBe('a=1\n# --\nb=2640\n');
    await sh('sim01', "printf 'c=3\\n' > /usr/local/etc/frags/30-c");
    const again = await sessions.run(assemble, 'sim01', { ...params, backup: true });
    expect(again.status).toBe('changed');
    expect(await sh('sim01', 'cat /usr/local/etc/app.conf')).toBe('a=1\n# --\nb=2\n# --\nc=3\n');
    expect(await sh('sim01', `cat '${String(again.values['backup_file'])}'`)).toBe('a=1\n# --\nb=2');
    expect((await sessions.run(assemble, 'sim01', { ...params, src: '/usr/local/etc/nofrags' })).msg).toBe('Source (/usr/local/etc/nofrags) does not exist');
  });
});

describe('cronvar on the fleet', () => {
  it("apply then again in root's crontab (crontab(1) checks the lines), backup_file, a cron_file, absent", async () => {
    await both('crontab -r -u root 2>/dev/null; rm -f /etc/cron.d/vars; true');
    await sh('sim01', "printf '@daily /usr/bin/true\\n' | crontab -u root -");
    const params = { name: 'MAILTO', value: 'ops@example.org', user: 'root' };
    const first = await sessions.run(cronvar, 'sim01', params);
    expect(first, first.msg).toMatchObject({ status: 'changed', values: { vars: ['MAILTO'] } });
    expect(await sh('sim01', 'crontab -l -u root')).toBe('MAILTO=ops@example.org\n@daily /usr/bin/true\n');
    expect((await sessions.run(cronvar, 'sim01', params)).status).toBe('ok');
    const changed = await sessions.run(cronvar, 'sim01', { ...params, name: 'SHELL', value: '/bin/sh', insertafter: 'MAILTO', backup: true });
    expect(changed).toMatchObject({ status: 'changed', values: { vars: ['MAILTO', 'SHELL'] } });
    expect(await sh('sim01', 'crontab -l -u root')).toBe('MAILTO=ops@example.org\nSHELL=/bin/sh\n@daily /usr/bin/true\n');
    expect(String(changed.values['backup_file'])).toMatch(/^\/tmp\/cronvar/);
    expect(await sh('sim01', `cat '${String(changed.values['backup_file'])}'`)).toBe('MAILTO=ops@example.org\n@daily /usr/bin/true\n');
    const file = { name: 'PATH', value: '/bin:/usr/bin', cron_file: 'vars' };
    expect(await sessions.run(cronvar, 'sim01', file)).toMatchObject({ status: 'changed', values: { cron_file: 'vars', vars: ['PATH'] } });
    expect(await sh('sim01', 'cat /etc/cron.d/vars; stat -c %a /etc/cron.d/vars')).toBe('PATH=/bin:/usr/bin\n644\n');
    expect((await sessions.run(cronvar, 'sim01', file)).status).toBe('ok');
    expect((await sessions.run(cronvar, 'sim01', { ...params, state: 'absent' })).status).toBe('changed');
    expect(await sh('sim01', 'crontab -l -u root')).toBe('SHELL=/bin/sh\n@daily /usr/bin/true\n');
    expect((await sessions.run(cronvar, 'sim01', { ...params, state: 'absent' })).status).toBe('ok');
  });
});

describe('vbotka.freebsd.service on the fleet', () => {
  it('three ways for onestart; read commands as facts; rc.subr refuses a bare start; onestop; an unknown directive fails', async () => {
    await both('service ntpd onestop >/dev/null 2>&1; sysrc -x ntpd_enable >/dev/null 2>&1; true');
    const { first } = await threeWayOverSsh(sessions, fleet, vbotkaService, { script: 'ntpd', command: 'onestart', wait: 0.1 }, hosts);
    expect(first.values).toMatchObject({ rc: 0, stdout: 'Starting ntpd.', onestart: 'Starting ntpd.' });
    expect((await sessions.run(vbotkaService, 'sim01', { script: 'ntpd', command: 'onestatus' })).values).toMatchObject({ rc: 0, onestatus: 'running' });
    const rcvar = await sessions.run(vbotkaService, 'sim01', { script: 'ntpd', command: 'rcvar' }, { check: true });
    expect(rcvar).toMatchObject({ status: 'ok', values: { rc: 0, rcvar: { ntpd_enable: 'NO' } } });
    expect(await sessions.run(vbotkaService, 'sim01', { script: 'ntpd', command: 'enabled' })).toMatchObject({ status: 'ok', values: { enabled: false } });
    const stop = await sessions.run(vbotkaService, 'sim01', { script: 'ntpd', command: 'onestop', wait: 0 });
    expect(stop).toMatchObject({ status: 'changed', values: { onestop: expect.stringMatching(/^Waiting for PIDS: \d+$/) } });
    expect(await sh('sim01', 'service ntpd onestatus; echo rc=$?')).toBe('ntpd is not running.\nrc=1\n');
    const refused = await sessions.run(vbotkaService, 'sim01', { script: 'ntpd', command: 'start' });
    expect(refused).toMatchObject({ status: 'ok', msg: expect.stringContaining("rc.subr refuses 'start'") });
    const bogus = await sessions.run(vbotkaService, 'sim01', { script: 'ntpd', command: 'onebogus' });
    expect(bogus).toMatchObject({ status: 'failed', msg: expect.stringContaining("unknown directive 'bogus'") });
    expect((await sessions.run(vbotkaService, 'sim01', { list_enabled: true })).values['stdout']).toContain('/etc/rc.d/sshd');
  });
});

describe('authorized_key on the fleet', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@example';
  it('three ways for a new key in root\'s file, then exclusive and absent', async () => {
    await both('rm -rf /root/.ssh');
    const { first } = await threeWayOverSsh(sessions, fleet, authorized_key, { user: 'root', key }, hosts);
    expect(first.values).toMatchObject({ user: 'root', key, keyfile: '/root/.ssh/authorized_keys', path: null, manage_dir: true, state: 'file', exclusive: false, mode: '0600', owner: 'root' });
    expect(await sh('sim01', 'cat /root/.ssh/authorized_keys; stat -c %a /root/.ssh /root/.ssh/authorized_keys')).toBe(`${key}\n700\n600\n`);
    await sh('sim01', "echo 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC other' >> /root/.ssh/authorized_keys");
    const exclusive = await threeWayOverSsh(sessions, fleet, authorized_key, { user: 'root', key, exclusive: true }, { applied: 'sim01', fresh: 'sim02' });
    expect(exclusive.first.status).toBe('changed');
    expect(await sh('sim01', 'cat /root/.ssh/authorized_keys')).toBe(`${key}\n`);
    const absent = await sessions.run(authorized_key, 'sim01', { user: 'root', key, state: 'absent' });
    expect(absent.status).toBe('changed');
    expect(await sh('sim01', 'wc -c < /root/.ssh/authorized_keys')).toMatch(/^\s*0\n$/);
  });
});

describe('setup on the fleet', () => {
  it('gathers the facts again, narrowed by gather_subset and filter; never changed, the same in --check', async () => {
    const all = await sessions.run(setup, 'sim01', {});
    expect(all.status).toBe('ok');
    const facts = all.values['ansible_facts'] as Record<string, unknown>;
    expect(facts).toMatchObject({ ansible_system: 'FreeBSD', ansible_os_family: 'FreeBSD', ansible_pkg_mgr: 'pkgng', ansible_service_mgr: 'bsdinit' });
    expect(Object.keys(facts)).toEqual(expect.arrayContaining(['ansible_distribution_version', 'ansible_hostname', 'ansible_env', 'ansible_date_time', 'ansible_memtotal_mb', 'ansible_virtualization_type']));
    const min = await sessions.run(setup, 'sim02', { gather_subset: ['!all'], filter: ['ansible_distribution*', 'ansible_memtotal_mb'] }, { check: true });
    expect(Object.keys(min.values['ansible_facts'] as object).sort()).toEqual(['ansible_distribution', 'ansible_distribution_major_version', 'ansible_distribution_release', 'ansible_distribution_version']);
    expect(min.setFacts).toMatchObject({ ansible_distribution: 'FreeBSD', ansible_facts: { distribution: 'FreeBSD' } });
  });
});

describe('backup, command times, file recurse/hard/symbolic modes and uri on the fleet', () => {
  it('replace, cron and mount with backup: three ways, the old bytes kept in backup_file on the host', async () => {
    await both("printf 'listen=80\\n' > /usr/local/etc/bk.conf; crontab -r 2>/dev/null; printf '# fstab\\n' >> /etc/fstab");
    const before = await sh('sim01', 'cat /etc/fstab');
    const edited = await threeWayOverSsh(sessions, fleet, replace, { path: '/usr/local/etc/bk.conf', regexp: '^listen=80$', replace: 'listen=8080', backup: true }, hosts);
    const replaced = String(edited.first.values['backup_file']);
    expect(await sh('sim01', `cat ${replaced}; cat /usr/local/etc/bk.conf`)).toBe('listen=80\nlisten=8080\n');
    expect(edited.second.values).not.toHaveProperty('backup_file');
    const job = { name: 'sweep', minute: '5', job: '/usr/bin/true', backup: true };
    await sessions.run(cron, 'sim01', { name: 'first', job: '/usr/bin/false' });
    const scheduled = await threeWayOverSsh(sessions, fleet, cron, job, hosts);
    expect(await sh('sim01', `cat ${String(scheduled.first.values['backup_file'])}`)).toContain('#Ansible: first\n');
    const fstab = await threeWayOverSsh(sessions, fleet, mount, { path: '/mnt/bk', src: 'tmpfs', fstype: 'tmpfs', opts: 'rw', state: 'present', backup: true }, hosts);
    expect(await sh('sim01', `cat ${String(fstab.first.values['backup_file'])}`)).toBe(before);
  });

  it('command registers start, end and delta as Python prints them', async () => {
    const ran = await sessions.run(command, 'sim01', { cmd: 'sleep 1' });
    expect(ran.values).toMatchObject({ rc: 0, start: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/), end: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/), delta: expect.stringMatching(/^0:00:0\d\.\d{6}$/) });
    expect(Number(String(ran.values['delta']).slice(5))).toBeGreaterThanOrEqual(1);
  });

  it('file: a tree made u=rwX,g=rX,o= recursively with an owner, then a hard link — three ways each', async () => {
    await both('rm -rf /usr/local/www/tree; mkdir -p /usr/local/www/tree/sub && echo x > /usr/local/www/tree/sub/f && chmod 0777 /usr/local/www/tree/sub/f && ln -sf f /usr/local/www/tree/sub/l');
    await threeWayOverSsh(sessions, fleet, file, { path: '/usr/local/www/tree', state: 'directory', recurse: true, owner: 'nobody', mode: 'u=rwX,g=rX,o=' }, hosts);
    expect(await sh('sim01', 'stat -c "%a %U" /usr/local/www/tree /usr/local/www/tree/sub /usr/local/www/tree/sub/f; stat -c %U /usr/local/www/tree/sub/l')).toBe('750 nobody\n750 nobody\n750 nobody\nnobody\n');
    await threeWayOverSsh(sessions, fleet, file, { path: '/usr/local/www/tree/hard', src: '/usr/local/www/tree/sub/f', state: 'hard' }, hosts);
    expect(await sh('sim01', 'stat -c %i /usr/local/www/tree/hard /usr/local/www/tree/sub/f | uniq | wc -l')).toMatch(/^\s*1\n$/);
  });

  it('uri: the controller\'s request, its body written to dest on the host; again 304 is not written', async () => {
    const server: Server = createServer((request, response) => {
      if (request.headers['if-modified-since'] !== undefined) {
        response.writeHead(304);
        response.end();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"release": "15.0"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/release.json`;
      const { first, second } = await threeWayOverSsh(sessions, fleet, uri, { url, dest: '/usr/local/etc/release.json', mode: 'u=rw,g=r,o=', status_code: [200, 304] }, hosts);
      expect(first.values).toMatchObject({ status: 200, path: '/usr/local/etc/release.json', json: { release: '15.0' }, changed: true });
      expect(second.values).toMatchObject({ status: 304, changed: false });
      expect(await sh('sim01', 'stat -c %a /usr/local/etc/release.json; cat /usr/local/etc/release.json')).toBe('640\n{"release": "15.0"}');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("kld in dlundgren's form (trombik.freebsd_kld), and community.general.shutdown, on the fleet", () => {
  it('kld load/boot: loaded and NAME_load in loader.conf, three ways; then load: no, boot: no undoes both', async () => {
    const { first } = await threeWayOverSsh(sessions, fleet, kld, { name: 'nmdm', load: true, boot: true }, hosts);
    expect(first.values).toMatchObject({ name: 'nmdm', load: true, boot: true });
    expect(await sh('sim01', 'kldstat -q -m nmdm && echo loaded; grep nmdm_load /boot/loader.conf')).toBe('loaded\nnmdm_load="YES"\n');
    const off = await sessions.run(kld, 'sim01', { name: 'nmdm', load: false, boot: false });
    expect(off).toMatchObject({ status: 'changed', values: { load: false, boot: false } });
    expect(await sh('sim01', 'kldstat -q -m nmdm || echo unloaded; grep -c nmdm_load /boot/loader.conf || true')).toBe('unloaded\n0\n');
  });

  it('portinstall: portupgrade installed on first use, a port from the ports INDEX three ways', async () => {
    // A ports tree checkout: its INDEX (the simulated repository has these packages).
    await both("printf '%s\\n' 'tmux-3.1c|/usr/ports/sysutils/tmux|/usr/local|Terminal Multiplexer|' 'nano-5.4|/usr/ports/editors/nano|/usr/local|Nano|' > /usr/ports/INDEX-14");
    const { first, second } = await threeWayOverSsh(sessions, fleet, portinstall, { name: 'sysutils/tmux' }, hosts);
    expect(first.values).toMatchObject({ msg: 'present 1 package(s)' });
    expect(second.values).toMatchObject({ msg: 'package(s) already present' });
    expect(await sh('sim01', 'pkg info -e portupgrade && pkg info -e tmux && echo both')).toBe('both\n');
  });

  // Apart from the three-way case above (its tmux is what this removes), so that neither holds
  // the 60 s test timeout alone on a loaded machine.
  it('portinstall: a port built from the tree (use_packages: false), no match fails, then removal and again absent', async () => {
    expect(await sh('sim01', 'pkg info -e tmux && echo installed')).toBe('installed\n');
    expect(await sessions.run(portinstall, 'sim01', { name: 'nano', use_packages: false })).toMatchObject({ status: 'changed', values: { msg: 'present 1 package(s)' } });
    expect(await sessions.run(portinstall, 'sim01', { name: 'vim' })).toMatchObject({ status: 'failed', msg: 'no matches for package vim' });
    const removed = await sessions.run(portinstall, 'sim01', { name: 'tmux,nano', state: 'absent' });
    expect(removed).toMatchObject({ status: 'changed', values: { msg: 'removed 2 package(s)' } });
    expect((await fleet.ssh('sim01', 'pkg info -e tmux || pkg info -e nano')).exitCode).toBe(1);
    expect(await sessions.run(portinstall, 'sim01', { name: 'tmux', state: 'absent' })).toMatchObject({ status: 'ok', values: { msg: 'package(s) already absent' } });
  });

  // Last in the file: sim02 stays powered off.
  it('shutdown: --check reports the command and leaves the host up; applied, the host powers off (shutdown -p)', async () => {
    // The simulated host's /sbin/shutdown is Debian's (systemctl); the FreeBSD one is the fleet's tool.
    const search_paths = ['/usr/local/freebsd/bin'];
    const check = await sessions.run(shutdown, 'sim01', { delay: 100, msg: 'Custom Message', search_paths }, { check: true });
    expect(check).toMatchObject({ status: 'changed', results: [], values: { shutdown: true, shutdown_command: "/usr/local/freebsd/bin/shutdown -p +100s 'Custom Message'" } });
    const applied = await sessions.run(shutdown, 'sim02', { msg: 'Decommissioned now', search_paths });
    expect(applied, applied.msg).toMatchObject({ status: 'changed', values: { shutdown: true, shutdown_command: "/usr/local/freebsd/bin/shutdown -p +0s 'Decommissioned now'" } });
    const state = await waitFor(
      'sim02 to be down',
      async () => {
        const read = await readHostState(hostPaths(fleet.dir, 'sim02').state);
        return read?.state === 'down' && read;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(state).toMatchObject({ state: 'down', detail: expect.stringContaining('powered off (shutdown -p)') });
    expect((await fleet.ssh('sim01', 'echo up')).stdout).toBe('up\n');
    expect((await fleet.ssh('sim02', 'echo up', 10_000)).exitCode).not.toBe(0);
  });
});
