import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileContentFact, parseFileContent } from '../../src/facts/file-content.js';
import { readFacts } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';

describe('parseFileContent', () => {
  it('turns od hex back into bytes', () => {
    expect(parseFileContent({ stdout: 'file\n 61 62 0a ff\n', stderr: '', exitCode: 0 })).toEqual({ kind: 'file', content: Buffer.from([0x61, 0x62, 0x0a, 0xff]) });
    expect(parseFileContent({ stdout: 'file\n', stderr: '', exitCode: 0 })).toEqual({ kind: 'file', content: Buffer.alloc(0) });
    expect(parseFileContent({ stdout: 'absent\n', stderr: '', exitCode: 0 })).toEqual({ kind: 'absent' });
    expect(parseFileContent({ stdout: 'other\n', stderr: '', exitCode: 0 })).toEqual({ kind: 'not-a-file' });
  });
});

describe('fileContentFact on this machine', () => {
  it('reads bytes exactly, including a missing final newline, NUL and invalid UTF-8', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-content-'));
    try {
      const bytes = Buffer.concat([Buffer.from('line 1\r\nline 2 é'), Buffer.from([0, 0xff, 0xfe])]);
      await writeFile(join(dir, 'f'), bytes);
      await writeFile(join(dir, 'empty'), '');
      const [f, empty, missing, directory] = await readFacts(new LocalTransport(), [
        fileContentFact(join(dir, 'f')),
        fileContentFact(join(dir, 'empty')),
        fileContentFact(join(dir, 'missing')),
        fileContentFact(dir),
      ]);
      expect(f).toEqual({ kind: 'file', content: bytes });
      expect(empty).toEqual({ kind: 'file', content: Buffer.alloc(0) });
      expect(missing).toEqual({ kind: 'absent' });
      expect(directory).toEqual({ kind: 'not-a-file' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
