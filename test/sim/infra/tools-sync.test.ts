import { chmod, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncTools } from '../../../sim/infra/tools-sync.js';

describe('syncTools', () => {
  let dir = '';
  let source = '';
  let target = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-tools-sync-'));
    source = join(dir, 'tools');
    target = join(dir, 'fleet-tools');
    for (const sub of ['host/bin', 'jail/bin', 'lib', 'host/libexec']) await mkdir(join(source, sub), { recursive: true });
    await writeFile(join(source, 'host/bin/kldstat'), '#!/bin/sh\necho v1\n', { mode: 0o755 });
    await writeFile(join(source, 'jail/bin/jls'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(source, 'lib/common.sh'), 'x=1\n', { mode: 0o644 });
    await writeFile(join(source, 'host/libexec/sim-boot'), '#!/bin/sh\n', { mode: 0o755 });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('merges host and jail tools into bin and libexec, keeping modes', async () => {
    const first = await syncTools(source, target);
    expect([...first.copied].sort()).toEqual(['bin/jls', 'bin/kldstat', 'lib/common.sh', 'libexec/sim-boot']);
    expect((await stat(join(target, 'bin/kldstat'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(target, 'lib/common.sh'))).mode & 0o777).toBe(0o644);
    expect(await syncTools(source, target)).toEqual({ copied: [], removed: [], clashes: [] });
  });

  it('follows edits made by rename, new tools, mode changes and deletions', async () => {
    await syncTools(source, target);
    await writeFile(join(source, 'host/bin/.kldstat.new'), '#!/bin/sh\necho v2\n', { mode: 0o755 });
    await rename(join(source, 'host/bin/.kldstat.new'), join(source, 'host/bin/kldstat'));
    await writeFile(join(source, 'jail/bin/jexec'), '#!/bin/sh\n', { mode: 0o755 });
    await chmod(join(source, 'lib/common.sh'), 0o600);
    await rm(join(source, 'jail/bin/jls'));
    const report = await syncTools(source, target);
    expect([...report.copied].sort()).toEqual(['bin/jexec', 'bin/kldstat', 'lib/common.sh']);
    expect(report.removed).toEqual(['bin/jls']);
    expect(await readFile(join(target, 'bin/kldstat'), 'utf8')).toBe('#!/bin/sh\necho v2\n');
    expect((await stat(join(target, 'lib/common.sh'))).mode & 0o777).toBe(0o600);
  });

  it('reports a name both host and jail tools provide and uses the host tool', async () => {
    await writeFile(join(source, 'jail/bin/kldstat'), '#!/bin/sh\necho jail\n', { mode: 0o755 });
    const report = await syncTools(source, target);
    expect(report.clashes).toEqual(['bin/kldstat']);
    expect(await readFile(join(target, 'bin/kldstat'), 'utf8')).toBe('#!/bin/sh\necho v1\n');
  });

  it('treats missing tool directories as empty', async () => {
    const report = await syncTools(join(dir, 'nothing'), target);
    expect(report).toEqual({ copied: [], removed: [], clashes: [] });
    expect((await stat(join(target, 'libexec'))).isDirectory()).toBe(true);
  });
});
