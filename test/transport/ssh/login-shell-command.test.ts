import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cshSafeWord, loginShellCommand } from '../../../src/transport/ssh/login-shell-command.js';

/** Runs the login-shell string the way sshd does: `SHELL -c STRING`. */
function viaLoginShell(shell: string, script: string): string {
  return execFileSync(shell, ['-c', loginShellCommand(script)], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('loginShellCommand', () => {
  const scripts = [
    'echo plain',
    `printf '%s\\n' "it's" "\\$HOME"`,
    'echo "multi\nline"; echo two!',
    'echo $LC_ALL',
    "printf 'tab\\tend\\n'; echo 'é ü'",
    'a=1\nif [ $a = 1 ]; then\n  echo "yes `echo sub`"\nfi',
  ];

  // FreeBSD's root had csh before 14.0 and many users keep tcsh (installed by setup: tcsh).
  for (const shell of ['/bin/sh', '/bin/bash', '/usr/bin/tcsh', '/usr/bin/csh']) {
    it(`round-trips scripts through ${shell} as /bin/sh -c with LC_ALL=C`, () => {
      for (const script of scripts) {
        expect(viaLoginShell(shell, script)).toBe(execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } }));
      }
    });
  }

  it('keeps simple scripts readable and encodes csh-hostile ones', () => {
    expect(loginShellCommand('uname -r')).toBe(`env LC_ALL=C /bin/sh -c 'uname -r'`);
    const word = cshSafeWord('a\nb!');
    expect(word).not.toMatch(/[\n!]/);
  });
});
