import { describe, expect, it } from 'vitest';
import assemble, { assembleFragments, decodeEscapes, parseFragments } from '../../modules/assemble.js';

const p = (x: Record<string, unknown> = {}) => assemble.params.parse({ src: '/usr/local/etc/frags', dest: '/etc/app.conf', ...x });
const frags = [
  { name: '20-b', content: 'b=2' },
  { name: '10-a', content: 'a=1\n' },
  { name: '.hidden', content: 'h=1\n' },
  { name: '30-c.disabled', content: 'c=3\n' },
];

describe('assemble: assemble_from_fragments', () => {
  it('joins in name order, adding the newline a fragment lacks only before the next one', () => {
    expect(assembleFragments(frags, p())).toBe('h=1\na=1\nb=2\nc=3\n');
    expect(assembleFragments([{ name: 'x', content: 'no newline' }], p())).toBe('no newline');
  });
  it('filters with regexp (searched) and ignore_hidden; puts the delimiter between fragments with a newline', () => {
    expect(assembleFragments(frags, p({ regexp: '^\\d+-[a-z]$', ignore_hidden: true }))).toBe('a=1\nb=2');
    expect(assembleFragments(frags, p({ ignore_hidden: true, delimiter: '### part' }))).toBe('a=1\n### part\nb=2\n### part\nc=3\n');
    expect(assembleFragments(frags.slice(0, 2), p({ delimiter: '#--\\n' }))).toBe('a=1\n#--\nb=2');
    expect(decodeEscapes('a\\tb\\x41\\\\')).toBe('a\tbA\\');
  });
  it('parses the read of src; refuses a relative src, remote_src: false and a bad regexp at load', () => {
    expect(parseFragments({ stdout: '@@beastie-fragment a@@\nx\n\n@@beastie-fragment-end@@\n@@beastie-fragment b c@@\ny\n@@beastie-fragment-end@@\n', stderr: '', exitCode: 0 })).toEqual({
      kind: 'directory', fragments: [{ name: 'a', content: 'x\n' }, { name: 'b c', content: 'y' }],
    });
    expect(parseFragments({ stdout: '@@absent@@\n', stderr: '', exitCode: 0 })).toEqual({ kind: 'absent' });
    expect(() => p({ src: 'frags' })).toThrow(/absolute/);
    expect(() => p({ remote_src: false })).toThrow();
    expect(() => p({ regexp: '(' })).toThrow(/regular expression/);
  });
  it("fails as Ansible when src is missing or not a directory; otherwise writes like copy", () => {
    const write = { source: { kind: 'found' as const, content: Buffer.from('a=1\n') }, destination: { path: '/etc/app.conf', current: { stat: undefined, sha256: undefined } } };
    expect(assemble.plan({ params: p(), facts: { dir: { kind: 'absent' }, write: undefined }, vars: {}, host: 'h' }).failure).toBe('Source (/usr/local/etc/frags) does not exist');
    expect(assemble.plan({ params: p(), facts: { dir: { kind: 'not-directory' }, write: undefined }, vars: {}, host: 'h' }).failure).toBe('Source (/usr/local/etc/frags) is not a directory');
    const plan = assemble.plan({ params: p({ mode: '0644' }), facts: { dir: { kind: 'directory', fragments: [] }, write }, vars: {}, host: 'h' });
    expect(plan.steps.map((s) => s.kind)).toEqual(['change']);
    expect(plan.values).toMatchObject({ dest: '/etc/app.conf', src: '/usr/local/etc/frags', size: 4, mode: '0644' });
  });
});
