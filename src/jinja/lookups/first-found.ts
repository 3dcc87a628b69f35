// lookup('first_found', …): the first existing file of a list, searched in `paths` or on the
// search path's files/ (Ansible's plugins/lookup/first_found.py); `skip=True` returns nothing
// instead of failing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { JinjaRenderError } from '../errors.js';
import { isDict, iterate, pyStr, truthy } from '../values.js';
import { findInSearchPath, type Lookup } from './lookup.js';

/** `a.yml,b.yml` and nested lists count as several names, as Ansible splits them. */
function names(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '');
  return iterate(value).flatMap(names);
}

export const firstFoundLookup: Lookup = (terms, options, scope) => {
  const files: string[] = [];
  const paths: string[] = [];
  let skip = truthy(options['skip'] ?? false);
  if (options['files'] !== undefined) files.push(...names(options['files']));
  if (options['paths'] !== undefined) paths.push(...names(options['paths']));
  for (const term of terms) {
    if (isDict(term)) {
      if (term['files'] !== undefined) files.push(...names(term['files']));
      if (term['paths'] !== undefined) paths.push(...names(term['paths']));
      if (term['skip'] !== undefined) skip = truthy(term['skip']);
    } else files.push(...names(term));
  }
  for (const file of files) {
    if (paths.length > 0 && !path.isAbsolute(file)) {
      for (const dir of paths) {
        const candidate = path.isAbsolute(dir) ? path.join(dir, file) : findInSearchPath(path.join(dir, file), 'files', scope);
        if (candidate !== undefined && existsSync(candidate)) return [path.resolve(candidate)];
      }
      continue;
    }
    const found = findInSearchPath(file, 'files', scope);
    if (found !== undefined) return [path.resolve(found)];
  }
  if (skip) return [];
  throw new JinjaRenderError('No file was found when using first_found.', `searched ${files.map((f) => pyStr(f)).join(', ')}`);
};
