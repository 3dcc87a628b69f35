// ansible.utils.index_of (plugins/filter/index_of.py and plugin_utils/index_of.py of ansible.utils
// 2.10.3, as Debian's ansible ships it): the indices of a list's items (or of a key of its dicts)
// that pass a Jinja test named by text, `!` or `not ` before the name inverting it; one index
// alone is that index unless wantlist. Arguments are checked as the plugin's DOCUMENTATION
// declares; each failure has the plugin's wording. Only under its ansible.utils name, as Ansible
// 2.14 finds it.
import { JinjaRenderError } from '../errors.js';
import type { Filter, RenderScope, Test } from '../registry.js';
import { findTest } from '../tests.js';
import { isDict, isTuple, pyStr, truthy, typeName } from '../values.js';
import { pluginArguments, type PluginOption } from './plugin-argspec.js';

/** The plugin's DOCUMENTATION options (the lookup's are the same). */
export const indexOfOptions: Readonly<Record<string, PluginOption>> = {
  data: { type: 'list', required: true },
  test: { type: 'str', required: true },
  value: { type: 'raw' },
  key: { type: 'str' },
  fail_on_missing: { type: 'bool' },
  wantlist: { type: 'bool' },
};
/** The names the filter and the lookup zip their positional arguments with. */
export const indexOfPositional = ['data', 'test', 'value', 'key', 'fail_on_missing', 'wantlist'];

function raise(message: string): never {
  throw new JinjaRenderError(`Error when using plugin 'index_of': ${message}`);
}

/** _list_to_and_str: "a, b and c" (one item alone is " and a", as the plugin writes it). */
function andList(items: readonly string[]): string {
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

/** _to_well_known_type's name: the type after a JSON round trip (a tuple is a list). */
function wellKnownType(value: unknown): string {
  return isTuple(value) ? 'list' : typeName(value);
}

/** str.lstrip(chars): every leading character that is one of `chars`. */
function lstripChars(text: string, chars: string): string {
  let start = 0;
  while (start < text.length && chars.includes(text.charAt(start))) start++;
  return text.slice(start);
}

/** _run_test: the named test on one entry, against `right` unless it is None. */
function runTest(entry: unknown, testName: string, right: unknown, scope: RenderScope): boolean {
  // The plugin names the entry's type twice (right_type is the entry's too).
  const context = `Error encountered when testing value '${pyStr(entry)}' (type=${wellKnownType(entry)}) against '${pyStr(right)}' (type=${wellKnownType(entry)}) with '${testName}'. `;
  let name = testName;
  let invert = false;
  if (name.startsWith('!')) {
    invert = true;
    name = lstripChars(name, '!');
    if (name === '=') name = '==';
  } else if (name.startsWith('not ')) {
    invert = true;
    // test.lstrip("not "): the characters n, o, t and space, so 'not none' looks for a test 'e'.
    name = lstripChars(name, 'not ');
  }
  const against = name === 'in' && (!Array.isArray(right) || isTuple(right)) ? [right] : right;
  const test: Test | undefined = findTest(name);
  if (test === undefined) raise(`${context} Error was: the test '${name}' was not found.`);
  let result: boolean;
  try {
    result = truthy(test.fn(entry, { args: against === null ? [] : [against], kwargs: {} }, scope));
  } catch (error) {
    if (!(error instanceof JinjaRenderError)) throw error;
    raise(`${context} Error was: ${error.message}`);
  }
  return invert ? !result : result;
}

/** plugin_utils/index_of.py's index_of over the checked arguments. */
export function indexOf(params: Record<string, unknown>, scope: RenderScope): unknown {
  const data = params['data'];
  // enumerate(None): an explicit None passes the argument spec and fails here.
  if (!Array.isArray(data)) throw new JinjaRenderError(`'${typeName(data)}' object is not iterable`);
  const testName = params['test'];
  if (typeof testName !== 'string') throw new JinjaRenderError("'NoneType' object has no attribute 'startswith'");
  const key = params['key'];
  const found: number[] = [];
  if (typeof key !== 'string') {
    data.forEach((entry, i) => {
      if (runTest(entry, testName, params['value'], scope)) found.push(i);
    });
  } else {
    if (!data.every((entry) => isDict(entry))) {
      raise(`When a key name is provided, all list entries are required to be dictionaries, got ${andList(data.map(wellKnownType))}`);
    }
    const missing: string[] = [];
    (data as Record<string, unknown>[]).forEach((entry, i) => {
      if (Object.hasOwn(entry, key)) {
        if (runTest(entry[key], testName, params['value'], scope)) found.push(i);
      } else if (truthy(params['fail_on_missing'])) {
        missing.push(`'${key}' was not found in '${pyStr(entry)}' at [${i}]`);
      }
    });
    if (missing.length > 0) raise(`${andList(missing)}. fail_on_missing=${pyStr(params['fail_on_missing'])}`);
  }
  return found.length === 1 && !truthy(params['wantlist']) ? found[0] : found;
}

export const indexOfFilters: Readonly<Record<string, Filter>> = {
  'ansible.utils.index_of': { fn: (value, call, scope) => indexOf(pluginArguments(indexOfOptions, indexOfPositional, value, call), scope) },
};
