// --limit: a pattern whose `@FILE` parts are files of host patterns, one per line, as
// ansible-playbook reads them (InventoryManager.subset).
import { stat } from 'node:fs/promises';
import { InvalidInputError } from '../errors.js';
import { splitHostPattern } from './pattern.js';
import { readTextFile } from './text-file.js';

/** The --limit value as a list of single patterns for selectHosts, with @FILE parts read. */
export async function resolveLimit(limit: string): Promise<string[]> {
  const patterns: string[] = [];
  for (const part of splitHostPattern(limit)) {
    if (part[0] !== '@') {
      patterns.push(part);
      continue;
    }
    patterns.push(...(await readLimitFile(part.slice(1))));
  }
  return patterns;
}

/** A limit file: one host or pattern per line; blank lines ignored. */
export async function readLimitFile(file: string): Promise<string[]> {
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    throw new InvalidInputError(`limit file ${file} does not exist`, {
      fix: 'give --limit @FILE an existing file with one host per line (e.g. a .retry file)',
    });
  }
  if (!info.isFile()) {
    throw new InvalidInputError(`limit file ${file} is not a regular file`, {
      fix: 'a limit starting with @ must name a file, not a directory',
    });
  }
  const text = await readTextFile(file, `limit file ${file}`);
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
