// src/command/command.ts does all shell quoting: property-based round trips through the real
// shells a value may meet — /bin/sh (dash here, FreeBSD's sh is POSIX too), bash, and tcsh as a
// login shell in front of `/bin/sh -c` (src/transport/ssh/login-shell-command.ts), and the jail
// wrapper's nested `/bin/sh -c` (src/transport/jail.ts, minus jexec itself).
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Secret, sh } from '../../src/command/command.js';
import { loginShellCommand } from '../../src/transport/ssh/login-shell-command.js';

/** Any text a value may hold, except NUL (no argv can carry it). */
const word = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));

/** What `printf '%s\n' VALUE…` printed through `shell -c TEXT`. */
function through(shell: string, text: string): string {
  return execFileSync(shell, ['-c', text], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C.UTF-8' } });
}

describe('sh`…` quoting', () => {
  it('round-trips any values through /bin/sh and bash, one argument each', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (values) => {
        const command = sh`printf '[%s]' ${values}`;
        const expected = values.map((v) => `[${v}]`).join('');
        expect(through('/bin/sh', command.text)).toBe(expected);
        expect(through('/bin/bash', command.text)).toBe(expected);
      }),
      { numRuns: 20 },
    );
  });

  it('round-trips through a tcsh login shell in front of /bin/sh -c', () => {
    fc.assert(
      fc.property(word, (value) => {
        const command = sh`printf '[%s]' ${value}`;
        expect(through('/usr/bin/tcsh', loginShellCommand(command.text))).toBe(`[${value}]`);
      }),
      { numRuns: 20 },
    );
  });

  it('round-trips through a nested /bin/sh -c, as the jail wrapper nests it', () => {
    fc.assert(
      fc.property(word, (value) => {
        const inner = sh`printf '[%s]' ${value}`;
        const outer = sh`/bin/sh -c ${inner.text}`;
        expect(through('/bin/sh', outer.text)).toBe(`[${value}]`);
      }),
      { numRuns: 20 },
    );
  });

  it('shows a Secret as *** and runs its value', () => {
    fc.assert(
      fc.property(word, (value) => {
        const command = sh`printf '[%s]' ${new Secret(value)}`;
        expect(command.display).toBe("printf '[%s]' ***");
        expect(through('/bin/sh', command.text)).toBe(`[${value}]`);
      }),
      { numRuns: 10 },
    );
  });
});
