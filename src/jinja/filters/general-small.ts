// community.general's small filters (plugins/filter/counter.py, dict.py, dict_kv.py, groupby_as_dict.py, version_sort.py, jc.py of
// community.general 6.6.2, as Debian's ansible ships it), and its path_join, which its
// meta/runtime.yml routes to ansible.builtin.path_join. Only under their community.general names,
// as Ansible 2.14 finds them. Keys are text, as every beastie mapping's: Python's {1: 2} prints
// and compares alike.
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { dictFrom, isDict, isTuple, iterate, pyEquals, pyRepr, pyStr, truthy, typeName } from '../values.js';
import { versionSort } from '../version.js';

function isUnhashable(value: unknown): boolean {
  return (Array.isArray(value) && !isTuple(value)) || isDict(value);
}

/** counter: how often each (hashable) item occurs, in the order first seen; 1, 1.0 and True count as one. */
function counter(sequence: unknown): Record<string, unknown> {
  if (!Array.isArray(sequence) && typeof sequence !== 'string') {
    throw new JinjaRenderError(`Argument for community.general.counter must be a sequence (string or list). ${pyStr(sequence)} is <class '${typeName(sequence)}'>`);
  }
  const counts: [unknown, number][] = [];
  for (const item of iterate(sequence)) {
    if (isUnhashable(item)) throw new JinjaRenderError(`community.general.counter needs a sequence with hashable elements (int, float or str) - unhashable type: '${typeName(item)}'`);
    const entry = counts.find(([key]) => pyEquals(key, item));
    if (entry === undefined) counts.push([item, 1]);
    else entry[1]++;
  }
  return dictFrom(counts.map(([key, n]) => [pyStr(key), n] as const));
}

/** dict: Python's dict() of a mapping or of key/value pairs. */
function dictOf(sequence: unknown): Record<string, unknown> {
  if (isDict(sequence)) return dictFrom(Object.entries(sequence));
  return dictFrom(
    iterate(sequence).map((pair, i) => {
      if (typeof pair !== 'string' && !Array.isArray(pair)) throw new JinjaRenderError(`cannot convert dictionary update sequence element #${i} to a sequence`);
      const items = iterate(pair);
      if (items.length !== 2) throw new JinjaRenderError(`dictionary update sequence element #${i} has length ${items.length}; 2 is required`);
      if (isUnhashable(items[0])) throw new JinjaRenderError(`unhashable type: '${typeName(items[0])}'`);
      return [pyStr(items[0]), items[1]] as const;
    }),
  );
}

/** groupby_as_dict: each dict of a list under the value of its `attribute`, which must be there and differ. */
function groupbyAsDict(sequence: unknown, attribute: unknown): Record<string, unknown> {
  if (!Array.isArray(sequence) && typeof sequence !== 'string') throw new JinjaRenderError('Input is not a sequence');
  const seen: [unknown, unknown][] = [];
  iterate(sequence).forEach((element, i) => {
    if (!isDict(element)) throw new JinjaRenderError(`Sequence element #${i} is not a mapping`);
    const name = pyStr(attribute);
    if (!Object.hasOwn(element, name)) throw new JinjaRenderError(`Attribute not contained in element #${i} of sequence`);
    const index = element[name];
    if (isUnhashable(index)) throw new JinjaRenderError(`unhashable type: '${typeName(index)}'`);
    if (seen.some(([key]) => pyEquals(key, index))) throw new JinjaRenderError(`Multiple sequence entries have attribute value ${pyRepr(index)}`);
    seen.push([index, element]);
  });
  return dictFrom(seen.map(([key, element]) => [pyStr(key), element] as const));
}

export function generalSmallFilters(pathJoin: Filter | undefined): Readonly<Record<string, Filter>> {
  return {
    'community.general.counter': { fn: (value) => counter(value) },
    'community.general.version_sort': { fn: (value, call) => versionSort(iterate(value), truthy(call.args[0] ?? call.kwargs['reverse'] ?? false)) },
    'community.general.dict': { fn: (value) => dictOf(value) },
    'community.general.groupby_as_dict': {
      fn: (value, call) => {
        const attribute = call.args[0] ?? call.kwargs['attribute'];
        if (attribute === undefined) throw new JinjaRenderError("groupby_as_dict() missing 1 required positional argument: 'attribute'");
        return groupbyAsDict(value, attribute);
      },
    },
    'community.general.dict_kv': {
      fn: (value, call) => {
        const key = call.args[0] ?? call.kwargs['key'];
        if (key === undefined) throw new JinjaRenderError("dict_kv() missing 1 required positional argument: 'key'");
        if (isUnhashable(key)) throw new JinjaRenderError(`unhashable type: '${typeName(key)}'`);
        return dictFrom([[pyStr(key), value]]);
      },
    },
    // plugins/filter/jc.py hands the text to the jc Python library's parsers; without that library
    // it fails when called, after its arguments bind and its input renders (an undefined one fails
    // first, as undefined). beastie runs no Python parsers: it fails as such a controller does.
    'community.general.jc': {
      fn: (_value, call) => {
        if (call.args[0] === undefined && call.kwargs['parser'] === undefined) throw new JinjaRenderError("jc_filter() missing 1 required positional argument: 'parser'");
        throw new JinjaRenderError(
          'You need to install "jc" as a Python library on the Ansible controller prior to running jc filter (beastie runs no jc parsers: parse the text with regex_findall or split, or run jc on the host and read its output with from_json)',
        );
      },
    },
    ...(pathJoin === undefined ? {} : { 'community.general.path_join': pathJoin }),
  };
}
