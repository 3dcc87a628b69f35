import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import script, { planScript, scriptWords } from '../../modules/script.js';
import { parseFreeForm } from '../../src/playbook/free-form.js';
import { runLocal } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => script.params.parse(p);
const found = { kind: 'found', path: '/c/files/s.sh', content: Buffer.from('#!/bin/sh\necho hi\n') } as const;

describe('script: the free-form string', () => {
  it.each([
    ['files/prep.sh', 'files/prep.sh', ''],
    ['prep.sh --jobs 4 "a b"', 'prep.sh', '--jobs 4 "a b"'],
    ["'my dir/prep.sh' x", 'my dir/prep.sh', 'x'],
    ['my\\ prep.sh', 'my prep.sh', ''],
  ])('%s → path %s, args %s', (cmd, path, args) => {
    expect(scriptWords(cmd)).toEqual({ path, args });
  });
  it('takes creates/chdir as key=value options, as Ansible does', () => {
    expect(script.params.parse(parseFreeForm('prep.sh a creates=/var/db/done chdir=/tmp'))).toMatchObject({ cmd: 'prep.sh a', creates: '/var/db/done', chdir: '/tmp' });
  });
  it('refuses a relative chdir with Ansible\'s message', () => {
    expect(() => params({ cmd: 'x.sh', chdir: 'tmp' })).toThrow(/chdir tmp must be an absolute path for a Unix-aware remote node/);
  });
});

describe('script: plan', () => {
  it('runs the script from a private directory, the bytes on stdin', () => {
    const plan = planScript(params({ cmd: 'files/s.sh --fast', chdir: '/var' }), { source: found });
    expect(plan.steps).toHaveLength(1);
    const step = plan.steps[0];
    if (step?.kind !== 'change') throw new Error('expected a change');
    expect(step.summary).toBe('run files/s.sh --fast');
    const action = step.actions[0];
    if (action?.kind !== 'run') throw new Error('expected a run');
    expect(action.stdin).toEqual(found.content);
    expect(action.command.text).toContain('mktemp -d');
    expect(action.command.text).toContain('cd /var || exit ; "$t"/s.sh --fast </dev/null');
    expect(action.command.display).toBe('files/s.sh --fast');
  });
  it('runs it with the executable', () => {
    const step = planScript(params({ cmd: 's.sh', executable: '/usr/local/bin/bash' }), { source: found }).steps[0];
    expect(step?.kind === 'change' && step.actions[0]?.kind === 'run' ? step.actions[0].command.text : '').toContain("/usr/local/bin/bash \"$t\"/s.sh </dev/null");
  });
  it('is skipped by creates and removes with Ansible\'s reasons, before looking for the file', () => {
    const missing = { kind: 'missing', message: 'no file' } as const;
    const stat = { matched: true as const };
    expect(planScript(params({ cmd: 's.sh', creates: '/done' }), { source: missing, creates: stat }).steps).toEqual([{ kind: 'noop', reason: 'skipped, since /done exists' }]);
    expect(planScript(params({ cmd: 's.sh', removes: '/todo' }), { source: missing }).steps).toEqual([{ kind: 'noop', reason: 'skipped, since /todo does not exist' }]);
  });
  it('fails when the controller file is missing', () => {
    expect(planScript(params({ cmd: 's.sh' }), { source: { kind: 'missing', message: "could not find 's.sh' on the controller" } }).failure).toMatch(/could not find/);
  });
});

describe('script on the local connection', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-script-'));
    await writeFile(join(dir, 'count.sh'), '#!/bin/sh\necho "args: $# $1"\npwd\necho err >&2\n[ "$2" = fail ] && exit 3\nexit 0\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs with its arguments in chdir, registers rc/stdout/stderr, leaves no file behind', async () => {
    const before = await readdir(tmpdir());
    const outcome = await runLocal(script, { cmd: "count.sh 'one two' ok", chdir: '/' }, { vars: { playbook_dir: dir } });
    expect(outcome.status, outcome.msg).toBe('changed');
    expect(outcome.values).toMatchObject({ rc: 0, stdout: 'args: 2 one two\n/', stdout_lines: ['args: 2 one two', '/'], stderr: 'err', stderr_lines: ['err'] });
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('beastie-script.') && !before.includes(n))).toEqual([]);
  });
  it('fails on a non-zero exit with rc in the result', async () => {
    const outcome = await runLocal(script, { cmd: 'count.sh x fail', executable: '/bin/sh' }, { vars: { playbook_dir: dir } });
    expect(outcome).toMatchObject({ status: 'failed', values: { rc: 3 } });
  });
});
