// Invalid input is printed all at once, each error with file:line:column, what is wrong, the fix
// and the source line with a caret, so the user can fix everything before anything runs.
import { InvalidInputErrors, type InvalidInputError } from '../errors.js';
import { readInputText } from '../input-text.js';
import { formatSourceRef, sourceExcerpt } from '../source.js';
import type { Painter } from './colour.js';

/** Reads a file's text for the excerpt; undefined when it cannot be read. */
export type SourceReader = (file: string) => string | undefined;

/** Reads excerpts from disk. */
export const readSourceFromDisk: SourceReader = (file) => {
  // Through the input reader: an error about `-i /dev/zero` must not read /dev/zero for its excerpt.
  const read = readInputText(file, file);
  return 'text' in read ? read.text : undefined;
};

/** The single errors inside an error (InvalidInputErrors holds many). */
export function flattenInputErrors(error: InvalidInputError): readonly InvalidInputError[] {
  return error instanceof InvalidInputErrors ? error.errors.flatMap(flattenInputErrors) : [error];
}

/** One error as a block of text: `ERROR: file:line:col: message`, `  fix: …`, the excerpt. */
export function formatInputError(error: InvalidInputError, read: SourceReader, paint: Painter): string {
  const where = error.source ? `${formatSourceRef(error.source)}: ` : '';
  const host = error.host ? `[${error.host}] ` : '';
  const lines = [paint('failed', `ERROR: ${where}${host}${error.message}`)];
  if (error.fix) lines.push(`  fix: ${error.fix}`);
  if (error.source) {
    const text = read(error.source.file);
    const excerpt = text === undefined ? '' : sourceExcerpt(error.source, text);
    if (excerpt !== '') lines.push(excerpt.replace(/^/gm, '  '));
  }
  return lines.join('\n');
}

/** Every error of an invalid-input failure, separated by blank lines, with a count at the end. */
export function formatInputErrors(error: InvalidInputError, read: SourceReader, paint: Painter): string {
  const errors = flattenInputErrors(error);
  const blocks = errors.map((e) => formatInputError(e, read, paint));
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return `${blocks.join('\n\n')}\n\n${count}; nothing was run on any host.\n`;
}
