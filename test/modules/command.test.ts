import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import command, { commandWords, planCommand } from '../../modules/command.js';
import shell, { planShell } from '../../modules/shell.js';
import { splitArgv } from '../../modules/support/argv.js';
import { runLocal, threeWay } from './helpers/three-way.js';

const cmd = (p: Record<string, unknown>) => command.params.parse(p);
const sh = (p: Record<string, unknown>) => shell.params.parse(p);
const texts = (plan: ReturnType<typeof planCommand>) =>
  plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)) : [`noop: ${s.reason}`]));

describe('splitArgv', () => {
  it.each([
    ['ls -l /tmp', ['ls', '-l', '/tmp']],
    [`echo 'a b' "c d" e\\ f`, ['echo', 'a b', 'c d', 'e f']],
    [`printf '%s|%s' "x>y"`, ['printf', '%s|%s', 'x>y']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`echo ''`, ['echo', '']],
  ])('%s', (text, words) => {
    expect(splitArgv(text)).toEqual({ kind: 'words', words });
  });

  it('reports unquoted shell syntax and unterminated quotes', () => {
    expect(splitArgv('ls | wc -l')).toEqual({ kind: 'shell-syntax', character: '|' });
    expect(splitArgv('echo $HOME')).toEqual({ kind: 'shell-syntax', character: '$' });
    expect(splitArgv('echo "$HOME"')).toEqual({ kind: 'shell-syntax', character: '$' });
    expect(splitArgv("echo 'a")).toEqual({ kind: 'unterminated', quote: "'" });
  });
});

describe('command plan', () => {
  it('quotes every word, so nothing is interpreted', () => {
    const plan = planCommand(cmd({ cmd: `echo 'a;b' "*"` }), {});
    expect(texts(plan)).toEqual([`echo 'a;b' '*'`]);
    expect(commandWords(cmd({ argv: ['printf', '%s\n', 'x y'] }))).toEqual(['printf', '%s\n', 'x y']);
  });

  it('refuses shell syntax at load time and points at shell', () => {
    expect(() => cmd({ cmd: 'cat /etc/rc.conf | grep vm' })).toThrow(/'\|' is shell syntax and command runs no shell — use the shell module/);
    expect(() => cmd({ cmd: 'ls', argv: ['ls'] })).toThrow(/exactly one of cmd/);
    expect(() => cmd({ cmd: 'ls', chdri: '/' })).toThrow();
  });

  it('changes into chdir first and feeds stdin with a newline', () => {
    const plan = planCommand(cmd({ cmd: 'cat', chdir: '/tmp/a b', stdin: 'hello' }), {});
    const step = plan.steps[0];
    expect(step?.kind === 'change' && step.actions[0]).toMatchObject({ kind: 'run', command: { text: `cd '/tmp/a b' || exit ; cat` }, stdin: 'hello\n' });
  });

  it('is skipped when creates exists or removes does not, with Ansible\'s words', () => {
    const stat = { matched: true as const };
    expect(texts(planCommand(cmd({ cmd: 'vm init', creates: '/vms/.config' }), { creates: stat }))).toEqual(['noop: skipped, since /vms/.config exists']);
    expect(texts(planCommand(cmd({ cmd: 'vm init', creates: '/vms/.config' }), {}))).toEqual(['vm init']);
    expect(texts(planCommand(cmd({ cmd: 'rm x', removes: '/x' }), {}))).toEqual(['noop: skipped, since /x does not exist']);
    expect(planCommand(cmd({ cmd: 'vm init', creates: '/c' }), { creates: stat }).values).toMatchObject({ rc: 0, stdout: 'skipped, since /c exists' });
  });
});

describe('command executable', () => {
  it('is taken and not used, with Ansible\'s warning (as Ansible since 2.4)', () => {
    const plan = planCommand(cmd({ cmd: 'echo hi', executable: '/usr/local/bin/bash' }), {});
    expect(texts(plan)).toEqual(['echo hi']);
    expect(plan.notes).toEqual(["[WARNING]: As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '/usr/local/bin/bash'."]);
    expect(planCommand(cmd({ cmd: 'echo hi' }), {}).notes).toBeUndefined();
  });
});

describe('shell plan', () => {
  it('runs the line verbatim, optionally through another shell', () => {
    expect(texts(planShell(sh({ cmd: 'kldstat | grep vmm > /tmp/k' }), {}))).toEqual(['kldstat | grep vmm > /tmp/k']);
    expect(texts(planShell(sh({ cmd: 'echo $0', executable: '/bin/bash' }), {}))).toEqual([`/bin/bash -c 'echo $0'`]);
  });
});

describe('command and shell on the local connection', () => {
  it('command three ways with creates', async () => {
    const { first, second, dir, cleanup } = await threeWay({
      module: command,
      params: (dir) => ({ argv: ['touch', 'made'], chdir: dir, creates: 'made' }),
    });
    expect(first.values).toMatchObject({ rc: 0 });
    expect(second.msg).toBe('skipped, since made exists');
    expect(await readFile(join(dir, 'made'), 'utf8')).toBe('');
    await cleanup();
  });

  it('shell three ways with creates, a pipe and a redirection', async () => {
    const { dir, cleanup } = await threeWay({
      module: shell,
      params: (dir) => ({ cmd: "printf 'a\\nb\\n' | wc -l > count", chdir: dir, creates: join(dir, 'count') }),
    });
    expect((await readFile(join(dir, 'count'), 'utf8')).trim()).toBe('2');
    await cleanup();
  });

  it('registers stdout, stderr and rc; a non-zero exit fails the task', async () => {
    const ok = await runLocal(command, { cmd: `printf '%s' "a b"` });
    expect(ok).toMatchObject({ status: 'changed', values: { rc: 0, stdout: 'a b', stdout_lines: ['a b'] } });
    const failed = await runLocal(shell, { cmd: 'echo oops >&2; exit 3' });
    expect(failed.status).toBe('failed');
    expect(failed.values).toMatchObject({ rc: 3, stderr: 'oops' });
    expect(failed.msg).toMatch(/exited 3:\noops/);
  });

  it('passes stdin', async () => {
    const out = await runLocal(command, { cmd: 'wc -c', stdin: 'fed' });
    expect(out.values['stdout']).toMatch(/^\s*4$/); // 'fed' and the added newline
    const raw = await runLocal(command, { cmd: 'wc -c', stdin: 'fed', stdin_add_newline: false });
    expect(raw.values['stdout']).toMatch(/^\s*3$/);
  });
});
