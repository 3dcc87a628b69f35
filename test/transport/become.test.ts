import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { BecomeExchange, becomeCommand, type BecomeInvocation } from '../../src/transport/become.js';

/** Runs an invocation with local /bin/sh, driving the exchange as a transport does. */
function runLocally(invocation: BecomeInvocation): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', invocation.command.text], { stdio: 'pipe' });
    const out = { stdout: '', stderr: '' };
    const exchange = invocation.exchange;
    const on = (stream: 'stdout' | 'stderr') => (data: Buffer) => {
      if (!exchange) {
        out[stream] += data.toString();
        return;
      }
      const step = exchange.feed(stream, data.toString('latin1'));
      out[stream] += step.output;
      if (step.write !== undefined) child.stdin.write(step.write);
      if (step.endStdin) child.stdin.end();
    };
    child.stdout.on('data', on('stdout'));
    child.stderr.on('data', on('stderr'));
    if (!exchange) child.stdin.end(invocation.stdin ?? '');
    child.on('close', (code) => resolve({ code, ...out }));
  });
}

describe('becomeCommand', () => {
  const command = sh`cat ${'/etc/a file'}`;

  it('uses sudo -n without a password, so a missing rule fails instead of waiting', () => {
    const invocation = becomeCommand(command, { method: 'sudo' }, 'in');
    expect(invocation.command.text).toMatch(/^sudo -n -u root -- \/bin\/sh -c /);
    expect(invocation).toMatchObject({ stdin: 'in', needsPty: false, exchange: undefined });
    expect(invocation.command.display).toBe(`sudo -u root cat '/etc/a file'`);
  });

  it('feeds sudo the password on stdin only after its unique prompt, and never shows it', () => {
    const invocation = becomeCommand(command, { method: 'sudo', user: 'toor', password: 's3cret' }, 'data');
    expect(invocation.command.text).toMatch(/^sudo -S -p '\[beastie-sudo-password-[0-9a-f]+\]' -u toor -- /);
    expect(invocation.command.text + invocation.command.display).not.toContain('s3cret');
    expect(invocation.stdin).toBeUndefined();
    expect(invocation.needsPty).toBe(false);
  });

  it('puts doas and su with a password on a pty and carries stdin inside the command', () => {
    const doas = becomeCommand(command, { method: 'doas', password: 'p' }, 'x');
    expect(doas.command.text).toMatch(/^doas -u root \/bin\/sh -c /);
    expect(doas).toMatchObject({ needsPty: true, stdin: undefined });
    expect(doas.command.text).toContain('printf %s x |');
    const su = becomeCommand(command, { method: 'su', user: 'bob', password: 'p' });
    expect(su.command.text).toMatch(/^su bob -c /);
    expect(su.command.text).toContain('</dev/null');
    expect(becomeCommand(command, { method: 'doas' }).command.text).toMatch(/^doas -n -u root /);
  });

  it('refuses binary stdin on a pty', () => {
    expect(() => becomeCommand(command, { method: 'doas', password: 'p' }, Buffer.from([0, 1, 2]))).toThrow(/binary stdin/);
  });
});

describe('BecomeExchange', () => {
  it('answers the prompt once, drops what comes before the marker, then hands over stdin', () => {
    const exchange = new BecomeExchange('pw', /Password: ?/, 'stdout', 'MARK', 'stdin-bytes');
    expect(exchange.feed('stdout', 'Pass')).toEqual({ output: '', write: undefined, endStdin: false });
    expect(exchange.feed('stdout', 'word: ')).toEqual({ output: '', write: 'pw\n', endStdin: false });
    const step = exchange.feed('stdout', '\nMARK\nhello');
    expect(step).toEqual({ output: 'hello', write: 'stdin-bytes', endStdin: true });
    expect(exchange.authenticated).toBe(true);
    expect(exchange.feed('stdout', 'Password: more')).toEqual({ output: 'Password: more' });
  });

  it('closes stdin at a second prompt (password refused) and keeps the tool’s words', () => {
    const exchange = new BecomeExchange('pw', /\[P\]/, 'stderr', 'MARK', undefined);
    exchange.feed('stderr', '[P]');
    expect(exchange.feed('stderr', 'Sorry, try again.\n[P]')).toMatchObject({ endStdin: true });
    expect(exchange.promptCount).toBe(2);
    expect(exchange.leftover('stderr')).toBe('');
    exchange.feed('stderr', 'sudo: 1 incorrect password attempt\n');
    expect(exchange.leftover('stderr')).toBe('sudo: 1 incorrect password attempt\n');
  });

  it('works when the password is never asked for (NOPASSWD, cached credentials): real sudo as root', async () => {
    const invocation = becomeCommand(sh`cat; id -un`, { method: 'sudo', password: 'never-read' }, 'stdin stays intact\n');
    const result = await runLocally(invocation);
    expect(result).toEqual({ code: 0, stdout: 'stdin stays intact\nroot\n', stderr: '' });
  });

  it('runs real sudo -n without a password as root', async () => {
    const result = await runLocally(becomeCommand(sh`cat; echo $LC_ALL`, { method: 'sudo' }, 'x\n'));
    expect(result).toEqual({ code: 0, stdout: 'x\nC\n', stderr: '' });
  });
});
