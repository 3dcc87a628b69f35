// ansible.utils.consolidate (plugins/filter/consolidate.py and plugin_utils/consolidate.py of
// ansible.utils 2.10.3, as Debian's ansible ships it): several lists of dicts ("data sources", each
// {data, match_key, name}) grouped by the value of each source's match key, into
// {value: {name: the source's dict with that value, or {}}}, values sorted. By default a dict
// without the match key, a value twice in one source, or a value missing from a source fails,
// each named in the message. Only under its ansible.utils name, as Ansible 2.14 finds it.
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { dictFrom, isDict, isNumber, isTuple, iterate, pyCompare, pyEquals, pyStr, typeName, Undefined, type CallArgs } from '../values.js';
import { argStr } from './plugin-argspec.js';
import { toBoolean } from './convert.js';

interface Source {
  readonly data: unknown;
  readonly matchKey: string;
  readonly name: string;
}

interface Options {
  readonly sources: readonly Source[];
  readonly failMissingMatchKey: boolean;
  readonly failMissingMatchValue: boolean;
  readonly failDuplicate: boolean;
}

const optionNames = ['data_sources', 'fail_missing_match_key', 'fail_missing_match_value', 'fail_duplicate'] as const;
const sourceKeys = ['data', 'match_key', 'name'];

function invalid(message: string): never {
  throw new JinjaRenderError(message);
}

/** check_type_bool: a bool, or text / a number boolean() reads; anything else refused. */
function argBool(name: string, value: unknown, fallback: boolean): boolean {
  if (value instanceof Undefined) value.fail();
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean' && typeof value !== 'string' && !isNumber(value)) invalid(`argument '${name}' is of type ${typeName(value)} and we were unable to convert to bool: ${typeName(value)} cannot be converted to a bool`);
  return toBoolean(value, true);
}

/** The plugin's argspec (AnsibleArgSpecValidator on its DOCUMENTATION): positional in order, or keywords. */
function optionsOf(value: unknown, call: CallArgs): Options {
  const given: Record<string, unknown> = { data_sources: value };
  // dict(zip(keys, args[1:])): positional arguments past the last option are dropped.
  call.args.slice(0, optionNames.length - 1).forEach((arg, i) => (given[optionNames[i + 1] ?? ''] = arg));
  for (const [name, arg] of Object.entries(call.kwargs)) {
    if (!(optionNames as readonly string[]).includes(name)) invalid(`Unsupported parameters for 'consolidate' module: ${name}. Supported parameters include: ${[...optionNames].sort().join(', ')}.`);
    given[name] = arg;
  }
  const raw = given['data_sources'];
  if (raw instanceof Undefined) raw.fail();
  if (raw === undefined || raw === null) invalid('missing required arguments: data_sources');
  if (!Array.isArray(raw) || isTuple(raw)) invalid(`argument 'data_sources' is of type ${typeName(raw)} and we were unable to convert to list`);
  const sources = raw.map((entry): Source => {
    if (entry instanceof Undefined) entry.fail();
    if (!isDict(entry)) return invalid(`Elements value for option 'data_sources' is of type ${typeName(entry)} and we were unable to convert to dict`);
    const unknown = Object.keys(entry).filter((key) => !sourceKeys.includes(key));
    if (unknown.length > 0) invalid(`Unsupported parameters for 'consolidate' module: data_sources.${unknown.join(', data_sources.')}. Supported parameters include: ${sourceKeys.join(', ')}.`);
    const missing = sourceKeys.filter((key) => entry[key] === undefined || entry[key] === null);
    if (missing.length > 0) invalid(`missing required arguments: ${missing.join(', ')} found in data_sources`);
    return { data: entry['data'], matchKey: argStr(entry['match_key']) ?? '', name: argStr(entry['name']) ?? '' };
  });
  return {
    sources,
    failMissingMatchKey: argBool('fail_missing_match_key', given['fail_missing_match_key'], true),
    failMissingMatchValue: argBool('fail_missing_match_value', given['fail_missing_match_value'], true),
    failDuplicate: argBool('fail_duplicate', given['fail_duplicate'], true),
  };
}

/** The dicts of one source's data (a for loop over it: a mapping gives its keys, which are no dicts). */
function rowsOf(source: Source): Record<string, unknown>[] {
  return iterate(source.data).map((row) => {
    if (row instanceof Undefined) row.fail();
    if (!isDict(row)) return invalid(`string indices must be integers: a ${typeName(row)} in data source '${source.name}' is no dict`);
    return row;
  });
}

/** A set's members: hashable values, 1 == 1.0 == True once. */
function addUnique(set: unknown[], value: unknown): void {
  if ((Array.isArray(value) && !isTuple(value)) || isDict(value)) invalid(`unhashable type: '${typeName(value)}'`);
  if (!set.some((member) => pyEquals(member, value))) set.push(value);
}

function sorted(values: readonly unknown[]): unknown[] {
  return [...values].sort((a, b) => pyCompare(a, b));
}

/** _raise_error: one sentence per failing check, joined with '; '. */
function raiseFor(errors: readonly (readonly [string, readonly string[]])[]): void {
  const parts = errors.filter(([, messages]) => messages.length > 0).map(([check, messages]) => `Error when using plugin 'consolidate': '${check}' reported ${messages.join(', ')}`);
  if (parts.length > 0) invalid(parts.join('; '));
}

function consolidate(options: Options): Record<string, unknown> {
  const keySets: unknown[][] = [];
  const missingKeys: string[] = [];
  const duplicates: string[] = [];
  options.sources.forEach((source, i) => {
    const values: unknown[] = [];
    rowsOf(source).forEach((row, j) => {
      if (Object.hasOwn(row, source.matchKey)) values.push(row[source.matchKey]);
      else if (options.failMissingMatchKey) missingKeys.push(`missing match key '${source.matchKey}' in data source ${i + 1} in list entry ${j + 1}`);
    });
    const unique: unknown[] = [];
    for (const value of values) addUnique(unique, value);
    // sorted(set(v)) != sorted(v): both sorted whether duplicates fail or not.
    sorted(values);
    if (unique.length !== values.length && options.failDuplicate) duplicates.push(`duplicate values in data source ${i + 1}`);
    keySets.push(unique);
  });
  raiseFor([['fail_missing_match_key', missingKeys], ['fail_duplicate', duplicates]]);
  const allValues: unknown[] = [];
  for (const set of keySets) for (const value of set) addUnique(allValues, value);
  if (options.failMissingMatchValue) {
    const missingValues: string[] = [];
    keySets.forEach((set, i) => {
      const missing = allValues.filter((value) => !set.some((member) => pyEquals(member, value)));
      if (missing.length === 0) return;
      // ", ".join(set): only text joins (Python lists the set in its hash order; beastie in order found).
      for (const value of missing) if (typeof value !== 'string') invalid(`sequence item 0: expected str instance, ${typeName(value)} found`);
      missingValues.push(`missing match value ${missing.join(', ')} in data source ${i + 1}`);
    });
    raiseFor([['fail_missing_match_value', missingValues]]);
  }
  const order = sorted(allValues);
  const result = new Map<unknown, Map<string, unknown>>();
  for (const source of options.sources) {
    // {d[match_key]: d for d in data if match_key in d}: a later dict with the same value wins.
    const byValue: [unknown, Record<string, unknown>][] = [];
    for (const row of rowsOf(source)) {
      if (!Object.hasOwn(row, source.matchKey)) continue;
      const key = row[source.matchKey];
      const found = byValue.find(([existing]) => pyEquals(existing, key));
      if (found === undefined) byValue.push([key, row]);
      else found[1] = row;
    }
    for (const value of order) {
      let entry = result.get(value);
      if (entry === undefined) result.set(value, (entry = new Map()));
      entry.set(source.name, byValue.find(([existing]) => pyEquals(existing, value))?.[1] ?? {});
    }
  }
  // Python keeps the values as keys; beastie's mappings are keyed by text, as they print.
  return dictFrom([...result].map(([value, entry]) => [pyStr(value), dictFrom(entry)] as const));
}

export const consolidateFilters: Readonly<Record<string, Filter>> = {
  'ansible.utils.consolidate': { fn: (value, call) => consolidate(optionsOf(value, call)) },
};
