// ansible.utils keep_keys / remove_keys / replace_keys (plugin_utils/*.py of ansible.utils 2.10, the
// version Debian's ansible ships and the differential tests run): the keys of a nested dict (or a
// list of them) kept, removed or renamed where they equal, start or end with a target, or where a
// Python regex matches at their start (re.match). Arguments are checked as their DOCUMENTATION
// argspec declares (target a required list; matching_parameter one of starts_with, ends_with,
// regex). Ansible edits the variable in place for remove and replace; beastie edits a copy, so a
// variable is never changed by reading it (a documented difference).
import { JinjaRenderError } from '../errors.js';
import { pythonRegExp } from '../python-regex.js';
import type { Filter } from '../registry.js';
import { dictFrom, isDict, isTuple, pyStr, truthy, Undefined, type CallArgs } from '../values.js';

type Operation = 'keep' | 'remove' | 'replace';
type Matching = 'equality' | 'starts_with' | 'ends_with' | 'regex';

const failureText: Readonly<Record<Operation, string>> = {
  keep: 'Input is not valid for keep operation',
  remove: 'Input is not valid for attribute removal',
  replace: 'Input is not valid for replace operation',
};

function keyMatches(key: string, target: string, matching: Matching): boolean {
  if (matching === 'regex') {
    // re.match: the pattern anchored at the key's start; the leftmost match starts there if any does.
    return pythonRegExp(target).exec(key)?.index === 0;
  }
  if (matching === 'starts_with') return key.startsWith(target);
  if (matching === 'ends_with') return key.endsWith(target);
  return key === target;
}

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value) && !isTuple(value);
}

/** keep_keys_from_dict_n_list: scalars under a matching key kept; containers kept where something in them is. */
function keep(data: unknown, targets: readonly string[], matching: Matching): unknown {
  if (isList(data)) return data.map((item) => keep(item, targets, matching));
  if (!isDict(data)) return data;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    for (const target of targets) {
      if (!isList(value) && !isDict(value)) {
        if (keyMatches(key, target, matching)) kept[key] = value;
        continue;
      }
      let inner = keep(value, targets, matching);
      if (isList(inner)) {
        inner = inner.filter((item) => !isEmptyContainer(item));
        // A list left with only text (or nothing) is dropped: the plugin's `all(isinstance(s, str))`.
        if ((inner as unknown[]).every((item) => typeof item === 'string')) continue;
      }
      if (isEmptyContainer(inner)) continue;
      kept[key] = inner;
    }
  }
  return kept;
}

function isEmptyContainer(value: unknown): boolean {
  return (isList(value) && value.length === 0) || (isDict(value) && Object.keys(value).length === 0);
}

/** remove_keys_from_dict_n_list: matching keys removed at every depth. */
function remove(data: unknown, targets: readonly string[], matching: Matching): unknown {
  if (isList(data)) return data.map((item) => remove(item, targets, matching));
  if (!isDict(data)) return data;
  return dictFrom(Object.entries(data).filter(([key]) => !targets.some((target) => keyMatches(key, target, matching))).map(([key, value]) => [key, remove(value, targets, matching)] as const));
}

/** clear_empty_data, run after the removal: the falsy items of every list dropped (`if i:`). */
function clearEmpty(data: unknown): unknown {
  if (isDict(data)) return dictFrom(Object.entries(data).map(([key, value]) => [key, clearEmpty(value)] as const));
  if (isList(data)) return data.filter((item) => truthy(item)).map(clearEmpty);
  return data;
}

/** replace_keys_from_dict_n_list: a renamed key moves to the end of its dict (`data[after] = data.pop(k)`). */
function replace(data: unknown, targets: readonly { before: string | null; after: string | null }[], matching: Matching): unknown {
  if (isList(data)) return data.map((item) => replace(item, targets, matching));
  if (!isDict(data)) return data;
  const entries = new Map(Object.entries(data));
  for (const { before, after } of targets) {
    for (const key of [...entries.keys()]) {
      if (before === null || !keyMatches(key, before, matching)) continue;
      const value = entries.get(key);
      entries.delete(key);
      entries.set(after ?? 'None', value);
    }
  }
  return dictFrom([...entries].map(([key, value]) => [key, replace(value, targets, matching)] as const));
}

/** The plugin's argspec: positional (target, matching_parameter) or keywords, target required. */
function argumentsOf(operation: Operation, call: CallArgs): { target: unknown; matching: Matching } {
  const names = ['target', 'matching_parameter'];
  const given: Record<string, unknown> = {};
  call.args.forEach((arg, i) => {
    const name = names[i];
    if (name === undefined) throw new JinjaRenderError(`_${operation}_keys() takes at most 3 positional arguments`);
    given[name] = arg;
  });
  for (const [name, value] of Object.entries(call.kwargs)) {
    if (!names.includes(name)) throw new JinjaRenderError(`Unsupported parameters for '${operation}_keys' filter: ${name}`);
    given[name] = value;
  }
  for (const value of Object.values(given)) if (value instanceof Undefined) value.fail();
  if (given['target'] === undefined) throw new JinjaRenderError('missing required arguments: target');
  const matching = given['matching_parameter'];
  if (matching !== undefined && matching !== null && !['starts_with', 'ends_with', 'regex'].includes(pyStr(matching))) {
    throw new JinjaRenderError(`value of matching_parameter must be one of: starts_with, ends_with, regex, got: ${pyStr(matching)}`);
  }
  return { target: given['target'], matching: matching === undefined || matching === null ? 'equality' : (pyStr(matching) as Matching) };
}

/** type: list — a list as given, text split at commas, anything else one item. */
function listArgument(value: unknown): unknown[] {
  if (isList(value)) return value;
  if (typeof value === 'string') return value.split(',');
  return [value];
}

function checkInput(operation: Operation, data: unknown): void {
  if (data instanceof Undefined) data.fail();
  if (!isList(data) && !isDict(data)) throw new JinjaRenderError(`Error when using plugin '${operation}_keys': ${failureText[operation]}`);
}

const keepKeys: Filter = {
  fn: (data, call) => {
    const { target, matching } = argumentsOf('keep', call);
    checkInput('keep', data);
    return keep(data, listArgument(target).map((item) => pyStr(item)), matching);
  },
};

const removeKeys: Filter = {
  fn: (data, call) => {
    const { target, matching } = argumentsOf('remove', call);
    checkInput('remove', data);
    return clearEmpty(remove(data, listArgument(target).map((item) => pyStr(item)), matching));
  },
};

const replaceKeys: Filter = {
  fn: (data, call) => {
    const { target, matching } = argumentsOf('replace', call);
    checkInput('replace', data);
    const pairs = listArgument(target).map((item) => {
      if (!isDict(item)) throw new JinjaRenderError(`Elements value for option 'target' is of type ${typeof item === 'string' ? 'str' : 'list'} and we were unable to convert to dict`);
      const text = (value: unknown): string | null => (value === undefined || value === null ? null : pyStr(value));
      return { before: text(item['before']), after: text(item['after']) };
    });
    return replace(data, pairs, matching);
  },
};

/** Under their ansible.utils names only, as Ansible 2.14 finds them. */
export const dictKeyFilters: Readonly<Record<string, Filter>> = {
  'ansible.utils.keep_keys': keepKeys,
  'ansible.utils.remove_keys': removeKeys,
  'ansible.utils.replace_keys': replaceKeys,
};
