import { describe, expect, it } from 'vitest';
import { BecomeExchange } from '../../src/transport/become.js';
import { CommandOutput } from '../../src/transport/command-output.js';

/** A recording stand-in for the command's stdin. */
function recordingInput() {
  const written: string[] = [];
  let ended = false;
  return {
    written,
    ended: () => ended,
    input: { write: (data: string | Buffer) => void written.push(data.toString()), end: () => void (ended = true) },
  };
}

describe('CommandOutput', () => {
  it('keeps each stream up to the limit and counts what it dropped', () => {
    const { input } = recordingInput();
    const output = new CommandOutput({}, 4, undefined, input);
    output.onData('stdout')(Buffer.from('abc'));
    output.onData('stdout')(Buffer.from('def'));
    output.onData('stderr')(Buffer.from('x'));
    const done = output.finish();
    expect(done.stdout.bytes().toString()).toBe('abcd');
    expect(done.stdout.dropped).toBe(2);
    expect(done.stderr.bytes().toString()).toBe('x');
    expect(done.after).toBeUndefined();
  });

  it('shows live output as whole UTF-8 characters even when a chunk splits one', () => {
    const shown: string[] = [];
    const output = new CommandOutput({ onOutput: (stream, text) => shown.push(`${stream}:${text}`) }, 1024, undefined, recordingInput().input);
    const bytes = Buffer.from('é!');
    output.onData('stdout')(bytes.subarray(0, 1));
    output.onData('stdout')(bytes.subarray(1));
    expect(shown).toEqual(['stdout:é!']);
  });

  it('answers the become prompt, hides it and the marker, and hands stdin over once authenticated', () => {
    const { input, written, ended } = recordingInput();
    const exchange = new BecomeExchange('secret', /Password:/, 'stderr', 'MARK', 'the stdin');
    const output = new CommandOutput({}, 1024, exchange, input);
    output.onData('stderr')(Buffer.from('Password:'));
    expect(written).toEqual(['secret\n']);
    output.onData('stdout')(Buffer.from('MARK\nreal output\n'));
    expect(written).toEqual(['secret\n', 'the stdin']);
    expect(ended()).toBe(true);
    output.keepUnauthenticated();
    const done = output.finish();
    expect(done.stdout.bytes().toString()).toBe('real output\n');
    expect(done.stderr.bytes().toString()).toBe('');
  });

  it('keeps what the tool said when it ended before authenticating, and says a second prompt means refused', () => {
    const { input, ended } = recordingInput();
    const exchange = new BecomeExchange('wrong', /Password:/, 'stderr', 'MARK', undefined);
    const output = new CommandOutput({}, 1024, exchange, input);
    output.onData('stderr')(Buffer.from('Password:'));
    output.onData('stderr')(Buffer.from('\nSorry, try again.\nPassword:'));
    expect(ended()).toBe(true);
    output.onData('stderr')(Buffer.from('\nsudo: 1 incorrect password attempt\n'));
    output.keepUnauthenticated();
    expect(output.finish().stderr.bytes().toString()).toBe('beastie: the become password was refused\nsudo: 1 incorrect password attempt\n');
  });
});
