// The loader reads the keyword table's keywords, FQCNs of actions and modules, roles with their
// dependencies, parameters and roles_path, without SSH.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allModules } from '../../modules/all.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import type { BlockTask, ModuleTask } from '../../src/playbook/types.js';
import { testModuleOptions } from './test-modules.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'beastie-kw-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('keywords from the table', () => {
  it('check_mode, diff, environment, module_defaults, notify, become_flags on plays, blocks and tasks (yes/no booleans)', () => {
    const dir = write({
      'play.yml': [
        '- hosts: all',
        '  check_mode: no',
        '  environment: {PATH: /usr/local/bin}',
        '  module_defaults: {ansible.builtin.ping: {data: x}}',
        '  collections: [community.general]',
        '  tasks:',
        '    - block:',
        '        - ansible.builtin.ping:',
        '          check_mode: yes',
        '          diff: off',
        '          become_flags: -H',
        '      notify: h',
        '      environment: [{A: "1"}, {B: "{{ b }}"}]',
        '  handlers:',
        '    - name: h',
        '      ping:',
      ].join('\n'),
    });
    const [play] = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays;
    expect(play).toMatchObject({ checkMode: false, environment: { PATH: '/usr/local/bin' }, moduleDefaults: { 'ansible.builtin.ping': { data: 'x' } } });
    const block = play?.tasks[0] as BlockTask;
    expect(block).toMatchObject({ kind: 'block', notify: ['h'], environment: { A: '1', B: '{{ b }}' } });
    expect(block.block[0]).toMatchObject({ kind: 'task', module: 'ping', checkMode: true, diff: false, becomeFlags: '-H' });
  });

  it('a parameter missing from a task under module_defaults (play, block, role entry) is left for run time; elsewhere it is an error', () => {
    // ansible-core's module_defaults idiom: file: {state: absent} whose path the block's defaults give.
    const dir = write({
      'play.yml': [
        '- hosts: all',
        '  roles:',
        '    - role: r',
        '      module_defaults: {file: {path: /var/x}}',
        '  tasks:',
        '    - module_defaults:',
        '        file: {path: "{{ test_file }}"}',
        '      block:',
        '        - file: {state: absent}',
        '        - include_tasks: inc.yml',
        '    - file: {state: touch}',
        '- hosts: all',
        '  module_defaults: {group/ansible.builtin.files: {path: /var/y}}',
        '  tasks:',
        '    - file: {state: directory}',
      ].join('\n'),
      'inc.yml': '- file: {state: touch}\n',
      'roles/r/tasks/main.yml': '- file: {state: absent}\n',
    });
    let message = '';
    try {
      loadPlaybook(path.join(dir, 'play.yml'), { modules: moduleRegistry(allModules) });
    } catch (error) {
      message = String(error);
    }
    expect(message.match(/missing required parameter 'path'/g)).toHaveLength(1);
    expect(message).toContain("play.yml:11:13: file: missing required parameter 'path'");
  });

  it('actions and modules by their FQCN', () => {
    const dir = write({
      'play.yml': '- hosts: all\n  tasks:\n    - ansible.builtin.import_tasks: inc.yml\n    - ansible.builtin.include_tasks:\n        file: inc.yml\n    - ansible.builtin.meta: flush_handlers\n',
      'inc.yml': '- ansible.legacy.ping:\n- ansible.posix.ping:\n',
    });
    const tasks = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays[0]?.tasks ?? [];
    expect(tasks.map((t) => t.kind)).toEqual(['task', 'task', 'include', 'meta']);
    expect((tasks[0] as ModuleTask).module).toBe('ping');
  });
});

describe('roles', () => {
  it('dependencies from meta/main.yml run first and once; other keys of an entry are role parameters; roles_path is searched', () => {
    const dir = write({
      'play.yml': '- hosts: all\n  roles:\n    - role: web\n      web_port: 8080\n      become: true\n    - db\n',
      'roles/web/tasks/main.yml': '- ping:\n',
      'roles/web/meta/main.yml': 'dependencies:\n  - role: common\n    level: 2\n',
      'roles/db/tasks/main.yml': '- ping:\n',
      'roles/db/meta/main.yml': 'dependencies:\n  - role: common\n    level: 2\n',
      'shared/common/tasks/main.yml': '- ping:\n',
    });
    const [play] = loadPlaybook(path.join(dir, 'play.yml'), { ...testModuleOptions, rolesPath: [path.join(dir, 'shared')] }).plays;
    const roles = (play?.tasks ?? []) as BlockTask[];
    expect(roles.map((role) => role.vars['role_name'])).toEqual(['common', 'web', 'db']);
    expect(roles[0]?.vars).toMatchObject({ level: 2, role_path: path.join(dir, 'shared/common') });
    expect(roles[1]).toMatchObject({ become: true, vars: { web_port: 8080 } });
  });
});

describe('action: and local_action:', () => {
  it('name the module with its arguments (string or module: mapping); local_action delegates to the controller; args: merges', () => {
    const dir = write({
      'play.yml': [
        '- hosts: all',
        '  tasks:',
        '    - local_action: command echo hi chdir=/tmp',
        '    - action: ansible.builtin.debug msg="a b"',
        '    - local_action:',
        '        module: file',
        '        path: /tmp/x',
        '        state: touch',
        '    - action:',
        '        module: shell',
        '      args:',
        '        cmd: ls | wc -l',
      ].join('\n'),
    });
    const tasks = (loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays[0]?.tasks ?? []) as ModuleTask[];
    expect(tasks.map((t) => [t.module, t.params, t.delegateTo])).toEqual([
      ['command', { cmd: 'echo hi', chdir: '/tmp' }, 'localhost'],
      ['debug', { msg: 'a b' }, undefined],
      ['file', { path: '/tmp/x', state: 'touch' }, 'localhost'],
      ['shell', { cmd: 'ls | wc -l' }, undefined],
    ]);
  });

  it('an action that names no module is refused at its line', () => {
    const dir = write({ 'play.yml': '- hosts: all\n  tasks:\n    - action:\n        msg: x\n' });
    expect(() => loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions)).toThrow(/play\.yml:4:9: 'action' must name a module/);
  });
});

describe('import_playbook', () => {
  it("expands the imported plays in place, paths relative to the importing playbook, the import's vars, tags and when on them", () => {
    const dir = write({
      'play.yml': ['- hosts: all', '  tasks: [{ping: }]', '- import_playbook: sub/web.yml', '  vars: {port: 80}', '  tags: web', '  when: deploy | bool'].join('\n'),
      'sub/web.yml': ['- hosts: web', '  vars: {port: 8080, user: www}', '  tags: [site]', '  tasks:', '    - import_tasks: tasks.yml', '- import_playbook: db.yml'].join('\n'),
      'sub/tasks.yml': '- ping:\n',
      'sub/db.yml': '- hosts: db\n  tasks: [{ping: }]\n',
    });
    const plays = loadPlaybook(path.join(dir, 'play.yml'), testModuleOptions).plays;
    expect(plays.map((p) => p.hosts)).toEqual(['all', 'web', 'db']);
    expect(plays[1]).toMatchObject({ vars: { port: 80, user: 'www' }, baseDir: path.join(dir, 'sub') });
    expect(plays[1]?.tags).toEqual(['site', 'web']);
    const guard = plays[1]?.tasks[0] as BlockTask;
    expect(guard).toMatchObject({ kind: 'block', when: ['deploy | bool'] });
    expect((guard.block[0] as ModuleTask).module).toBe('ping');
    expect(plays[2]?.tasks[0]).toMatchObject({ kind: 'block', when: ['deploy | bool'] });
  });
});
