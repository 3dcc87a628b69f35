// --limit: a pattern whose `@FILE` parts are files of host patterns, one per line, as
// ansible-playbook reads them (InventoryManager.subset).
import { stat } from 'node:fs/promises';
import { InvalidInputError } from '../errors.js';
import { splitHostPattern } from './pattern.js';
import { readTextFile } from './text-file.js';

/** The longest --limit text or limit-file line: a host pattern is a few names, not a file. */
export const MAX_PATTERN_LENGTH = 4096;

/** The --limit value as a list of single patterns for selectHosts, with @FILE parts read. */
export async function resolveLimit(limit: string): Promise<string[]> {
  if (limit.length > MAX_PATTERN_LENGTH) {
    throw new InvalidInputError(`--limit is ${limit.length} characters long, more than beastie reads (${MAX_PATTERN_LENGTH})`, { fix: 'put the hosts in a file, one per line, and pass --limit @FILE' });
  }
  const parts = splitHostPattern(limit);
  // An empty limit, or one of separators only, would otherwise select every host.
  if (parts.length === 0) {
    throw new InvalidInputError(`--limit '${limit}' names no host or group`, { fix: 'give a host, group or pattern (--limit web01, --limit "web:&prod"), or leave --limit out to target every host' });
  }
  const patterns: string[] = [];
  for (const part of parts) {
    // selectHosts splits each part again on ':'; a part of separators only would become "all".
    if (/^[&!]?~?$/.test(part) || splitHostPattern(part).length === 0) {
      throw new InvalidInputError(`--limit '${limit}': '${part}' is an empty pattern`, { fix: 'write a name or a regular expression after & ! or ~' });
    }
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
  const lines = text.split('\n');
  const long = lines.findIndex((line) => line.length > MAX_PATTERN_LENGTH);
  if (long >= 0) {
    throw new InvalidInputError(`line ${long + 1} of limit file ${file} is ${lines[long]?.length} characters long, more than a host pattern may be (${MAX_PATTERN_LENGTH})`, {
      source: { file, line: long + 1, column: MAX_PATTERN_LENGTH + 1 },
      fix: 'put one host or pattern per line',
    });
  }
  return lines.map((line) => line.trim()).filter((line) => line !== '');
}
