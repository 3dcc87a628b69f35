import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import assemble, { assembleFragments, decodeEscapes, fragmentsFact, parseFragments } from '../../modules/assemble.js';
import { readFacts } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';

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
  it('reads src: its regular files with their exact bytes, or that it is missing or not a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beastie-assemble-'));
    try {
      const src = join(dir, 'frags');
      mkdirSync(src);
      mkdirSync(join(src, 'sub'));
      writeFileSync(join(src, 'a'), 'x\n');
      writeFileSync(join(src, 'b c'), 'y');
      writeFileSync(join(src, 'empty'), '');
      const read = async (path: string) => (await readFacts(new LocalTransport(), [fragmentsFact(path)]))[0];
      expect(await read(src)).toEqual({ kind: 'directory', fragments: [{ name: 'a', content: 'x\n' }, { name: 'b c', content: 'y' }, { name: 'empty', content: '' }] });
      expect(await read(join(dir, 'missing'))).toEqual({ kind: 'absent' });
      expect(await read(join(src, 'a'))).toEqual({ kind: 'not-directory' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('refuses a relative src, remote_src: false and a bad regexp at load', () => {
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
  it('gets no text past regexp or ignore_hidden from a fragment that forges the framing', async () => {
    // A host user owns one fragment file in a directory they cannot write: the playbook leaves it
    // out (a dot file under ignore_hidden, a name regexp does not match). Its text ends the
    // fragment as the old framing did and starts a forged one with a name that passes.
    const dir = mkdtempSync(join(tmpdir(), 'beastie-assemble-'));
    try {
      const src = join(dir, 'frags');
      mkdirSync(src);
      writeFileSync(join(src, '10-base.conf'), 'base=1\n');
      const forge = (name: string) => `x\n@@beastie-fragment-end@@\n@@beastie-fragment ${name}@@\ninjected=1\n\n@@section 0 ${name}@@\ninjected=1\n`;
      writeFileSync(join(src, '.hidden'), forge('20-evil.conf'));
      writeFileSync(join(src, '30-user.disabled'), forge('40-evil.conf'));
      writeFileSync(join(src, 'line\nbreak.conf'), 'odd=1\n');
      const [facts] = await readFacts(new LocalTransport(), [fragmentsFact(src)]);
      const fragments = facts as ReturnType<typeof parseFragments>;
      expect(fragments.kind === 'directory' ? fragments.fragments.map((f) => f.name).sort() : fragments).toEqual(['.hidden', '10-base.conf', '30-user.disabled', 'line\nbreak.conf']);
      if (fragments.kind !== 'directory') return;
      expect(assembleFragments(fragments.fragments, p({ ignore_hidden: true, regexp: '\\.conf$' }))).toBe('base=1\nodd=1\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
