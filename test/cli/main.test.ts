import { moduleRegistry } from '../../src/module-api/registry.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { main, type MainWiring } from '../../src/cli/main.js';
import { parseExtraVars } from '../../src/cli/extra-vars.js';
import type { Playbook } from '../../src/playbook/types.js';
import { play, task } from '../fixtures/runner/ast.js';
import { TestTransportFactory, testServices } from '../fixtures/runner/harness.js';
import { testModules } from '../fixtures/runner/test-modules.js';

let dir: string;
let inventory: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-cli-'));
  inventory = join(dir, 'hosts.yml');
  await writeFile(inventory, 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n    h2:\n      ansible_connection: local\n      code: 1\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run the command line in-process with a playbook loader that returns `playbook` (or throws). */
async function cli(argv: string[], playbook: Playbook | InvalidInputError = { path: 'site.yml', plays: [], warnings: [] }) {
  let stdout = '';
  let stderr = '';
  const transports = new TestTransportFactory();
  const wiring: MainWiring = {
    loadPlaybook: async () => {
      if (playbook instanceof InvalidInputError) throw playbook;
      return playbook;
    },
    services: testServices(),
    transports: () => transports,
    modules: moduleRegistry(testModules),
  };
  const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir }, wiring);
  return { code, stdout, stderr, opened: transports.opened };
}

const site: Playbook = { path: 'site.yml', plays: [play([task('t_cmd', { cmd: 'exit {{ code | default(0) }}' }, { name: 'run' })], { name: 'all hosts' })], warnings: [] };

describe('beastie play', () => {
  it('exits 5 on invalid input, prints file:line:column, fix and excerpt, and contacts no host', async () => {
    const file = join(dir, 'site.yml');
    await writeFile(file, '- hosts: all\n  tasks:\n    - vm_gest: {}\n');
    const error = new InvalidInputError("unknown module 'vm_gest' — did you mean 'vm_guest'?", { source: { file, line: 3, column: 7 }, fix: 'use a module listed by `beastie doc`' });
    const run = await cli(['play', 'site.yml', '-i', inventory], error);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`ERROR: ${file}:3:7: unknown module 'vm_gest'`);
    expect(run.stderr).toContain('fix: use a module listed by `beastie doc`');
    expect(run.stderr).toContain('3 |     - vm_gest: {}\n    |       ^');
    expect(run.opened).toEqual([]);
  });

  it('exits 5 on a usage error, a missing inventory or a bad -e, with nothing contacted', async () => {
    for (const argv of [
      ['play', 'site.yml'],
      ['play', 'site.yml', '-i', inventory, '--bogus'],
      ['play', 'site.yml', '-i', join(dir, 'missing.yml')],
      ['play', 'site.yml', '-i', inventory, '-e', 'novalue'],
      ['play', 'site.yml', '-i', inventory, '--forks', '0'],
      ['play', 'site.yml', '-i', inventory, '--limit', 'nosuchhost'],
      ['play', 'site.yml', '-i', inventory, '--limit', '@missing.retry'],
      ['frobnicate'],
    ]) {
      const run = await cli(argv, site);
      expect(run.code, argv.join(' ')).toBe(5);
      expect(run.opened).toEqual([]);
    }
  });

  it('--json prints one event per line and ends with the recap; exit 2 when a task failed', async () => {
    const run = await cli(['play', 'site.yml', '-i', inventory, '--json'], site);
    const events = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { event: string; hosts?: Record<string, { failed: number }> });
    expect(events[0]?.event).toBe('run_start');
    const last = events.at(-1);
    expect(last?.event).toBe('recap');
    expect(last?.hosts?.['h2']?.failed).toBe(1);
    expect(run.stdout.split('\n').at(-2)?.startsWith('{"event":"recap","hosts":{')).toBe(true);
    expect(run.code).toBe(2);
  });

  it('human output ends with the PLAY RECAP; --limit narrows the hosts; exit 0', async () => {
    const run = await cli(['play', 'site.yml', '-i', inventory, '--limit', 'h1'], site);
    expect(run.stdout).toContain('PLAY [all hosts]');
    expect(run.stdout).toContain('changed: [h1]');
    expect(run.stdout).toMatch(/PLAY RECAP \*+\nh1 +: ok=1 +changed=1/);
    expect(run.stdout).not.toContain('h2');
    expect(run.code).toBe(0);
  });

  it('reads group_vars/ and host_vars/ beside the playbook, above those beside the inventory', async () => {
    await mkdir(join(dir, 'group_vars'));
    await writeFile(join(dir, 'group_vars', 'all.yml'), 'code: 4\n');
    await mkdir(join(dir, 'play', 'host_vars'), { recursive: true });
    await writeFile(join(dir, 'play', 'host_vars', 'h1.yml'), 'code: 3\n');
    const run = await cli(['play', 'play/site.yml', '-i', inventory, '--json'], site);
    const results = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { event: string; host?: string; rc?: number });
    const rc = Object.fromEntries(results.filter((e) => e.event === 'task_result').map((e) => [e.host, e.rc]));
    // h1: host_vars beside the playbook; h2: its inventory host var (1) beats group_vars/all (4).
    expect(rc).toEqual({ h1: 3, h2: 1 });
  });

  it('--list-hosts, --list-tasks and --syntax-check run nothing', async () => {
    const hosts = await cli(['play', 'site.yml', '-i', inventory, '--list-hosts'], site);
    expect(hosts.stdout).toContain('hosts (2):\n      h1\n      h2');
    const tasks = await cli(['play', 'site.yml', '-i', inventory, '--list-tasks'], site);
    expect(tasks.stdout).toContain('    tasks:\n      run\tTAGS: []');
    const syntax = await cli(['play', 'site.yml', '-i', inventory, '--syntax-check'], site);
    expect(syntax.code).toBe(0);
    expect([...hosts.opened, ...tasks.opened, ...syntax.opened]).toEqual([]);
  });
});

describe('-e', () => {
  it('takes KEY=VALUE, JSON and @FILE', async () => {
    await writeFile(join(dir, 'vars.yml'), 'a: 1\nb: [x]\n');
    expect(await parseExtraVars('a=1 b=two', dir)).toEqual({ a: '1', b: 'two' });
    expect(await parseExtraVars('{"a": 1}', dir)).toEqual({ a: 1 });
    expect(await parseExtraVars('@vars.yml', dir)).toEqual({ a: 1, b: ['x'] });
  });
});

describe('beastie doc and inventory', () => {
  it('lists modules with summaries and documents one from its schema', async () => {
    const list = await cli(['doc']);
    expect(list.stdout).toMatch(/^t_file +\(beastie\) +ensure a file holds a text$/m);
    const page = await cli(['doc', 't_fail']);
    expect(page.stdout).toContain('> T_FAIL');
    expect(page.stdout).toContain('- msg\n    type: str\n    default: "failed as asked"');
    const file = await cli(['doc', 't_file']);
    expect(file.stdout).toContain('= path\n    type: str');
    const unknown = await cli(['doc', 't_fial']);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain("did you mean 't_fail'");
  });

  it('inventory --list and --graph', async () => {
    const list = await cli(['inventory', '-i', inventory, '--list']);
    expect(JSON.parse(list.stdout)).toMatchObject({ _meta: { hostvars: { h2: { code: 1 } } } });
    const graph = await cli(['inventory', '-i', inventory, '--graph']);
    expect(graph.stdout).toContain('@all:');
    expect(graph.stdout).toContain('h1');
  });
});

describe('connection variables', () => {
  it('a bad ansible_port is invalid input before anything runs; templated connection vars are rendered', async () => {
    await writeFile(inventory, 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n      ansible_port: seventy\n');
    const bad = await cli(['play', 'site.yml', '-i', inventory], site);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('ansible_port');
    expect(bad.opened).toEqual([]);
    await writeFile(inventory, 'all:\n  vars:\n    conn: local\n  hosts:\n    h1:\n      ansible_connection: "{{ conn }}"\n');
    const good = await cli(['play', 'site.yml', '-i', inventory], site);
    expect(good.code).toBe(0);
    expect(good.opened).toEqual(['h1']);
  });
});

describe('beastie doc on the shipped modules', () => {
  it('documents every registered module from its schema without error', async () => {
    const { allModules } = await import('../../modules/all.js');
    const { docText } = await import('../../src/cli/doc-command.js');
    for (const module of allModules) expect(docText(allModules, module.name)).toContain(`> ${module.name.toUpperCase()}`);
    const sysrc = docText(allModules, 'sysrc');
    expect(sysrc).toContain('= name\n');
    expect(sysrc).toMatch(/choices: "present", "absent"/);
    expect(sysrc).toContain('default: "/etc/rc.conf"');
    expect(docText(allModules, 'set_fact')).toContain('any NAME: VALUE pairs');
  });
  it('names every module\'s Ansible FQCNs; an FQCN finds the module', async () => {
    const { allModules } = await import('../../modules/all.js');
    const { docText } = await import('../../src/cli/doc-command.js');
    const list = docText(allModules, undefined);
    expect(list).toMatch(/^stat +ansible\.builtin\.stat +/m);
    expect(list).toMatch(/^mount +ansible\.posix\.mount +/m);
    expect(list).toMatch(/^pkgng +community\.general\.pkgng +/m);
    expect(list).toMatch(/^bastille_jail +\(beastie\) +/m);
    expect(docText(allModules, 'ansible.posix.sysctl')).toContain('> SYSCTL\n\nA kernel variable');
    expect(docText(allModules, 'ansible.builtin.copy')).toContain('Ansible names: ansible.builtin.copy, ansible.legacy.copy');
    expect(docText(allModules, 'vm_guest')).toContain("Ansible names: none (beastie's own module)");
    const { ansibleCollections } = await import('../../src/playbook/module-names.js');
    expect(Object.keys(ansibleCollections).filter((name) => !allModules.some((m) => m.name === name))).toEqual([]);
  });
});
