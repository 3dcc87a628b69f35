// A role named without FQCN is looked for in the play's `collections:` first, as ansible-core
// 2.14's RoleDefinition._load_role_path (playbook/role/definition.py: _get_collection_role_path
// over the collection list, then roles/ and roles_path). Checked with ansible-playbook 2.14.18:
// with collections: [acme.infra], roles: [web] runs acme.infra.web, not roles/web beside it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-role-collections-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The msg of every debug task that ran, in order. */
async function played(yaml: string, files: Record<string, string> = {}): Promise<unknown[]> {
  const run = await runYaml(dir, { 'site.yml': yaml, ...files });
  expect(run.code, run.stderr).toBe(0);
  return run.debug();
}

const site = '- hosts: h1\n  gather_facts: false\n  collections: [acme.other, acme.infra]\n  roles: [web]\n  tasks:\n    - import_role: { name: db }\n';
const role = (dir: string, msg: string) => ({ [`${dir}/tasks/main.yml`]: `- debug: { msg: ${msg} }\n` });

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
