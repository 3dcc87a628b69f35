// Python's glob.glob for the fileglob filter and lookup (Node 20 has no fs.globSync): `*`, `?`
// and `[…]` in any path segment; names starting with a dot match only a pattern that does.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fnmatchRegExp } from '../text/fnmatch.js';

/** The paths matching `pattern`, sorted. */
export function glob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '');
  let current = [absolute ? '/' : '.'];
  for (const segment of segments) {
    const next: string[] = [];
    const magic = /[*?[]/.test(segment);
    for (const dir of current) {
      if (!magic) {
        next.push(path.join(dir, segment));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      const re = fnmatchRegExp(segment);
      for (const name of names) if (re.test(name) && (!name.startsWith('.') || segment.startsWith('.'))) next.push(path.join(dir, name));
    }
    current = next;
  }
  return current.map((p) => (absolute ? p : path.relative('.', p) || '.')).sort();
}
