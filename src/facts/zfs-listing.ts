// What `zfs get -H -o name,property,value` and `zpool get -H -o name,property,value` print, grouped
// by dataset or pool as community.general's zfs_facts and zpool_facts group them: one dictionary
// per name, in the order zfs(8) prints the names, each with its properties and `name`.
import { sh, type Command } from '../command/command.js';
import { defineFact, type Fact } from './fact.js';

/** One dataset or pool: every property printed for it, and `name`. */
export type ZfsEntry = Readonly<Record<string, string>>;

/**
 * What the listing found: the entries; that the name does not exist; or that the listing itself
 * failed (a bad property list), with what zfs(8) said.
 */
export type ZfsListing =
  | { readonly exists: false }
  | { readonly exists: true; readonly entries: readonly ZfsEntry[] }
  | { readonly exists: true; readonly error: string };

/** Group NAME<TAB>PROPERTY<TAB>VALUE lines by NAME (first appearance order). */
export function groupZfsListing(text: string): ZfsEntry[] {
  const byName = new Map<string, Record<string, string>>();
  for (const line of text.split('\n')) {
    const [name, property, value] = line.split('\t');
    if (name === undefined || property === undefined || value === undefined) continue;
    const entry = byName.get(name) ?? {};
    entry[property] = value;
    byName.set(name, entry);
  }
  return [...byName].map(([name, entry]) => ({ ...entry, name }));
}

/**
 * The listing `get` prints when `check` (an existence test such as `zfs list NAME`) succeeds; the
 * marker line says which — both modules first check the name exists, then list.
 */
export function zfsListingFact(key: string, check: Command | undefined, get: Command): Fact<ZfsListing> {
  const list = sh`echo exists; out=$(${get} 2>&1); echo "rc=$?"; printf '%s\n' "$out"`;
  const command = check === undefined ? list : sh`if ${check} >/dev/null 2>&1; then ${list}; else echo absent; fi`;
  return defineFact(key, command, (output) => {
    const [first, rc, ...rest] = output.stdout.split('\n');
    if (first !== 'exists') return { exists: false };
    if (rc !== 'rc=0') return { exists: true, error: rest.join('\n').trim() };
    return { exists: true, entries: groupZfsListing(rest.join('\n')) };
  });
}
