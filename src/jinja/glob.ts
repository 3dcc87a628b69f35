// Python's glob.glob for the fileglob filter and lookup (Node 20 has no fs.globSync): `*`, `?`
// and `[…]` in any path segment; names starting with a dot match only a pattern that does.
import { readdirSync } from 'node:fs';
import path from 'node:path';

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) source += '\\[';
      else {
        source += `[${segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

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
      const re = segmentRegExp(segment);
      for (const name of names) if (re.test(name) && (!name.startsWith('.') || segment.startsWith('.'))) next.push(path.join(dir, name));
    }
    current = next;
  }
  return current.map((p) => (absolute ? p : path.relative('.', p) || '.')).sort();
}
