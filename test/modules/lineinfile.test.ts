import { readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import lineinfile, { expandBackrefs, lineinfileAbsent, lineinfilePresent, planLineinfile } from '../../modules/lineinfile.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => lineinfile.params.parse({ path: '/f', ...p });
const present = (text: string, p: Record<string, unknown>) => lineinfilePresent(text, params(p)).text;

describe('lineinfile present (Ansible placement rules)', () => {
  it.each([
    ['appends at EOF by default', 'a\nb\n', { line: 'c' }, 'a\nb\nc\n'],
    ['adds the missing final newline before appending', 'a', { line: 'c' }, 'a\nc\n'],
    ['leaves an identical line alone', 'a\nc\nb\n', { line: 'c' }, 'a\nc\nb\n'],
    ['replaces the last regexp match', 'x=1\ny=2\nx=3\n', { regexp: '^x=', line: 'x=9' }, 'x=1\ny=2\nx=9\n'],
    ['replaces the first match with firstmatch', 'x=1\nx=3\n', { regexp: '^x=', line: 'x=9', firstmatch: true }, 'x=9\nx=3\n'],
    ['regexp without match but the exact line present: no change', 'x=9\n', { regexp: '^#x=', line: 'x=9' }, 'x=9\n'],
    ['regexp without match: appended', 'a\n', { regexp: '^x=', line: 'x=9' }, 'a\nx=9\n'],
    ['insertafter a regexp (last match)', 'a\n[s]\nb\n', { line: 'k=v', insertafter: '^\\[s\\]' }, 'a\n[s]\nk=v\nb\n'],
    ['insertbefore a regexp', 'a\n}\n', { line: '  allow.vmm;', insertbefore: '^}' }, 'a\n  allow.vmm;\n}\n'],
    ['insertbefore BOF', 'a\n', { line: '#!/bin/sh', insertbefore: 'BOF' }, '#!/bin/sh\na\n'],
    ['insertafter with no match falls back to EOF', 'a\n', { line: 'z', insertafter: '^nomatch' }, 'a\nz\n'],
    ['backrefs expand groups', 'port=22\n', { regexp: '^port=(\\d+)', line: 'port=\\1\\1', backrefs: true }, 'port=2222\n'],
    ['backrefs without a match change nothing', 'a\n', { regexp: '^port=(\\d+)', line: 'port=\\1', backrefs: true }, 'a\n'],
    ['search_string replaces the line containing it', 'foo bar\nbaz\n', { search_string: 'bar', line: 'qux' }, 'qux\nbaz\n'],
    ['an empty file gets the line', '', { line: 'a' }, 'a\n'],
    ['CRLF lines elsewhere are kept byte for byte', 'a\r\nb\r\n', { line: 'c' }, 'a\r\nb\r\nc\n'],
  ])('%s', (_name, text, p, expected) => {
    expect(present(text, p)).toBe(expected);
  });

  it('expands \\g<name> and \\g<1>', () => {
    const match = /(?<key>\w+)=(\d+)/.exec('a=1');
    expect(match && expandBackrefs('\\g<key>:\\g<2>', match)).toBe('a:1');
  });
});

describe('lineinfile absent', () => {
  it('removes every matching line, by line or regexp', () => {
    expect(lineinfileAbsent('a\nb\na\n', params({ state: 'absent', line: 'a' }))).toEqual({ text: 'b\n', removed: 2 });
    expect(lineinfileAbsent('x=1\ny\nx=2', params({ state: 'absent', regexp: '^x=' }))).toEqual({ text: 'y\n', removed: 2 });
  });
});

describe('lineinfile plan', () => {
  const stat = { type: 'file' as const, mode: 0o600, owner: 'root', group: 'wheel', size: 2 };
  const file = (text: string) => ({ content: { kind: 'file' as const, content: Buffer.from(text) }, stat });

  it('writes atomically with a diff, keeping mode and owner', () => {
    const plan = planLineinfile(params({ line: 'b' }), file('a\n'));
    expect(plan.steps[0]).toMatchObject({
      kind: 'change',
      actions: [{ kind: 'put', path: '/f', mode: 0o600, owner: 'root', group: 'wheel' }],
      diff: { header: '/f', before: 'a\n', after: 'a\nb\n' },
    });
  });

  it('is a no-op when the line is there, and fixes only attributes when asked', () => {
    expect(planLineinfile(params({ line: 'a' }), file('a\n')).steps).toEqual([{ kind: 'noop', reason: '/f is up to date' }]);
    const plan = planLineinfile(params({ line: 'a', mode: '0644' }), file('a\n'));
    expect(plan.steps[0]).toMatchObject({ kind: 'change', actions: [{ kind: 'run', command: { text: 'chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0644 /f' } }] });
  });

  it('fails on a missing file unless create, and on a directory', () => {
    expect(planLineinfile(params({ line: 'a' }), { content: { kind: 'absent' }, stat: undefined }).failure).toMatch(/Destination \/f does not exist/);
    const created = planLineinfile(params({ line: 'a', create: true }), { content: { kind: 'absent' }, stat: undefined });
    expect(created.steps[0]).toMatchObject({ kind: 'change', actions: [{ kind: 'run', command: { text: 'mkdir -p /' } }, { kind: 'put', content: Buffer.from('a\n') }] });
    expect(planLineinfile(params({ line: 'a' }), { content: { kind: 'not-a-file' }, stat: undefined }).failure).toMatch(/not a regular file/);
    expect(planLineinfile(params({ state: 'absent', line: 'a' }), { content: { kind: 'absent' }, stat: undefined }).steps[0]?.kind).toBe('noop');
  });

  it('validates at load: aliases, bad regexps, exclusive options', () => {
    expect(lineinfile.params.parse({ dest: '/x', line: 'a' })).toMatchObject({ path: '/x', line: 'a' });
    expect(() => lineinfile.params.parse({ path: '/x', line: 'a', regexp: '(' })).toThrow(/not a valid regular expression/);
    expect(() => lineinfile.params.parse({ path: '/x', line: 'a', insertafter: 'a', insertbefore: 'b' })).toThrow(/mutually exclusive/);
    expect(() => lineinfile.params.parse({ path: '/x' })).toThrow(/needs line/);
    expect(() => lineinfile.params.parse({ path: '/x', line: 'a', backupp: true })).toThrow();
    expect(() => lineinfile.params.parse({ path: '/x', line: 'a', validate: 'visudo -cf' })).toThrow(/validate must contain %s/);
    expect(() => lineinfile.params.parse({ path: '/x', line: 'a', validate: 'sh -n %s | cat' })).toThrow(/shell syntax/);
  });
});

describe('lineinfile on the local connection', () => {
  it('three ways: replaces a line, keeps every other byte and the mode', async () => {
    const original = '# rc.conf\r\nsshd_enable="YES"\nvm_enable="NO"\nlast line without newline';
    const { first, dir, cleanup } = await threeWay({
      module: lineinfile,
      prepare: async (dir) => {
        await writeFile(join(dir, 'rc.conf'), original);
        await chmod(join(dir, 'rc.conf'), 0o640);
      },
      params: (dir) => ({ path: join(dir, 'rc.conf'), regexp: '^vm_enable=', line: 'vm_enable="YES"' }),
    });
    expect(await readFile(join(dir, 'rc.conf'), 'utf8')).toBe(original.replace('vm_enable="NO"', 'vm_enable="YES"'));
    expect((await stat(join(dir, 'rc.conf'))).mode & 0o777).toBe(0o640);
    expect(first.diffs[0]).toMatchObject({ before: original, after: original.replace('"NO"', '"YES"') });
    await cleanup();
  });

  it('three ways: creates a missing file (and its directory) with a mode', async () => {
    const { dir, cleanup } = await threeWay({
      module: lineinfile,
      params: (dir) => ({ path: join(dir, 'sub', 'loader.conf'), line: 'vmm_load="YES"', create: true, mode: '0600' }),
    });
    expect(await readFile(join(dir, 'sub', 'loader.conf'), 'utf8')).toBe('vmm_load="YES"\n');
    expect((await stat(join(dir, 'sub', 'loader.conf'))).mode & 0o777).toBe(0o600);
    await cleanup();
  });

  it('three ways: removes lines', async () => {
    const { dir, cleanup } = await threeWay({
      module: lineinfile,
      prepare: (dir) => writeFile(join(dir, 'f'), 'keep\ndrop me\nkeep too\n'),
      params: (dir) => ({ path: join(dir, 'f'), state: 'absent', regexp: '^drop' }),
    });
    expect(await readFile(join(dir, 'f'), 'utf8')).toBe('keep\nkeep too\n');
    await cleanup();
  });

  it('fails on a missing file without create and changes nothing', async () => {
    const outcome = await runLocal(lineinfile, { path: '/nonexistent/beastie/x', line: 'a' });
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome.msg).toMatch(/does not exist/);
  });
});
