// The $NAME in command's and shell's creates/removes/chdir sees the task's environment:, as in
// ansible-core 2.14, where the module process runs with it (plugins/action: the environment is put
// in front of the module's command) and modules/command.py expands these type='path' parameters
// (check_type_path: os.path.expandvars) inside it. Checked by running the same playbook with Debian's
// ansible-playbook 2.14 on the local connection (the oracle): its results are written below.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runYaml } from '../fixtures/runner/yaml-run.js';

let dir = '';
beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'guard-env-')));
  await mkdir(join(dir, 'd', 'sub'), { recursive: true });
  await writeFile(join(dir, 'd', 'marker'), '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const play = (d: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: creates through env
      command: echo ran
      args: { creates: "$GUARD_DIR/marker" }
      environment: { GUARD_DIR: "${d}" }
    - name: removes through env
      command: echo ran
      args: { removes: "$GUARD_DIR/nothing" }
      environment: { GUARD_DIR: "${d}" }
    - name: chdir through env
      command: pwd
      args: { chdir: "$GUARD_DIR/sub" }
      environment: { GUARD_DIR: "${d}" }
      register: r
    - debug: { msg: "{{ r.stdout }}" }
    - name: shell creates through env
      shell: echo ran
      args: { creates: "\${GUARD_DIR}/marker" }
      environment: { GUARD_DIR: "${d}" }
`;

describe("guards expand $NAME in the task's environment", () => {
  it('as ansible-playbook 2.14: creates and removes skip, chdir enters the directory', async () => {
    const run = await runYaml(join(dir, 'work'), { 'site.yml': play(join(dir, 'd')) });
    const status = (task: string) => run.events.find((e) => e.event === 'task_result' && e.task === task)?.status;
    // ansible-playbook 2.14 (json callback): changed False, "Did not run command since '…/marker' exists".
    expect(status('creates through env')).toBe('ok');
    // changed False, "Did not run command since '…/nothing' does not exist".
    expect(status('removes through env')).toBe('ok');
    // stdout …/d/sub.
    expect(run.debug()).toEqual([join(dir, 'd', 'sub')]);
    expect(status('shell creates through env')).toBe('ok');
    expect(run.code).toBe(0);
  });
});
