import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret, sh } from '../../src/command/command.js';
import { LocalTransport } from '../../src/transport/local.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-local-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalTransport', () => {
  it('runs /bin/sh with LC_ALL=C and returns the same fields for success and failure', async () => {
    const t = new LocalTransport();
    const ok = await t.run(sh`echo $LC_ALL`);
    expect(ok).toMatchObject({ exitCode: 0, stdout: 'C\n', stderr: '' });
    const bad = await t.run(sh`echo err >&2; exit 4`);
    expect(bad).toMatchObject({ exitCode: 4, stdout: '', stderr: 'err\n' });
  });

  it('shows secrets as *** in the command it reports', async () => {
    const result = await new LocalTransport().run(sh`printf %s ${new Secret('hunter2')}`);
    expect(result.stdout).toBe('hunter2');
    expect(result.command).toBe('printf %s ***');
  });

  it('kills a command at its timeout', async () => {
    const result = await new LocalTransport().run(sh`sleep 5`, { timeoutMs: 100 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
  });

  it('puts atomically with the mode set, leaving no temporary file', async () => {
    const t = new LocalTransport();
    const path = join(dir, 'rc.conf');
    await writeFile(path, 'old\n');
    await t.put(path, 'new\n', { mode: 0o600 });
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['rc.conf']);
    expect(await t.get(join(dir, 'absent'))).toBeUndefined();
  });
});
