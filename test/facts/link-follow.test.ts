// linkFollowFact (src/facts/link-follow.ts) on this machine, against Python's os.path.realpath
// (what ansible-core 2.14's load_file_common_arguments calls with follow: true) on the same links.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkFollowFact, type FollowedLink } from '../../src/facts/link-follow.js';
import { readFacts } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';

function pythonRealpath(path: string): string {
  const run = spawnSync('python3', ['-c', 'import os,sys; sys.stdout.write(os.path.realpath(sys.argv[1]))', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 is needed as the oracle of os.path.realpath: ${run.stderr}`);
  return run.stdout;
}

describe('linkFollowFact', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'beastie-follow-')));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the real path Python gives, for existing, chained, relative, dangling and looping links', async () => {
    await mkdir(join(dir, 'd'));
    await writeFile(join(dir, 'd', 'f'), 'x');
    await symlink('d/f', join(dir, 'to-f'));
    await symlink('to-f', join(dir, 'chain'));
    await symlink(join(dir, 'd'), join(dir, 'to-d'));
    await symlink('../d/nothing here', join(dir, 'd', 'dangling'));
    await symlink('d/dangling', join(dir, 'via-dangling'));
    await symlink('missing-dir/x', join(dir, 'deep-dangling'));
    await symlink('loop-b', join(dir, 'loop-a'));
    await symlink('loop-a', join(dir, 'loop-b'));
    await symlink("it's $(touch pwned)", join(dir, 'hostile'));
    const names = ['to-f', 'chain', 'to-d', 'd/dangling', 'via-dangling', 'deep-dangling', 'loop-a', 'hostile'];
    const facts = (await readFacts(new LocalTransport(), names.map((name) => linkFollowFact(join(dir, name))))) as (FollowedLink | undefined)[];
    names.forEach((name, index) => {
      const followed = facts[index];
      expect(followed?.real, name).toBe(pythonRealpath(join(dir, name)));
    });
    expect(facts[0]?.stat).toMatchObject({ type: 'file', size: 1 });
    expect(facts[2]?.stat).toMatchObject({ type: 'directory' });
    expect(facts[3]?.stat).toBeUndefined();
    expect(facts[5]?.stat).toBeUndefined();
    expect(facts[6]?.stat?.type).toBe('link');
    for (const where of [dir, process.cwd()]) expect(spawnSync('ls', [join(where, 'pwned')]).status).not.toBe(0);
  });

  it('says nothing for a path that is no link', async () => {
    await writeFile(join(dir, 'f'), '');
    const [file, missing] = await readFacts(new LocalTransport(), [linkFollowFact(join(dir, 'f')), linkFollowFact(join(dir, 'missing'))]);
    expect(file).toBeUndefined();
    expect(missing).toBeUndefined();
  });
});
