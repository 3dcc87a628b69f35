// Reading a user's inventory or vars file as UTF-8 text, with errors that name the file and the fix
// (the checks themselves are src/input-text.ts, shared with the YAML front end).
import { InvalidInputError } from '../errors.js';
import { readInputText } from '../input-text.js';

/** The file's text; unreadable, non-regular, oversized or non-UTF-8 files are InvalidInputError. */
export async function readTextFile(file: string, what: string): Promise<string> {
  const read = readInputText(file, what);
  if ('problem' in read) {
    const { source, message, fix, cause } = read.problem;
    throw new InvalidInputError(message, { source, fix, cause });
  }
  return read.text;
}
