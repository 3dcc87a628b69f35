import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileChecksumFact, parseSha256 } from '../../src/facts/file-checksum.js';
import { readFacts } from '../../src/facts/read-facts.js';
import { LocalTransport } from '../../src/transport/local.js';

const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('parseSha256', () => {
  it('reads `sha256 -q` (FreeBSD) and `sha256sum` output, lower-cased', () => {
    expect(parseSha256({ stdout: `${hash}\n`, stderr: '', exitCode: 0 })).toBe(hash);
    expect(parseSha256({ stdout: `${hash.toUpperCase()}  -\n`, stderr: '', exitCode: 0 })).toBe(hash);
  });

  it('is undefined for a missing file or odd output', () => {
    expect(parseSha256({ stdout: '', stderr: '', exitCode: 1 })).toBeUndefined();
    expect(parseSha256({ stdout: 'sha256: x: No such file', stderr: '', exitCode: 0 })).toBeUndefined();
  });
});

describe('fileChecksumFact on this machine (sha256sum fallback)', () => {
  it('matches node:crypto for a file with spaces in its name, and is undefined for a directory or nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-sum-'));
    try {
      const path = join(dir, 'a b');
      await writeFile(path, Buffer.from([0, 1, 2, 255, 10]));
      const [sum, ofDir, missing] = await readFacts(new LocalTransport(), [fileChecksumFact(path), fileChecksumFact(dir), fileChecksumFact(join(dir, 'no'))]);
      expect(sum).toBe(createHash('sha256').update(Buffer.from([0, 1, 2, 255, 10])).digest('hex'));
      expect(ofDir).toBeUndefined();
      expect(missing).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
