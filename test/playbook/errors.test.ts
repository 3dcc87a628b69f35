import { moduleRegistry } from '../../src/module-api/registry.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputErrors } from '../../src/errors.js';
import { loadPlaybook, type LoadOptions } from '../../src/playbook/load.js';
import { SourceError } from '../../src/yaml/problems.js';
import { testModuleOptions } from './test-modules.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Write `files` into a fresh directory and load `play.yml` from it. */
function setup(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'beastie-load-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function loadErrors(files: Record<string, string>, options: Partial<LoadOptions> = {}): SourceError[] {
  const dir = setup(files);
  try {
    loadPlaybook(path.join(dir, 'play.yml'), { ...testModuleOptions, ...options });
  } catch (error) {
    if (!(error instanceof InvalidInputErrors)) throw error;
    return error.errors.map((e) => {
      if (!(e instanceof SourceError)) throw new Error('not a SourceError');
      return e;
    });
  }
  throw new Error('expected the playbook to be refused');
}

/** The first line of each error's description, with the temp dir taken off the paths. */
function errors(files: Record<string, string>, options: Partial<LoadOptions> = {}): string[] {
  return loadErrors(files, options).map((e) => (e.describe().split('\n')[0] ?? '').replace(/^\/[^:]*\/beastie-load-[^/]+\//, ''));
}

const play = (tasks: string) => ({ 'play.yml': `- hosts: all\n  tasks:\n${tasks}` });

describe('YAML errors', () => {
  it('a syntax error with line and column', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  tasks:\n    - name: x\n      command: [ls\n' })).toEqual([
      'play.yml:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] — correct the YAML at that position (check indentation, quotes and brackets)',
    ]);
  });

  it('a duplicate key is Ansible\'s warning, and the last value wins', () => {
    const dir = setup(play('    - name: a\n      name: b\n      ping:\n'));
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    expect(book.warnings.map((w) => `${path.relative(dir, w.source.file)}:${w.source.line}:${w.source.column}: ${w.message}`)).toEqual([
      'play.yml:4:7: found a duplicate dict key (name); using last defined value only',
    ]);
    expect(book.plays[0]?.tasks[0]?.name).toBe('b');
  });

  it('shows the offending line with a caret', () => {
    const [error] = loadErrors(play('    - name: a\n      vm_gest:\n        name: x\n'));
    expect(error?.describe().split('\n').slice(1)).toEqual(['    4 |       vm_gest:', '      |       ^']);
  });

  it("Ansible's !vault tag without a vault secret, and unknown tags", () => {
    expect(errors({ 'play.yml': '- hosts: all\n  vars:\n    pw: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n    raw: !custom "{{ x }}"\n  tasks: []\n' })).toEqual([
      'play.yml:3:9: this value is encrypted with Ansible Vault and no vault secret was given — pass --ask-vault-pass, --vault-password-file FILE or --vault-id LABEL@SOURCE',
      'play.yml:5:10: YAML tag !custom is not supported — remove the tag',
    ]);
  });

  it('not a list of plays / empty playbook / missing file', () => {
    expect(errors({ 'play.yml': 'hosts: all\n' })).toEqual(['play.yml:1:1: a playbook must be a list of plays (got mapping {"hosts":"all"}) — start with "- hosts: all" and tasks:']);
    expect(errors({ 'play.yml': '' })).toEqual(['play.yml:1:1: the playbook has no plays — start with "- hosts: all" and tasks:']);
    const dir = setup({});
    expect(() => loadPlaybook(path.join(dir, 'nope.yml'), testModuleOptions)).toThrow(/nope\.yml:1:1: cannot read .*nope\.yml: no such file — check the path/);
  });
});

describe('play errors', () => {
  it('unknown play keyword with did-you-mean', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  taks: []\n' })).toEqual(["play.yml:2:3: unknown play keyword 'taks' — did you mean 'tasks'?"]);
  });

  it('an Ansible keyword beastie reads but ignores: a warning naming it, the load goes on', () => {
    const dir = setup({ 'play.yml': '- hosts: all\n  remote_user: root\n  order: sorted\n  tasks: []\n' });
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    expect(book.warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`)).toEqual(["3:3 beastie ignores 'order': hosts run in inventory order"]);
    // remote_user is no longer ignored: the play carries it (src/runner/connection-keywords.ts).
    expect(book.plays[0]?.remoteUser).toBe('root');
  });

  it('empty hosts', () => {
    expect(errors({ 'play.yml': '- hosts: ""\n  tasks: []\n' })).toEqual(["play.yml:1:10: 'hosts' is empty — write hosts: all (or a group or host pattern)"]);
  });

  it('import_playbook', () => {
    expect(errors({ 'play.yml': '- import_playbook: other.yml\n' })[0]).toMatch(/^play\.yml:1:20: cannot read .*other\.yml/);
    expect(errors({ 'play.yml': '- import_playbook: b.yml\n', 'b.yml': '- import_playbook: play.yml\n' })).toEqual(['b.yml:1:20: import_playbook cycle: play.yml → b.yml → play.yml — remove the import that leads back to an earlier playbook']);
    expect(errors({ 'play.yml': '- import_playbook: b.yml\n  become: true\n', 'b.yml': '- hosts: all\n' })).toEqual(["play.yml:2:3: 'become' does not apply to import_playbook — import_playbook takes import_playbook, name, vars, tags, when"]);
  });

  it('missing hosts', () => {
    expect(errors({ 'play.yml': '- name: x\n  tasks: []\n' })).toEqual(["play.yml:1:3: a play needs 'hosts:' — add hosts: all (or a group or host pattern)"]);
  });

  it.each([
    ['serial: 0', "play.yml:2:11: 'serial' must be a whole number of hosts (at least 1), a percentage from 1% to 100%, or a list of them (got number 0) — write serial: 5, serial: \"30%\" or serial: [1, 5, \"50%\"]"],
    ['serial: "150%"', "play.yml:2:11: 'serial' must be a whole number of hosts (at least 1), a percentage from 1% to 100%, or a list of them (got string '150%') — write serial: 5, serial: \"30%\" or serial: [1, 5, \"50%\"]"],
    ['serial: [1, "x"]', "play.yml:2:11: 'serial' must be a whole number of hosts (at least 1), a percentage from 1% to 100%, or a list of them (got list [1,\"x\"]) — write serial: 5, serial: \"30%\" or serial: [1, 5, \"50%\"]"],
    ['max_fail_percentage: 120', "play.yml:2:24: 'max_fail_percentage' must be a percentage from 0 to 100 (got number 120) — write max_fail_percentage: 25"],
    ['strategy: lineer', "play.yml:2:13: 'strategy' must be one of linear, free, host_pinned (got 'lineer') — did you mean 'linear'?"],
    ['become_method: pbrun', "play.yml:2:18: 'become_method' must be one of sudo, doas, su (got 'pbrun')"],
    ['gather_facts: maybe', "play.yml:2:17: 'gather_facts' must be true or false (got string 'maybe') — write gather_facts: true or gather_facts: false"],
    ['vars: [a]', 'play.yml:2:9: \'vars\' must be a mapping (key: value) (got list ["a"])'],
    ['vars: {1abc: x}', "play.yml:2:10: invalid variable name '1abc' — use letters, digits and _, not starting with a digit"],
  ])('%s', (line, expected) => {
    expect(errors({ 'play.yml': `- hosts: all\n  ${line}\n  tasks: []\n` })).toEqual([expected]);
  });

  it("accepts what Ansible's FieldAttributes take: a become plugin's FQCN, vars_files as one file name", () => {
    const dir = setup({
      'play.yml': '- hosts: all\n  become_method: ansible.builtin.sudo\n  vars_files: v.yml\n  tasks:\n    - command: id\n      become_method: community.general.doas\n',
      'v.yml': 'x: 1\n',
    });
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    const loaded = book.plays[0];
    expect(loaded?.becomeMethod).toBe('sudo');
    expect(loaded?.varsFiles).toEqual([{ path: path.join(dir, 'v.yml'), vars: { x: 1 } }]);
    expect(loaded?.tasks[0]?.becomeMethod).toBe('doas');
    // A plugin beastie has no way to run is still refused, its FQCN too.
    expect(errors({ 'play.yml': '- hosts: all\n  become_method: community.general.pbrun\n  tasks: []\n' })).toEqual([
      "play.yml:2:18: 'become_method' must be one of sudo, doas, su (got 'community.general.pbrun')",
    ]);
  });

  it('accepts valid serial forms', () => {
    const dir = setup({ 'play.yml': '- hosts: all\n  serial: ["1", 2, "30%", "12.5%"]\n  tasks: []\n' });
    expect(loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays[0]?.serial).toEqual([1, 2, '30%', '12.5%']);
  });

  it('vars_files that are missing, or templated on an unknown variable, are read when the play runs (Ansible loads them per host)', () => {
    const dir = setup({ 'play.yml': '- hosts: all\n  vars_files:\n    - vars/none.yml\n    - "vars/{{ site }}.yml"\n    - [a.yml, "{{ nope }}.yml"]\n  tasks: []\n' });
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    expect(book.plays[0]?.varsFiles).toEqual([
      { source: { file: path.join(dir, 'play.yml'), line: 3, column: 7 }, names: ['vars/none.yml'] },
      { source: { file: path.join(dir, 'play.yml'), line: 4, column: 7 }, names: ['vars/{{ site }}.yml'] },
      { source: { file: path.join(dir, 'play.yml'), line: 5, column: 7 }, names: ['a.yml', '{{ nope }}.yml'] },
    ]);
    expect(book.warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`)).toEqual(['3:7 vars file vars/none.yml was not found: the play fails on each host if it runs without it']);
  });

  it('a vars_files name whose template is broken is still an error', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  vars_files:\n    - "vars/{{ site | }}.yml"\n  tasks: []\n' })).toEqual([expect.stringMatching(/^play\.yml:3:7: template syntax error: /)]);
  });

  it('a vars file that is not a mapping', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  vars_files: [v.yml]\n  tasks: []\n', 'v.yml': '- a\n' })).toEqual([
      'v.yml:1:1: a vars file must be a mapping of variable names (got list ["a"]) — write one `name: value` per line at the top level of the file',
    ]);
  });
});

describe('task errors', () => {
  it('unknown module with did-you-mean', () => {
    expect(errors(play('    - name: make vm\n      vm_gest:\n        name: x\n'))).toEqual(["play.yml:4:7: unknown module 'vm_gest' — did you mean 'vm_guest'?"]);
  });

  it('an unknown module does not hide the task\'s other errors', () => {
    expect(errors(play('    - vm_gest: {}\n      when: a ==\n      become: perhaps\n'))).toEqual([
      "play.yml:3:7: unknown module 'vm_gest' — did you mean 'vm_guest'?",
      "play.yml:4:17: when: unexpected end of expression in 'a ==' — write a Jinja expression such as `x is defined and x | int > 1`",
      "play.yml:5:15: 'become' must be true or false (got string 'perhaps') — write become: true or become: false",
    ]);
  });

  it('an unknown keyword far from every name, beside a module', () => {
    expect(errors(play('    - ping:\n      zzzzzz: 1\n'))[0]).toMatch(/^play\.yml:4:7: unknown task keyword 'zzzzzz' — a task has one module; its other keys are keywords: name, /);
  });

  it('unknown module far from every name', () => {
    expect(errors(play('    - zfs_dataset: {}\n'))).toEqual(["play.yml:3:7: unknown module 'zfs_dataset' — run 'beastie doc' to list the modules"]);
  });

  it('unknown task keyword beside a module', () => {
    expect(errors(play('    - nmae: x\n      ping:\n'))).toEqual(["play.yml:3:7: unknown task keyword 'nmae' — did you mean 'name'?"]);
    expect(errors(play('    - ping:\n      whne: x\n'))).toEqual(["play.yml:4:7: unknown task keyword 'whne' — did you mean 'when'?"]);
  });

  it('loops: one per task, with_<lookup> names a lookup, loop_control keys, no loop on an import', () => {
    expect(errors(play('    - ping:\n      loop: [1]\n      with_items: [2]\n'))).toEqual(["play.yml:5:7: a task has one loop, but this one has 'loop' and 'with_items' — keep one of them"]);
    expect(errors(play('    - ping:\n      with_itmes: [1]\n'))).toEqual(["play.yml:4:7: unknown task keyword 'with_itmes' — did you mean 'with_items'?"]);
    expect(errors(play('    - ping:\n      loop: [1]\n      loop_control: {pasue: 1}\n'))).toEqual(["play.yml:5:22: unknown loop_control key 'pasue' — did you mean 'pause'?"]);
    expect(errors(play('    - ping:\n      loop: [1]\n      loop_control: {pause: -1}\n'))).toEqual(["play.yml:5:29: 'pause' must be a number of seconds, 0 or more (got number -1)"]);
    expect(errors({ ...play('    - import_tasks: t.yml\n      with_items: [1]\n'), 't.yml': '- ping:\n' })).toEqual(["play.yml:4:7: 'with_items' does not apply to import_tasks"]);
  });

  it('no module, two modules', () => {
    expect(errors(play('    - name: nothing\n'))).toEqual([
      "play.yml:3:7: task has no module — add one module (e.g. 'command: …'), or use block, include_tasks, import_tasks or meta",
    ]);
    expect(errors(play('    - ping:\n      command: ls\n'))).toEqual(["play.yml:4:7: a task has two modules, 'ping' and 'command' — split it into two tasks, one module each"]);
    expect(errors(play('    - block: []\n      ping:\n'))).toEqual(["play.yml:4:7: a task with 'block' cannot also call module 'ping' — split it into separate tasks"]);
  });

  it('a keyword that does not apply to the kind of task', () => {
    expect(errors(play('    - block:\n        - ping:\n      register: r\n'))).toEqual(["play.yml:5:7: 'register' does not apply to a block — put it on the tasks inside the block"]);
    expect(errors(play('    - ping:\n      rescue: []\n'))).toEqual(["play.yml:4:7: 'rescue' does not apply to a task calling ping — rescue and always go with block:"]);
    expect(errors(play('    - ping:\n      listen: x\n'))).toEqual(["play.yml:4:7: 'listen' does not apply to a task calling ping — listen belongs on handlers"]);
  });

  it.each([
    ['loop: abc', "play.yml:4:13: 'loop' must be a list or a template that renders one (got string 'abc') — write loop: [a, b] or loop: \"{{ my_list }}\""],
    ['register: my-result', "play.yml:4:17: 'register' must be a variable name (got 'my-result') — use letters, digits and _, not starting with a digit"],
    ['retries: -1', "play.yml:4:16: 'retries' must be a whole number (0 or more) (got number -1)"],
    ['timeout: 0', "play.yml:4:16: 'timeout' must be a whole number of at least 1 (got number 0)"],
    ['throttle: x', "play.yml:4:17: 'throttle' must be a whole number of at least 1 (got string 'x')"],
    ['async: 1.5', "play.yml:4:14: 'async' must be a whole number (0 or more) (got number 1.5)"],
    ['become: sometimes', "play.yml:4:15: 'become' must be true or false (got string 'sometimes') — write become: true or become: false"],
    ['notify: {a: 1}', 'play.yml:4:15: \'notify\' must be a string or a list of strings (got mapping {"a":1})'],
    ['loop_control: {loop_vr: x}', "play.yml:4:22: unknown loop_control key 'loop_vr' — did you mean 'loop_var'?"],
    ['delegate_to: [host02]', "play.yml:4:20: 'delegate_to' must be a string (got list [\"host02\"])"],
    ['until: [a, b]', "play.yml:4:14: 'until' takes one expression, not a list — join the conditions with and"],
    ['when: {a: 1}', 'play.yml:4:13: \'when\' must be an expression or a list of them (got mapping {"a":1}) — write e.g. `when: result.rc == 0`'],
  ])('%s', (line, expected) => {
    expect(errors(play(`    - ping:\n      ${line}\n`))).toEqual([expected]);
  });

  it('meta with an unknown action', () => {
    expect(errors(play('    - meta: flush_handler\n'))).toEqual([
      "play.yml:3:13: 'meta' must be one of flush_handlers, end_play, end_host, end_batch, end_role, clear_facts, clear_host_errors, reset_connection, refresh_inventory, noop (got 'flush_handler') — did you mean 'flush_handlers'?",
    ]);
  });

  it('a task that is not a mapping', () => {
    expect(errors(play('    - ping\n'))).toEqual([`play.yml:3:7: a task must be a mapping such as "- name: …" with a module (got string 'ping') — indent the task's keys under "- "`]);
  });

  it('parameters that are not a mapping', () => {
    expect(errors(play('    - vm_guest: web01\n'))).toEqual([
      "play.yml:3:17: vm_guest: parameters must be a mapping (got string 'web01') — write them indented under vm_guest:, one per line as name: value",
    ]);
  });
});

describe('expression and template errors at load time', () => {
  it('a syntax error in when points at the column', () => {
    expect(errors(play('    - ping:\n      when: x ==\n'))).toEqual([
      "play.yml:4:17: when: unexpected end of expression in 'x ==' — write a Jinja expression such as `x is defined and x | int > 1`",
    ]);
  });

  it.each([
    ['changed_when: r.rc === 0', "play.yml:4:28: changed_when: unexpected '=' in 'r.rc === 0' — write == / != (Jinja), not === / !=="],
    ['failed_when: r is faild', "play.yml:4:22: failed_when: No test named 'faild' in 'r is faild' — did you mean 'failed'?"],
    ['until: r.stdout | lenght > 0', "play.yml:4:23: until: No filter named 'lenght' in 'r.stdout | lenght > 0' — did you mean 'length'?"],
    ['when: ["a is defined", "b &&"]', "play.yml:4:33: when: unexpected char '&' in 'b &&' — write 'and' / 'or' (Jinja), not && / ||"],
  ])('%s', (line, expected) => {
    expect(errors(play(`    - ping:\n      ${line}\n`))).toEqual([expected]);
  });

  it('template syntax in parameters, names and vars', () => {
    expect(errors(play('    - name: "{{ jion x }}"\n      debug:\n        msg: "{{ x | lenght }}"\n      vars:\n        y: "{% if a %}"\n'))).toEqual([
      "play.yml:3:13: template: unknown helper 'jion' — did you mean 'join'?",
      "play.yml:5:14: template: No filter named 'lenght'. — did you mean 'length'?",
      "play.yml:7:12: template: unexpected end of template: the 'if' block opened here was never closed (expected 'elif' or 'else' or 'endif') — check the {% %} and {{ }} pairs and the expression at this position",
    ]);
    expect(errors(play('    - ping:\n      jail: "{{ jion }}"\n      become_user: "{{ upper }}"\n      loop: [1]\n      loop_control: {label: "{{ jion a }}"}\n'))).toEqual([
      "play.yml:7:29: template: unknown helper 'jion' — did you mean 'join'?",
    ]);
  });
});

describe('module parameter errors', () => {
  it('an enum value with did-you-mean', () => {
    expect(errors(play('    - vm_guest:\n        name: web01\n        state: runing\n'))).toEqual([
      "play.yml:5:16: vm_guest: parameter 'state' must be one of present, running, stopped, absent (got 'runing') — did you mean 'running'?",
    ]);
  });

  it('an unknown parameter, at its key', () => {
    expect(errors(play('    - vm_guest:\n        nmae: web01\n'))).toEqual([
      "play.yml:4:9: vm_guest: missing required parameter 'name' — add name: to the task's vm_guest parameters",
      "play.yml:4:9: vm_guest: unknown parameter 'nmae' — did you mean 'name'?",
    ]);
  });

  it('a missing required parameter, at the parameters', () => {
    expect(errors(play('    - vm_guest:\n        state: running\n'))).toEqual([
      "play.yml:4:9: vm_guest: missing required parameter 'name' — add name: to the task's vm_guest parameters",
    ]);
    expect(errors(play('    - vm_guest:\n'))).toEqual(["play.yml:3:7: vm_guest: missing required parameter 'name' — add name: to the task's vm_guest parameters"]);
  });

  it('wrong types; Ansible\'s yes/no and numeric strings are taken where a boolean or number is wanted', () => {
    expect(errors(play('    - vm_guest:\n        name: a\n        cpu: "two"\n        autostart: maybe\n        mode: [1]\n'))).toEqual([
      "play.yml:5:14: vm_guest: parameter 'cpu' must be a number (got string 'two') — write a number",
      "play.yml:6:20: vm_guest: parameter 'autostart' must be a boolean (got string 'maybe') — write true or false (or yes/no)",
      "play.yml:7:15: vm_guest: parameter 'mode' must be string or number (got list [1])",
    ]);
    const dir = setup(play('    - vm_guest:\n        name: a\n        cpu: "2"\n        autostart: YES\n    - vm_guest: {name: b, autostart: off}\n'));
    expect(loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays[0]?.tasks).toHaveLength(2);
  });

  it('nested parameters, pointing into lists', () => {
    expect(errors(play('    - vm_guest:\n        name: a\n        disks:\n          - size: 10G\n          - sise: 20G\n            type: nvme\n'))).toEqual([
      "play.yml:7:13: vm_guest: missing required parameter 'disks[1].size' — add disks[1].size: to the task's vm_guest parameters",
      "play.yml:7:13: vm_guest: unknown parameter 'sise' in 'disks[1]' — did you mean 'size'?",
      "play.yml:8:19: vm_guest: parameter 'disks[1].type' must be one of virtio-blk, ahci-hd (got 'nvme')",
    ]);
  });

  it('other schema checks keep the schema message', () => {
    expect(errors(play('    - vm_guest:\n        name: a\n        cpu: 0\n'))).toEqual([
      "play.yml:5:14: vm_guest: parameter 'cpu': Too small: expected number to be >=1 (got number 0)",
    ]);
  });

  it('defers checks of templated values to run time', () => {
    const dir = setup(play('    - vm_guest:\n        name: "{{ vm }}"\n        state: "{{ wanted }}"\n        cpu: "{{ cpus }}"\n        disks: "{{ disk_list }}"\n'));
    expect(() => loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions)).not.toThrow();
  });

  it('checks free-form and key=value parameters too', () => {
    expect(errors(play('    - file: path=/x state=dir\n'))).toEqual([
      "play.yml:3:13: file: parameter 'state' must be one of file, directory, absent, touch (got 'dir')",
    ]);
    expect(errors(play('    - command: ls\n      args:\n        chdr: /tmp\n'))).toEqual(["play.yml:5:9: command: unknown parameter 'chdr' — did you mean 'chdir'?"]);
  });
});

describe('include_tasks files are read when the include runs, as Ansible reads them', () => {
  const files = {
    'play.yml': '- hosts: all\n  tasks:\n    - ping:\n  handlers:\n    - name: clean up (windows)\n      include_tasks: windows.yml\n',
    // ansible-core's setup_remote_tmp_dir: a Windows module in a handler FreeBSD never notifies.
    'windows.yml': '- name: delete the directory\n  win_file:\n    path: C:/tmp\n    state: absent\n',
  };

  it('a file a handler includes that does not load is a warning at the include, not a refusal', () => {
    const dir = setup(files);
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    expect(book.warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`)).toEqual([
      `6:22 windows.yml does not load (${path.join(dir, 'windows.yml')}:2:3: unknown task keyword 'win_file'): it is read again when the include runs, and fails there`,
    ]);
    const handler = book.plays[0]?.handlers[0];
    expect(handler?.kind === 'include' ? handler.tasks : 'not an include').toBeUndefined();
  });

  it('the same file imported, or included where it always runs, is still refused when the playbook loads', () => {
    expect(errors({ ...files, 'play.yml': '- hosts: all\n  tasks:\n    - import_tasks: windows.yml\n' })).toEqual(["windows.yml:2:3: unknown task keyword 'win_file' — did you mean 'with_file'?"]);
    expect(errors({ ...files, 'play.yml': '- hosts: all\n  tasks:\n    - include_tasks: windows.yml\n' })).toEqual(["windows.yml:2:3: unknown task keyword 'win_file' — did you mean 'with_file'?"]);
  });
});

describe('a task written to fail', () => {
  it('with ignore_errors: its parameter problems are warnings (it fails when it runs); without, errors', () => {
    // As ansible-core's copy target calls copy without dest, to see it fail.
    const dir = setup({ 'play.yml': '- hosts: all\n  tasks:\n    - name: no path\n      file:\n        state: touch\n      ignore_errors: true\n      register: failed_file\n' });
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    expect(book.warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`)).toEqual([
      "5:9 file: missing required parameter 'path': the task fails when it runs (it has ignore_errors)",
    ]);
    expect(errors({ 'play.yml': '- hosts: all\n  tasks:\n    - name: no path\n      file:\n        state: touch\n' })).toEqual([
      "play.yml:5:9: file: missing required parameter 'path' — add path: to the task's file parameters",
    ]);
  });
});

describe('a task in a block with a rescue (Ansible runs it, fails it at run time, then rescues)', () => {
  const noPath = (indent: string) => `${indent}- name: no path\n${indent}  file:\n${indent}    state: touch\n`;
  const warnings = (files: Record<string, string>) => loadPlaybook(path.join(setup(files), 'play.yml'), testModuleOptions).warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`);

  it('has its parameter problems as warnings, in the block itself or nested deeper in it', () => {
    expect(warnings(play(`    - block:\n${noPath('        ')}      rescue:\n        - ping:\n`))).toEqual([
      "6:13 file: missing required parameter 'path': the task fails when it runs (a rescue: of its block runs then)",
    ]);
    expect(warnings(play(`    - block:\n        - block:\n${noPath('            ')}      rescue:\n        - ping:\n`))).toEqual([
      "7:17 file: missing required parameter 'path': the task fails when it runs (a rescue: of its block runs then)",
    ]);
  });

  it('ignore_errors: true on a block reaches its tasks; false on the task itself wins', () => {
    expect(warnings(play(`    - block:\n${noPath('        ')}      ignore_errors: true\n`))).toEqual([
      "6:13 file: missing required parameter 'path': the task fails when it runs (it has ignore_errors)",
    ]);
    expect(errors(play(`    - block:\n${noPath('        ')}          ignore_errors: false\n      ignore_errors: true\n`))).toEqual([
      "play.yml:6:13: file: missing required parameter 'path' — add path: to the task's file parameters",
    ]);
  });

  it('in the rescue or always of that block (nothing rescues them) they are still errors', () => {
    expect(errors(play(`    - block:\n        - ping:\n      rescue:\n${noPath('        ')}`))).toEqual([
      "play.yml:8:13: file: missing required parameter 'path' — add path: to the task's file parameters",
    ]);
    expect(errors(play(`    - block:\n        - ping:\n      rescue:\n        - ping:\n      always:\n${noPath('        ')}`))).toEqual([
      "play.yml:10:13: file: missing required parameter 'path' — add path: to the task's file parameters",
    ]);
  });
});

describe('handlers and notify', () => {
  it('notify naming no handler or topic: a warning with did-you-mean (Ansible runs the play, failing only if it is notified)', () => {
    const dir = setup({ 'play.yml': '- hosts: all\n  tasks:\n    - ping:\n      notify: restart vmm\n  handlers:\n    - name: restart vm\n      ping:\n    - name: other\n      listen: devfs\n      ping:\n' });
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    expect(book.warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`)).toEqual([
      "4:15 notify: no handler or listen topic named 'restart vmm' in this play (did you mean 'restart vm'?): if a changed task notifies it, the run stops there, as in Ansible",
    ]);
  });

  it("no warning for a role's handler notified as 'ROLE : name', nor for a templated handler name the play's vars render to it", () => {
    const dir = setup({
      'play.yml': "- hosts: all\n  vars: {svc: sshd}\n  roles: [web]\n  tasks:\n    - ping:\n      notify: ['web : restart web', restart sshd]\n  handlers:\n    - name: restart {{ svc }}\n      ping:\n",
      'roles/web/tasks/main.yml': '- ping:\n',
      'roles/web/handlers/main.yml': '- name: restart web\n  ping:\n',
    });
    expect(loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).warnings).toEqual([]);
  });

  it("a play's notify is checked against its own handlers only, not again in the next play", () => {
    // ansible-core's handlers/test_handlers.yml: a play notifying its listen topic, then a play without it.
    const dir = setup({ 'play.yml': '- hosts: all\n  tasks:\n    - ping:\n      notify: [devfs]\n  handlers:\n    - listen: devfs\n      name: h\n      ping:\n- hosts: all\n  tasks:\n    - ping:\n' });
    expect(loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays).toHaveLength(2);
  });

  it('notify by listen topic is fine; a handler needs a name; an empty block under handlers is one (as in Ansible 2.14)', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  tasks:\n    - ping:\n      notify: [devfs]\n  handlers:\n    - listen: devfs\n      ping:\n    - ping:\n    - block: []\n' })).toEqual([
      'play.yml:8:7: a handler needs a name (or listen topics) to be notified by — add name: …',
    ]);
  });
});

describe('meta handlers', () => {
  it('a meta task is a handler, as Ansible runs it (meta: reset_connection after a group change)', () => {
    const dir = setup({ 'play.yml': '- hosts: all\n  tasks:\n    - ping:\n      notify: [h]\n  handlers:\n    - name: h\n      meta: reset_connection\n' });
    const [play] = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays;
    expect(play?.handlers.map((h) => [h.name, h.kind === 'meta' ? h.action : h.kind])).toEqual([['h', 'reset_connection']]);
  });
});

describe('includes, imports and roles', () => {
  it('errors inside an included file point into that file', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n', 'inc.yml': '- name: x\n  vm_guest:\n    name: a\n    state: runing\n' })).toEqual([
      "inc.yml:4:12: vm_guest: parameter 'state' must be one of present, running, stopped, absent (got 'runing') — did you mean 'running'?",
    ]);
  });

  it('a file included twice reports its problems once', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n    - import_tasks: inc.yml\n', 'inc.yml': '- pign:\n' })).toEqual([
      "inc.yml:1:3: unknown module 'pign' — did you mean 'ping'?",
    ]);
  });

  it('a missing import file is an error; a missing include file a warning (Ansible reads it only when the include runs)', () => {
    const found = errors({ 'play.yml': '- hosts: all\n  tasks:\n    - import_tasks: nope.yml\n' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^play\.yml:3:21: task file 'nope\.yml' not found \(looked at \/.*nope\.yml\) — check the file name; paths are relative to the including file or the playbook$/);
    const dir = setup({ 'play.yml': '- hosts: all\n  handlers:\n    - name: windows cleanup\n      include_tasks: nope.yml\n' });
    const book = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions);
    expect(book.warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`)).toEqual([expect.stringMatching(/^4:22 task file 'nope\.yml' not found \(looked at .*\): the include fails if it runs$/)]);
  });

  it('an include cycle', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  tasks:\n    - import_tasks: a.yml\n', 'a.yml': '- import_tasks: b.yml\n', 'b.yml': '- include_tasks: a.yml\n' })).toEqual([
      'b.yml:1:18: include cycle: a.yml → b.yml → a.yml — remove the include that leads back to an earlier file',
    ]);
  });

  it('import_tasks with a host variable in its name', () => {
    const found = errors(play('    - import_tasks: "{{ inventory_hostname }}.yml"\n'));
    expect(found[0]).toMatch(/^play\.yml:3:21: import_tasks is expanded when the playbook loads, so its file name can only use extra vars, play vars and role_path: 'inventory_hostname' is undefined in template at .* — use include_tasks for a file name that depends on host variables$/);
  });

  it('import_tasks with an extra var in its name', () => {
    const dir = setup({ ...play('    - import_tasks: "{{ which }}.yml"\n'), 'lab.yml': '- ping:\n' });
    const loaded = loadPlaybook(path.join(dir, 'play.yml'), { ...testModuleOptions, extraVars: { which: 'lab' } });
    expect(loaded.plays[0]?.tasks[0]).toMatchObject({ kind: 'task', module: 'ping' });
  });

  it('include_tasks given as a mapping takes only file: and apply:', () => {
    expect(errors({ ...play('    - include_tasks: {file: inc.yml, aply: {tags: x}}\n      loop: [1]\n'), 'inc.yml': '- ping:\n' })).toEqual([
      "play.yml:3:38: 'include_tasks' has no option 'aply' — did you mean 'apply'?",
    ]);
  });

  it('a task file that is not a list', () => {
    expect(errors({ ...play('    - include_tasks: inc.yml\n'), 'inc.yml': 'ping:\n' })).toEqual([
      'inc.yml:1:1: a task file must be a list of tasks (got mapping {"ping":null}) — start each task with "- name: …"',
    ]);
  });

  it("a collection's role NS.COLLECTION.ROLE is found in the collections beside the playbook", () => {
    const dir = setup({
      'play.yml': '- hosts: all\n  roles:\n    - ns.col.listen\n',
      'collections/ansible_collections/ns/col/roles/listen/tasks/main.yml': '- name: from the collection\n  ping:\n',
    });
    const play = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays[0];
    expect(JSON.stringify(play?.tasks)).toContain('from the collection');
    expect(errors({ 'play.yml': '- hosts: all\n  roles:\n    - ns.col.nope\n' })[0]).toMatch(/role 'ns\.col\.nope' not found \(looked for \/.*\/collections\/ansible_collections\/ns\/col\/roles\/nope, /);
  });

  it('a missing role, a missing dependency', () => {
    const found = errors({
      'play.yml': '- hosts: all\n  roles:\n    - nope\n    - role: web\n      tags: [x]\n',
      'roles/web/tasks/main.yml': '- ping:\n',
      'roles/web/meta/main.yml': 'dependencies: [common]\n',
    });
    expect(found[0]).toMatch(/^play\.yml:3:7: role 'nope' not found \(looked for \/.*roles\/nope, .*\) — create roles\/NAME\/tasks\/main\.yml beside the playbook, or add its directory to roles_path$/);
    expect(found[1]).toMatch(/^roles\/web\/meta\/main\.yml:1:16: role 'common' not found/);
    expect(found).toHaveLength(2);
  });

  it('errors in role files point into the role', () => {
    expect(errors({ 'play.yml': '- hosts: all\n  roles: [web]\n', 'roles/web/tasks/main.yml': '- pign:\n', 'roles/web/handlers/main.yml': '- name: h\n  command: {cmd: ls, x: 1}\n' })).toEqual([
      "roles/web/tasks/main.yml:1:3: unknown module 'pign' — did you mean 'ping'?",
      "roles/web/handlers/main.yml:2:22: command: unknown parameter 'x' — parameters: cmd, chdir, creates, removes",
    ]);
  });
});

describe('the remaining shape errors', () => {
  it.each([
    ['a play that is not a mapping', { 'play.yml': '- all\n' }, ["play.yml:1:3: a play must be a mapping with hosts: and tasks: (got string 'all') — write \"- hosts: all\" and indent the play's keys under it"]],
    ['a key that is not a name', { 'play.yml': '- hosts: all\n  ? [a]\n  : 1\n  tasks: []\n' }, ['play.yml:2:5: a key must be a plain name — write `key: value`']],
    ['a string keyword given a list', play('    - name: [a]\n      ping:\n'), ['play.yml:3:13: \'name\' must be a string (got list ["a"])']],
    ['tasks that are not a list', { 'play.yml': '- hosts: all\n  tasks: ping\n' }, ["play.yml:2:10: 'tasks' must be a list (got string 'ping') — start each item with \"- \""]],
    ['two actions in one task', play('    - block: []\n      include_tasks: x.yml\n'), ['play.yml:3:7: a task can only be one of block, include_tasks — split it into separate tasks']],
    ['import_tasks mapping without file', play('    - import_tasks: {name: x}\n'), [
      "play.yml:3:21: 'import_tasks' needs a file — write import_tasks: FILE.yml",
      "play.yml:3:22: 'import_tasks' has no option 'name' — its options: file; put when, tags and vars on the task itself",
    ]],
    ['a role entry without role', { 'play.yml': '- hosts: all\n  roles:\n    - vars: {a: 1}\n' }, ['play.yml:3:7: a role entry needs role: NAME — write - role: NAME']],
    ['a role entry that is a list', { 'play.yml': '- hosts: all\n  roles:\n    - [web]\n' }, ['play.yml:3:7: a role entry must be a name or a mapping (got list ["web"]) — write - NAME or - role: NAME']],
    ['a role handlers file that is not a list', { 'play.yml': '- hosts: all\n  roles: [web]\n', 'roles/web/handlers/main.yml': 'name: x\n' }, [
      'roles/web/handlers/main.yml:1:1: a handlers file must be a list of handlers — start each handler with "- name: …"',
    ]],
    ['a bad name in a vars file', { 'play.yml': '- hosts: all\n  vars_files: [v.yml]\n', 'v.yml': 'good: 1\nbad-name: 2\n' }, [
      "v.yml:2:1: invalid variable name 'bad-name' — use letters, digits and _, not starting with a digit",
    ]],
    ['a vars_files entry that is not a name', { 'play.yml': '- hosts: all\n  vars_files: [{a: 1}]\n' }, [
      'play.yml:2:16: \'vars_files\' entries must be file names (got mapping {"a":1}) — write - vars/common.yml',
    ]],
    ['a bad index_var', play('    - ping:\n      loop: [1]\n      loop_control: {index_var: 1x}\n'), [
      "play.yml:5:33: 'index_var' must be a variable name (got '1x') — use letters, digits and _, not starting with a digit",
    ]],
    ['a parameter matching none of a union', play('    - vm_guest: {name: a, mode: {x: 1}}\n'), ['play.yml:3:33: vm_guest: parameter \'mode\' must be string or number (got mapping {"x":1})']],
  ])('%s', (_what, files, expected) => {
    expect(errors(files)).toEqual(expected);
  });
});

describe('all errors in one pass', () => {
  it('collects every problem of every file, sorted by file and position', () => {
    const found = errors({
      'play.yml': '- hosts: all\n  strategy: fast\n  tasks:\n    - vm_gest: {}\n    - ping:\n      when: a ==\n    - include_tasks: inc.yml\n',
      'inc.yml': '- meta: nope\n',
    });
    expect(found.map((line) => line.split(': ')[0])).toEqual(['play.yml:2:13', 'play.yml:4:7', 'play.yml:6:17', 'inc.yml:1:9']);
  });

  it('knows only the module set it is given', () => {
    const dir = setup(play('    - nosuchmodule_xyz: {}\n'));
    expect(() => loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions)).toThrow("unknown module 'nosuchmodule_xyz'");
    expect(() => loadPlaybook(path.join(setup(play('    - debug: { msg: hi }\n')), 'play.yml'), { modules: moduleRegistry([]) })).toThrow("unknown module 'debug'");
  });
});
