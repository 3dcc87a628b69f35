import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sh } from '../../../src/command/command.js';
import { runLocalCommand } from '../../../src/transport/local.js';
import { keepAttributes, printAfter, printedAfter, privateWriteCommand } from '../../../modules/support/private-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-private-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('privateWriteCommand', () => {
  it('makes f in a private directory, reads it there, renames it over the path and leaves no directory behind', async () => {
    const path = join(dir, 'made.pem');
    const result = await runLocalCommand(privateWriteCommand(path, { make: sh`printf 'new\\n' > f`, then: [keepAttributes(undefined), printAfter('[pem]')] }));
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(printedAfter([result], '[pem]')).toBe('new\n');
    expect(await readdir(dir)).toEqual(['made.pem']);
  });

  it('leaves the old file when a step fails, says what it was told to, and removes its directory', async () => {
    const path = join(dir, 'kept.pem');
    await writeFile(path, 'old\n');
    const result = await runLocalCommand(privateWriteCommand(path, { make: sh`printf 'half' > f && false`, failure: 'the tool failed' }));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('the tool failed');
    expect(await readFile(path, 'utf8')).toBe('old\n');
    expect(await readdir(dir)).toEqual(['kept.pem']);
  });

  it('finds nothing printed after a marker that never came', () => {
    expect(printedAfter([{ command: 'x', exitCode: 0, stdout: 'pub ab\n', stderr: '', durationMs: 1 }], 'pem')).toBeUndefined();
  });
});
