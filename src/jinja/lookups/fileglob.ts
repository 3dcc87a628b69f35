// lookup('fileglob', PATTERN): files matching a glob in the search path's files/ (or an absolute glob),
// in glob.glob's order (the directory's, not sorted), as plugins/lookup/fileglob.py returns them.
import { statSync } from 'node:fs';
import { glob } from '../glob.js';
import path from 'node:path';
import { pyStr } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';

export const fileglobLookup: Lookup = (terms, options, scope) => {
  checkOptions('fileglob', options, []);
  const out: string[] = [];
  for (const term of terms) {
    const pattern = pyStr(term);
    const bases = path.isAbsolute(pattern) ? [''] : scope.searchDirs.flatMap((dir) => [path.join(dir, 'files'), dir]);
    for (const base of bases) {
      const matches = glob(base === '' ? pattern : path.join(base, pattern)).filter((file: string) => {
        try {
          return statSync(file).isFile();
        } catch {
          return false;
        }
      });
      if (matches.length > 0) {
        out.push(...matches);
        break;
      }
    }
  }
  return out;
};
