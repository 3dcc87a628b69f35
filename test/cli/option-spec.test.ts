// The option table drives the parser, the parsed type and the help text.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { defineCommand, helpText, parseCommandLine } from '../../src/cli/option-spec.js';

const demo = defineCommand({
  name: 'demo',
  usage: 'beastie demo [options] ARG',
  summary: 'A demo command.',
  options: {
    inventory: { type: 'string', short: 'i', repeatable: true, arg: 'PATH', setting: 'inventory', help: 'inventory' },
    forks: { type: 'integer', short: 'f', default: 50, setting: 'forks', help: 'forks' },
    user: { type: 'string', short: 'u', setting: 'remote_user', help: 'user' },
    become: { type: 'boolean', short: 'b', setting: 'become', help: 'become' },
    'ask-become-pass': { type: 'boolean', short: 'K', aliases: ['ask-become-password'], help: 'ask' },
    verbose: { type: 'count', short: 'v', help: 'verbose' },
    'skip-tags': { type: 'string', repeatable: true, help: 'skip' },
    timeout: { type: 'integer', short: 'T', aliases: ['connect-timeout'], help: 'timeout' },
    'ask-pass': { type: 'boolean', help: 'ask pass' },
  },
});

function usageError(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseCommandLine', () => {
  it('derives camel-cased, typed values from the table', () => {
    const { options, positionals, given } = parseCommandLine(demo, ['site.yml', '-i', 'a', '--inventory=b', '-bK', '-vvv', '--skip-tags', 'x', '-f', '7', '-uadmin']);
    expectTypeOf(options.inventory).toEqualTypeOf<readonly string[]>();
    expectTypeOf(options.forks).toEqualTypeOf<number>();
    expectTypeOf(options.user).toEqualTypeOf<string | undefined>();
    expectTypeOf(options.timeout).toEqualTypeOf<number | undefined>();
    expectTypeOf(options.become).toEqualTypeOf<boolean>();
    expectTypeOf(options.verbose).toEqualTypeOf<number>();
    expect(options).toEqual({ inventory: ['a', 'b'], forks: 7, user: 'admin', become: true, askBecomePass: true, verbose: 3, skipTags: ['x'], timeout: undefined, askPass: false });
    expect(positionals).toEqual(['site.yml']);
    expect([...given].sort()).toEqual(['ask-become-pass', 'become', 'forks', 'inventory', 'skip-tags', 'user', 'verbose']);
  });

  it('takes aliases and unambiguous prefixes as argparse does; -- ends the options', () => {
    expect(parseCommandLine(demo, ['--connect-timeout', '3']).options.timeout).toBe(3);
    expect(parseCommandLine(demo, ['--ask-become-password']).options.askBecomePass).toBe(true);
    expect(parseCommandLine(demo, ['--inv', 'h,']).options.inventory).toEqual(['h,']);
    expect(parseCommandLine(demo, ['--', '-b']).positionals).toEqual(['-b']);
    expect(usageError(() => parseCommandLine(demo, ['--ask', 'x'])).message).toContain('ambiguous');
  });

  it('falls back to the setting, then the default; the command line wins', () => {
    const settings = (name: string) => ({ forks: 9, remote_user: 'cfguser', become: true, inventory: ['/etc/hosts.ini'] })[name];
    const fromSettings = parseCommandLine(demo, [], settings as never).options;
    expect(fromSettings).toMatchObject({ forks: 9, user: 'cfguser', become: true, inventory: ['/etc/hosts.ini'] });
    const fromLine = parseCommandLine(demo, ['-f', '2', '-u', 'me', '-i', 'x'], settings as never).options;
    expect(fromLine).toMatchObject({ forks: 2, user: 'me', inventory: ['x'] });
    expect(parseCommandLine(demo, []).options.forks).toBe(50);
  });

  it("unknown options, missing values and bad numbers are beastie's own usage errors with a did-you-mean", () => {
    const unknown = usageError(() => parseCommandLine(demo, ['--becme']));
    expect(unknown.message).toBe('unknown option --becme — did you mean --become?');
    expect(unknown.fix).toBe('run `beastie demo --help` for the options');
    expect(usageError(() => parseCommandLine(demo, ['-Z'])).message).toContain('unknown option -Z');
    expect(usageError(() => parseCommandLine(demo, ['-u'])).message).toBe('-u needs a value');
    expect(usageError(() => parseCommandLine(demo, ['--forks', 'many'])).message).toBe("--forks must be a whole number, got 'many'");
    expect(usageError(() => parseCommandLine(demo, ['--become=yes'])).message).toBe("--become takes no value, got 'yes'");
  });
});

describe('helpText', () => {
  it('lists every option once with its short form, aliases, argument, default and variable', () => {
    const text = helpText(demo, (name) => (name === 'forks' ? 'ANSIBLE_FORKS' : undefined));
    expect(text).toContain('usage: beastie demo [options] ARG');
    expect(text).toMatch(/-f, --forks VALUE +forks \[default 50; \$ANSIBLE_FORKS\]/);
    expect(text).toMatch(/-K, --ask-become-pass, --ask-become-password\s+ask\n/);
    expect(text).toMatch(/-i, --inventory PATH +inventory \[repeatable\]/);
    for (const name of Object.keys(demo.options)) expect(text.split(`--${name}`).length - 1).toBeGreaterThanOrEqual(1);
  });
});
