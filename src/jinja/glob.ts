// Python's glob.glob for the fileglob filter and lookup (Node 20 has no fs.globSync): `*`, `?`
// and `[…]` in any path segment; names starting with a dot match only a pattern that does. In
// glob's order, which is not sorted: os.scandir's, the directory's own (readdir(3)) order, as
// fs.opendirSync reads it (readdirSync sorts: libuv's scandir).
import { opendirSync } from 'node:fs';
import path from 'node:path';
import { fnmatchRegExp } from '../text/fnmatch.js';

/** The paths matching `pattern`, in the directories' order. */
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
      const names: string[] = [];
      try {
        const listing = opendirSync(dir);
        try {
          for (let entry = listing.readSync(); entry !== null; entry = listing.readSync()) names.push(entry.name);
        } finally {
          listing.closeSync();
        }
      } catch {
        continue;
      }
      const re = fnmatchRegExp(segment);
      for (const name of names) if (re.test(name) && (!name.startsWith('.') || segment.startsWith('.'))) next.push(path.join(dir, name));
    }
    current = next;
  }
  return current.map((p) => (absolute ? p : path.relative('.', p) || '.'));
}
