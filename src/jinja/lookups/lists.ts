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

/**
 * An item of with_subelements as subelements.py gives it: `subvalue.pop(subkey)` takes the list
 * out of the item, so item.0 has no such key (a copy here; the plugin edits its templated copy).
 */
function withoutSubkey(element: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const top = dictFrom(Object.entries(element));
  let at = top;
  for (const key of keys.slice(0, -1)) {
    const inner = at[key];
    if (!isDict(inner)) return top;
    at[key] = dictFrom(Object.entries(inner));
    at = at[key] as Record<string, unknown>;
  }
  delete at[keys.at(-1) ?? ''];
  return top;
}

export const subelementsLookup: Lookup = (terms, options) => {
  const [list, key, flags] = terms;
  // Ansible's lookup: the registered result of a skipped task gives nothing to loop over.
  if (isDict(list) && truthy(list['skipped'] ?? false)) return [];
  const skipMissing = truthy((isDict(flags) ? flags['skip_missing'] : undefined) ?? options['skip_missing'] ?? false);
  // An item whose `skipped` is anything but False (a skipped loop item of a registered result) is left out.
  const elements = Array.isArray(list) ? list.filter((item) => !(isDict(item) && Object.hasOwn(item, 'skipped') && item['skipped'] !== false)) : list;
  const keys = typeof key === 'string' ? key.split('.') : [];
  const stripped = new Map<unknown, Record<string, unknown>>();
  return subelements(elements, key, skipMissing).map((pair) => {
    const [element, entry] = pair as unknown[];
    if (!isDict(element) || keys.length === 0) return [element, entry];
    let copy = stripped.get(element);
    if (copy === undefined) stripped.set(element, (copy = withoutSubkey(element, keys)));
    return [copy, entry];
  });
};

export const randomChoiceLookup: Lookup = (terms) => {
  if (terms.length === 0) return [];
  return [terms[Number(pyRandom(undefined).randbelow(terms.length))]];
};
