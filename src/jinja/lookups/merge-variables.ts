// lookup('community.general.merge_variables', PATTERN, …), ported from plugins/lookup/merge_variables.py
// of community.general 13.4.0 (ade4f3e): the variables in scope whose names match each term (a
// Python regex found anywhere in the name, or a prefix or suffix by pattern_type), sorted by name,
// merged into one list or dict, starting from initial_value. The merge is the plugin's ObjectMerger:
// a strategy per type pair (dict_merge deep / shallow / replace / keep; list_merge append / prepend /
// merge / replace / keep; type_conflict_merge and default_merge replace / keep), list_transformations
// (dedup with keep first / last, flatten) applied to every list a merge makes, and the override
// check (error / warn / ignore) on a value replaced by one of another type or a different scalar.
// `groups` merges the matching variables of every host in those groups (hostvars order), each
// rendered as that host sees it. With the defaults this merges as community.general 6.6.2 (Debian's,
// the differential tests' oracle) does; where 6.6.2 crashed on a type conflict with override=ignore
// or warn, this applies type_conflict_merge, as the source does. The plugin merges into the first
// variable's own value; beastie merges into a copy. A `warn` override prints the plugin's message
// through display.warning's counterpart (src/jinja/warnings.ts: a warning event of the task in a
// run) and merges as `ignore`. The hosts of `groups` are read once per call, for every term.
import { JinjaRenderError } from '../errors.js';
import { pythonRegExp } from '../python-regex.js';
import { dictFrom, isDict, isTuple, pyEquals, pyStr, typeName } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';
import { WITH_VARS, type RenderScope } from '../registry.js';
import { jinjaWarning } from '../warnings.js';

const NAME = 'community.general.merge_variables';

/** The options the plugin's DOCUMENTATION lists. */
const OPTIONS = ['pattern_type', 'initial_value', 'override', 'groups', 'dict_merge', 'list_merge', 'type_conflict_merge', 'default_merge', 'list_transformations'];

/** get_option of a `choices` option: a direct value, else its env variable, else the default; refused outside the choices. */
function choice(name: string, value: unknown, choices: readonly string[], fallback: string, env?: string): string {
  const fromEnv = env === undefined ? undefined : process.env[env];
  if (value === undefined || value === null) value = fromEnv;
  if (value === undefined) return fallback;
  const text = pyStr(value);
  if (!choices.includes(text)) throw new JinjaRenderError(`Invalid value "${text}" for configuration option "plugin_type: lookup plugin: ${NAME} setting: ${name} ", valid values are: ${choices.join(', ')}`);
  return text;
}

/** A `type: list` option as Ansible's config reads it: a text is split at commas. */
function listOption(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((part) => part.trim().replace(/^(['"])(.*)\1$/, '$2'));
  if (Array.isArray(value)) return [...value];
  return [value];
}

const isList = (value: unknown): value is unknown[] => Array.isArray(value) && !isTuple(value) && typeName(value) === 'list';

/** Python's isinstance(value, type(other)): the same type, or a bool where the other is an int. */
function isInstanceOfTypeOf(value: unknown, other: unknown): boolean {
  const a = typeName(value);
  const b = typeName(other);
  return a === b || (a === 'bool' && b === 'int');
}

/** _verify_and_get_type: only lists and dicts merge. */
function kindOf(value: unknown): 'list' | 'dict' {
  if (isList(value)) return 'list';
  if (isDict(value)) return 'dict';
  throw new JinjaRenderError(`Not supported type detected, variable must be a list or a dict: '${pyStr(value)}'`);
}

/** A copy of a list or dict down to its leaves, so merging never edits a variable. */
function copy<T>(value: T): T {
  if (isList(value)) return value.map(copy) as T;
  if (isDict(value)) return dictFrom(Object.entries(value).map(([key, item]) => [key, copy(item)] as const)) as T;
  return value;
}

type Strategy = (merger: ObjectMerger, path: string[], left: unknown, right: unknown) => unknown;
type Transformation = (value: unknown[]) => unknown[];

const replace: Strategy = (_merger, _path, _left, right) => right;
const keep: Strategy = (_merger, _path, left) => left;
const baseStrategies: Readonly<Record<string, Strategy>> = { replace, keep };

/** DictMergeStrategies.Merge: each key of `right` into `left`; a key both have is merged, then checked. `path` grows and is never trimmed, as the plugin's. */
const dictMerge: Strategy = (merger, path, left, right) => {
  const result = left as Record<string, unknown>;
  for (const [key, value] of Object.entries(right as Record<string, unknown>)) {
    if (!Object.hasOwn(result, key)) {
      result[key] = value;
    } else {
      path.push(key);
      const merged = merger.merge(path, result[key], value);
      merger.beforeOverride(path, result[key], merged);
      result[key] = merged;
    }
  }
  return result;
};

/** ListMergeStrategies.Merge: item by item by index, the rest of `right` appended. */
const listMergeByIndex: Strategy = (merger, path, left, right) => {
  const result = left as unknown[];
  const items = right as unknown[];
  for (const [i, value] of items.entries()) {
    if (i >= result.length) {
      result.push(...items.slice(i));
      break;
    }
    path.push(String(i));
    const merged = merger.merge(path, result[i], value);
    merger.beforeOverride(path, result[i], merged);
    result[i] = merged;
  }
  return result;
};

const dictStrategies: Readonly<Record<string, Strategy>> = { merge: dictMerge, ...baseStrategies };
const listStrategies: Readonly<Record<string, Strategy>> = {
  append: (_merger, _path, left, right) => [...(left as unknown[]), ...(right as unknown[])],
  prepend: (_merger, _path, left, right) => [...(right as unknown[]), ...(left as unknown[])],
  merge: listMergeByIndex,
  ...baseStrategies,
};

function strategy(table: Readonly<Record<string, Strategy>>, name: string): Strategy {
  const found = Object.hasOwn(table, name) ? table[name] : undefined;
  if (found === undefined) throw new JinjaRenderError(`Unknown merge strategy '${name}'`);
  return found;
}

/** ListTransformations.Dedup: Python's `item not in result`, keeping the first or the last of equal items. */
function dedup(keepWhich: unknown): Transformation {
  return (value) => {
    const result: unknown[] = [];
    if (keepWhich === 'first') {
      for (const item of value) if (!result.some((seen) => pyEquals(seen, item))) result.push(item);
    } else if (keepWhich === 'last') {
      for (const item of [...value].reverse()) if (!result.some((seen) => pyEquals(seen, item))) result.unshift(item);
    } else {
      throw new JinjaRenderError(`Unsupported 'keep' value for deduplication transformation. Given was '${pyStr(keepWhich)}', but must be either 'first' or 'last'`);
    }
    return result;
  };
}

/** ListTransformations.Flatten: nested lists (not tuples) into one. */
const flatten: Transformation = (value) => value.flatMap((item) => (isList(item) ? flatten(item) : [item]));

/** ListTransformations.from_name(name, **options): the class's constructor takes only its own keywords. */
function transformation(name: string, options: Readonly<Record<string, unknown>>): Transformation {
  const extra = (allowed: readonly string[]): string | undefined => Object.keys(options).find((key) => !allowed.includes(key));
  if (name === 'dedup') {
    const unexpected = extra(['keep']);
    if (unexpected !== undefined) throw new JinjaRenderError(`ListTransformations.Dedup.__init__() got an unexpected keyword argument '${unexpected}'`);
    return dedup(options['keep'] ?? 'first');
  }
  if (name === 'flatten') {
    if (extra([]) !== undefined) throw new JinjaRenderError('ListTransformations.Flatten() takes no arguments');
    return flatten;
  }
  throw new JinjaRenderError(`Unknown transformation '${name}'`);
}

function transformations(spec: readonly unknown[]): Transformation[] {
  return spec.map((item) => {
    if (typeof item === 'string') return transformation(item, {});
    if (isDict(item)) {
      if (!Object.hasOwn(item, 'name')) throw new JinjaRenderError(`KeyError: 'name' (a list_transformations entry needs a name)`);
      const options = item['options'] ?? {};
      if (!isDict(options)) throw new JinjaRenderError(`a list_transformations entry's options must be a dict, not ${typeName(options)}`);
      return transformation(pyStr(item['name']), options);
    }
    throw new JinjaRenderError(`Transformations must be specified through values of type 'str' or 'dict', but a value of type '<class '${typeName(item)}'>' was given`);
  });
}

interface MergerSettings {
  readonly list: Strategy;
  /** The dict strategy; undefined for a shallow merge (nested dicts then take default_merge). */
  readonly dict: Strategy | undefined;
  readonly shallow: boolean;
  readonly typeConflict: Strategy;
  readonly fallback: Strategy;
  readonly transformations: readonly Transformation[];
  readonly override: string;
}

/** The plugin's ObjectMerger (and ShallowMerger around it when dict_merge is shallow). */
class ObjectMerger {
  constructor(private readonly settings: MergerSettings) {}

  /** before_override: a value replaced by one of another type, or a scalar by a different one. */
  beforeOverride(path: readonly string[], oldValue: unknown, newValue: unknown): void {
    const conflict = !isInstanceOfTypeOf(oldValue, newValue) && !isInstanceOfTypeOf(newValue, oldValue);
    const changed = !isDict(newValue) && !isList(newValue) && !pyEquals(oldValue, newValue);
    if (!conflict && !changed) return;
    const message = `The key '${path.at(-1) ?? ''}' with value '${pyStr(oldValue)}' will be overwritten with value '${pyStr(newValue)}' from '${path.join('.')}'`;
    if (this.settings.override === 'error') throw new JinjaRenderError(message);
    if (this.settings.override === 'warn') jinjaWarning(message);
  }

  private strategyFor(left: unknown, right: unknown): Strategy {
    if (isList(left) && isList(right)) return this.settings.list;
    if (this.settings.dict !== undefined && isDict(left) && isDict(right)) return this.settings.dict;
    if (!isInstanceOfTypeOf(left, right) && !isInstanceOfTypeOf(right, left)) return this.settings.typeConflict;
    return this.settings.fallback;
  }

  apply(strategyToApply: Strategy, path: string[], left: unknown, right: unknown): unknown {
    let value = strategyToApply(this, path, left, right);
    for (const transform of this.settings.transformations) if (isList(value)) value = transform(value);
    return value;
  }

  merge(path: string[], left: unknown, right: unknown): unknown {
    return this.apply(this.strategyFor(left, right), path, left, right);
  }

  /** The top-level merge of one variable: ShallowMerger's when dict_merge is shallow. */
  mergeVariable(path: string[], left: unknown, right: unknown): unknown {
    if (this.settings.shallow && isDict(left) && isDict(right)) return this.apply(dictMerge, path, left, right);
    return this.merge(path, left, right);
  }
}

interface Source {
  readonly names: readonly string[];
  value(name: string): unknown;
}

/**
 * The variables of each host of `groups` (every host for `all`), in hostvars order: the host's own
 * (hostvars[host]) plus `hostvars`, each templated value rendered over them, as the plugin renders it.
 */
function groupSources(scope: RenderScope, groups: readonly string[]): Source[] {
  const hostvars = scope.variable('hostvars');
  if (typeof hostvars !== 'object' || hostvars === null) throw new JinjaRenderError(`lookup '${NAME}': groups= needs hostvars, and there are none here`);
  const hosts = hostvars as Record<string, unknown>;
  const sources: Source[] = [];
  // Reflect.ownKeys, not Object.keys: names only, without rendering every value.
  const names = (vars: object): string[] => Reflect.ownKeys(vars).filter((key): key is string => typeof key === 'string');
  for (const host of names(hosts)) {
    const own = hosts[host] as Record<string | symbol, unknown>;
    const groupNames = own['group_names'];
    const memberOf = Array.isArray(groupNames) ? groupNames.map((g) => pyStr(g)) : [];
    if (!groups.includes('all') && !memberOf.some((g) => groups.includes(g))) continue;
    const withVars = own[WITH_VARS];
    const vars = (typeof withVars === 'function' ? (withVars as (extra: Record<string, unknown>) => Record<string, unknown>)({ hostvars }) : { ...own, hostvars }) as Record<string, unknown>;
    sources.push({ names: names(vars), value: (name) => vars[name] });
  }
  return sources;
}

export const mergeVariablesLookup: Lookup = (terms, options, scope) => {
  if (Object.hasOwn(options, '_terms')) {
    throw new JinjaRenderError(`The '_terms' keyword argument is not supported, you must provide terms as positional arguments: use lookup('${NAME}', arg1, arg2) instead of lookup('${NAME}', _terms=[arg1, arg2])`);
  }
  checkOptions(NAME, options, OPTIONS);
  const patternType = choice('pattern_type', options['pattern_type'], ['prefix', 'suffix', 'regex'], 'regex', 'ANSIBLE_MERGE_VARIABLES_PATTERN_TYPE');
  const override = choice('override', options['override'], ['error', 'warn', 'ignore'], 'error', 'ANSIBLE_MERGE_VARIABLES_OVERRIDE');
  const dictChoice = choice('dict_merge', options['dict_merge'], ['deep', 'shallow', 'replace', 'keep'], 'deep');
  const listChoice = choice('list_merge', options['list_merge'], ['replace', 'keep', 'append', 'prepend', 'merge'], 'append');
  const conflictChoice = choice('type_conflict_merge', options['type_conflict_merge'], ['replace', 'keep'], 'replace');
  const defaultChoice = choice('default_merge', options['default_merge'], ['replace', 'keep'], 'replace');
  const groups = listOption(options['groups']).map((g) => pyStr(g));
  const transformSpec = listOption(options['list_transformations']);
  const initial = options['initial_value'];

  /** _merge_vars: one term over one set of variables, from `start`. */
  const mergeVars = (term: string, start: unknown, source: Source): unknown => {
    const matches = (name: string): boolean =>
      patternType === 'prefix' ? name.startsWith(term) : patternType === 'suffix' ? name.endsWith(term) : pythonRegExp(term).test(name);
    const names = source.names.filter(matches).sort();
    let kind: 'list' | 'dict' | undefined;
    let result: unknown;
    if (start !== undefined && start !== null) {
      kind = kindOf(start);
      result = start;
    }
    // The builder is made before any variable is read: a bad strategy or transformation fails even when nothing matches.
    const merger = new ObjectMerger({
      list: strategy(listStrategies, listChoice),
      dict: dictChoice === 'deep' ? dictMerge : dictChoice === 'shallow' ? undefined : strategy(dictStrategies, dictChoice),
      shallow: dictChoice === 'shallow',
      typeConflict: strategy(baseStrategies, conflictChoice),
      fallback: strategy(baseStrategies, defaultChoice),
      transformations: transformations(transformSpec),
      override,
    });
    for (const name of names) {
      const value = copy(source.value(name));
      const valueKind = kindOf(value);
      if (kind === undefined) kind = valueKind;
      else if (kind !== valueKind) throw new JinjaRenderError('Unable to merge, not all variables are of the same type');
      if (result === undefined || result === null) {
        result = value;
        continue;
      }
      result = merger.mergeVariable([name], result, value);
    }
    return result ?? null;
  };

  // The variables are listed once per call (the hosts of `groups` too), not once per term; at the
  // first string term, as the plugin reads hostvars only after a term's type check.
  let sources: readonly Source[] | undefined;
  const listed = (): readonly Source[] =>
    (sources ??= groups.length === 0 ? [{ names: scope.variableNames(), value: (name) => scope.variable(name) }] : groupSources(scope, groups));
  return terms.map((term) => {
    if (typeof term !== 'string') throw new JinjaRenderError(`Non-string type '<class '${typeName(term)}'>' passed, only 'str' types are allowed!`);
    let crossHost: unknown = initial === undefined || initial === null ? undefined : copy(initial);
    for (const source of listed()) crossHost = mergeVars(term, crossHost, source);
    return crossHost ?? null;
  });
};
