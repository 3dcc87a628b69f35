import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { checkTemplate, checkTemplateFile, renderDeep, renderString, renderText } from '../../src/template/render.js';
import { templateEnvironment } from '../../src/template/template-environment.js';

const source = { file: 'playbooks/x.yml', line: 12, column: 9 };
let dir = '';
const vars = {
  vm_name: 'web01',
  count: 3,
  enabled: true,
  nothing: null,
  ports: [22, 80],
  names: ['a', 'b'],
  result: { stdout: 'hello', rc: 0 },
  hostvars: { sim01: { x: 7 } },
  cfg: { cpu: 2, memory: '1G' },
  path_var: '/usr/local/etc/vm.conf',
  quote: 'a variable named like a helper',
};

function render(text: string, extra: Record<string, unknown> = {}) {
  return renderString(text, { ...vars, ...extra }, { source, searchDirs: [dir] });
}

function failure(text: string): InvalidInputError {
  try {
    render(text);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to fail`);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'beastie-template-'));
  writeFileSync(path.join(dir, 'motd.txt'), 'welcome\n\n');
  mkdirSync(path.join(dir, 'files'));
  writeFileSync(path.join(dir, 'files', 'key.pub'), 'ssh-ed25519 AAAA\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderString', () => {
  it('returns strings without templates unchanged', () => {
    expect(render('plain text')).toBe('plain text');
  });

  it.each([
    ['{{ ports }}', [22, 80]],
    ['{{ count }}', 3],
    ['{{ enabled }}', true],
    ['{{ nothing }}', null], // Templar's shortcut for exactly {{ name }}: the variable itself
    ['{{ cfg }}', { cpu: 2, memory: '1G' }],
    ['{{ result.rc }}', 0],
    ['{{ default missing 22 }}', 22],
    ['{{ default missing ports }}', [22, 80]],
    ['{{ hostvars.sim01.x }}', 7],
    ['{{ ports.[1] }}', 80],
    ['{{ eq count 3 }}', true],
  ])('keeps the type of a whole-value template %s', (text, expected) => {
    expect(render(text)).toEqual(expected);
  });

  it.each([
    ['vm-{{ vm_name }}', 'vm-web01'],
    ['{{ vm_name }}-{{ count }}', 'web01-3'],
    [' {{ count }}', ' 3'],
    // Jinja prints lists and mappings as Python does (Ansible's output).
    ['ports: {{ ports }}', 'ports: [22, 80]'],
    ['cfg={{ cfg }}', "cfg={'cpu': 2, 'memory': '1G'}"],
    ['<{{ vm_name }}&>', '<web01&>'],
    ['x{{ nothing }}y', 'xy'],
    ['{{ result.stdout }} world', 'hello world'],
    ['{{{ vm_name }}}!', 'web01!'],
  ])('renders %s as a string', (text, expected) => {
    expect(render(text)).toBe(expected);
  });

  it('reads a bare name as a variable even when a helper has that name', () => {
    expect(render('{{ quote }}')).toBe('a variable named like a helper');
  });

  it.each([
    ['{{ default missing "x" }}', 'x'],
    ['{{ default missing.deeper.still "x" }}', 'x'],
    ['{{ default vm_name "x" }}', 'web01'],
    ['{{ default nothing "x" }}', null],
    ['{{ default "" "x" boolean=true }}', 'x'],
    ['{{ join names ", " }}', 'a, b'],
    ['{{ join ports }}', '2280'],
    ['{{ ne count 4 }}', true],
    ['{{ lt count 4 }}', true],
    ['{{ gt count 4 }}', false],
    ['{{ and enabled count }}', true],
    ['{{ or false 0 }}', false],
    ['{{ not enabled }}', false],
    ['{{ to_json cfg }}', '{"cpu":2,"memory":"1G"}'],
    ['{{ to_yaml cfg }}', 'cpu: 2\nmemory: 1G\n'],
    ['{{ upper vm_name }}', 'WEB01'],
    ['{{ lower "ABC" }}', 'abc'],
    ['{{ replace vm_name "01" "02" }}', 'web02'],
    ['{{ basename path_var }}', 'vm.conf'],
    ['{{ dirname path_var }}', '/usr/local/etc'],
    ['{{ quote "it\'s here" }}', "'it'\\''s here'"],
    ['{{ quote "safe" }}', 'safe'],
    ['{{ lookup "file" "motd.txt" }}', 'welcome'],
    ['{{ lookup "file" "key.pub" }}', 'ssh-ed25519 AAAA'],
    ['{{ lookup cfg "cpu" }}', 2],
    ['{{ upper (default missing "x") }}', 'X'],
  ])('helper %s', (text, expected) => {
    expect(render(text)).toEqual(expected);
  });

  it('runs Handlebars blocks', () => {
    expect(render('{{#each names}}[{{this}}]{{/each}}')).toBe('[a][b]');
    expect(render('{{#each names as |n i|}}{{i}}={{n}} {{/each}}')).toBe('0=a 1=b ');
    expect(render('{{#if (eq count 3)}}three{{else}}other{{/if}}')).toBe('three');
    expect(render('{{#if (default missing false)}}yes{{else}}no{{/if}}')).toBe('no');
    expect(render('{{#with cfg}}{{cpu}}/{{memory}}{{/with}}')).toBe('2/1G');
    expect(render('{{#each names}}{{../vm_name}}-{{this}} {{/each}}')).toBe('web01-a web01-b ');
    expect(render('{{#each names}}{{@root.vm_name}}{{@index}} {{/each}}')).toBe('web010 web011 ');
  });

  it('accepts Jinja-style filters through the expression language', () => {
    expect(render("{{ missing | default('x') }}")).toBe('x');
    expect(render('{{ ports | length }}')).toBe(2);
    expect(render("port {{ ports[0] }} of {{ ports | length }}")).toBe('port 22 of 2');
    expect(render("{{ vm_name | upper }}-{{ count }}")).toBe('WEB01-3');
    expect(render("{{#if enabled}}{{ count | string }}{{/if}}")).toBe('3');
    expect(render("{{#each names}}{{this}}{{/each}}{{ names | length }}")).toBe('ab2');
  });

  it('renders a whole file to a string', () => {
    expect(renderText('{{ count }}', vars, { source })).toBe('3');
    expect(renderText('vm_list="{{ join names " " }}"\n', vars, { source })).toBe('vm_list="a b"\n');
  });
});

describe('compiled templates are reused without sharing values', () => {
  it('renders the same text against different variables, and fails where a variable is missing', () => {
    const text = "{{ vm_name }}:{{ count | default(0) }}";
    expect(renderString(text, { vm_name: 'a', count: 1 }, { source })).toBe('a:1');
    expect(renderString(text, { vm_name: 'b' }, { source })).toBe('b:0');
    expect(() => renderString(text, {}, { source: { ...source, line: 99 } })).toThrow("'vm_name' is undefined in template at playbooks/x.yml:99:9");
    expect(renderString('{{ ports }}', { ports: [1] }, { source })).toEqual([1]);
    expect(renderText('{{ ports }}', { ports: [1] }, { source })).toBe('[1]');
  });
});

describe('strictness: an undefined variable fails with its name and where it was used', () => {
  it.each([
    ['{{ vm_dir }}', "'vm_dir' is undefined"],
    ['path: {{ vm_dir }}/x', "'vm_dir' is undefined"],
    // Jinja's words: the mapping that has no such key.
    ['{{ result.stdoutt }}', "'dict object' has no attribute 'stdoutt'"],
    ['{{ missing.a.b }}', "'missing' is undefined"],
    // Handlebars itself would pass undefined to a helper silently; beastie does not.
    ['{{ join missing "," }}', "'missing' is undefined"],
    ['{{ upper (join missing ",") }}', "'missing' is undefined"],
    // Handlebars would treat a missing #if/#each argument as false/empty.
    ['{{#if missing}}x{{/if}}', "'missing' is undefined"],
    ['{{#each missing}}x{{/each}}', "'missing' is undefined"],
    ['{{#each names}}{{ nme }}{{/each}}', "'nme' is undefined"],
    ['{{ @root.missing }}', "'@root.missing' is undefined"],
    ["{{ missing | upper }}", "'missing' is undefined"],
  ])('%s', (text, message) => {
    const error = failure(text);
    expect(error.message.startsWith(`${message} in `)).toBe(true);
    expect(error.message).toMatch(/at playbooks\/x\.yml:12:9$/);
    expect(error.source).toEqual(source);
  });

  it('says exactly what is wrong and the fix', () => {
    const error = failure('{{ vm_dir }}');
    expect(error.message).toBe("'vm_dir' is undefined in template at playbooks/x.yml:12:9");
    expect(error.fix).toBe("define 'vm_dir' (play vars, inventory, -e), or write {{ vm_dir | default(...) }}");
    // The Handlebars form suggests the same Jinja fix.
    expect(failure('{{#if vm_dir}}x{{/if}}').fix).toBe("define 'vm_dir' (play vars, inventory, -e), or write {{ vm_dir | default(...) }}");
  });
});

describe('template errors', () => {
  it.each([
    ['{{ jion names }}', "unknown helper 'jion' in template at playbooks/x.yml:12:9", "did you mean 'join'?"],
    ['{{#loop names}}x{{/loop}}', "unknown block helper '#loop' in template at playbooks/x.yml:12:9", 'use one of #if, #unless, #each, #with'],
    ['{% if x %}y{% endif %}', "'x' is undefined in template at playbooks/x.yml:12:9", "define 'x' (play vars, inventory, -e), or write {{ x | default(...) }}"],
    ['{% for x in ports %}{{ x }}', "template syntax error: unexpected end of template: the 'for' block opened here was never closed (expected 'endfor' or 'else') in template at playbooks/x.yml:12:9", 'check the {% %} and {{ }} pairs and the expression at this position'],
    ['{{ ports | lenght }}', "template syntax error: No filter named 'lenght'. in template at playbooks/x.yml:12:9", "did you mean 'length'?"],
    ['{{ lookup "file" "nope.txt" }}', `lookup "file": 'nope.txt' not found in DIR in template at playbooks/x.yml:12:9`, "put the file beside the playbook or in the role's files/, or give an absolute path"],
    ['{{ upper ports }}', "helper 'upper' needs a string, got list [22,80] in template at playbooks/x.yml:12:9", undefined],
    ['{{#each names}}{{ vm_name | upper }}{{/each}}', "Jinja-style '{{ vm_name | upper }}' cannot be used inside {{#each}} in template at playbooks/x.yml:12:9", 'use the Handlebars form there, e.g. {{ upper name }} or {{ default name "x" }}'],
    ['{{ a if b else c }}', "'b' is undefined in template at playbooks/x.yml:12:9", "define 'b' (play vars, inventory, -e), or write {{ b | default(...) }}"],
    ['{{> partial }}', 'Handlebars partials and decorators are not supported in template at playbooks/x.yml:12:9', 'use lookup "file" or a template task'],
  ])('%s', (text, message, fix) => {
    const error = failure(text);
    expect(error.message).toBe(message.replace('DIR', dir));
    expect(error.fix).toBe(fix);
  });

  it('checkTemplate finds syntax problems without variables', () => {
    expect(checkTemplate('{{ anything.at.all }}')).toBeUndefined();
    expect(checkTemplate('no template')).toBeUndefined();
    expect(checkTemplate('{{ jion x }}')).toEqual({ message: "unknown helper 'jion'", fix: "did you mean 'join'?" });
    expect(checkTemplate('{{ x }')?.message).toBe("unexpected '}'");
    expect(checkTemplate('{{#if x}}y')?.message).toMatch(/^template syntax error: /);
    expect(checkTemplate('{{ x | lenght }}')).toEqual({ message: "No filter named 'lenght'.", fix: "did you mean 'length'?" });
    expect(checkTemplate('a\n{% for x in y %}\n{{ x }}')?.message).toBe("unexpected end of template: the 'for' block opened here was never closed (expected 'endfor' or 'else') (line 2 of the value)");
  });
});

describe('renderDeep', () => {
  it('renders nested parameters, keeps keys and non-strings', () => {
    const params = { name: 'vm-{{ vm_name }}', cpu: '{{ cfg.cpu }}', disks: ['{{ vm_name }}.img', 5], opts: { '{{ raw_key }}': '{{ count }}' }, flag: true };
    expect(renderDeep(params, vars, { source })).toEqual({ name: 'vm-web01', cpu: 2, disks: ['web01.img', 5], opts: { '{{ raw_key }}': 3 }, flag: true });
  });

  it("drops parameters that render to Ansible's omit", () => {
    const params = { path: '/x', mode: "{{ file_mode | default(omit) }}", owner: '{{ default owner omit }}', nested: { keep: 1, drop: '{{ omit }}' } };
    expect(renderDeep(params, vars, { source })).toEqual({ path: '/x', nested: { keep: 1 } });
    expect(renderDeep(params, { ...vars, file_mode: '0644', owner: 'root' }, { source })).toEqual({ path: '/x', mode: '0644', owner: 'root', nested: { keep: 1 } });
  });

  it('fails on the first undefined variable with its name', () => {
    expect(() => renderDeep({ a: ['{{ nope }}'] }, vars, { source })).toThrow("'nope' is undefined in template at playbooks/x.yml:12:9");
  });
});

describe("a template file's syntax in the environment its task's arguments make", () => {
  it("checks the task's delimiters: other tools' {{ }} is text, an error inside [[ ]] is at its own line", () => {
    const environment = templateEnvironment({ variable_start_string: '[[', variable_end_string: ']]' });
    expect(checkTemplateFile('/r/templates/conf.j2', 'go={{ .Name }}\nname=[[ name ]]\n', environment)).toBeUndefined();
    const error = checkTemplateFile('/r/templates/conf.j2', 'go={{ .Name }}\nname=[[ name | ]]\n', environment);
    expect(error?.source).toEqual({ file: '/r/templates/conf.j2', line: 2, column: expect.any(Number) });
    expect(templateEnvironment({ trim_blocks: true, newline_sequence: '\\n' })).toBeUndefined();
  });
});
