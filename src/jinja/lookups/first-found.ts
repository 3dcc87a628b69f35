// lookup('first_found', …): the first existing file of a list, searched in `paths` or on the
// search path's files/ (plugins/lookup/first_found.py of ansible-core 2.14); `skip=True` returns
// nothing instead of failing. The terms are read as 2.14 reads them: a text term uses the
// keyword options (their `files` replace the term itself when given), a mapping term its own
// files/paths/skip, a list term is read item by item — so with no terms nothing is searched.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { JinjaRenderError } from '../errors.js';
import { isDict, pyStr, truthy, typeName, Undefined } from '../values.js';
import { findInSearchPath, type Lookup } from './lookup.js';

/** _split_on: text split at any of `separators` (no trimming), lists item by item. */
function splitOn(value: unknown, separators: string): string[] {
  if (value === undefined || value === null) return [];
  if (value instanceof Undefined) value.fail();
  if (typeof value === 'string') return value.split(new RegExp(`[${separators}]`));
  if (Array.isArray(value)) return value.flatMap((item) => splitOn(item, separators));
  return [pyStr(value)];
}

/** _process_terms: the candidate names in order, and the last `skip` read. */
function processTerms(terms: readonly unknown[], options: Readonly<Record<string, unknown>>): { search: string[]; skip: boolean } {
  let search: string[] = [];
  let skip = false;
  for (const term of terms) {
    if (term instanceof Undefined) term.fail();
    let given: Readonly<Record<string, unknown>>;
    if (isDict(term)) given = term;
    else if (typeof term === 'string') given = options;
    else if (Array.isArray(term)) {
      const inner = processTerms(term, options);
      search.push(...inner.search);
      skip = inner.skip;
      continue;
    } else throw new JinjaRenderError(`Invalid term supplied, can handle string, mapping or list of strings but got: <class '${typeName(term)}'> for ${pyStr(term)}`);
    skip = truthy(given['skip'] ?? false);
    // Empty names (`a.yml,`) name no file.
    const files = splitOn(given['files'], ',;').filter((name) => name !== '');
    const paths = splitOn(given['paths'], ',:;').filter((name) => name !== '');
    if (paths.length > 0) for (const dir of paths) for (const file of files) search.push(path.join(dir, file));
    // 2.14 replaces what earlier terms found here (its own NOTE says so).
    else if (files.length > 0) search = files;
    else if (typeof term === 'string') search.push(term);
  }
  return { search, skip };
}

export const firstFoundLookup: Lookup = (terms, options, scope) => {
  const { search, skip } = processTerms(terms, options);
  for (const file of search) {
    const found = findInSearchPath(file, 'files', scope);
    if (found !== undefined && existsSync(found)) return [path.resolve(found)];
  }
  if (skip) return [];
  throw new JinjaRenderError('No file was found when using first_found.', search.length > 0 ? `searched ${search.join(', ')}` : 'no file names were given');
};
