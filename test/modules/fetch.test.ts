import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fetch, { fetchDestination, planFetch } from '../../modules/fetch.js';
import { sha256 } from '../../modules/support/diff-text.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => fetch.params.parse({ src: '/etc/rc.conf', dest: 'backups', ...p });

describe('fetch destination', () => {
  it('is DEST/HOST/SRC, or DEST itself with flat (DEST/BASENAME when it ends in /)', () => {
    expect(fetchDestination(params({}), 'host01')).toBe('backups/host01/etc/rc.conf');
    expect(fetchDestination(params({ flat: true, dest: 'out/rc.conf' }), 'host01')).toBe('out/rc.conf');
    expect(fetchDestination(params({ flat: true, dest: 'out/' }), 'host01')).toBe('out/rc.conf');
    expect(fetchDestination(params({}), 'host01', '/pb')).toBe('/pb/backups/host01/etc/rc.conf');
    expect(fetchDestination(params({ dest: '/abs' }), 'host01', '/pb')).toBe('/abs/host01/etc/rc.conf');
  });
});

describe('fetch plan', () => {
  it('is a no-op when the controller copy has the same checksum', () => {
    const local = Buffer.from('a');
    expect(planFetch(params({}), { localPath: 'l', local, remote: { kind: 'file', sha256: sha256(local) } }).steps[0]?.kind).toBe('noop');
  });

  it('fetches a different or missing copy, with the diff', () => {
    const plan = planFetch(params({}), { localPath: 'l', local: Buffer.from('old\n'), remote: { kind: 'file', sha256: sha256('new\n'), content: Buffer.from('new\n') } });
    expect(plan.steps[0]).toMatchObject({ kind: 'change', diff: { header: 'l', before: 'old\n', after: 'new\n' } });
  });

  it('a missing remote file fails, or is a no-op with fail_on_missing: false', () => {
    expect(planFetch(params({}), { localPath: 'l', local: undefined, remote: { kind: 'missing' } }).failure).toBe('the remote file does not exist: /etc/rc.conf');
    expect(planFetch(params({ fail_on_missing: false }), { localPath: 'l', local: undefined, remote: { kind: 'missing' } }).steps[0]?.kind).toBe('noop');
  });
});

describe('fetch on the local connection', () => {
  it('three ways: the host file lands in DEST/HOST/SRC on the controller', async () => {
    const bytes = Buffer.from([1, 2, 0, 255, 10]);
    const { dir, cleanup } = await threeWay({
      module: fetch,
      vars: { inventory_hostname: 'host01' },
      prepare: (dir) => writeFile(join(dir, 'remote.bin'), bytes),
      params: (dir) => ({ src: join(dir, 'remote.bin'), dest: join(dir, 'backups') }),
    });
    expect(await readFile(join(dir, 'backups', 'host01', dir, 'remote.bin'))).toEqual(bytes);
    await cleanup();
  });

  it('fails when the remote file is missing', async () => {
    const outcome = await runLocal(fetch, { src: '/nonexistent/beastie', dest: '/tmp/beastie-never', flat: true });
    expect(outcome).toMatchObject({ status: 'failed', msg: 'the remote file does not exist: /nonexistent/beastie' });
  });
});
