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
    // Columns count characters, as editors show them, not bytes.
    const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
    throw new InvalidInputError(`${what} is not valid UTF-8`, {
      source: { file, line, column },
      fix: 'save the file as UTF-8 (iconv -f LATIN1 -t UTF-8)',
      cause: error,
    });
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return i;
}
