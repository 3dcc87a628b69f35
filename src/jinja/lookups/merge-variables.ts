// lookup('community.general.merge_variables', PATTERN, …) (plugins/lookup/merge_variables.py of
// community.general 6.x): the variables in scope whose names match each term (a Python regex found
// anywhere in the name, or a prefix or suffix by pattern_type), sorted by name, merged into one
// list or dict — dicts recursively, lists under the same key appended — starting from
// initial_value. A key set twice to different values fails unless override is warn or ignore.
// The plugin merges into the first variable's own value; beastie merges into a copy.
import { JinjaRenderError } from '../errors.js';
import { pythonRegExp } from '../python-regex.js';
import { dictFrom, isDict, isTuple, pyEquals, pyStr, typeName } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';

type Merged = unknown[] | Record<string, unknown>;

function choice(name: string, value: unknown, choices: readonly string[], fallback: string): string {
  if (value === undefined || value === null) return fallback;
  const text = pyStr(value);
  if (!choices.includes(text)) throw new JinjaRenderError(`Invalid value "${text}" for configuration option "plugin_type: lookup plugin: community.general.merge_variables setting: ${name} ", valid values are: ${choices.join(', ')}`);
  return text;
}

/** _verify_and_get_type: only lists and dicts merge. */
function kindOf(value: unknown): 'list' | 'dict' {
  if (Array.isArray(value) && !isTuple(value)) return 'list';
  if (isDict(value)) return 'dict';
  throw new JinjaRenderError('Not supported type detected, variable must be a list or a dict');
}

/** A copy of a list or dict down to its leaves, so merging never edits a variable. */
function copy<T>(value: T): T {
  if (Array.isArray(value) && !isTuple(value)) return value.map(copy) as T;
  if (isDict(value)) return dictFrom(Object.entries(value).map(([key, item]) => [key, copy(item)] as const)) as T;
  return value;
}

/** _merge_dict: `src` into `dest`, in place; `path` names the variable and keys for the override message. */
function mergeDict(src: Record<string, unknown>, dest: Record<string, unknown>, path: readonly string[], override: string): void {
  for (const [key, value] of Object.entries(src)) {
    if (isDict(value)) {
      if (!Object.hasOwn(dest, key)) dest[key] = dictFrom([]);
      const node = dest[key];
      if (!isDict(node)) throw new JinjaRenderError(`Unable to merge '${[...path, key].join('.')}': a ${typeName(node)} and a dict`);
      mergeDict(value, node, [...path, key], override);
    } else if (Array.isArray(value) && !isTuple(value) && Object.hasOwn(dest, key)) {
      const existing = dest[key];
      if (!Array.isArray(existing)) throw new JinjaRenderError(`Unable to merge '${[...path, key].join('.')}': a ${typeName(existing)} and a list`);
      existing.push(...copy(value));
    } else {
      if (Object.hasOwn(dest, key) && !pyEquals(dest[key], value) && override === 'error') {
        throw new JinjaRenderError(`The key '${key}' with value '${pyStr(dest[key])}' will be overwritten with value '${pyStr(value)}' from '${[...path, key].join('.')}'`);
      }
      dest[key] = copy(value);
    }
  }
}

export const mergeVariablesLookup: Lookup = (terms, options, scope) => {
  checkOptions('community.general.merge_variables', options, ['pattern_type', 'initial_value', 'override']);
  const patternType = choice('pattern_type', options['pattern_type'], ['prefix', 'suffix', 'regex'], 'regex');
  const override = choice('override', options['override'], ['error', 'warn', 'ignore'], 'error');
  const initial = options['initial_value'];
  return terms.map((term) => {
    if (typeof term !== 'string') throw new JinjaRenderError(`Non-string type '<class '${typeName(term)}'>' passed, only 'str' types are allowed!`);
    const matches = (name: string): boolean =>
      patternType === 'prefix' ? name.startsWith(term) : patternType === 'suffix' ? name.endsWith(term) : pythonRegExp(term).test(name);
    const names = scope.variableNames().filter(matches).sort();
    let kind: 'list' | 'dict' | undefined;
    let result: Merged | undefined;
    if (initial !== undefined && initial !== null) {
      kind = kindOf(initial);
      result = copy(initial as Merged);
    }
    for (const name of names) {
      const value = scope.variable(name);
      const valueKind = kindOf(value);
      if (kind === undefined) kind = valueKind;
      else if (kind !== valueKind) throw new JinjaRenderError('Unable to merge, not all variables are of the same type');
      if (result === undefined) result = copy(value as Merged);
      else if (Array.isArray(result)) result.push(...copy(value as unknown[]));
      else mergeDict(value as Record<string, unknown>, result, [name], override);
    }
    return result ?? null;
  });
};
