// backup and validate (lineinfile, blockinfile, copy, template) and copy's remote_src and
// directory_mode, on the simulated fleet over SSH, three ways, with the registered results
// checked against Ansible's RETURN (copy: dest, src, checksum = SHA-1, md5sum, size, mode…;
// lineinfile: backup; the others: backup_file).
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import blockinfile from '../../modules/blockinfile.js';
import copy from '../../modules/copy.js';
import lineinfile from '../../modules/lineinfile.js';
import template from '../../modules/template.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions, hostDigest, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
const hosts = { applied: 'sim01', fresh: 'sim02' };
const BACKUP_NAME = /^\/usr\/local\/etc\/ws\/a\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  for (const host of ['sim01', 'sim02']) await fleet.ssh(host, "mkdir -p /usr/local/etc/ws && printf 'a=1\\n' > /usr/local/etc/ws/a.conf");
}, 180_000);
afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
});

const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;

describe('backup', () => {
  it('three ways: lineinfile keeps the old file as PATH.PID.DATE~ and registers it as backup', async () => {
    const { first, second } = await threeWayOverSsh(sessions, fleet, lineinfile, { path: '/usr/local/etc/ws/a.conf', regexp: '^a=', line: 'a=2', backup: true }, hosts);
    expect(first.values['backup']).toMatch(BACKUP_NAME);
    expect(first.values['msg']).toBe('line replaced');
    expect(second.values).toMatchObject({ backup: '', msg: '' });
    expect(await sh('sim01', `cat '${String(first.values['backup'])}' /usr/local/etc/ws/a.conf`)).toBe('a=1\na=2\n');
  });

  it('three ways: blockinfile and copy register backup_file; no backup when nothing changes', async () => {
    const block = await threeWayOverSsh(sessions, fleet, blockinfile, { path: '/usr/local/etc/ws/a.conf', block: 'b=3', backup: true }, hosts);
    expect(block.first.values['backup_file']).toMatch(BACKUP_NAME);
    expect(block.first.values['msg']).toBe('Block inserted');
    expect(block.second.values['backup_file']).toBeUndefined();
    const copied = await threeWayOverSsh(sessions, fleet, copy, { dest: '/usr/local/etc/ws/a.conf', content: 'c=4\n', backup: true }, hosts);
    expect(copied.first.values['backup_file']).toMatch(BACKUP_NAME);
    expect(await sh('sim01', `cat '${String(copied.first.values['backup_file'])}'`)).toBe('a=2\n# BEGIN ANSIBLE MANAGED BLOCK\nb=3\n# END ANSIBLE MANAGED BLOCK\n');
  });
});

describe('validate', () => {
  it('three ways: copy writes what the validator accepts, with the wanted mode, leaving no temporary file', async () => {
    const params = { dest: '/usr/local/etc/ws/ok.sh', content: 'echo ok\n', mode: '0750', validate: 'sh -n %s' };
    const { first } = await threeWayOverSsh(sessions, fleet, copy, params, hosts);
    expect(await sh('sim01', "cat /usr/local/etc/ws/ok.sh; stat -c %a /usr/local/etc/ws/ok.sh; ls -A /usr/local/etc/ws | grep -c '^\\.' ")).toBe('echo ok\n750\n0\n');
    const content = Buffer.from('echo ok\n');
    expect(first.values).toMatchObject({
      dest: '/usr/local/etc/ws/ok.sh',
      checksum: createHash('sha1').update(content).digest('hex'),
      md5sum: createHash('md5').update(content).digest('hex'),
      size: 8,
      state: 'file',
      mode: '0750',
    });
  });

  it('a rejected file fails the task and leaves the old file and no temporary file', async () => {
    await fleet.ssh('sim01', "printf 'echo old\\n' > /usr/local/etc/ws/bad.sh");
    const before = hostDigest(fleet, 'sim01');
    for (const module of [copy, template] as const) {
      const local = await mkdtemp(join(tmpdir(), 'beastie-ws-'));
      try {
        await writeFile(join(local, 'bad.sh.j2'), 'if then fi\n');
        const params = module === copy ? { dest: '/usr/local/etc/ws/bad.sh', content: 'if then fi\n', validate: 'sh -n %s' } : { dest: '/usr/local/etc/ws/bad.sh', src: join(local, 'bad.sh.j2'), validate: 'sh -n %s' };
        const outcome = await sessions.run(module, 'sim01', params);
        expect(outcome.status).toBe('failed');
        expect(outcome.msg).toMatch(/failed to validate: rc:2/);
      } finally {
        await rm(local, { recursive: true, force: true });
      }
    }
    const line = await sessions.run(lineinfile, 'sim01', { path: '/usr/local/etc/ws/bad.sh', line: 'fi', validate: 'sh -n %s' });
    expect(line.status).toBe('failed');
    expect(await sh('sim01', 'cat /usr/local/etc/ws/bad.sh')).toBe('echo old\n');
    expect(hostDigest(fleet, 'sim01')).toBe(before);
  });

  it('three ways: lineinfile and blockinfile validate an edited file (the validator sees the whole new file)', async () => {
    for (const host of ['sim01', 'sim02']) await fleet.ssh(host, "printf 'x=1\\n' > /usr/local/etc/ws/v.sh");
    await threeWayOverSsh(sessions, fleet, lineinfile, { path: '/usr/local/etc/ws/v.sh', line: 'y=2', validate: "grep -q '^x=1$' %s" }, hosts);
    await threeWayOverSsh(sessions, fleet, blockinfile, { path: '/usr/local/etc/ws/v.sh', block: 'z=3', validate: 'sh -n %s' }, hosts);
    expect(await sh('sim01', 'cat /usr/local/etc/ws/v.sh')).toBe('x=1\ny=2\n# BEGIN ANSIBLE MANAGED BLOCK\nz=3\n# END ANSIBLE MANAGED BLOCK\n');
  });
});

describe('copy remote_src and directory_mode', () => {
  it('three ways: copies a file of the host into a directory it creates with directory_mode', async () => {
    for (const host of ['sim01', 'sim02']) await fleet.ssh(host, "printf 'from the host\\n' > /root/src.txt");
    const { first } = await threeWayOverSsh(sessions, fleet, copy, { src: '/root/src.txt', dest: '/usr/local/etc/rs/', remote_src: true, directory_mode: '0700' }, hosts);
    expect(first.values).toMatchObject({ dest: '/usr/local/etc/rs/src.txt', src: '/root/src.txt', size: 14 });
    expect(await sh('sim01', 'cat /usr/local/etc/rs/src.txt; stat -c %a /usr/local/etc/rs')).toBe('from the host\n700\n');
  });

  it('a missing remote source fails with Ansible\'s message', async () => {
    expect(await sessions.run(copy, 'sim01', { src: '/root/nope', dest: '/tmp/x', remote_src: true })).toMatchObject({ status: 'failed', msg: 'Source /root/nope not found' });
  });
});
