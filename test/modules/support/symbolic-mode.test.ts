import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import file from '../../../modules/file.js';
import { attributeCommands, modeParam, resolveMode } from '../../../modules/support/file-attributes.js';
import { applySymbolicMode, parseSymbolicMode } from '../../../modules/support/symbolic-mode.js';
import { threeWay } from '../helpers/three-way.js';

// [mode text, current mode, is a directory, expected]: every expected value was computed by
// ansible-core 2.14's own AnsibleModule._symbolic_mode_to_octal on the same stat (umask 022);
// 'error' is where it raised (set_mode_if_different then fails "mode must be in octal or symbolic form").
const ANSIBLE: readonly [string, number, boolean, number | 'error'][] = [
  ['u=rw,g=r,o=', 0o777, false, 0o640],
  ['u+x', 0o644, false, 0o744],
  ['a-w', 0o755, false, 0o555],
  ['+x', 0o600, false, 0o711],
  ['u=rwX,g=rX,o=rX', 0o600, false, 0o644],
  ['u=rwX,g=rX,o=rX', 0o600, true, 0o755],
  ['u=rwX,g=rX,o=rX', 0o700, false, 0o755],
  ['g=u', 0o640, false, 0o660],
  ['o=g-w', 0o660, false, 0o664],
  ['u+s,g+s,+t', 0o755, false, 0o7755],
  ['u=rw-x+X', 0o751, false, 0o751],
  ['a=r', 0o7777, false, 0o444],
  ['ug=rw', 0o000, false, 0o660],
  ['u=rz', 0o644, false, 'error'],
  ['ua=r', 0o644, false, 'error'],
  ['=', 0o644, false, 0o000],
  ['u+w,u-w', 0o644, false, 0o444],
  ['o+t', 0o755, true, 0o1755],
  ['go-rwx', 0o777, true, 0o700],
  ['=rw', 0o000, false, 0o644],
];

describe('symbolic modes, as Ansible computes them', () => {
  it.each(ANSIBLE)('%s on %o (directory: %s) → %o', (text, current, isDirectory, expected) => {
    const parsed = parseSymbolicMode(text);
    if (expected === 'error') {
      expect(parsed).toEqual({ error: expect.stringMatching(/^mode must be in octal or symbolic form: bad symbolic permission for mode: /) });
      return;
    }
    if ('error' in parsed) throw new Error(parsed.error);
    expect(applySymbolicMode(parsed, current, isDirectory)).toBe(expected);
  });
  it('modeParam: octal text and numbers stay bits; symbolic text parses; bad text is refused at load time', () => {
    expect(modeParam.parse('0640')).toBe(0o640);
    expect(modeParam.parse(644)).toBe(0o644);
    expect(modeParam.parse('u+x')).toMatchObject({ symbolic: 'u+x' });
    expect(() => modeParam.parse('u=rz')).toThrow(/bad symbolic permission for mode: u=rz/);
    expect(() => modeParam.parse(888)).toThrow(/not an octal mode/);
  });
  it('a path beastie creates starts from 0644 (files) or 0755 (directories)', () => {
    const spec = modeParam.parse('g+w');
    expect(resolveMode(spec, undefined, false)).toBe(0o664);
    expect(resolveMode(spec, undefined, true)).toBe(0o775);
    expect(resolveMode(spec, 0o600, false)).toBe(0o620);
  });
  it('chmods only when the resolved mode differs from the current one', () => {
    const current = { type: 'file', mode: 0o640, owner: 'root', group: 'wheel', size: 0 } as const;
    expect(attributeCommands('/etc/x', current, { mode: modeParam.parse('u=rw,g=r,o=') })).toEqual([]);
    expect(attributeCommands('/etc/x', current, { mode: modeParam.parse('a+r') }).map((c) => c.text)).toEqual(['chmod $([ "$(uname -s)" = FreeBSD ] && echo -h) 0644 /etc/x']);
  });
});

describe('file with a symbolic mode (local connection)', () => {
  it('three ways: a directory made u=rwx,g=rx,o= then left alone', async () => {
    const run = await threeWay({ module: file, params: (dir) => ({ path: join(dir, 'd'), state: 'directory', mode: 'u=rwx,g=rx,o=' }) });
    try {
      expect((await stat(join(run.dir, 'd'))).mode & 0o7777).toBe(0o750);
    } finally {
      await run.cleanup();
    }
  });
});
