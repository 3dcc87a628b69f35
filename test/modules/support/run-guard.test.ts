// command's and shell's creates/removes matched as ansible-core 2.14's modules/command.py matches them:
// glob.glob(pattern) after os.chdir(chdir). The expected answer for each pattern is what Python's
// own glob.glob says in the same directory (python3 run here, the function Ansible calls); the
// guard's construct is run by /bin/sh here. script's creates stays a literal `test -e`.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardMatchFact, guardReason, patternBase } from '../../../modules/support/run-guard.js';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-guard-'));
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'a.conf'), '');
  await writeFile(join(dir, 'sub', '.hidden'), '');
  await writeFile(join(dir, 'with space.txt'), '');
  await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What the guard fact says on this machine's /bin/sh. */
function hostSays(pattern: string, chdir: string | undefined, glob = true): boolean {
  const fact = guardMatchFact(pattern, chdir, glob);
  const stdout = execFileSync('/bin/sh', ['-c', fact.command.text], { encoding: 'utf8', cwd: dir, env: { PATH: '/usr/bin:/bin', HOME: dir } });
  return fact.parse({ stdout, stderr: '', exitCode: 0 }) !== undefined;
}

/** What Python's glob.glob says after os.chdir(chdir). */
function pythonSays(pattern: string, chdir: string): boolean {
  const out = execFileSync('python3', ['-c', 'import glob, os, sys; os.chdir(sys.argv[1]); print(1 if glob.glob(sys.argv[2]) else 0)', chdir, pattern], { encoding: 'utf8' });
  return out.trim() === '1';
}

describe('creates/removes match as glob.glob', () => {
  const patterns = ['sub/*.conf', 'sub/*.nope', 'sub/*', 'sub/.h*', 'sub/[ab].conf', 'sub/?.conf', 'sub/a.conf', 'with space.txt', 'with*', 'dangling', 'nowhere', '*/a.conf', 'sub/$(touch pwned)*', "x';touch pwned;'*", '`touch pwned`'];
  it.each(patterns)('%s, relative to an absolute chdir', (pattern) => {
    expect(hostSays(pattern, dir)).toBe(pythonSays(pattern, dir));
  });
  it.each(patterns)('%s, as an absolute pattern', (pattern) => {
    expect(hostSays(join(dir, pattern), undefined)).toBe(pythonSays(join(dir, pattern), dir));
  });
  it('a relative chdir is entered on the host', () => {
    expect(hostSays('*.conf', 'sub')).toBe(true);
    expect(hostSays('*.conf', 'nosuchdir')).toBe(false);
  });
  it('a pattern is data: shell source in it runs nothing', () => {
    expect(() => execFileSync('/bin/sh', ['-c', 'test ! -e pwned && test ! -e sub/pwned'], { cwd: dir })).not.toThrow();
  });
  it("script's guard is a literal test -e, as plugins/action/script.py _remote_file_exists", () => {
    expect(hostSays(join(dir, 'sub/*.conf'), undefined, false)).toBe(false);
    expect(hostSays(join(dir, 'sub/a.conf'), undefined, false)).toBe(true);
  });
  it('reads the directory before the first glob component', () => {
    expect(patternBase('/etc/rc.conf.d/*.conf')).toBe('/etc/rc.conf.d');
    expect(patternBase('/a/b')).toBe('/a/b');
    expect(patternBase('*.txt')).toBe('.');
  });
  it("skips with Ansible's words", () => {
    expect(guardReason({ creates: '/x/*' }, { creates: { matched: true } })).toBe('skipped, since /x/* exists');
    expect(guardReason({ removes: '/x/*' }, {})).toBe('skipped, since /x/* does not exist');
  });
});

describe('creates/removes/chdir are type=path: $NAME and ~ expanded first', () => {
  it('expands $NAME and ~ in the pattern and in chdir on the host', () => {
    expect(hostSays('$HOME/sub/*.conf', undefined)).toBe(true);
    expect(hostSays('~/sub/a.conf', undefined)).toBe(true);
    expect(hostSays('${HOME}/sub/nope', undefined)).toBe(false);
    expect(hostSays('*.conf', '~/sub')).toBe(true);
    expect(hostSays('a.conf', '$HOME/sub')).toBe(true);
  });
  it('an unset name stays as written, as os.path.expandvars leaves it', () => {
    expect(hostSays('$NOPE_UNSET/a.conf', undefined)).toBe(false);
  });
  it("script's literal test expands nothing", () => {
    expect(hostSays('~/sub/a.conf', undefined, false)).toBe(false);
  });
});
