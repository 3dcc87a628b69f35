// The command module's words expanded on the host as ansible-core 2.14's run_command expands them
// (shlex.split, then os.path.expandvars and os.path.expanduser on each): the expected words are
// what Python 3.11 printed for the same lines and environment (HOME=/home/u/ FOO='a b' EMPTY=
// TILDE='~root/x' NL='line\n'), and the construct is run by /bin/sh here.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import command, { commandWords } from '../../../modules/command.js';
import { expandedCommand, expandsOnHost, wordParts } from '../../../modules/support/expand-argv.js';

const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', HOME: '/home/u/', FOO: 'a b', EMPTY: '', TILDE: '~root/x', NL: 'line\n' };

/** The words the program receives when the command line runs on /bin/sh here. */
function received(line: string, extraEnv: Record<string, string> = {}, cwd?: string): string[] {
  const words = commandWords(command.params.parse({ cmd: line }));
  const run = expandedCommand(['printf', '%s\\0', ...words.slice(1)]);
  const out = execFileSync('/bin/sh', ['-c', run.text], { encoding: 'utf8', env: { ...env, ...extraEnv }, ...(cwd === undefined ? {} : { cwd }) });
  return out.split('\0').slice(0, -1);
}

describe('expansion as run_command does it', () => {
  it.each([
    ['echo $PATH_NOPE', ['$PATH_NOPE']],
    ['echo $FOO', ['a b']],
    ['echo "$FOO"x', ['$FOOx']],
    ["echo '$FOO'", ['a b']],
    ['echo ${FOO}bar', ['a bbar']],
    ['echo ${NOPE}', ['${NOPE}']],
    ['echo ${}', ['${}']],
    ['echo $', ['$']],
    ['echo $$FOO', ['$a b']],
    ['echo $1', ['$1']],
    ['echo ~', ['/home/u']],
    ['echo ~/d', ['/home/u/d']],
    ['echo ~root/d', ['/root/d']],
    ['echo ~root', ['/root']],
    ['echo ~nosuchuser/d', ['~nosuchuser/d']],
    ['echo a~/d', ['a~/d']],
    ['echo $TILDE', ['/root/x']],
    ['echo "\\$FOO"', ['\\a b']],
    ['echo \\$FOO', ['a b']],
    ['echo $EMPTY', ['']],
    ['echo x$EMPTY.y', ['x.y']],
    ['echo ${FOO', ['${FOO']],
    ['echo $NL', ['line\n']],
  ])('%s', (line, expected) => {
    expect(received(line)).toEqual(expected);
  });

  it('an unset HOME: ~ is the passwd home of the user running it', () => {
    const words = expandedCommand(['printf', '%s\\0', '~/x']);
    const { HOME: _home, ...withoutHome } = env;
    const out = execFileSync('/bin/sh', ['-c', words.text], { encoding: 'utf8', env: withoutHome });
    const home = execFileSync('getent', ['passwd', String(process.getuid?.() ?? 0)], { encoding: 'utf8' }).split(':')[5] ?? '';
    expect(out).toBe(`${home.replace(/\/+$/, '')}/x\0`);
  });

  it('values are data: a value holding shell source is passed on as it is, and runs nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-expand-'));
    const evil = '$(touch pwned); `touch pwned2` \'"; touch pwned3 #';
    expect(received('echo $EVIL ${EVIL}', { EVIL: evil }, dir)).toEqual([evil, evil]);
    expect(received('echo ~$EVIL', { EVIL: evil }, dir)).toEqual([`~${evil}`]);
    expect(await readdir(dir)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });

  it('reads references as posixpath.expandvars does, and leaves words without any as they were', () => {
    expect(wordParts('a${B}c$D_1-e')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'var', name: 'B', written: '${B}' },
      { kind: 'text', text: 'c' },
      { kind: 'var', name: 'D_1', written: '$D_1' },
      { kind: 'text', text: '-e' },
    ]);
    expect(expandsOnHost('a$')).toBe(false);
    expect(expandsOnHost('~x')).toBe(true);
    expect(expandedCommand(['kldstat', '-m', 'vmm'])).toEqual({ text: 'kldstat -m vmm', display: 'kldstat -m vmm' });
  });
});

describe('the command module with $ and ~', () => {
  it('loads $VAR and ${VAR} in cmd and argv (refused before); registers cmd as written; | stays refused', () => {
    const p = command.params.parse({ cmd: 'echo $PATH "${HOME}/x"' });
    expect(commandWords(p)).toEqual(['echo', '$PATH', '${HOME}/x']);
    expect(() => command.params.parse({ cmd: 'echo $PATH | wc' })).toThrow(/'\|' is shell syntax/);
    expect(command.readsOnly?.(command.params.parse({ cmd: 'uname $X' }))).toBeUndefined();
  });
});
