// ansible.posix.patch (issue 12) on the simulated FreeBSD fleet over the real SSH transport, with
// the fleet's BSD patch: apply → changed, --check on a fresh host → changed and nothing written,
// apply again → ok; then state: absent reverts it, and again → ok.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import patch from '../../modules/patch.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
let files: string;
const original = '<html>\n<title>old</title>\n<body>hello</body>\n</html>\n';
const patched = '<html>\n<title>new</title>\n<body>hello</body>\n</html>\n';
const diff = '--- index.html.orig\n+++ index.html\n@@ -1,4 +1,4 @@\n <html>\n-<title>old</title>\n+<title>new</title>\n <body>hello</body>\n </html>\n';

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  files = await mkdtemp(join(tmpdir(), 'beastie-patch-'));
  await mkdir(join(files, 'files'), { recursive: true });
  await writeFile(join(files, 'files/index.patch'), diff);
  for (const host of ['sim01', 'sim02']) {
    const result = await fleet.ssh(host, `mkdir -p /usr/local/www && printf '${original.replace(/\n/g, '\\n')}' > /usr/local/www/index.html`);
    expect(result.exitCode, result.stderr).toBe(0);
  }
}, 180_000);
afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

const cat = async (host: string) => (await fleet.ssh(host, 'cat /usr/local/www/index.html')).stdout;

describe('patch on the fleet', () => {
  it('applies a controller patch once; --check writes nothing; state absent reverts it once', async () => {
    const vars = { playbook_dir: files, inventory_hostname: 'sim01' };
    const params = { src: 'index.patch', dest: '/usr/local/www/index.html' };
    const { second } = await threeWayOverSsh(sessions, fleet, patch, params, { applied: 'sim01', fresh: 'sim02', vars });
    expect(second.msg ?? '').toContain('already applied');
    expect(await cat('sim01')).toBe(patched);
    expect(await cat('sim02')).toBe(original);

    const revert = await sessions.run(patch, 'sim01', { ...params, state: 'absent' }, { vars });
    expect(revert.status, revert.msg).toBe('changed');
    expect(await cat('sim01')).toBe(original);
    const again = await sessions.run(patch, 'sim01', { ...params, state: 'absent' }, { vars });
    expect(again.status, again.msg).toBe('ok');
  });

  it('backup: numbered backups (patch -b -V numbered, backupfile.c), one more each change', async () => {
    const vars = { playbook_dir: files, inventory_hostname: 'sim01' };
    const params = { src: 'index.patch', dest: '/usr/local/www/index.html', backup: true };
    await fleet.ssh('sim01', 'rm -f /usr/local/www/index.html.*');
    expect(await cat('sim01')).toBe(original);
    expect((await sessions.run(patch, 'sim01', params, { vars })).status).toBe('changed');
    expect((await sessions.run(patch, 'sim01', { ...params, state: 'absent' }, { vars })).status).toBe('changed');
    expect((await fleet.ssh('sim01', 'ls /usr/local/www')).stdout).toBe('index.html\nindex.html.~1~\nindex.html.~2~\n');
    expect((await fleet.ssh('sim01', 'cat /usr/local/www/index.html.~1~')).stdout).toBe(original);
    expect((await fleet.ssh('sim01', 'cat /usr/local/www/index.html.~2~')).stdout).toBe(patched);
  });

  it("the fleet's patch takes -V as backupfile.c's get_version: unique abbreviations, never is simple, none is refused", async () => {
    await fleet.ssh('sim01', 'rm -f /usr/local/www/index.html.*');
    const ambiguous = await fleet.ssh('sim01', 'patch -C -V n /usr/local/www/index.html < /dev/null');
    expect(ambiguous).toMatchObject({ exitCode: 2, stderr: "patch: ambiguous version control type `n'\n" });
    const none = await fleet.ssh('sim01', 'patch -C -V none /usr/local/www/index.html < /dev/null');
    expect(none).toMatchObject({ exitCode: 2, stderr: "patch: invalid version control type `none'\n" });
    const put = await fleet.ssh('sim01', `printf '%s' '${diff}' > /tmp/index.patch && patch -s -f -V ne -d /usr/local/www -i /tmp/index.patch index.html && ls /usr/local/www`);
    expect(put.stdout, put.stderr).toBe('index.html\nindex.html.orig\n');
  });

  it('remote_src with basedir and strip; a patch that fits neither way fails and writes nothing', async () => {
    const put = await fleet.ssh('sim02', `printf '%s' '${diff.replace(/--- index.html.orig\n\+\+\+ index.html/, '--- a/index.html\n+++ b/index.html')}' > /tmp/site.patch`);
    expect(put.exitCode, put.stderr).toBe(0);
    const params = { src: '/tmp/site.patch', remote_src: true, basedir: '/usr/local/www', strip: 1 };
    const first = await sessions.run(patch, 'sim02', params);
    expect(first.status, first.msg).toBe('changed');
    expect(await cat('sim02')).toBe(patched);
    expect((await sessions.run(patch, 'sim02', params)).status).toBe('ok');

    await fleet.ssh('sim02', "printf 'something else\\n' > /usr/local/www/index.html");
    const conflict = await sessions.run(patch, 'sim02', params);
    expect(conflict.status).toBe('failed');
    expect(conflict.msg).toContain('the patch does not apply to /usr/local/www (dry run)');
    expect(await cat('sim02')).toBe('something else\n');
    expect((await fleet.ssh('sim02', 'ls /usr/local/www')).stdout).not.toContain('.rej');
  });
});
