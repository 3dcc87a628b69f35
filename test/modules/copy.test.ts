import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import copy, { planWrite } from '../../modules/copy.js';
import { sha256 } from '../../modules/support/diff-text.js';
import { modeParam } from '../../modules/support/file-attributes.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const stat644 = { type: 'file' as const, mode: 0o644, owner: 'root', group: 'wheel', size: 4 };
const found = (text: string) => ({ kind: 'found' as const, content: Buffer.from(text) });

describe('modes as playbooks write them', () => {
  it.each([
    ['0644', 0o644],
    ['644', 0o644],
    ['0o750', 0o750],
    [644, 0o644], // YAML 1.2 reads a bare 0644 as 644
    ['4755', 0o4755],
  ])('%s', (input, mode) => {
    expect(modeParam.parse(input)).toBe(mode);
  });

  it('refuses what is neither octal nor symbolic', () => {
    expect(() => modeParam.parse('u+rwq')).toThrow(/bad symbolic permission for mode: u\+rwq/);
    expect(() => modeParam.parse(420.5)).toThrow();
    expect(() => modeParam.parse(999)).toThrow(/not an octal mode/);
  });
});

describe('copy plan', () => {
  it('compares checksums: equal content is a no-op', () => {
    const plan = planWrite({ source: found('new\n'), destination: { path: '/d', current: { stat: stat644, sha256: sha256('new\n') } } }, { force: true }, 'content');
    expect(plan.steps).toEqual([{ kind: 'noop', reason: '/d is up to date' }]);
  });

  it('writes differing content with the old mode and owner, and shows both sides', () => {
    const plan = planWrite(
      { source: found('new\n'), destination: { path: '/d', current: { stat: stat644, sha256: sha256('old\n'), content: Buffer.from('old\n') } } },
      { force: true },
      'content',
    );
    expect(plan.steps[0]).toMatchObject({
      kind: 'change',
      summary: 'update /d from content',
      actions: [{ kind: 'put', path: '/d', mode: 0o644, owner: 'root', group: 'wheel' }],
      diff: { header: '/d', before: 'old\n', after: 'new\n' },
    });
  });

  it('shows a large or binary old file by size and checksum', () => {
    const plan = planWrite({ source: found('x'), destination: { path: '/d', current: { stat: { ...stat644, size: 10_000_000 }, sha256: 'ab' } } }, { force: true }, 'content');
    expect(plan.steps[0]).toMatchObject({ diff: { before: '(10000000 bytes, sha256 ab)\n' } });
    const binary = planWrite({ source: { kind: 'found', content: Buffer.from([0, 1]) }, destination: { path: '/d', current: { stat: undefined, sha256: undefined } } }, { force: true }, 'x');
    expect(binary.steps[0]).toMatchObject({ diff: { before: '', after: expect.stringMatching(/^\(binary: 2 bytes, sha256 [0-9a-f]{64}\)/) } });
  });

  it('fixes only the attributes when the content matches', () => {
    const plan = planWrite({ source: found('x'), destination: { path: '/d', current: { stat: stat644, sha256: sha256('x') } } }, { force: true, mode: 0o600, owner: 'www' }, 'content');
    expect(plan.steps[0]).toMatchObject({
      kind: 'change',
      summary: '/d: mode 0644 → 0600, owner root → www',
      actions: [{ command: { text: 'chown -h www /d' } }, { command: { text: 'chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0600 /d' } }],
      diff: { header: '/d (file attributes)', before: 'mode: 0644\nowner: root\n', after: 'mode: 0600\nowner: www\n' },
    });
  });

  it('force: false leaves an existing file alone; a directory or missing src fails', () => {
    expect(planWrite({ source: found('x'), destination: { path: '/d', current: { stat: stat644, sha256: 'other' } } }, { force: false }, 'c').steps[0]).toMatchObject({ kind: 'noop' });
    expect(planWrite({ source: found('x'), destination: { path: '/d', current: { stat: { ...stat644, type: 'directory' }, sha256: undefined } } }, { force: true }, 'c').failure).toMatch(/is a directory/);
    expect(planWrite({ source: { kind: 'missing', message: 'could not find' }, destination: { path: '/d', current: { stat: undefined, sha256: undefined } } }, { force: true }, 'c').failure).toBe('could not find');
  });

  it('needs exactly one of content and src', () => {
    expect(() => copy.params.parse({ dest: '/d' })).toThrow(/exactly one of content and src/);
    expect(() => copy.params.parse({ dest: '/d', content: 'x', src: 'y' })).toThrow(/exactly one/);
  });
});

describe('copy on the local connection', () => {
  it('three ways with content and a mode', async () => {
    const { first, dir, cleanup } = await threeWay({
      module: copy,
      prepare: (dir) => writeFile(join(dir, 'system.conf'), 'switch_list=""\n'),
      params: (dir) => ({ dest: join(dir, 'system.conf'), content: 'switch_list="public"\n', mode: '0600' }),
    });
    expect(await readFile(join(dir, 'system.conf'), 'utf8')).toBe('switch_list="public"\n');
    expect((await stat(join(dir, 'system.conf'))).mode & 0o777).toBe(0o600);
    expect(first.diffs[0]).toEqual({ header: join(dir, 'system.conf'), before: 'switch_list=""\n', after: 'switch_list="public"\n' });
    await cleanup();
  });

  it('three ways with a controller src found under playbook_dir/files, into a directory dest', async () => {
    const playbook = await mkdtemp(join(tmpdir(), 'beastie-pb-'));
    await mkdir(join(playbook, 'files'));
    const bytes = Buffer.from([0, 1, 2, 3, 255]);
    await writeFile(join(playbook, 'files', 'blob.bin'), bytes);
    const { dir, cleanup } = await threeWay({
      module: copy,
      vars: { playbook_dir: playbook },
      prepare: (dir) => mkdir(join(dir, 'into')),
      params: (dir) => ({ src: 'blob.bin', dest: join(dir, 'into') }),
    });
    expect(await readFile(join(dir, 'into', 'blob.bin'))).toEqual(bytes);
    await cleanup();
    await rm(playbook, { recursive: true, force: true });
  });

  it("mode 'preserve' gives dest the source file's mode, from the controller or with remote_src (three ways)", async () => {
    const playbook = await mkdtemp(join(tmpdir(), 'beastie-copy-preserve-'));
    await mkdir(join(playbook, 'files'));
    await writeFile(join(playbook, 'files', 'run.sh'), '#!/bin/sh\n', { mode: 0o750 });
    const local = await threeWay({ module: copy, vars: { playbook_dir: playbook }, params: (dir) => ({ src: 'run.sh', dest: join(dir, 'run.sh'), mode: 'preserve' }) });
    expect((await stat(join(local.dir, 'run.sh'))).mode & 0o7777).toBe(0o750);
    await local.cleanup();
    const again = await threeWay({ module: copy, params: (dir) => ({ src: join(playbook, 'files', 'run.sh'), remote_src: true, dest: join(dir, 'run.sh'), mode: 'preserve' }) });
    expect((await stat(join(again.dir, 'run.sh'))).mode & 0o7777).toBe(0o750);
    await again.cleanup();
    expect(() => copy.params.parse({ content: 'x', dest: '/d', mode: 'preserve' })).toThrow(/mode 'preserve' needs src/);
    await rm(playbook, { recursive: true, force: true });
  });

  it('fails naming every place it looked for a missing src', async () => {
    const outcome = await runLocal(copy, { src: 'nope.txt', dest: '/tmp/beastie-never' }, { vars: { playbook_dir: '/pb' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.msg).toContain("could not find 'nope.txt' on the controller; tried /pb/files/nope.txt, /pb/nope.txt");
  });
});
