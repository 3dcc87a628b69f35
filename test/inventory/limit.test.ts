import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveLimit } from '../../src/inventory/limit.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { selectHosts } from '../../src/inventory/pattern.js';
import { inputError, removeTrees, writeTree } from './inventory-files.js';

const fleet = fileURLToPath(new URL('../fixtures/inventory/fleet/hosts.yml', import.meta.url));
afterEach(removeTrees);

describe('resolveLimit', () => {
  it('reads @FILE as one pattern per line, blank lines skipped, beside other patterns', async () => {
    const root = await writeTree({ 'retry.txt': 'nasb.lab\n\n  bhyve02.lab  \njail*\n' });
    expect(await resolveLimit(`@${root}/retry.txt,lonely.lab`)).toEqual(['nasb.lab', 'bhyve02.lab', 'jail*', 'lonely.lab']);
  });

  // As `ansible -i fleet/hosts.yml --list-hosts PATTERN --limit LIMIT` printed them.
  it.each<[string, string, string]>([
    ['all', '@FILE', 'bhyve02.lab nasb.lab jail1.lab jail5.lab jail9.lab'],
    ['storage:jails', '@FILE,lonely.lab', 'nasb.lab jail1.lab jail5.lab jail9.lab'],
    ['localhost', 'localhost', 'localhost'],
    ['all', 'nope', ''],
  ])('%s --limit %s', async (pattern, limit, expected) => {
    const root = await writeTree({ 'retry.txt': 'nasb.lab\n\n  bhyve02.lab  \njail*\n' });
    const inventory = await loadInventory(fleet);
    const patterns = await resolveLimit(limit.replace('@FILE', `@${root}/retry.txt`));
    expect(selectHosts(inventory, pattern, patterns).map((h) => h.name).join(' ')).toBe(expected);
  });

  it.each<[string, string]>([
    ['@/nonexistent/retry', 'limit file /nonexistent/retry does not exist — give --limit @FILE an existing file with one host per line (e.g. a .retry file)'],
    ['@/tmp', 'limit file /tmp is not a regular file — a limit starting with @ must name a file, not a directory'],
  ])('rejects %s', async (limit, expected) => {
    expect(await inputError(() => resolveLimit(limit))).toBe(expected);
  });
});
