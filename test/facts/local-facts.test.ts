// ansible_local from a fact_path (src/facts/local-facts.ts): the one read-only command run by
// /bin/sh on a directory of *.fact files, parsed, against what ansible-core 2.14's setup module
// returned for the same directory (`ansible localhost -c local -m setup -a fact_path=DIR`, run by
// hand on this machine: module_utils/facts/system/local.py).
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localFactsCommand, parseLocalFact, parseLocalFacts } from '../../src/facts/local-facts.js';

let dir: string;
let cwd: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-factsd-'));
  cwd = await mkdtemp(join(tmpdir(), 'beastie-factsd-cwd-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(cwd, { recursive: true, force: true });
});

/** Run the fact's command as a host would (/bin/sh, LC_ALL=C) and parse what it printed. */
function read(factPath = dir) {
  const stdout = execFileSync('/bin/sh', ['-c', localFactsCommand(factPath).text], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C' } });
  return parseLocalFacts({ stdout, stderr: '', exitCode: 0 }, factPath);
}

async function file(name: string, text: string, mode = 0o644): Promise<void> {
  await writeFile(join(dir, name), text);
  await chmod(join(dir, name), mode);
}

describe('a fact_path read as local.py reads it', () => {
  it("gives what Ansible's setup gave for the same files: JSON, INI, scripts run, failures as text", async () => {
    await file('json.fact', '{"a": [1, "x"], "n": null}\n');
    await file('ini.fact', '[General]\nName = Web\nPort: 8080\n; comment\n[paths]\nroot = /usr/local/www\nlog = %(root)s/log\nmulti = first\n  second\n\n  third\n[DEFAULT]\nzone = lab\n');
    await file('script.fact', '#!/bin/sh\necho "{\\"uname\\": \\"$(uname -s)\\", \\"args\\": $#}"\n', 0o755);
    await file('failing.fact', '#!/bin/sh\necho oops >&2\nexit 3\n', 0o700);
    await file('words.fact', 'just words\n');
    await file('noheader.fact', 'x = 1\n[s]\n');
    await file('dup.fact', '[s]\na = 1\na = 2\n');
    // Only the owner's execute bit makes a script (stat.S_IXUSR): this one is read.
    await file('groupx.fact', '{"g": 1}\n', 0o654);
    await symlink('nowhere', join(dir, 'dangling.fact'));
    await file('$(touch pwned).fact', '{"evil": true}\n');
    await file('empty.fact', '');
    await file('notfact.txt', 'ignored');
    const fn = (name: string) => `${dir}/${name}.fact`;
    const local = read();
    expect(local).toEqual({
      kind: 'read',
      local: {
        '$(touch pwned)': { evil: true },
        dangling: `Could not stat fact (${fn('dangling')}): [Errno 2] No such file or directory: '${fn('dangling')}'`,
        dup: `error loading facts as JSON or ini - please check content: ${fn('dup')}`,
        empty: {},
        failing: `Failure executing fact script (${fn('failing')}), rc: 3, err: oops\n`,
        groupx: { g: 1 },
        ini: {
          General: { name: 'Web', port: '8080', zone: 'lab' },
          paths: { root: '/usr/local/www', log: '/usr/local/www/log', multi: 'first\nsecond\n\nthird', zone: 'lab' },
        },
        json: { a: [1, 'x'], n: null },
        noheader: `error loading facts as JSON or ini - please check content: ${fn('noheader')}`,
        script: { uname: 'Linux', args: 0 },
        words: `error loading facts as JSON or ini - please check content: ${fn('words')}`,
      },
    });
    // Sorted as glob.glob's names sorted (the JSON dump above is Ansible's, keys sorted by it).
    expect(Object.keys(local.kind === 'read' ? local.local : {})).toEqual(['$(touch pwned)', 'dangling', 'dup', 'empty', 'failing', 'groupx', 'ini', 'json', 'noheader', 'script', 'words']);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('no fact_path, or an empty one: {}', async () => {
    expect(read(join(dir, 'none'))).toEqual({ kind: 'read', local: {} });
    expect(read()).toEqual({ kind: 'read', local: {} });
  });

  it('a name or output that looks like the framing stays data: names with newlines, a script printing markers', async () => {
    await file('a\nb.fact', '{"n": 1}');
    await file('forge.fact', '#!/bin/sh\nprintf \'{}\\n@@section 0123456789ab file:6f776e6564@@\\n{"owned": true}\\n@@sections 0123456789ab end@@\\n\'\n', 0o755);
    const local = read();
    expect(local.kind).toBe('read');
    expect(local.kind === 'read' ? local.local['a\nb'] : undefined).toEqual({ n: 1 });
    expect(local.kind === 'read' ? local.local['forge'] : undefined).toBe(`error loading facts as JSON or ini - please check content: ${dir}/forge.fact`);
    expect(local.kind === 'read' ? Object.keys(local.local) : []).toEqual(['a\nb', 'forge']);
  });

  it('a directory named *.fact: {} unless its owner may execute it, when setup fails as run_command does', async () => {
    await mkdir(join(dir, 'd.fact'), { mode: 0o644 });
    expect(read()).toEqual({ kind: 'read', local: { d: {} } });
    await chmod(join(dir, 'd.fact'), 0o755);
    expect(read()).toEqual({ kind: 'failed', msg: `[Errno 13] Permission denied: b'${dir}/d.fact'`, cmd: `${dir}/d.fact` });
  });

  it("an INI interpolation error escapes local.py's handlers: the collector raises and ansible_local is left out", async () => {
    await file('a.fact', '{"a": 1}');
    await file('pct.fact', '[s]\npct = 50%\n');
    expect(read()).toEqual({ kind: 'raised', error: "'%' must be followed by '%' or '(', found: '%'" });
  });
});

describe('INI as configparser reads it (texts Python 3.11 printed)', () => {
  it.each([
    ['[s]\na = 100%%\nb = %(a)s!\n[DEFAULT]\nc=%(a)s\n', { s: { a: '100%', b: '100%!', c: '100%' } }],
    ['[a] x\nk=v\n', { a: { k: 'v' } }],
    ['[s]\nK\n', 'error loading facts as JSON or ini - please check content: F'],
    ['[s]\n=v\n', 'error loading facts as JSON or ini - please check content: F'],
    ['[s]\na = %(b)s\n', "Bad value substitution: option 'a' in section 's' contains an interpolation key 'b' which is not a valid option name. Raw value: '%(b)s'"],
    ['[s]\na = %(a)s\n', "Recursion limit exceeded in value substitution: option 'a' in section 's' contains an interpolation key which cannot be substituted in 10 steps. Raw value: '%(a)s'"],
  ])('%j', (text, expected) => {
    expect(parseLocalFact(text, 'F')).toEqual(expected);
  });
});
