import { describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { InvalidInputError } from '../../src/errors.js';
import { EnvironmentTransport, environmentWords, withEnvironment } from '../../src/runner/environment.js';
import { LocalTransport } from '../../src/transport/local.js';

describe('environment:', () => {
  it('renders each variable as one NAME=value word: null empty, objects as JSON', () => {
    expect(environmentWords({ A: 1, B: null, C: { x: [1] }, D: 'two words' })).toEqual(['A=1', 'B=', 'C={"x":[1]}', 'D=two words']);
  });

  it('refuses a name that is not a variable name', () => {
    expect(() => environmentWords({ 'A B': 1 })).toThrow(InvalidInputError);
    expect(() => environmentWords({ '1A': 1 })).toThrow("environment: '1A' is not a variable name");
  });

  it('shows names, never values, in the displayed command; no environment leaves the command alone', () => {
    const command = sh`printenv SECRET`;
    expect(withEnvironment(command, [])).toBe(command);
    expect(withEnvironment(command, ['SECRET=hunter2']).display).toBe('env SECRET=… printenv SECRET');
  });

  it('a value reaches the command as data, never as code', async () => {
    const hostile = '$(touch /nonexistent-beastie); `id`; \'"';
    const transport = new EnvironmentTransport(new LocalTransport('h1'), environmentWords({ V: hostile }));
    const result = await transport.run(sh`printf %s "$V"`);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(hostile);
    expect(transport.host).toBe('h1');
  });
});
