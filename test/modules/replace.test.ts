import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import replace, { planReplace, replaceText } from '../../modules/replace.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => replace.params.parse({ path: '/p', ...p });
const file = (text: string) => ({ content: { kind: 'file' as const, content: Buffer.from(text) }, stat: { type: 'file' as const, mode: 0o644, owner: 'root', group: 'wheel', size: text.length } });

describe('replace text (Ansible\'s re.subn with MULTILINE)', () => {
  it.each([
    ['every match', { regexp: 'a', replace: 'b' }, 'a a\na\n', 'b b\nb\n', 3],
    ['^ and $ at each line', { regexp: '^#(.*)$', replace: '\\1' }, '#x\ny\n#z\n', 'x\ny\nz\n', 2],
    ['named groups', { regexp: '(?<k>\\w+)=(?<v>\\w+)', replace: '\\g<v>=\\g<k>' }, 'a=1\n', '1=a\n', 1],
    ['empty replace removes', { regexp: '[ \\t]+$' }, 'a  \nb\t\n', 'a\nb\n', 2],
    ['only after', { regexp: 'x', replace: 'y', after: 'START' }, 'x START x\nx\n', 'x START y\ny\n', 2],
    ['only before', { regexp: 'x', replace: 'y', before: 'END' }, 'x\nEND x\n', 'y\nEND x\n', 1],
    ['between after and before', { regexp: 'x', replace: 'y', after: '<a>', before: '</a>' }, 'x<a>x\nx</a>x', 'x<a>y\ny</a>x', 2],
  ])('%s', (_name, p, text, expected, count) => {
    expect(replaceText(text, params(p))).toEqual({ kind: 'replaced', text: expected, count });
  });

  it('a section that does not match: nothing changes, Ansible\'s message', () => {
    expect(replaceText('abc', params({ regexp: 'a', after: 'zzz' }))).toEqual({ kind: 'no-section', pattern: 'zzz(?<subsection>.*)' });
    expect(planReplace(params({ regexp: 'a', after: 'zzz' }), file('abc'))).toMatchObject({ steps: [{ kind: 'noop' }], values: { msg: 'Pattern for before/after params did not match the given file: zzz(?<subsection>.*)' } });
  });
});

describe('replace plan', () => {
  it('writes the new text and says how many replacements were made', () => {
    const plan = planReplace(params({ regexp: 'NO', replace: 'YES' }), file('a="NO"\nb="NO"\n'));
    expect(plan.values).toEqual({ msg: '2 replacements made' });
    expect(plan.steps[0]).toMatchObject({ kind: 'change', actions: [{ kind: 'put', path: '/p', content: Buffer.from('a="YES"\nb="YES"\n'), mode: 0o644 }], diff: { before: 'a="NO"\nb="NO"\n', after: 'a="YES"\nb="YES"\n' } });
  });

  it('no match, or a replacement equal to the match: not changed, empty msg', () => {
    expect(planReplace(params({ regexp: 'zzz' }), file('a\n'))).toEqual({ steps: [{ kind: 'noop', reason: '/p is up to date' }], values: { msg: '' } });
    expect(planReplace(params({ regexp: 'a', replace: 'a' }), file('a\n')).steps[0]?.kind).toBe('noop');
  });

  it('fails as Ansible does for a missing path or a directory', () => {
    expect(planReplace(params({ regexp: 'a' }), { content: { kind: 'absent' }, stat: undefined })).toMatchObject({ failure: 'Path /p does not exist !', values: { rc: 257 } });
    expect(planReplace(params({ regexp: 'a' }), { content: { kind: 'not-a-file' }, stat: undefined })).toMatchObject({ failure: 'Path /p is a directory !' });
  });

  it('validates at load: aliases, a bad expression, unsupported options', () => {
    expect(replace.params.parse({ dest: '/x', regexp: 'a' })).toMatchObject({ path: '/x', replace: '' });
    expect(() => replace.params.parse({ path: '/x', regexp: '(' })).toThrow(/not a valid regular expression/);
    expect(() => replace.params.parse({ path: '/x' })).toThrow();
  });
});

describe('replace on the local connection', () => {
  it('three ways: comments out a line; the file keeps its mode', async () => {
    const { dir, first, cleanup } = await threeWay({
      module: replace,
      prepare: (dir) => writeFile(join(dir, 'rc.conf'), 'sshd_enable="YES"\nntpd_enable="YES"\n', { mode: 0o640 }),
      params: (dir) => ({ path: join(dir, 'rc.conf'), regexp: '^(ntpd_enable=.*)$', replace: '#\\1' }),
    });
    expect(first.values['msg']).toBe('1 replacements made');
    expect(await readFile(join(dir, 'rc.conf'), 'utf8')).toBe('sshd_enable="YES"\n#ntpd_enable="YES"\n');
    await cleanup();
  });

  it('a missing file fails', async () => {
    const outcome = await runLocal(replace, { path: '/nonexistent/beastie', regexp: 'a' });
    expect(outcome).toMatchObject({ status: 'failed', msg: 'Path /nonexistent/beastie does not exist !' });
  });
});
