import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import blockinfile, { applyBlock, planBlockinfile } from '../../modules/blockinfile.js';
import { threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => blockinfile.params.parse({ path: '/f', ...p });
const B = '# BEGIN ANSIBLE MANAGED BLOCK\n';
const E = '# END ANSIBLE MANAGED BLOCK\n';

describe('applyBlock', () => {
  it.each([
    ['appends at EOF', 'a\n', { block: 'x\ny' }, `a\n${B}x\ny\n${E}`],
    ['adds a newline to a last line without one', 'a', { block: 'x' }, `a\n${B}x\n${E}`],
    ['replaces an existing block, bytes around it untouched', `a\r\n${B}old\n${E}z`, { block: 'new\n' }, `a\r\n${B}new\n${E}z`],
    ['is stable when the block is already there', `a\n${B}x\n${E}b\n`, { block: 'x' }, `a\n${B}x\n${E}b\n`],
    ['removes the block with state absent', `a\n${B}x\n${E}b\n`, { state: 'absent' }, 'a\nb\n'],
    ['removes the block when it is empty', `a\n${B}x\n${E}`, { block: '' }, 'a\n'],
    ['inserts after the last line matching insertafter', 'a\n[x]\nb\n', { block: 'k', insertafter: '^\\[x\\]' }, `a\n[x]\n${B}k\n${E}b\n`],
    ['inserts at BOF', 'a\n', { block: 'k', insertbefore: 'BOF' }, `${B}k\n${E}a\n`],
    ['uses a custom marker', '', { block: 'k', marker: '## {mark} devfs', marker_begin: 'start', marker_end: 'stop' }, '## start devfs\nk\n## stop devfs\n'],
  ])('%s', (_name, text, p, expected) => {
    expect(applyBlock(text, params(p))).toBe(expected);
  });
});

describe('blockinfile plan', () => {
  it('fails on a missing file unless create; a missing file with state absent is fine', () => {
    expect(planBlockinfile(params({ block: 'x' }), { content: { kind: 'absent' }, stat: undefined }).failure).toMatch(/does not exist/);
    expect(planBlockinfile(params({ state: 'absent' }), { content: { kind: 'absent' }, stat: undefined }).steps[0]?.kind).toBe('noop');
    expect(planBlockinfile(params({ block: 'x', create: true }), { content: { kind: 'absent' }, stat: undefined }).steps[0]).toMatchObject({
      kind: 'change',
      diff: { before: '', after: `${B}x\n${E}` },
    });
  });

  it('requires {mark} in the marker', () => {
    expect(() => params({ block: 'x', marker: '# managed' })).toThrow(/\{mark\}/);
    expect(blockinfile.params.parse({ dest: '/x', content: 'c' })).toMatchObject({ path: '/x', block: 'c' });
  });
});

describe('blockinfile on the local connection', () => {
  it('three ways: writes the block, leaves the rest byte for byte', async () => {
    const original = '[devfsrules_jail=4]\nadd include $devfsrules_hide_all\r\n\n# trailing';
    const { dir, cleanup } = await threeWay({
      module: blockinfile,
      prepare: (dir) => writeFile(join(dir, 'devfs.rules'), original),
      params: (dir) => ({ path: join(dir, 'devfs.rules'), marker: '# {mark} beastie bhyve', block: '[devfsrules_bhyve=25]\nadd path vmm unhide\n' }),
    });
    expect(await readFile(join(dir, 'devfs.rules'), 'utf8')).toBe(`${original}\n# BEGIN beastie bhyve\n[devfsrules_bhyve=25]\nadd path vmm unhide\n# END beastie bhyve\n`);
    await cleanup();
  });

  it('three ways: removes a block', async () => {
    const { dir, cleanup } = await threeWay({
      module: blockinfile,
      prepare: (dir) => writeFile(join(dir, 'f'), `a\n${B}x\n${E}b\n`),
      params: (dir) => ({ path: join(dir, 'f'), state: 'absent' }),
    });
    expect(await readFile(join(dir, 'f'), 'utf8')).toBe('a\nb\n');
    await cleanup();
  });
});
