// The command line end to end on YAML files: the real playbook loader, inventory loader,
// templates, expressions and runner, with the test modules over the local connection.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type MainWiring } from '../../src/cli/main.js';
import { allModules } from '../../modules/all.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { validateParams } from '../../src/playbook/validate-params.js';
import { diskTaskFiles } from '../../src/runner/task-files.js';
import { TestTransportFactory, testServices } from '../fixtures/runner/harness.js';
import { testModules } from '../fixtures/runner/test-modules.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-yaml-'));
  await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n      n: 1\n    h2:\n      ansible_connection: local\n      n: 2\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modules = moduleRegistry([...allModules, ...testModules]);

async function play(yaml: string, extra: string[] = [], files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}) {
  await writeFile(join(dir, 'site.yml'), yaml);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  let stdout = '';
  let stderr = '';
  const transports = new TestTransportFactory();
  const wiring: MainWiring = {
    loadPlaybook: async (path, { extraVars, rolesPath, collectionsPath }) => loadPlaybook(path, { extraVars, modules, rolesPath, collectionsPath }),
    services: { ...testServices(), taskFiles: diskTaskFiles({ modules }), params: { validate: validateParams } },
    transports: () => transports,
    modules: moduleRegistry(testModules),
  };
  const code = await main(['play', 'site.yml', '-i', 'hosts.yml', '--json', ...extra], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: dir }, wiring);
  const events = stdout
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { event: string; host?: string; task?: string; status?: string; values?: { msg?: unknown }; hosts?: Record<string, Record<string, number>> });
  return { code, events, stderr, opened: transports.opened };
}

describe('roles of collections in collections_path', () => {
  const site = '- hosts: h1\n  gather_facts: false\n  roles: [acme.infra.web]\n';
  const role = (root: string, said: string) => ({ [`${root}/ansible_collections/acme/infra/roles/web/tasks/main.yml`]: `- name: web\n  t_debug: { msg: ${said} }\n` });
  const said = (run: Awaited<ReturnType<typeof play>>) => run.events.filter((e) => e.event === 'task_result').map((e) => e.values?.msg);

  it("ansible.cfg's collections_path is searched in order, the first holding the role winning; collections/ beside the playbook before it", async () => {
    const cfg = { 'ansible.cfg': '[defaults]\ncollections_path = ./first:./second/ansible_collections\n' };
    expect(said(await play(site, [], { ...cfg, ...role('second', 'second') }))).toEqual(['second']);
    expect(said(await play(site, [], { ...role('first', 'first') }))).toEqual(['first']);
    expect(said(await play(site, [], { ...role('collections', 'beside') }))).toEqual(['beside']);
  });

  it('include_role of a collection role named by a host variable is looked for in collections_path when the run reaches it', async () => {
    const included = "- hosts: h1\n  gather_facts: false\n  tasks:\n    - include_role:\n        name: \"acme.infra.{{ 'web' if n == 1 else 'db' }}\"\n";
    const run = await play(included, [], { 'ansible.cfg': '[defaults]\ncollections_path = ./second\n', ...role('second', 'at run time') });
    expect(said(run)).toContain('at run time');
    expect(run.code).toBe(0);
  });

  it('ANSIBLE_COLLECTIONS_PATH(S) over ansible.cfg; without either, ANSIBLE_HOME/collections (~/.ansible by default)', async () => {
    const files = { 'ansible.cfg': '[defaults]\ncollections_paths = ./cfg\n', ...role('cfg', 'cfg'), ...role('env', 'env'), ...role('home/.ansible/collections', 'home'), ...role('ah/collections', 'ansible-home') };
    expect(said(await play(site, [], files, { ANSIBLE_COLLECTIONS_PATHS: join(dir, 'env') }))).toEqual(['env']);
    await rm(join(dir, 'ansible.cfg'));
    expect(said(await play(site, [], {}, { HOME: join(dir, 'home') }))).toEqual(['home']);
    expect(said(await play(site, [], {}, { HOME: join(dir, 'home'), ANSIBLE_HOME: join(dir, 'ah') }))).toEqual(['ansible-home']);
    const missing = await play(site, [], {}, { HOME: join(dir, 'nobody') });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain(`looked for ${join(dir, 'collections', 'ansible_collections', 'acme', 'infra', 'roles', 'web')}, ${join(dir, 'nobody', '.ansible', 'collections', 'ansible_collections', 'acme', 'infra', 'roles', 'web')}, /usr/share/ansible/collections/ansible_collections/acme/infra/roles/web,`);
    expect(missing.stderr).toContain('install the collection into a collections_path directory');
  });
});

describe('beastie play on YAML', () => {
  it('a task with bad parameters in a block with a rescue fails at its line when it runs, and the rescue runs (as in Ansible)', async () => {
    const run = await play(`
- hosts: h1
  gather_facts: false
  tasks:
    - block:
        - name: no path
          t_file:
            text: hi
        - name: not reached
          t_debug: { msg: x }
      rescue:
        - name: rescue
          t_debug:
            msg: "{{ ansible_failed_result.msg }}"
    - name: after
      t_debug: { msg: y }
`);
    expect(run.events.filter((e) => e.event === 'warning').map((e) => (e as { msg?: string }).msg)).toEqual([
      "t_file: missing required parameter 'path': the task fails when it runs (a rescue: of its block runs then)",
    ]);
    const results = run.events.filter((e) => e.event === 'task_result').map((e) => `${e.task}:${e.status}`);
    expect(results).toEqual(['no path:failed', 'rescue:ok', 'after:ok']);
    const rescued = run.events.find((e) => e.event === 'task_result' && e.task === 'rescue');
    expect(rescued?.values?.msg).toBe(`${join(dir, 'site.yml')}:7:11: t_file: missing required parameter 'path' — add path: to the task's t_file parameters`);
    expect(run.events.at(-1)?.hosts?.['h1']).toMatchObject({ failed: 0, rescued: 1 });
    expect(run.code).toBe(0);
  });

  it('vars, loop, register, when, handlers and the recap', async () => {
    const out = join(dir, 'out');
    const run = await play(`
- name: yaml play
  hosts: all
  gather_facts: false
  vars:
    label: "host-{{ n }}"
  tasks:
    - name: each
      t_cmd:
        cmd: "echo {{ label }}-{{ item }} >> ${out}"
      loop: [a, b]
      when: n == 1
      notify: done
    - name: read
      t_cmd:
        cmd: "echo {{ label }}"
      register: r
    - name: show
      t_debug:
        msg: "{{ r.stdout }}"
  handlers:
    - name: done
      t_cmd:
        cmd: "echo handler-{{ inventory_hostname }} >> ${out}"
`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('host-1-a\nhost-1-b\nhandler-h1\n');
    const shows = run.events.filter((e) => e.event === 'task_result' && e.task === 'show').map((e) => [e.host, e.values?.msg]).sort();
    expect(shows).toEqual([
      ['h1', 'host-1'],
      ['h2', 'host-2'],
    ]);
    const recap = run.events.at(-1);
    expect(recap?.event).toBe('recap');
    expect(recap?.hosts?.['h1']).toMatchObject({ ok: 4, changed: 3, skipped: 0 });
    expect(recap?.hosts?.['h2']).toMatchObject({ ok: 2, changed: 1, skipped: 1 });
  });

  it('block/rescue/always, include_tasks with a templated name, --tags and -e', async () => {
    const run = await play(
      `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: fail on h2
          t_fail:
            msg: "no {{ inventory_hostname }}"
          when: inventory_hostname == 'h2'
      rescue:
        - name: rescued
          t_debug:
            msg: "rescued {{ inventory_hostname }}"
      always:
        - name: always
          t_debug:
            msg: always
      tags: [b]
    - name: included
      include_tasks: "part-{{ n }}.yml"
      tags: [b]
    - name: untagged
      t_debug:
        msg: "{{ who }}"
`,
      ['--tags', 'b', '-e', 'who=extra'],
      {
        'part-1.yml': '- name: part one\n  t_debug:\n    msg: "one {{ who }}"\n  tags: [b]\n',
        'part-2.yml': '- name: part two\n  t_debug:\n    msg: two\n  tags: [b]\n',
      },
    );
    expect(run.stderr).toBe('');
    const ran = run.events.filter((e) => e.event === 'task_result').map((e) => `${e.host}:${e.task}:${e.status}`).sort();
    expect(ran).toEqual([
      'h1:always:ok',
      'h1:fail on h2:skipped',
      'h1:included:ok',
      'h1:part one:ok',
      'h2:always:ok',
      'h2:fail on h2:failed',
      'h2:included:ok',
      'h2:part two:ok',
      'h2:rescued:ok',
    ]);
    expect(run.events.find((e) => e.event === 'task_result' && e.task === 'part one')?.values?.msg).toBe('one extra');
    expect(run.events.at(-1)?.hosts?.['h2']).toMatchObject({ failed: 0, rescued: 1 });
    expect(run.code).toBe(0);
  });

  it('a parameter error anywhere is exit 5 before any host is contacted', async () => {
    const run = await play(`
- hosts: all
  tasks:
    - name: fine
      t_debug:
        msg: hi
    - name: bad
      t_file:
        path: /tmp/x
        txt: typo
`);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/site\.yml:\d+:\d+/);
    expect(run.stderr).toContain('txt');
    expect(run.events).toEqual([]);
    expect(run.opened).toEqual([]);
  });
});

describe('beastie play with the real generic modules', () => {
  it('shell, command, set_fact, assert and debug; a second run with creates changes nothing; --check writes nothing', async () => {
    const marker = join(dir, 'marker');
    const yaml = `
- hosts: h1
  gather_facts: false
  tasks:
    - name: make marker
      shell: "echo made > ${marker}"
      args:
        creates: ${marker}
    - name: read marker
      command: cat ${marker}
      register: content
      changed_when: false
    - name: remember
      set_fact:
        seen: "{{ content.stdout }}"
    - name: check it
      assert:
        that:
          - seen == 'made'
    - name: show
      debug:
        var: seen
`;
    await writeFile(join(dir, 'site.yml'), yaml);
    const realWiring = (): MainWiring => ({
      loadPlaybook: async (path, { extraVars }) => loadPlaybook(path, { extraVars, modules: moduleRegistry(allModules) }),
      services: { ...testServices(), findModule: (name) => moduleRegistry(allModules).find(name), taskFiles: diskTaskFiles({ modules: moduleRegistry(allModules) }) },
      transports: () => new TestTransportFactory(),
      modules: moduleRegistry(allModules),
    });
    const runJson = async (extra: string[]) => {
      let stdout = '';
      const code = await main(['play', 'site.yml', '-i', 'hosts.yml', '--json', ...extra], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env: {}, cwd: dir }, realWiring());
      const events = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { event: string; task?: string; status?: string; hosts?: Record<string, Record<string, number>> });
      return { code, events, status: (task: string) => events.find((e) => e.event === 'task_result' && e.task === task)?.status };
    };
    const check = await runJson(['--check']);
    expect(check.status('make marker')).toBe('changed');
    await expect(readFile(marker, 'utf8')).rejects.toThrow();
    const first = await runJson([]);
    expect(first.code).toBe(0);
    expect(first.status('make marker')).toBe('changed');
    expect(first.status('check it')).toBe('ok');
    expect(await readFile(marker, 'utf8')).toBe('made\n');
    const second = await runJson([]);
    expect(second.status('make marker')).toBe('ok');
    expect(second.events.at(-1)?.hosts?.['h1']).toMatchObject({ changed: 0, failed: 0 });
  });
});
