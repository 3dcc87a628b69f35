// A role named without FQCN is looked for in the play's `collections:` first, as ansible-core
// 2.14's RoleDefinition._load_role_path (playbook/role/definition.py: _get_collection_role_path
// over the collection list, then roles/ and roles_path). Checked with ansible-playbook 2.14.18:
// with collections: [acme.infra], roles: [web] runs acme.infra.web, not roles/web beside it.
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
  dir = await mkdtemp(join(tmpdir(), 'beastie-role-collections-'));
  await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modules = moduleRegistry([...allModules, ...testModules]);

/** The msg of every task that ran, in order. */
async function played(yaml: string, files: Record<string, string> = {}): Promise<unknown[]> {
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
  return events.filter((e) => e.event === 'task_result').map((e) => e.values?.msg);
}

const site = '- hosts: h1\n  gather_facts: false\n  collections: [acme.other, acme.infra]\n  roles: [web]\n  tasks:\n    - import_role: { name: db }\n';
const role = (dir: string, msg: string) => ({ [`${dir}/tasks/main.yml`]: `- t_debug: { msg: ${msg} }\n` });

describe("short role names through the play's collections:", () => {
  it('a listed collection holding the role wins over roles/ beside the playbook; the others still come from roles/', async () => {
    const files = { ...role('collections/ansible_collections/acme/infra/roles/web', 'collection'), ...role('roles/web', 'classic'), ...role('roles/db', 'db') };
    expect(await played(site, files)).toEqual(['collection', 'db']);
  });

  it('without collections: the short name is the classic role', async () => {
    const files = { ...role('collections/ansible_collections/acme/infra/roles/web', 'collection'), ...role('roles/web', 'classic'), ...role('roles/db', 'db') };
    expect(await played(site.replace('  collections: [acme.other, acme.infra]\n', ''), files)).toEqual(['classic', 'db']);
  });
});
