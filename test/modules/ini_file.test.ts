import { describe, expect, it } from 'vitest';
import iniFile, { editIni, planIniFile } from '../../modules/ini_file.js';

const p = (params: Record<string, unknown>) => iniFile.params.parse({ path: '/usr/local/etc/php.ini', ...params });
const edit = (text: string, params: Record<string, unknown>) => editIni(text, p(params));

describe('ini_file edit (community.general do_ini)', () => {
  it.each([
    ['adds an option at the end of its section', '[a]\nx = 1\n\n[b]\ny = 2\n', { section: 'a', option: 'z', value: '3' }, '[a]\nx = 1\nz = 3\n\n[b]\ny = 2\n', 'option added'],
    ['changes a value in place', '[a]\nx = 1\n', { section: 'a', option: 'x', value: '2' }, '[a]\nx = 2\n', 'option changed'],
    ['leaves a right value', '[a]\nx = 1\n', { section: 'a', option: 'x', value: '1' }, '[a]\nx = 1\n', 'OK'],
    ['rewrites spacing unless ignore_spaces', '[a]\nx=1\n', { section: 'a', option: 'x', value: '1' }, '[a]\nx = 1\n', 'option changed'],
    ['ignore_spaces keeps it', '[a]\nx=1\n', { section: 'a', option: 'x', value: '1', ignore_spaces: true }, '[a]\nx=1\n', 'OK'],
    ['no_extra_spaces', '[a]\n', { section: 'a', option: 'x', value: '1', no_extra_spaces: true }, '[a]\nx=1\n', 'option added'],
    ['replaces a commented-out line', '[a]\n;x = 0\n', { section: 'a', option: 'x', value: '1' }, '[a]\nx = 1\n', 'option changed'],
    ['appends a missing section', 'top = 1\n', { section: 'b', option: 'y', value: '2' }, 'top = 1\n[b]\ny = 2\n', 'section and option added'],
    ['a global option (no section) goes before the first section', 'g = 1\n[a]\nx = 1\n', { option: 'h', value: '2' }, 'g = 1\nh = 2\n[a]\nx = 1\n', 'option added'],
    ['exclusive removes other lines of the option', '[a]\nx = 1\nx = 2\n', { section: 'a', option: 'x', value: '3' }, '[a]\nx = 3\n', 'option changed'],
    ['values: one line each', '[a]\n', { section: 'a', option: 'x', values: ['1', '2'] }, '[a]\nx = 1\nx = 2\n', 'option added'],
    ['absent removes the option', '[a]\nx = 1\ny = 2\n', { section: 'a', option: 'x', state: 'absent' }, '[a]\ny = 2\n', 'option changed'],
    ['absent without option removes the section', '[a]\nx = 1\n[b]\ny = 2\n', { section: 'a', state: 'absent' }, '[b]\ny = 2\n', 'section removed'],
    ['allow_no_value', '[mysqld]\n', { section: 'mysqld', option: 'skip-name-resolve', allow_no_value: true }, '[mysqld]\nskip-name-resolve\n', 'option added'],
    ['a missing last newline is added', '[a]\nx = 1', { section: 'a', option: 'x', value: '1' }, '[a]\nx = 1\n', 'OK'],
  ])('%s', (_name, text, params, expected, msg) => {
    expect(edit(text, params)).toMatchObject({ text: expected, msg });
  });

  it('section_has_values picks the section of that name whose options match', () => {
    const text = '[drive]\nletter = c\nsize = 1\n[drive]\nletter = d\nsize = 2\n';
    expect(edit(text, { section: 'drive', section_has_values: [{ option: 'letter', value: 'd' }], option: 'size', value: '9' }).text).toBe('[drive]\nletter = c\nsize = 1\n[drive]\nletter = d\nsize = 9\n');
  });
});

describe('ini_file plan', () => {
  const file = (text: string) => ({ content: { kind: 'file' as const, content: Buffer.from(text) }, stat: { type: 'file' as const, mode: 0o644, owner: 'root', group: 'wheel', size: text.length } });
  it('writes only when the text changes, with a diff and msg', () => {
    const plan = planIniFile(p({ section: 'a', option: 'x', value: '2' }), file('[a]\nx = 1\n'));
    expect(plan.values).toEqual({ path: '/usr/local/etc/php.ini', msg: 'option changed' });
    expect(plan.steps[0]).toMatchObject({ kind: 'change', diff: { before: '[a]\nx = 1\n', after: '[a]\nx = 2\n' } });
    expect(planIniFile(p({ section: 'a', option: 'x', value: '1' }), file('[a]\nx = 1\n')).steps).toEqual([{ kind: 'noop', reason: '/usr/local/etc/php.ini is up to date' }]);
  });
  it("fails as Ansible does: no value, a missing file with create: false", () => {
    expect(planIniFile(p({ section: 'a', option: 'x' }), file('')).failure).toBe("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.");
    expect(planIniFile(p({ section: 'a', option: 'x', value: '1', create: false }), { content: { kind: 'absent' }, stat: undefined }).failure).toBe('Destination /usr/local/etc/php.ini does not exist!');
    expect(() => p({ option: 'x', value: '1', values: ['2'] })).toThrow(/mutually exclusive/);
  });
  it('creates a missing file', () => {
    const plan = planIniFile(p({ section: 'a', option: 'x', value: '1' }), { content: { kind: 'absent' }, stat: undefined });
    expect(plan.steps[0]).toMatchObject({ kind: 'change', diff: { after: '\n[a]\nx = 1\n' } });
  });
});
