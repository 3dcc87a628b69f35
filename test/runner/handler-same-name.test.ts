// Which handler a notified name runs when several share it, as ansible-core 2.14's
// search_handler_blocks_by_name (lib/ansible/plugins/strategy/__init__.py): blocks last to first
// (roles' handlers, then the play's), a block's handlers first to last; every listener runs too.
// (A `block:` under handlers is its own block: test/runner/handler-blocks.test.ts.)
// Expected results from Debian's ansible-playbook 2.14.18 on the same playbooks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-handlers-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The msg of every handler that ran, in order. */
async function handlersRun(yaml: string, files: Record<string, string> = {}): Promise<unknown[]> {
  const run = await runYaml(dir, { 'site.yml': yaml, ...files });
  expect(run.code, run.stderr).toBe(0);
  return run.events.filter((e) => e.event === 'task_result' && e.task !== 'notify').map((e) => e.values?.['msg']);
}

const notify = "- hosts: h1\n  gather_facts: false\n  tasks:\n    - name: notify\n      command: 'true'\n      notify: same\n";

describe('handlers sharing a name', () => {
  it('of one handlers list the first runs; a listener of the name runs as well', async () => {
    const handlers = '  handlers:\n    - name: same\n      debug: { msg: first }\n    - name: same\n      debug: { msg: second }\n    - name: other\n      debug: { msg: other }\n      listen: same\n';
    expect(await handlersRun(notify + handlers)).toEqual(['first', 'other']);
  });

  it("the later role's handler runs, and the play's own before any role's", async () => {
    const roles = { 'roles/r1/handlers/main.yml': '- { name: same, debug: { msg: r1 } }\n', 'roles/r2/handlers/main.yml': '- { name: same, debug: { msg: r2 } }\n' };
    const withRoles = notify.replace('  tasks:', '  roles: [r1, r2]\n  tasks:');
    expect(await handlersRun(withRoles, roles)).toEqual(['r2']);
    expect(await handlersRun(`${withRoles}  handlers:\n    - name: same\n      debug: { msg: play }\n`, roles)).toEqual(['play']);
  });
});
