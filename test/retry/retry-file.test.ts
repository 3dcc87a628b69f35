import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLimitFile } from '../../src/inventory/limit.js';
import { defaultRetryPath, retryHostList, updateRetryFile } from '../../src/retry/retry-file.js';

describe('retry file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-retry-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sits beside the playbook, named after it', () => {
    expect(defaultRetryPath('playbooks/passthrough.yml')).toBe(join('playbooks', 'passthrough.retry'));
    expect(defaultRetryPath('/a/b/site.yaml')).toBe('/a/b/site.retry');
  });

  it('lists failed, unreachable and untouched hosts once each', () => {
    expect(retryHostList({ failed: ['h1', 'h2'], unreachable: ['h3', 'h1'], untouched: ['h4'] })).toEqual(['h1', 'h2', 'h3', 'h4']);
  });

  it('is written so that --limit @FILE reads back the same hosts', async () => {
    const path = join(dir, 'site.retry');
    const outcome = updateRetryFile(path, { failed: ['sim2'], unreachable: ['sim3'], untouched: ['sim4', 'sim5'] });
    expect(outcome).toEqual({ kind: 'written', path, hosts: ['sim2', 'sim3', 'sim4', 'sim5'] });
    expect(await readFile(path, 'utf8')).toBe('sim2\nsim3\nsim4\nsim5\n');
    expect(await readLimitFile(path)).toEqual(['sim2', 'sim3', 'sim4', 'sim5']);
  });

  it('is removed after a run where every host finished, so a stale list is never re-run', async () => {
    const path = join(dir, 'site.retry');
    await writeFile(path, 'old1\n');
    expect(updateRetryFile(path, { failed: [], unreachable: [], untouched: [] })).toEqual({ kind: 'removed', path });
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    expect(updateRetryFile(path, { failed: [], unreachable: [], untouched: [] })).toEqual({ kind: 'none', path });
  });

  it('takes over the lock of a run that died holding it, and leaves no lock behind', async () => {
    const path = join(dir, 'site.retry');
    const dead = spawnSync('true').pid;
    await writeFile(`${path}.lock`, `${dead} 0123456789abcdef\n`);
    expect(updateRetryFile(path, { failed: ['sim2'], unreachable: [], untouched: [], ran: ['sim2'] })).toMatchObject({ kind: 'written' });
    await expect(stat(`${path}.lock`)).rejects.toThrow(/ENOENT/);
  });
});
