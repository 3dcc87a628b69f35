// Reading a user's input file (playbook, inventory, vars, limit file) as text: one place for the
// limits every input obeys (docs/input-limits.md). A file that is not a regular file (`-i
// /dev/zero`, a FIFO), larger than MAX_INPUT_BYTES, or not UTF-8 (a Latin-1 playbook) is refused
// with its file:line:column and the fix, never read silently or without end.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { SourceRef } from './source.js';

/** The largest input file read: 64 MiB (a 10 MB, 143,000-host inventory loads). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Why a file could not be read as text. */
export interface InputTextProblem {
  readonly source: SourceRef;
  readonly message: string;
  readonly fix: string;
  readonly cause?: unknown;
}

/** The file's text, or why it cannot be used; `what` names it in messages ("inventory file F"). */
export function readInputText(file: string, what: string): { readonly text: string } | { readonly problem: InputTextProblem } {
  const start = { file, line: 1, column: 1 };
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    // One descriptor for the checks and the read: the file cannot be swapped in between.
    fd = openSync(file, 'r');
    const info = fstatSync(fd);
    if (!info.isFile()) return { problem: { source: start, message: `${what} is not a regular file`, fix: 'give a regular file (not a device, FIFO or directory)' } };
    if (info.size > MAX_INPUT_BYTES) {
      return { problem: { source: start, message: `${what} is ${info.size} bytes, more than beastie reads (${MAX_INPUT_BYTES} bytes)`, fix: 'split it into several files (an inventory directory, group_vars/)' } };
    }
    // Read to the end whatever fstat says (/proc files say 0), never past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.max(info.size - total, 64 * 1024));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > MAX_INPUT_BYTES) {
        return { problem: { source: start, message: `${what} is more than beastie reads (${MAX_INPUT_BYTES} bytes)`, fix: 'split it into several files (an inventory directory, group_vars/)' } };
      }
    }
    bytes = Buffer.concat(chunks);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `cannot read ${what}: no such file` : `cannot read ${what}: ${code ?? 'error'} ${(error as Error).message}`;
    return { problem: { source: start, message, fix: code === 'ENOENT' ? 'check the path' : 'make it readable by the user running beastie (check its mode and owner)', cause: error } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (error) {
    const bad = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, bad).toString('utf8');
    const line = before.split('\n').length;
    // Columns count characters, as editors show them, not bytes.
    const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
    return { problem: { source: { file, line, column }, message: `${what} is not valid UTF-8`, fix: 'save the file as UTF-8 (iconv -f LATIN1 -t UTF-8)', cause: error } };
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
