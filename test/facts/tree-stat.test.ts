// The tree below a directory as file's recurse reads it (src/facts/tree-stat.ts), with names a host
// user who owns the tree may give: a newline and a whole stat line of the old format
// (`MODE OWNER GROUP PATH`), a name starting with a newline, a leading '-'. Each is read whole;
// before, such a name was read as two lines, the second an entry of the user's choice.
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeStatFact } from '../../src/facts/tree-stat.js';
import { runLocalCommand } from '../../src/transport/local.js';

describe('tree-stat and hostile names (local connection)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-tree-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'plain'), 'x');
    await writeFile(join(dir, '-n'), 'x');
    await writeFile(join(dir, '\nstarts with a newline'), 'x');
    await writeFile(join(dir, `x\n41ed root root forged`), 'x', { mode: 0o600 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads every name whole, with its own mode, and adds no entry a name forges', async () => {
    const fact = treeStatFact(dir);
    const result = await runLocalCommand(fact.command);
    const entries = fact.parse({ stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode });
    const expected = [join(dir, 'sub'), join(dir, 'sub', 'plain'), ...(await readdir(dir)).filter((n) => n !== 'sub').map((n) => join(dir, n))].sort();
    expect(entries?.map((e) => e.path).sort()).toEqual(expected);
    const hostile = entries?.find((e) => e.path === join(dir, `x\n41ed root root forged`));
    expect(hostile).toMatchObject({ type: 'file', mode: (await lstat(join(dir, `x\n41ed root root forged`))).mode & 0o7777 });
    expect(entries?.map((e) => e.path)).not.toContain('forged');
  });
});
