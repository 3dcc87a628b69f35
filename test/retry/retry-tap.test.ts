// The retry file when a notify naming no handler stops the run: ansible-core 2.14's strategy
// raises AnsibleError, which leaves PlaybookExecutor.run (executor/playbook_executor.py) before
// the retry file is written, so none is written and an older one stays (ansible-playbook
// 2.14.18, three hosts, one failed, two plays: exit 1, PLAYBOOK.retry unchanged).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  dir = await mkdtemp(join(tmpdir(), 'beastie-retry-'));
  await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n    h2:\n      ansible_connection: local\n    h3:\n      ansible_connection: local\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modules = moduleRegistry([...allModules, ...testModules]);

async function play(yaml: string): Promise<number> {
  await writeFile(join(dir, 'site.yml'), yaml);
  const wiring: MainWiring = {
    loadPlaybook: async (path, { extraVars, rolesPath, collectionsPath }) => loadPlaybook(path, { extraVars, modules, rolesPath, collectionsPath }),
    services: { ...testServices(), taskFiles: diskTaskFiles({ modules }), params: { validate: validateParams } },
    transports: () => new TestTransportFactory(),
    modules: moduleRegistry(testModules),
  };
  return main(['play', 'site.yml', '-i', 'hosts.yml', '--json'], { stdout: { write: () => undefined }, stderr: { write: () => undefined }, env: {}, cwd: dir }, wiring);
}

const stops = `- hosts: all
  gather_facts: false
  tasks:
    - name: fails on h1
      t_fail: { msg: boom }
      when: inventory_hostname == 'h1'
    - name: notify
      t_cmd: { cmd: 'true' }
      notify: "{{ 'not' + 'here' }}"
- hosts: all
  gather_facts: false
  tasks:
    - t_debug: { msg: later }
`;

describe('retry file after a missing handler stops the run', () => {
  it('is not written, and an older one is left as it was', async () => {
    await writeFile(join(dir, 'site.retry'), 'stale\n');
    expect(await play(stops)).not.toBe(0);
    expect(await readFile(join(dir, 'site.retry'), 'utf8')).toBe('stale\n');
  });

  it('is still written when the run ends on its own', async () => {
    expect(await play(stops.replace(`      notify: "{{ 'not' + 'here' }}"\n`, ''))).not.toBe(0);
    expect(await readFile(join(dir, 'site.retry'), 'utf8')).toBe('h1\n');
  });
});
