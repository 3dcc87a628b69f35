// Reading a user's inventory or vars file as UTF-8 text, with errors that name the file and the fix.
import { readFile, stat } from 'node:fs/promises';
import { InvalidInputError } from '../errors.js';

/** The file's text; unreadable, non-regular or non-UTF-8 files are InvalidInputError. */
export async function readTextFile(file: string, what: string): Promise<string> {
  const start = { file, line: 1, column: 1 };
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      throw new InvalidInputError(`${what} is not a regular file`, {
        source: start,
        fix: 'replace it with a regular file of YAML (or remove it)',
      });
    }
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InvalidInputError(`cannot read ${what}: ${code} ${(error as Error).message}`, {
      source: start,
      fix: 'make it readable by the user running beastie (check its mode and owner)',
      cause: error,
    });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const bad = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, bad).toString('utf8');
    const line = before.split('\n').length;
    const column = bad - (before.lastIndexOf('\n') >= 0 ? Buffer.byteLength(before.slice(0, before.lastIndexOf('\n') + 1)) : 0) + 1;
    throw new InvalidInputError(`${what} is not valid UTF-8`, {
      source: { file, line, column },
      fix: 'save the file as UTF-8 (iconv -f LATIN1 -t UTF-8)',
      cause: error,
    });
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, found by bisection; a cut inside a sequence also fails, so step back.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      decoder.decode(bytes.subarray(0, mid));
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
