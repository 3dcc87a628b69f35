// The argument types ansible.utils' filter and test plugins declare (AnsibleArgSpecValidator on
// ansible-core's module_utils/common/validation.py check_type_*): what a value becomes before the
// plugin sees it, or the validation failure the plugin raises.
import { JinjaRenderError } from '../errors.js';
import { isFloat, isNumber, isTuple, pyStr, Undefined } from '../values.js';

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
