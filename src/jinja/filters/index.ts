// Every filter by name: Jinja2's builtins, then Ansible's, which replace Jinja2's where both
// define one (Ansible's unique, random), plus the aliases both define.
import type { Filter } from '../registry.js';
import { builtinFilters } from './builtins.js';
import { collectionFilters } from './collections.js';
import { consolidateFilters } from './consolidate.js';
import { convertFilters } from './convert.js';
import { dateFilters } from './dates.js';
import { dictKeyFilters } from './dict-keys.js';
import { generalSmallFilters } from './general-small.js';
import { hwaddrFilters } from './hwaddr.js';
import { indexOfFilters } from './index-of.js';
import { ipaddrFilters, underCollectionNames } from './ipaddr.js';
import { subnetFilters } from './ip-subnets.js';
import { jsonQueryFilters } from './json-query.js';
import { listsMergebyFilters } from './lists-mergeby.js';
import { numberFilters } from './numbers.js';
import { pathFilters } from './paths.js';
import { textFilters } from './text.js';
import { usableRangeFilters } from './usable-range.js';
import { varPathFilters } from './var-paths.js';
import { vaultFilters } from './vault.js';

// ip4_hex and macaddr are routed only under ansible.utils.* (and macaddr under netcommon) in Ansible 2.14.
const networkFilters = underCollectionNames({ ...subnetFilters, ...hwaddrFilters }, { short: ['ip4_hex', 'macaddr'], netcommon: ['ip4_hex'] });
const registry = new Map<string, Filter>();
const builtins = builtinFilters((name) => registry.get(name.replace(/^ansible\.builtin\./, '')));
const unique = builtins['unique'];
for (const table of [builtins, convertFilters, collectionFilters, textFilters, pathFilters, numberFilters, dateFilters, jsonQueryFilters, vaultFilters, ipaddrFilters, networkFilters, usableRangeFilters, dictKeyFilters, listsMergebyFilters, consolidateFilters, indexOfFilters, varPathFilters]) {
  for (const [name, filter] of Object.entries(table)) registry.set(name, filter);
}
for (const [name, filter] of Object.entries(generalSmallFilters(registry.get('path_join')))) registry.set(name, filter);
// Ansible's unique calls Jinja2's (case-insensitive unless told) when it can.
if (unique !== undefined) registry.set('unique', unique);
const aliases: Readonly<Record<string, string>> = { d: 'default', e: 'escape', count: 'length', to_nice_yml: 'to_nice_yaml' };
for (const [alias, name] of Object.entries(aliases)) {
  const filter = registry.get(name);
  if (filter !== undefined) registry.set(alias, filter);
}

/** Every filter, by name. */
export const allFilters: ReadonlyMap<string, Filter> = registry;

/** Filter names, for documentation and suggestions. */
export const filterNames: readonly string[] = [...registry.keys()].sort();
