// The argument types ansible.utils' filter and test plugins declare (AnsibleArgSpecValidator on
// ansible-core's module_utils/common/validation.py check_type_*): what a value becomes before the
// plugin sees it, or the validation failure the plugin raises.
import { JinjaRenderError } from '../errors.js';
import { isFloat, isNumber, isTuple, numberOf, pyRepr, pyStr, typeName, Undefined, type CallArgs } from '../values.js';

function unconvertible(plugin: string, name: string, value: unknown, type: string): never {
  throw new JinjaRenderError(`${plugin}: argument '${name}' is of type ${pyStr(value)} and we were unable to convert to ${type}`);
}

/** type: str — a string as given, anything else as Python's str() writes it; None stays None. */
export function argStr(value: unknown): string | null {
  if (value instanceof Undefined) value.fail();
  if (value === undefined || value === null) return null;
  return pyStr(value);
}

/** type: int — an int (a bool stays one), or text Python's int() reads; None stays None. */
export function argInt(plugin: string, name: string, value: unknown): bigint | null {
  if (value instanceof Undefined) value.fail();
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number' && Number.isInteger(value) && !isFloat(value)) return BigInt(value);
  if (typeof value === 'string') {
    const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(value);
    if (match !== null) return BigInt(`${match[1] ?? ''}${(match[2] ?? '').replaceAll('_', '')}`);
  }
  return unconvertible(plugin, name, value, 'int');
}

/** type: list, elements: str — a list, text split at commas, a number (a bool too) as a one-item list; items as text. */
export function argStrList(plugin: string, name: string, value: unknown): (string | null)[] | null {
  if (value instanceof Undefined) value.fail();
  if (value === undefined || value === null) return null;
  let items: unknown[];
  if (Array.isArray(value) && !isTuple(value)) items = value;
  else if (typeof value === 'string') items = value.split(',');
  else if (isNumber(value) || typeof value === 'bigint') items = [pyStr(value)];
  else return unconvertible(plugin, name, value, 'list');
  return items.map(argStr);
}

/** One option of a plugin's DOCUMENTATION, as AnsibleArgSpecValidator reads it. */
export interface PluginOption {
  readonly type: 'raw' | 'str' | 'list' | 'bool';
  readonly required?: boolean;
}

/** What a plugin's argument spec may ask about in a failure: the class Python names for a value. */
function pyClass(value: unknown): string {
  return `<class '${typeName(value)}'>`;
}

// module_utils/parsing/convert_bool.py: BOOLEANS_TRUE and BOOLEANS_FALSE (a frozenset, whose order
// Python's message follows, differs from run to run: this is one of them).
const booleanTexts: Readonly<Record<string, boolean>> = { y: true, yes: true, on: true, '1': true, true: true, t: true, n: false, no: false, off: false, '0': false, false: false, f: false };
const validBooleans = "'1', 1, 'on', 0, 'yes', 't', 'true', 'n', 'y', 'false', 'f', '0', 'off', 'no'";

/** check_type_* of module_utils/common/validation.py: the converted value, or the TypeError's text. */
function checkType(type: PluginOption['type'], value: unknown): { value: unknown } | { error: string } {
  if (type === 'raw') return { value };
  if (type === 'str') return { value: typeof value === 'string' ? value : pyStr(value) };
  if (type === 'list') {
    if (Array.isArray(value) && !isTuple(value)) return { value };
    if (typeof value === 'string') return { value: value.split(',') };
    // isinstance(value, (int, float)): a bool is an int.
    if (isNumber(value) || typeof value === 'bigint') return { value: [pyStr(value)] };
    return { error: `${pyClass(value)} cannot be converted to a list` };
  }
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'string' || isNumber(value) || typeof value === 'bigint') {
    // boolean(value): text lower-cased and stripped; 1 and 1.0 (and 0, 0.0) are the numbers it knows.
    const key = typeof value === 'string' ? value.toLowerCase().trim() : pyStr(numberOf(value as number));
    const found = booleanTexts[key];
    if (found !== undefined && (typeof value === 'string' || key === '1' || key === '0')) return { value: found };
    return { error: `The value '${pyStr(value)}' is not a valid boolean.  Valid booleans include: ${validBooleans}` };
  }
  return { error: `${pyClass(value)} cannot be converted to a bool` };
}

/**
 * A filter plugin's arguments as ansible.utils collects and checks them: the piped value and the
 * positional arguments zipped with `positional` (extra ones dropped, as zip drops them), keywords
 * over them, then ArgumentSpecValidator's checks in its order — missing required options, each
 * type in the DOCUMENTATION's order, unsupported names last — every failure in one message, the
 * list's repr, as AnsibleFilterError(errors) prints it. A missing or None option is null.
 */
export function pluginArguments(options: Readonly<Record<string, PluginOption>>, positional: readonly string[], value: unknown, call: CallArgs): Record<string, unknown> {
  const given = new Map<string, unknown>();
  // `value` is undefined for a lookup given no terms: nothing to zip.
  [...(value === undefined ? [] : [value]), ...call.args].forEach((arg, i) => {
    const name = positional[i];
    if (name !== undefined) given.set(name, arg);
  });
  for (const [name, arg] of Object.entries(call.kwargs)) given.set(name, arg);
  for (const arg of given.values()) if (arg instanceof Undefined) arg.fail();
  const errors: string[] = [];
  const missing = Object.entries(options).filter(([name, option]) => option.required === true && !given.has(name)).map(([name]) => name);
  if (missing.length > 0) errors.push(`missing required arguments: ${missing.sort().join(', ')}`);
  const params: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(options)) {
    const arg = given.get(name);
    if (arg === undefined || arg === null) {
      params[name] = null;
      continue;
    }
    const checked = checkType(option.type, arg);
    if ('error' in checked) errors.push(`argument '${name}' is of type ${pyClass(arg)} and we were unable to convert to ${option.type}: ${checked.error}`);
    else params[name] = checked.value;
  }
  const unsupported = [...given.keys()].filter((name) => !Object.hasOwn(options, name));
  if (unsupported.length > 0) errors.push(`${unsupported.sort().join(', ')}. Supported parameters include: ${Object.keys(options).sort().join(', ')}.`);
  if (errors.length > 0) throw new JinjaRenderError(pyRepr(errors));
  return params;
}
