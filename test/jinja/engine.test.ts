// The Jinja engine's own behaviour beyond what the differential tests compare: where errors
// point, what expressions cannot reach, includes on the search path, lookups on the controller.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { JinjaError, renderTemplate } from '../../src/jinja/template.js';
import { renderString, renderText } from '../../src/template/render.js';

const dir = mkdtempSync(path.join(tmpdir(), 'beastie-jinja-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, 'templates'), { recursive: true });
mkdirSync(path.join(dir, 'files'), { recursive: true });
writeFileSync(path.join(dir, 'templates', 'header.j2'), '# managed for {{ who }}\n');
writeFileSync(path.join(dir, 'templates', 'macros.j2'), '{% macro kv(k, v) %}{{ k }}="{{ v }}"{% endmacro %}');
writeFileSync(path.join(dir, 'templates', 'broken.j2'), 'line one\n{{ missing_var }}\n');
writeFileSync(path.join(dir, 'files', 'motd.txt'), 'hello from a file\n\n');

const render = (text: string, vars: Record<string, unknown> = {}, mode: 'value' | 'text' = 'value') => renderTemplate(text, vars, { name: 'case', searchDirs: [dir], mode });
function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('safety: expressions reach data, never JavaScript', () => {
  it.each([
    "''.constructor",
    "''.constructor.constructor('return process')()",
    '[].constructor',
    'x.__proto__.y',
    "x['__proto__'].y",
    'x.constructor.prototype',
    'x.toString()',
    "''.__class__.__mro__",
    'range.constructor',
    "lookup.call(1, 'pipe', 'id')",
  ])('%s fails', (expression) => {
    const error = failure(() => render(`{{ ${expression} }}`, { x: { a: 1 } }));
    expect(error).toBeInstanceOf(JinjaError);
  });

  it('a mapping key named __proto__ is only a key', () => {
    expect(render("{{ {'__proto__': 1} | dict2items }}")).toEqual([{ key: '__proto__', value: 1 }]);
    expect(render("{{ ({} | combine({'__proto__': {'polluted': 1}})).polluted is defined }}")).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a value that holds template text is never rendered again', () => {
    expect(render('{{ fact }}', { fact: "{{ lookup('pipe', 'echo pwned') }}" })).toBe("{{ lookup('pipe', 'echo pwned') }}");
    expect(render('x={{ fact }}', { fact: '{% raw %}{{ 7 * 7 }}' })).toBe('x={% raw %}{{ 7 * 7 }}');
  });
});

describe('where errors point', () => {
  it("names the template's own line for an undefined variable in a file", () => {
    const error = failure(() => renderText('a\nb\n  {{ nope }}\n', {}, { source: { file: '/srv/motd.j2', line: 1, column: 1 } }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe("'nope' is undefined in template at /srv/motd.j2:3:6");
    expect((error as InvalidInputError).fix).toBe("define 'nope' (play vars, inventory, -e), or write {{ nope | default(...) }}");
  });

  it('names the included file and its line for an error inside an include', () => {
    const error = failure(() => renderText('{% include "broken.j2" %}', {}, { source: { file: 'main.j2', line: 1, column: 1 }, searchDirs: [dir] }));
    expect(error.message).toBe(`'missing_var' is undefined in template at ${path.join(dir, 'templates', 'broken.j2')}:2:4`);
  });

  it("names the YAML value's position for a playbook value", () => {
    const error = failure(() => renderString('{{ a.b }}', { a: {} }, { source: { file: 'site.yml', line: 7, column: 12 } }));
    expect(error.message).toBe("'dict object' has no attribute 'b' in template at site.yml:7:12");
  });
});

describe('includes and imports use the template search path', () => {
  it('includes with the current variables, imports macros', () => {
    // Jinja2 drops an included file's last newline (keep_trailing_newline is off), as Ansible does.
    expect(render('{% include "header.j2" %}body', { who: 'ops' }, 'text')).toBe('# managed for opsbody');
    expect(render('{% import "macros.j2" as m %}{{ m.kv("a", 1) }}', {}, 'text')).toBe('a="1"');
    expect(render('{% from "macros.j2" import kv %}{{ kv("b", 2) }}', {}, 'text')).toBe('b="2"');
    expect(render('{% include "nope.j2" ignore missing %}ok', {}, 'text')).toBe('ok');
    expect(failure(() => render('{% include "nope.j2" %}', {}, 'text')).message).toContain('template not found: nope.j2');
  });
});

describe('lookups run on the controller', () => {
  it('file, env, template, pipe, lines, vars', () => {
    process.env['BEASTIE_JINJA_TEST'] = 'env-value';
    expect(render("{{ lookup('file', 'motd.txt') }}")).toBe('hello from a file');
    expect(render("{{ lookup('env', 'BEASTIE_JINJA_TEST') }}")).toBe('env-value');
    expect(render("{{ lookup('env', 'BEASTIE_NOPE_VAR', default='d') }}")).toBe('d');
    expect(render("{{ lookup('template', 'header.j2') }}", { who: 'x' })).toBe('# managed for x\n');
    expect(render("{{ lookup('pipe', 'echo a b') }}")).toBe('a b');
    expect(render("{{ query('lines', 'echo 1; echo 2') }}")).toEqual(['1', '2']);
    expect(render("{{ lookup('vars', 'who') }}", { who: 'me' })).toBe('me');
    expect(failure(() => render("{{ lookup('file', 'absent.txt') }}")).message).toBe('could not locate file in lookup: absent.txt');
  });

  it('lookup joins with commas, query and wantlist keep the list', () => {
    expect(render("{{ lookup('items', ['a', 'b']) }}")).toBe('a,b');
    expect(render("{{ lookup('items', ['a', 'b'], wantlist=True) }}")).toEqual(['a', 'b']);
    expect(render("{{ q('items', ['a', 'b']) }}")).toEqual(['a', 'b']);
  });

  it('first_found, fileglob, sequence, dict, indexed_items, together, nested, subelements', () => {
    expect(render("{{ lookup('first_found', ['absent.txt', 'motd.txt']) }}")).toBe(path.join(dir, 'files', 'motd.txt'));
    expect(render("{{ lookup('first_found', ['absent.txt'], skip=True) }}")).toEqual([]);
    expect(render("{{ query('fileglob', '*.txt') }}")).toEqual([path.join(dir, 'files', 'motd.txt')]);
    expect(render("{{ query('sequence', 'start=1 end=3 format=vm%02d') }}")).toEqual(['vm01', 'vm02', 'vm03']);
    expect(render("{{ query('sequence', '4-8/2') }}")).toEqual(['4', '6', '8']);
    expect(render("{{ query('dict', {'a': 1}) }}")).toEqual([{ key: 'a', value: 1 }]);
    expect(render("{{ query('indexed_items', ['x', 'y']) }}")).toEqual([[0, 'x'], [1, 'y']]);
    expect(render("{{ query('together', [1, 2], ['a']) }}")).toEqual([[1, 'a'], [2, null]]);
    expect(render("{{ query('nested', [1, 2], ['a']) }}")).toEqual([[1, 'a'], [2, 'a']]);
    const users = [{ n: 1, keys: ['k1', 'k2'] }];
    // subelements.py pops the subkey: each item is the element without its list (differential-list-lookups.test.ts).
    expect(render("{{ query('subelements', users, 'keys') }}", { users })).toEqual([
      [{ n: 1 }, 'k1'],
      [{ n: 1 }, 'k2'],
    ]);
  });

  it('password creates its file once (0600) and reads it back', () => {
    const store = path.join(dir, 'credentials', 'db.pw');
    const first = render(`{{ lookup('password', '${store} length=12 chars=ascii_letters') }}`);
    expect(first).toMatch(/^[A-Za-z]{12}$/);
    expect(render(`{{ lookup('password', '${store} length=12') }}`)).toBe(first);
    expect(readFileSync(store, 'utf8')).toBe(`${String(first)}\n`);
    expect(statSync(store).mode & 0o777).toBe(0o600);
    expect(render("{{ lookup('password', '/dev/null length=8') }}")).toMatch(/^.{8}$/);
  });

  it('an unknown lookup is an error', () => {
    expect(failure(() => render("{{ lookup('nope', 'x') }}")).message).toBe('lookup plugin (nope) not found');
  });
});

describe('omit and typed values', () => {
  it('omit is a placeholder the parameter renderer drops', () => {
    expect(renderString('{{ mode | default(omit) }}', {}, { source: { file: 'x', line: 1, column: 1 } })).toBe('__beastie_omit_parameter__');
  });

  it('a whole value keeps its type; text prints as Python does', () => {
    expect(render('{{ 4 / 2 }}')).toBe(2);
    expect(render('{{ ports }}', { ports: [22] })).toEqual([22]);
    expect(render('{{ none }}')).toBe(''); // as Ansible 2.14: finalize prints none as nothing (a bare variable name keeps it)
    expect(render('a{{ none }}b')).toBe('ab');
    expect(render('{{ x }}-{{ y }}', { x: true, y: 2.5 })).toBe('True-2.5');
  });
});
