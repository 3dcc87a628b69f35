// The bytes of a file on the host. The transport hands stdout over as text, so the bytes travel
// as `od -An -v -tx1` hex (POSIX od: the same on FreeBSD and Linux) and come back exact.
import { sh } from '../command/command.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from './fact.js';
import { pathOperand } from '../command/path-operand.js';

/** A regular file's bytes, nothing at the path, or something that is not a regular file. */
export type FileContent =
  | { readonly kind: 'file'; readonly content: Buffer }
  | { readonly kind: 'absent' }
  | { readonly kind: 'not-a-file' };

/** `file` then od's hex bytes, or `absent`, or `other`. */
export function parseFileContent(output: FactOutput): FileContent {
  const newline = output.stdout.indexOf('\n');
  const head = (newline < 0 ? output.stdout : output.stdout.slice(0, newline)).trim();
  if (head === 'absent') return { kind: 'absent' };
  if (head !== 'file' || output.exitCode !== 0) return { kind: 'not-a-file' };
  const hex = output.stdout.slice(newline + 1).replace(/\s+/g, '');
  return { kind: 'file', content: Buffer.from(hex, 'hex') };
}

/** The content of `path` (following links). */
export function fileContentFact(path: string): Fact<FileContent> {
  return defineFact(
    `file-content:${path}`,
    sh`if [ -f ${pathOperand(path)} ]; then echo file; od -An -v -tx1 ${pathOperand(path)}; elif [ -e ${pathOperand(path)} ] || [ -L ${pathOperand(path)} ]; then echo other; else echo absent; fi`,
    parseFileContent,
    [fileSubject(path)],
  );
}
