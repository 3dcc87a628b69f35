// community.general.lists_mergeby (plugins/filter/lists_mergeby.py of community.general 6.6.2, as
// Debian's ansible ships it): lists of dicts merged by the value of one key — later lists win,
// each pair of dicts merged with Ansible's merge_hash (recursive, list_merge as combine takes
// them) — and the result sorted by that key. Dicts without the key are dropped. A list of lists
// before the key is read as those lists (`[l1, l2] | lists_mergeby('name')`). Only under its
// community.general name, as Ansible 2.14 finds it.
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { isDict, isTuple, pyCompare, pyEquals, pyStr, truthy, typeName, Undefined } from '../values.js';
import { mergeHash } from './collections.js';

type Dict = Record<string, unknown>;

/** Python's collections.abc.Sequence: lists, tuples and text (a mapping is not one). */
function isSequence(value: unknown): value is readonly unknown[] | string {
  return Array.isArray(value) || typeof value === 'string';
}

function itemsOf(sequence: readonly unknown[] | string): unknown[] {
  return typeof sequence === 'string' ? [...sequence] : [...sequence];
}

/** The key's value as a dict key: lists and mappings are unhashable in Python. */
function hashable(value: unknown): unknown {
  if ((Array.isArray(value) && !isTuple(value)) || isDict(value)) throw new JinjaRenderError(`unhashable type: '${typeName(value)}'`);
  return value;
}

/** list_mergeby: `y`'s dicts merged over `x`'s that share the index value, sorted by it. */
function mergeTwo(x: readonly unknown[], y: readonly unknown[], index: string, recursive: boolean, listMerge: string): Dict[] {
  const groups: { key: unknown; merged: Dict }[] = [];
  for (const list of [x, y]) {
    for (const elem of list) {
      if (elem instanceof Undefined) elem.fail();
      if (!isDict(elem)) throw new JinjaRenderError(`Elements of list arguments for lists_mergeby must be dictionaries. ${pyStr(elem)} is <class '${typeName(elem)}'>`);
      if (!Object.hasOwn(elem, index)) continue;
      const key = hashable(elem[index]);
      // Python's dict finds 1, 1.0 and True as one key.
      let group = groups.find((entry) => pyEquals(entry.key, key));
      if (group === undefined) {
        group = { key, merged: {} };
        groups.push(group);
      }
      group.merged = mergeHash(group.merged, elem, recursive, listMerge);
    }
  }
  // sorted(..., key=itemgetter(index)): stable, Python's ordering (mixed types fail).
  return groups.map((group) => group.merged).sort((a, b) => pyCompare(a[index], b[index]));
}

function listsMergeby(value: unknown, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): unknown {
  const extra = Object.keys(kwargs).filter((key) => key !== 'recursive' && key !== 'list_merge');
  if (extra.length > 0) throw new JinjaRenderError("'recursive' and 'list_merge' are the only valid keyword arguments.");
  const recursive = kwargs['recursive'] ?? false;
  const listMerge = kwargs['list_merge'] ?? 'replace';
  for (const option of [recursive, listMerge]) if (option instanceof Undefined) option.fail();
  const terms = [value, ...args];
  if (terms.length < 2) throw new JinjaRenderError('At least one list and index are needed.');
  const lists: unknown[] = [];
  for (const sublist of terms.slice(0, -1)) {
    if (sublist instanceof Undefined) sublist.fail();
    if (!isSequence(sublist)) throw new JinjaRenderError(`All arguments before the argument index for community.general.lists_mergeby must be lists. ${pyStr(sublist)} is <class '${typeName(sublist)}'>`);
    const items = itemsOf(sublist);
    if (items.length === 0) continue;
    if (items.every(isSequence)) lists.push(...items);
    else lists.push(sublist);
  }
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0];
  const index = terms.at(-1);
  if (index instanceof Undefined) index.fail();
  if (typeof index !== 'string') throw new JinjaRenderError(`First argument after the lists for community.general.lists_mergeby must be string. ${pyStr(index)} is <class '${typeName(index)}'>`);
  // merge_hash compares list_merge with its choices, so only text can match one.
  const mergeMode = typeof listMerge === 'string' ? listMerge : `<${typeName(listMerge)}>`;
  let result = itemsOf(lists.at(-1) as readonly unknown[] | string);
  for (let i = lists.length - 2; i >= 0; i--) result = mergeTwo(itemsOf(lists[i] as readonly unknown[] | string), result, index, truthy(recursive), mergeMode);
  return result;
}

export const listsMergebyFilters: Readonly<Record<string, Filter>> = {
  'community.general.lists_mergeby': { fn: (value, call) => listsMergeby(value, call.args, call.kwargs) },
};
