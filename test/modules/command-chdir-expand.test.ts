// command's and shell's chdir is type='path' in ansible-core 2.14 (modules/command.py argument_spec;
// module_utils/common/validation.py check_type_path: expanduser(expandvars(value))): $NAME and a
// leading ~ are expanded on the host before cd. Run by /bin/sh here with HOME set to a temp dir.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { inDirectory } from '../../modules/command.js';

let dir = '';
beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'chdir-expand-')));
  await mkdir(join(dir, 'sub dir'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pwdIn = (chdir: string) =>
  execFileSync('/bin/sh', ['-c', inDirectory(sh`pwd`, chdir).text], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: dir, SUB: 'sub dir' } }).trim();

describe('chdir expanded as check_type_path', () => {
  it('~ and $NAME', () => {
    expect(pwdIn('~/sub dir')).toBe(join(dir, 'sub dir'));
    expect(pwdIn('$HOME/$SUB')).toBe(join(dir, 'sub dir'));
    expect(pwdIn('${HOME}')).toBe(dir);
  });
  it('a value holding shell source is only a directory name', () => {
    expect(() => pwdIn('$HOME/$(touch pwned)')).toThrow();
    expect(() => execFileSync('/bin/sh', ['-c', 'test ! -e pwned'], { cwd: dir })).not.toThrow();
  });
  it('shows the chdir as written', () => {
    expect(inDirectory(sh`pwd`, '~/x').display).toBe('cd ~/x || exit ; pwd');
  });
});
