// A path is an operand, never an option (README.md here: "a playbook author", and the data a
// playbook renders: a file name a host printed, registered and looped over). A relative path that
// starts with `-` reached touch, mkdir, chmod, chown, rm, ln, stat, readlink, realpath, od and the
// checksum tools as options, and a relative copy dest was refused as if another user had swapped
// the install script's private directory. Run on the local connection in a scratch working
// directory (every command here is POSIX getopt's on FreeBSD too: `--` ends the options).
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import copy from '../../modules/copy.js';
import file from '../../modules/file.js';
import stat from '../../modules/stat.js';
import { runLocal } from '../modules/helpers/three-way.js';

let dir = '';
let cwd = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-operands-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(async () => {
  process.chdir(cwd);
  await rm(dir, { recursive: true, force: true });
});

const mode = async (name: string) => ((await lstat(join(dir, name))).mode & 0o7777).toString(8);

describe('a relative path that starts with -', () => {
  it('file: touch, mode, directory, link and absent act on the path named', async () => {
    expect((await runLocal(file, { path: '-x', state: 'touch' })).status).toBe('changed');
    expect((await runLocal(file, { path: '-x', mode: '0600' })).status).toBe('changed');
    expect(await mode('-x')).toBe('600');
    expect((await runLocal(file, { path: '-d', state: 'directory', mode: '0700' })).status).toBe('changed');
    expect(await mode('-d')).toBe('700');
    expect((await runLocal(file, { path: '-l', src: '-x', state: 'link' })).status).toBe('changed');
    expect((await lstat(join(dir, '-l'))).isSymbolicLink()).toBe(true);
    for (const path of ['-x', '-d', '-l']) expect((await runLocal(file, { path, state: 'absent' })).status).toBe('changed');
    expect(await readdir(dir)).toEqual([]);
  });

  it('stat reads the file named, with its checksum', async () => {
    await writeFile(join(dir, '-sabc'), 'content\n');
    const read = await runLocal(stat, { path: '-sabc', get_checksum: true });
    expect(read.values['stat']).toMatchObject({ exists: true, isreg: true, size: 8, checksum: createHash('sha1').update('content\n').digest('hex') });
  });

  it('copy writes a relative dest where it is named, also with backup and validate', async () => {
    expect((await runLocal(copy, { dest: '-c', content: 'one\n' })).status).toBe('changed');
    const second = await runLocal(copy, { dest: '-c', content: 'two\n', backup: true });
    expect(second.status).toBe('changed');
    expect((await runLocal(copy, { dest: '-c', content: 'three\n', validate: 'test -s %s' })).status).toBe('changed');
    expect(await readFile(join(dir, '-c'), 'utf8')).toBe('three\n');
    const names = (await readdir(dir)).sort();
    expect(names).toHaveLength(2);
    expect(names[1]).toMatch(/^-c\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(await readFile(join(dir, names[1]!), 'utf8')).toBe('one\n');
  });
});
