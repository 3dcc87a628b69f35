// `block:` under handlers, as ansible-core 2.14 loads and runs it: load_list_of_blocks with
// use_handlers (lib/ansible/playbook/helpers.py) makes each block's tasks handlers carrying the
// block's keywords; a block inside one is refused ("Using a block as a handler is not
// supported"); the play iterator (executor/play_iterator.py) takes only each block's `block:`
// list as handlers, so rescue and always never run. Expected results from Debian's
// ansible-playbook 2.14.18 on the same playbooks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runYaml } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-handler-blocks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const play = (notify: string, handlers: string): string =>
  `- hosts: h1\n  gather_facts: false\n  vars: { flag: false }\n  tasks:\n    - name: notify\n      command: 'true'\n      notify: ${notify}\n  handlers:\n${handlers}`;

/** Each handler's name and status, in the order they ran. */
function handlerResults(events: readonly { event: string; task?: string; status?: string }[]): string[] {
  return events.filter((e) => e.event === 'task_result' && e.task !== 'notify').map((e) => `${e.task}: ${e.status}`);
}

describe('a block under handlers', () => {
  it("its tasks are handlers (by name and listen) under the block's when; its rescue and always never run", async () => {
    const handlers = [
      '    - name: plain',
      '      debug: { msg: plain }',
      '    - name: blk',
      '      when: flag',
      '      block:',
      '        - name: h1',
      '          debug: { msg: h1 }',
      '        - name: h2',
      '          debug: { msg: h2 }',
      '          listen: topic',
      '    - block:',
      '        - name: h3',
      "          command: 'false'",
      '      rescue:',
      '        - name: h4',
      '          debug: { msg: rescued }',
      '      always:',
      '        - name: h5',
      '          debug: { msg: always }',
      '',
    ].join('\n');
    const run = await runYaml(dir, { 'site.yml': play('[h1, topic, h3]', handlers) });
    expect(handlerResults(run.events)).toEqual(['h1: skipped', 'h2: skipped', 'h3: failed']);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toMatch(/rescue: under a handler's block never runs/);
  });

  it("its vars and notify reach the handlers in it", async () => {
    const handlers = [
      '    - name: blk',
      '      vars: { v: from-block }',
      '      notify: other',
      '      block:',
      '        - name: h1',
      "          debug: { msg: '{{ v }}' }",
      '          changed_when: true',
      '    - name: other',
      '      debug: { msg: other }',
      '',
    ].join('\n');
    const run = await runYaml(dir, { 'site.yml': play('h1', handlers) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.debug()).toEqual(['from-block', 'other']);
  });

  it('a block inside it is refused at its line, and nothing runs', async () => {
    const handlers = ['    - block:', '        - block:', '            - name: h1', '              debug: { msg: x }', ''].join('\n');
    const run = await runYaml(dir, { 'site.yml': play('h1', handlers) });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/site\.yml:10:11: a block inside a handler's block/);
    expect(run.events.filter((e) => e.event === 'task_result')).toEqual([]);
  });
});
