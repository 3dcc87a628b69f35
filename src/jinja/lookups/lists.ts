// The list-shaping lookups behind with_* loops (Ansible's plugins/lookup/items.py, list.py,
// dict.py, indexed_items.py, together.py, nested.py, subelements.py, flattened.py, random_choice.py).
import { JinjaRenderError } from '../errors.js';
import { flatten, subelements } from '../filters/collections.js';
import { pyRandom } from '../python-random.js';
import { dictFrom, isDict, iterate, truthy } from '../values.js';
import type { Lookup } from './lookup.js';

export const itemsLookup: Lookup = (terms) => flatten(terms, 1, false);
export const listLookup: Lookup = (terms) => [...terms];
export const flattenedLookup: Lookup = (terms) => flatten(terms, undefined, true);

export const dictLookup: Lookup = (terms) =>
  terms.flatMap((term) => {
    if (!isDict(term)) throw new JinjaRenderError('with_dict expects a dict');
    return Object.entries(term).map(([key, value]) => dictFrom([['key', key], ['value', value]]));
  });

export const indexedItemsLookup: Lookup = (terms) => flatten(terms, 1, false).map((entry, i) => [i, entry]);

export const togetherLookup: Lookup = (terms) => {
  const lists = terms.map((term) => iterate(term));
  if (lists.length === 0) throw new JinjaRenderError('with_together requires at least one element in each list');
  const length = Math.max(...lists.map((l) => l.length));
  return Array.from({ length }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
};

export const nestedLookup: Lookup = (terms) => {
  const lists = terms.map((term) => iterate(term));
  if (lists.length === 0) throw new JinjaRenderError('with_nested requires at least one element in the nested list');
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((entry) => [...prefix, entry])), [[]]);
};

export const subelementsLookup: Lookup = (terms, options) => {
  const [list, key, flags] = terms;
  // Ansible's lookup: the registered result of a skipped task gives nothing to loop over.
  if (isDict(list) && truthy(list['skipped'] ?? false)) return [];
  const skipMissing = truthy((isDict(flags) ? flags['skip_missing'] : undefined) ?? options['skip_missing'] ?? false);
  return subelements(list, key, skipMissing).map((pair) => [...(pair as unknown[])]);
};

export const randomChoiceLookup: Lookup = (terms) => {
  if (terms.length === 0) return [];
  return [terms[Number(pyRandom(undefined).randbelow(terms.length))]];
};
