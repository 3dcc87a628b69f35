// Prints test/long-files.txt from vitest's cache of the last full run's per-file durations
// (node_modules/.vite/vitest/*/results.json): the files of 10 s or more, longest first.
//   npx tsx test/long-files.ts > test/long-files.txt
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const cacheRoot = join(import.meta.dirname, '..', 'node_modules', '.vite', 'vitest');
const rows: [number, string][] = [];
for (const dir of readdirSync(cacheRoot)) {
  const cache = JSON.parse(readFileSync(join(cacheRoot, dir, 'results.json'), 'utf8')) as { results: [string, { duration: number }][] };
  for (const [key, { duration }] of cache.results) rows.push([Math.round(duration / 1000), key.slice(key.indexOf(':') + 1)]);
}
process.stdout.write(
  '# Test files that take 10 s or more, longest first: "SECONDS PATH", from vitest\'s cache of a full run.\n' +
    '# Read by test/sequencer.ts. Refresh after a full run with:\n#   npx tsx test/long-files.ts > test/long-files.txt\n' +
    rows.filter(([seconds]) => seconds >= 10).sort((a, b) => b[0] - a[0]).map(([seconds, path]) => `${seconds} ${path}\n`).join(''),
);
