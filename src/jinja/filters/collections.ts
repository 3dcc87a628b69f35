// Ansible's filters on lists and mappings (plugins/filter/core.py and mathstuff.py, ansible-core
// 2.14): combine with recursive / list_merge, dict2items / items2dict, flatten, subelements,
// extract, set operations that keep list order, zip / zip_longest, product / permutations /
// combinations, rekey_on_member, random / shuffle.
import { JinjaRenderError } from '../errors.js';
import { item } from '../methods.js';
import type { Filter } from '../registry.js';
import { dictFrom, isDict, isNumber, isTuple, iterate, numberOf, pyEquals, pyRepr, pySet, pyStr, truthy, tuple, typeName, Undefined, type CallArgs } from '../values.js';
import { pyRandom, pyShuffle, type PyRandom } from '../python-random.js';

/** A seed as random.seed takes it: text, an int or a bool as itself; anything else by its text. */
function seedOf(seed: unknown): string | number | boolean | undefined {
  if (seed === undefined) return undefined;
  if (typeof seed === 'string' || typeof seed === 'boolean' || (typeof seed === 'number' && Number.isInteger(seed))) return seed;
  return pyStr(seed);
}

function integerOf(value: unknown): number {
  const n = typeof value === 'boolean' ? Number(value) : numberOf(value as number);
  if (!Number.isInteger(n)) throw new JinjaRenderError(`non-integer arg for randrange(): ${pyStr(value)}`);
  return n;
}

/** random.randrange(start, stop, step), CPython 3.11's, with its errors. */
function randrange(random: PyRandom, start: number, stop: number, step: number): number {
  const width = stop - start;
  if (step === 1) {
    if (width > 0) return start + Number(random.randbelow(width));
    throw new JinjaRenderError(`empty range for randrange() (${start}, ${stop}, ${width})`);
  }
  const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
  if (n <= 0) throw new JinjaRenderError('empty range for randrange()');
  return start + step * Number(random.randbelow(n));
}

function uniqueList(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const entry of items) if (!out.some((o) => pyEquals(o, entry))) out.push(entry);
  return out;
}

function has(items: readonly unknown[], value: unknown): boolean {
  return items.some((entry) => pyEquals(entry, value));
}

/** Ansible's merge_hash (utils/vars.py): `y` into `x`, recursive or not, lists by `listMerge`. */
export function mergeHash(x: Record<string, unknown>, y: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  if (!['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'].includes(listMerge)) {
    throw new JinjaRenderError("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'");
  }
  const out = dictFrom(Object.entries(x));
  for (const [key, yValue] of Object.entries(y)) {
    if (!Object.hasOwn(out, key)) {
      Object.defineProperty(out, key, { value: yValue, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const xValue = out[key];
    let merged: unknown = yValue;
    if (isDict(xValue) && isDict(yValue)) merged = recursive ? mergeHash(xValue, yValue, recursive, listMerge) : yValue;
    else if (Array.isArray(xValue) && Array.isArray(yValue)) {
      if (listMerge === 'keep') merged = xValue;
      else if (listMerge === 'append') merged = [...xValue, ...yValue];
      else if (listMerge === 'prepend') merged = [...yValue, ...xValue];
      else if (listMerge === 'append_rp') merged = [...xValue.filter((v) => !has(yValue, v)), ...yValue];
      else if (listMerge === 'prepend_rp') merged = [...yValue, ...xValue.filter((v) => !has(yValue, v))];
    }
    out[key] = merged;
  }
  return out;
}

/** Ansible's flatten: nested lists into one, `levels` deep, nulls dropped unless told. */
export function flatten(items: readonly unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const entry of items) {
    if (skipNulls && (entry === null || entry === 'None' || entry === 'null')) continue;
    if (Array.isArray(entry)) {
      if (levels === undefined) out.push(...flatten(entry, undefined, skipNulls));
      else if (levels >= 1) out.push(...flatten(entry, levels - 1, skipNulls));
      else out.push(entry);
    } else out.push(entry);
  }
  return out;
}

function product(lists: readonly unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((entry) => [...prefix, entry])), [[]]);
}

function permutations(items: readonly unknown[], size: number): unknown[][] {
  if (size === 0) return [[]];
  return items.flatMap((entry, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)], size - 1).map((rest) => [entry, ...rest]));
}

function combinations(items: readonly unknown[], size: number): unknown[][] {
  if (size === 0) return [[]];
  return items.flatMap((entry, i) => combinations(items.slice(i + 1), size - 1).map((rest) => [entry, ...rest]));
}

/** Ansible's subelements: (element, each item of element[path]) pairs. */
export function subelements(value: unknown, path: unknown, skipMissing: boolean): unknown[] {
  const elements = isDict(value) ? Object.values(value) : Array.isArray(value) ? value : (() => { throw new JinjaRenderError('obj must be a list of dicts or a nested dict'); })();
  const keys = Array.isArray(path) ? path.map(pyStr) : typeof path === 'string' ? path.split('.') : (() => { throw new JinjaRenderError('subelements must be a list or a string'); })();
  const out: unknown[] = [];
  for (const element of elements) {
    let values: unknown = element;
    for (const key of keys) {
      if (!isDict(values)) throw new JinjaRenderError(`the key ${key} should point to a dictionary, got '${pyStr(values)}'`);
      if (!Object.hasOwn(values, key)) {
        if (skipMissing) {
          values = [];
          break;
        }
        throw new JinjaRenderError(`could not find ${pyRepr(key)} key in iterated item ${pyRepr(values)}`);
      }
      values = values[key];
    }
    if (!Array.isArray(values)) throw new JinjaRenderError(`the key ${pyRepr(keys.at(-1))} should point to a list, got ${pyRepr(values)}`);
    for (const entry of values) out.push(tuple([element, entry]));
  }
  return out;
}

function listOf(value: unknown, filter: string): unknown[] {
  if (value instanceof Undefined) value.fail();
  if (typeof value === 'string' || isNumber(value) || value === null) throw new JinjaRenderError(`${filter}: '${typeName(value)}' object is not iterable`);
  return iterate(value);
}

/**
 * Whether intersect/difference never touch an undefined `other`: mathstuff.py takes sets only when
 * both sides are hashable (a tuple or text; an undefined value is hashable), else it runs
 * `[x for x in a if x in b]`, which reads `b` only for an item of `a`. So `[] | difference(x)`
 * is [] while x is undefined, as in Ansible.
 */
function neverReadsOther(value: unknown, other: unknown): boolean {
  return other instanceof Undefined && (Array.isArray(value) || isDict(value)) && !isTuple(value) && listOf(value, 'intersect').length === 0;
}

/**
 * mathstuff.py (ansible-core 2.14) takes Python sets when both operands are Hashable — a tuple or
 * text (a list or dict is not) — and answers with a set: `(1, 2) | intersect((2, 3))` is `{2}`,
 * which is not `[2]`.
 */
function bothHashable(value: unknown, other: unknown): boolean {
  const hashable = (v: unknown): boolean => typeof v === 'string' || isTuple(v);
  return hashable(value) && hashable(other);
}

/** The items `set()` takes from a hashable operand: a tuple's, or the characters of text. */
function setItems(value: unknown): unknown[] {
  return typeof value === 'string' ? [...value] : iterate(value);
}

/** `a + b` as union's list path adds its operands: a list and a tuple are not added, as in Python. */
function concatenated(value: unknown, other: unknown, filter: string): unknown[] {
  const a = listOf(value, filter);
  const b = listOf(other, filter);
  if (Array.isArray(value) && Array.isArray(other) && isTuple(value) !== isTuple(other)) {
    throw new JinjaRenderError(`can only concatenate ${typeName(value)} (not "${typeName(other)}") to ${typeName(value)}`);
  }
  return [...a, ...b];
}

function arg(call: CallArgs, index: number, name: string, fallback?: unknown): unknown {
  return call.args[index] ?? call.kwargs[name] ?? fallback;
}

export const collectionFilters: Readonly<Record<string, Filter>> = {
  combine: {
    fn: (value, call) => {
      const terms = flatten([value, ...call.args], 1, true);
      const extra = Object.keys(call.kwargs).filter((k) => k !== 'recursive' && k !== 'list_merge');
      if (extra.length > 0) throw new JinjaRenderError("'recursive' and 'list_merge' are the only valid keyword arguments");
      for (const term of terms) {
        if (term instanceof Undefined) term.fail();
        if (!isDict(term)) throw new JinjaRenderError(`failed to combine variables, expected dicts but got a '${typeName(term)}'`);
      }
      const dicts = terms as Record<string, unknown>[];
      if (dicts.length === 0) return {};
      const recursive = truthy(call.kwargs['recursive'] ?? false);
      const listMerge = pyStr(call.kwargs['list_merge'] ?? 'replace');
      let result = dicts.at(-1) as Record<string, unknown>;
      for (let i = dicts.length - 2; i >= 0; i--) result = mergeHash(dicts[i] as Record<string, unknown>, result, recursive, listMerge);
      return result;
    },
  },
  dict2items: {
    fn: (value, call) => {
      if (!isDict(value)) throw new JinjaRenderError(`dict2items requires a dictionary, got <class '${typeName(value)}'> instead.`);
      const keyName = pyStr(arg(call, 0, 'key_name', 'key'));
      const valueName = pyStr(arg(call, 1, 'value_name', 'value'));
      return Object.entries(value).map(([k, v]) => dictFrom([[keyName, k], [valueName, v]]));
    },
  },
  items2dict: {
    fn: (value, call) => {
      if (!Array.isArray(value)) throw new JinjaRenderError(`items2dict requires a list, got <class '${typeName(value)}'> instead.`);
      const keyName = pyStr(arg(call, 0, 'key_name', 'key'));
      const valueName = pyStr(arg(call, 1, 'value_name', 'value'));
      return dictFrom(
        value.map((entry) => {
          if (!isDict(entry)) throw new JinjaRenderError(`items2dict requires a list of dictionaries, got ${pyStr(value)} instead.`);
          if (!Object.hasOwn(entry, keyName) || !Object.hasOwn(entry, valueName)) {
            throw new JinjaRenderError(`items2dict requires each dictionary in the list to contain the keys '${keyName}' and '${valueName}', got ${pyStr(value)} instead.`);
          }
          return [pyStr(entry[keyName]), entry[valueName]] as const;
        }),
      );
    },
  },
  flatten: {
    fn: (value, call) => {
      const levels = arg(call, 0, 'levels');
      return flatten(listOf(value, 'flatten'), levels === undefined || levels === null ? undefined : numberOf(levels as number), truthy(arg(call, 1, 'skip_nulls', true)));
    },
  },
  subelements: { fn: (value, call) => subelements(value, arg(call, 0, 'subelements'), truthy(arg(call, 1, 'skip_missing', false))) },
  extract: {
    fn: (value, call) => {
      const container = arg(call, 0, 'container');
      const more = arg(call, 1, 'morekeys');
      const keys = more === undefined || more === null ? [value] : Array.isArray(more) ? [value, ...more] : [value, more];
      let current = container;
      for (const key of keys) current = item(current, key);
      return current;
    },
  },
  union: { fn: (value, call) => (bothHashable(value, call.args[0]) ? pySet([...setItems(value), ...setItems(call.args[0])]) : uniqueList(concatenated(value, call.args[0], 'union'))) },
  intersect: {
    fn: (value, call) => {
      if (bothHashable(value, call.args[0])) { const other = setItems(call.args[0]); return pySet(setItems(value).filter((v) => has(other, v))); }
      if (neverReadsOther(value, call.args[0])) return [];
      const other = listOf(call.args[0], 'intersect');
      return uniqueList(listOf(value, 'intersect').filter((v) => has(other, v)));
    },
  },
  difference: {
    fn: (value, call) => {
      if (bothHashable(value, call.args[0])) { const other = setItems(call.args[0]); return pySet(setItems(value).filter((v) => !has(other, v))); }
      if (neverReadsOther(value, call.args[0])) return [];
      const other = listOf(call.args[0], 'difference');
      return uniqueList(listOf(value, 'difference').filter((v) => !has(other, v)));
    },
  },
  symmetric_difference: {
    fn: (value, call) => {
      if (bothHashable(value, call.args[0])) {
        const [a, b] = [setItems(value), setItems(call.args[0])];
        return pySet([...a.filter((v) => !has(b, v)), ...b.filter((v) => !has(a, v))]);
      }
      const a = listOf(value, 'symmetric_difference');
      const b = listOf(call.args[0], 'symmetric_difference');
      const both = uniqueList(a.filter((v) => has(b, v)));
      return uniqueList(concatenated(value, call.args[0], 'symmetric_difference')).filter((v) => !has(both, v));
    },
  },
  zip: {
    fn: (value, call) => {
      const lists = [listOf(value, 'zip'), ...call.args.map((a) => listOf(a, 'zip'))];
      const length = Math.min(...lists.map((l) => l.length));
      return Array.from({ length }, (_, i) => tuple(lists.map((l) => l[i])));
    },
  },
  zip_longest: {
    fn: (value, call) => {
      const lists = [listOf(value, 'zip_longest'), ...call.args.map((a) => listOf(a, 'zip_longest'))];
      const fill = call.kwargs['fillvalue'] ?? null;
      const length = Math.max(...lists.map((l) => l.length));
      return Array.from({ length }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
    },
  },
  product: {
    fn: (value, call) => {
      const repeat = numberOf((call.kwargs['repeat'] ?? 1) as number);
      const lists = [listOf(value, 'product'), ...call.args.map((a) => listOf(a, 'product'))];
      const repeated = Array.from({ length: repeat }, () => lists).flat();
      return product(repeated).map((entry) => tuple(entry));
    },
  },
  permutations: {
    fn: (value, call) => {
      const items = listOf(value, 'permutations');
      const size = arg(call, 0, 'r');
      return permutations(items, size === undefined || size === null ? items.length : numberOf(size as number)).map((entry) => tuple(entry));
    },
  },
  combinations: { fn: (value, call) => combinations(listOf(value, 'combinations'), numberOf(arg(call, 0, 'r') as number)).map((entry) => tuple(entry)) },
  rekey_on_member: {
    fn: (value, call) => {
      const key = arg(call, 0, 'key');
      const duplicates = pyStr(arg(call, 1, 'duplicates', 'error'));
      if (duplicates !== 'error' && duplicates !== 'overwrite') throw new JinjaRenderError(`duplicates parameter to rekey_on_member has unknown value: ${duplicates}`);
      const items = isDict(value) ? Object.values(value) : listOf(value, 'rekey_on_member');
      const out: Record<string, unknown> = {};
      for (const entry of items) {
        if (!isDict(entry)) throw new JinjaRenderError('List item is not a valid dict');
        const name = pyStr(key);
        if (!Object.hasOwn(entry, name)) throw new JinjaRenderError(`Key ${name} was not found`);
        const k = pyStr(entry[name]);
        if (Object.hasOwn(out, k) && truthy(out[k]) && duplicates === 'error') throw new JinjaRenderError(`Key ${k} is not unique, cannot correctly turn into dict`);
        Object.defineProperty(out, k, { value: entry, enumerable: true, writable: true, configurable: true });
      }
      return out;
    },
  },
  // core.py's rand: random.Random(seed) when a seed is given (None: SystemRandom), randrange for an
  // integer (a falsy start or step is 0 or 1), choice for anything iterable.
  random: {
    fn: (value, call) => {
      const seed = call.kwargs['seed'];
      const random = pyRandom(seedOf(seed === null ? undefined : seed));
      const start = arg(call, 0, 'start');
      const step = arg(call, 1, 'step');
      if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'boolean') {
        return randrange(random, truthy(start) ? integerOf(start) : 0, Number(value), truthy(step) ? integerOf(step) : 1);
      }
      if (!Array.isArray(value) && typeof value !== 'string' && !isDict(value)) throw new JinjaRenderError('random can only be used on sequences and integers');
      if (truthy(start) || truthy(step)) throw new JinjaRenderError('start and step can only be used with integer values');
      const items = typeof value === 'string' ? iterate(value) : listOf(value, 'random');
      if (items.length === 0) throw new JinjaRenderError('Cannot choose from an empty sequence');
      return items[Number(random.randbelow(items.length))];
    },
  },
  // core.py's randomize_list: random.Random(seed).shuffle when the seed is truthy, else the
  // system's; what list() refuses (a number) comes back unchanged.
  shuffle: {
    fn: (value, call) => {
      if (!Array.isArray(value) && typeof value !== 'string' && !isDict(value)) return value;
      const seed = arg(call, 0, 'seed');
      return pyShuffle(pyRandom(truthy(seed) ? seedOf(seed) : undefined), typeof value === 'string' ? iterate(value) : [...listOf(value, 'shuffle')]);
    },
  },
};
