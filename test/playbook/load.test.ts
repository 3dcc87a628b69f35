import { initialInherited } from '../../src/playbook/keywords.js';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/playbook/load.js';
import type { BlockTask, IncludeTask, MetaTask, ModuleTask, Play, PlayTask } from '../../src/playbook/types.js';
import { testModuleOptions } from './test-modules.js';

const dir = 'test/fixtures/playbooks/full';
const file = `${dir}/site.yml`;

function load(): Play {
  const playbook = loadPlaybook(file, { ...testModuleOptions, extraVars: { site: 'lab' } });
  expect(playbook.path).toBe(file);
  expect(playbook.plays).toHaveLength(1);
  const play = playbook.plays[0];
  if (play === undefined) throw new Error('no play');
  return play;
}

function named(tasks: readonly PlayTask[], name: string): PlayTask {
  const task = tasks.find((t) => t.name === name);
  if (task === undefined) throw new Error(`no task ${name}`);
  return task;
}

function moduleTask(task: PlayTask | undefined): ModuleTask {
  if (task?.kind !== 'task') throw new Error(`not a module task: ${task?.kind}`);
  return task;
}

describe('loadPlaybook: play keywords', () => {
  it('reads every play keyword', () => {
    const play = load();
    expect(play).toMatchObject({
      name: 'Provision bhyve hosts',
      source: { file, line: 2, column: 3 },
      hosts: 'bhyve:lab',
      vars: { vm_dir: '/vms', vms: ['web01', 'web02'] },
      gatherFacts: false,
      become: true,
      becomeMethod: 'doas',
      becomeUser: 'root',
      strategy: 'free',
      serial: [1, '50%'],
      maxFailPercentage: 25,
      anyErrorsFatal: false,
      tags: ['bhyve'],
      roleDefaults: { web_port: 80 },
      roleVars: { web_user: 'www' },
      baseDir: dir,
    });
  });

  it('reads vars_files relative to the playbook, templated on extra vars', () => {
    expect(load().varsFiles).toEqual([
      { path: `${dir}/vars/common.yml`, vars: { common_var: 1 } },
      { path: `${dir}/vars/lab.yml`, vars: { site_var: 'lab' } },
    ]);
  });

  it('puts role dirs first in the search path', () => {
    expect(load().searchDirs).toEqual([
      `${dir}/roles/web/templates`, `${dir}/roles/web/files`, `${dir}/roles/web`,
      `${dir}/templates`, `${dir}/files`, dir,
    ]);
  });

  it('orders role tasks before the play tasks; each role entry is a block with its vars/tags/when and role_path/role_name', () => {
    const { tasks } = load();
    const plain = tasks[0] as BlockTask;
    expect(plain).toMatchObject({ kind: 'block', when: [], tags: [], vars: { role_name: 'web', role_path: `${dir}/roles/web` } });
    expect(moduleTask(plain.block[0])).toMatchObject({ name: 'web task', module: 'command', params: { cmd: 'echo {{ web_port }}' }, source: { file: `${dir}/roles/web/tasks/main.yml`, line: 1, column: 3 } });
    const role = tasks[1] as BlockTask;
    expect(role).toMatchObject({ kind: 'block', when: ['web_enabled | default(true)'], tags: ['web'], vars: { web_port: 8080, role_name: 'web', role_path: `${dir}/roles/web` } });
    expect(role.block.map((t) => t.name)).toEqual(['web task']);
    expect(tasks[2]?.name).toBe('list modules');
  });

  it('collects play and role handlers with listen topics', () => {
    const { handlers } = load();
    expect(handlers.map((h) => [h.name, h.listen, h.kind === 'task' ? h.module : h.kind])).toEqual([
      ['restart web', [], 'command'],
      ['restart vm', [], 'command'],
      ['reload devfs', ['devfs changed'], 'command'],
    ]);
  });

  it('reads pre_tasks and post_tasks', () => {
    const play = load();
    expect(moduleTask(play.preTasks[0])).toMatchObject({ name: 'check connectivity', module: 'ping', params: {} });
    expect(play.postTasks[0]).toMatchObject({ kind: 'meta', action: 'noop' });
  });
});

describe('loadPlaybook: task keywords', () => {
  it('reads every module-task keyword', () => {
    const { keywordSources, paramSources, ...task } = moduleTask(named(load().tasks, 'create guests'));
    expect(keywordSources).toMatchObject({
      name: { file, line: 38, column: 13 },
      loop: { file, line: 46, column: 13 },
      when: { file, line: 52, column: 9 },
      until: { file, line: 59, column: 14 },
      jail: { file, line: 70, column: 13 },
    });
    expect(paramSources).toEqual({
      name: { file, line: 40, column: 15 },
      state: { file, line: 41, column: 16 },
      cpu: { file, line: 42, column: 14 },
      memory: { file, line: 43, column: 17 },
      disks: { file, line: 45, column: 11 },
    });
    expect(task).toEqual({
      ...initialInherited(),
      kind: 'task',
      name: 'create guests',
      source: { file, line: 38, column: 7 },
      module: 'vm_guest',
      params: { name: '{{ item }}', state: 'running', cpu: 2, memory: '1G', disks: [{ size: '20G' }] },
      paramsSource: { file, line: 39, column: 7 },
      loop: '{{ vms }}',
      loopControl: { loopVar: 'vm', indexVar: 'i', label: '{{ vm }}' },
      when: ['vm_dir is defined', 'ansible_facts is not defined or true'],
      notify: ['restart vm'],
      become: true,
      becomeMethod: 'sudo',
      becomeUser: 'admin',
      retries: 2,
      until: 'result is not failed',
      delaySeconds: 1,
      timeoutSeconds: 60,
      throttle: 2,
      asyncSeconds: 300,
      pollSeconds: 5,
      tags: ['vm', 'guests'],
      noLog: true,
      runOnce: false,
      ignoreErrors: true,
      delegateTo: 'localhost',
      jail: 'bhyve',
      vars: { extra: 1 },
      anyErrorsFatal: true,
      register: undefined,
      changedWhen: undefined,
      failedWhen: undefined,
    });
  });

  it('reads register, changed_when and failed_when, and free-form options', () => {
    const task = moduleTask(named(load().tasks, 'list modules'));
    expect(task).toMatchObject({
      module: 'command',
      params: { cmd: 'kldstat -v', chdir: '/tmp' },
      register: 'kld',
      changedWhen: ['false'],
      failedWhen: ["kld.rc != 0 and 'vmm' not in kld.stdout"],
      retries: 0,
      delaySeconds: 5,
      pollSeconds: 15,
      loopControl: { loopVar: 'item' },
    });
  });

  it('accepts the ansible.builtin. prefix and key=value arguments', () => {
    const tasks = load().tasks;
    expect(moduleTask(named(tasks, 'free-form shell'))).toMatchObject({ module: 'shell', params: { cmd: 'ls /vms | wc -l' } });
    expect(moduleTask(named(tasks, 'key=value arguments'))).toMatchObject({ module: 'file', params: { path: '/vms', state: 'directory', mode: '0755' } });
    expect(moduleTask(named(tasks, 'with args'))).toMatchObject({ module: 'command', params: { cmd: 'vm list', chdir: '/vms' } });
  });

  it('reads block, rescue and always', () => {
    const block = named(load().tasks, 'guarded') as BlockTask;
    expect(block.kind).toBe('block');
    expect(block.when).toEqual(['vm_dir is defined']);
    expect(block.become).toBe(true);
    expect(moduleTask(block.block[0])).toMatchObject({ name: 'inner', module: 'debug', params: { msg: 'inside' } });
    expect(moduleTask(block.rescue[0])).toMatchObject({ module: 'debug', params: { msg: 'rescued' } });
    expect(block.always[0]).toMatchObject({ kind: 'meta', action: 'flush_handlers' });
  });

  it('loads include_tasks at load time unless its file name is a template', () => {
    const includes = load().tasks.filter((t): t is IncludeTask => t.kind === 'include');
    expect(includes).toHaveLength(2);
    expect(includes[0]).toMatchObject({ file: 'tasks/extra.yml', baseDir: dir });
    expect(includes[0]?.tasks?.map((t) => t.name)).toEqual(['extra task']);
    expect(includes[0]?.tasks?.[0]?.source).toEqual({ file: `${dir}/tasks/extra.yml`, line: 1, column: 3 });
    expect(includes[1]).toMatchObject({ file: 'tasks/{{ inventory_hostname }}.yml', tasks: undefined });
  });

  it('expands import_tasks in place, in a block when the import carries keywords', () => {
    const tasks = load().tasks;
    const index = tasks.findIndex((t) => t.kind === 'include' && t.file.includes('inventory_hostname'));
    expect(moduleTask(tasks[index + 1])).toMatchObject({ name: 'extra task', module: 'debug' });
    const wrapped = tasks[index + 2] as BlockTask;
    expect(wrapped).toMatchObject({ kind: 'block', name: 'imported with a condition', when: ["vm_dir != ''"] });
    expect(wrapped.block.map((t) => t.name)).toEqual(['extra task']);
  });

  it('reads meta tasks with conditions', () => {
    const meta = load().tasks.find((t): t is MetaTask => t.kind === 'meta');
    expect(meta).toMatchObject({ action: 'end_host', when: ['false'] });
  });
});
