// Which handler a notified name runs when several share it, as ansible-core 2.14's
// search_handler_blocks_by_name (lib/ansible/plugins/strategy/__init__.py): blocks last to first
// (roles' handlers, then the play's), a block's handlers first to last; every listener runs too.
// (A `block:` under handlers is its own block in Ansible; beastie refuses blocks there still.)
// Expected results from Debian's ansible-playbook 2.14.18 on the same playbooks.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  dir = await mkdtemp(join(tmpdir(), 'beastie-handlers-'));
  await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modules = moduleRegistry([...allModules, ...testModules]);

/** The msg of every handler that ran, in order. */
async function handlersRun(yaml: string, files: Record<string, string> = {}): Promise<unknown[]> {
  await writeFile(join(dir, 'site.yml'), yaml);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  let stdout = '';
  const wiring: MainWiring = {
    loadPlaybook: async (path, { extraVars, rolesPath, collectionsPath }) => loadPlaybook(path, { extraVars, modules, rolesPath, collectionsPath }),
    services: { ...testServices(), taskFiles: diskTaskFiles({ modules }), params: { validate: validateParams } },
    transports: () => new TestTransportFactory(),
    modules: moduleRegistry(testModules),
  };
  const code = await main(['play', 'site.yml', '-i', 'hosts.yml', '--json'], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => undefined }, env: {}, cwd: dir }, wiring);
  expect(code).toBe(0);
  const events = stdout.trimEnd().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { event: string; task?: string; values?: { msg?: unknown } });
  return events.filter((e) => e.event === 'task_result' && e.task !== 'notify').map((e) => e.values?.msg);
}

const notify = "- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: notify\n      t_cmd: { cmd: 'true' }\n      notify: same\n";

describe('handlers sharing a name', () => {
  it('of one handlers list the first runs; a listener of the name runs as well', async () => {
    const handlers = '  handlers:\n    - name: same\n      t_debug: { msg: first }\n    - name: same\n      t_debug: { msg: second }\n    - name: other\n      t_debug: { msg: other }\n      listen: same\n';
    expect(await handlersRun(notify + handlers)).toEqual(['first', 'other']);
  });

  it("the later role's handler runs, and the play's own before any role's", async () => {
    const roles = { 'roles/r1/handlers/main.yml': '- { name: same, t_debug: { msg: r1 } }\n', 'roles/r2/handlers/main.yml': '- { name: same, t_debug: { msg: r2 } }\n' };
    const withRoles = notify.replace('  tasks:', '  roles: [r1, r2]\n  tasks:');
    expect(await handlersRun(withRoles, roles)).toEqual(['r2']);
    expect(await handlersRun(`${withRoles}  handlers:\n    - name: same\n      t_debug: { msg: play }\n`, roles)).toEqual(['play']);
  });
});
