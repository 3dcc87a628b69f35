// A role's collection list, as ansible-core 2.14's Role._load_role_data builds it
// (playbook/role/__init__.py): roles do not inherit the play's `collections:`; a collection role
// (ansible_collections/NS/COLL/roles/R) has its own collection first, then its meta/main.yml
// `collections:`, and its tasks resolve short role names through that list. Its dependencies
// are looked for through its own collection only (role/metadata.py _load_dependencies runs before
// the meta collections join the list). Checked with ansible-playbook 2.14.18 on the same tree:
// the debug messages below are the oracle's, in its order.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-role-own-collection-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const infra = 'collections/ansible_collections/acme/infra/roles';
const other = 'collections/ansible_collections/acme/other/roles';
const tasks = (...lines: string[]) => `${lines.join('\n')}\n`;
const files = {
  [`${infra}/db/tasks/main.yml`]: tasks('- debug: { msg: coll-infra-db }'),
  [`${other}/db/tasks/main.yml`]: tasks('- debug: { msg: coll-other-db }'),
  'roles/db/tasks/main.yml': tasks('- debug: { msg: classic-db }'),
  [`${infra}/web/tasks/main.yml`]: tasks('- debug: { msg: infra-web }', '- import_role: { name: db }'),
  [`${infra}/web/meta/main.yml`]: tasks('dependencies: [db]'),
  'roles/classic/tasks/main.yml': tasks('- debug: { msg: classic }', '- import_role: { name: db }'),
  'roles/metarole/tasks/main.yml': tasks('- debug: { msg: metarole }', '- import_role: { name: db }'),
  'roles/metarole/meta/main.yml': tasks('collections: [acme.other]', 'dependencies: [db]'),
};
const play = (roles: string, collections = '') => `- hosts: h1\n  gather_facts: false\n${collections}  roles: [${roles}]\n`;

describe("a role's own collection list", () => {
  it("a collection role finds its dependencies and imported roles in its own collection first", async () => {
    const run = await runYaml(dir, { ...files, 'site.yml': play('acme.infra.web') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.debug()).toEqual(['coll-infra-db', 'infra-web', 'coll-infra-db']);
  });

  it("a classic role does not see the play's collections:", async () => {
    const run = await runYaml(dir, { ...files, 'site.yml': play('classic', '  collections: [acme.infra]\n') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.debug()).toEqual(['classic', 'classic-db']);
  });

  it("meta/main.yml collections: resolve the role's tasks' short names, not its dependencies'", async () => {
    const run = await runYaml(dir, { ...files, 'site.yml': play('metarole') });
    expect(run.code, run.stderr).toBe(0);
    expect(run.debug()).toEqual(['classic-db', 'metarole', 'coll-other-db']);
  });
});
