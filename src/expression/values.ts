// Value helpers the playbook loader and modules share with the Jinja engine: Python truthiness
// and equality (the engine's own), what counts as a mapping, how a value is shown in errors, and
// the marker `omit` renders to.
import { pyEquals, truthy as pythonTruthy } from '../jinja/values.js';

/** Python truthiness: false, none, 0, '' and empty lists and mappings are false. */
export function truthy(value: unknown): boolean {
  return value !== undefined && pythonTruthy(value);
}

/** A plain mapping (what YAML and registered results produce). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Equality as Python compares data: by value for lists and mappings, 1 == 1.0. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return pyEquals(a, b);
}

/** The kind of a value, in the words Ansible users know. */
export function typeName(value: unknown): string {
  if (value === null) return 'none';
  if (Array.isArray(value)) return 'list';
  if (isMapping(value)) return 'mapping';
  return typeof value;
}

/** A value as it appears in an error: `string '5'`, `number 3`, `list [1,2]`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `string '${value}'`;
  if (value === null) return 'none';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeName(value)} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

/** What `omit` renders to (defined by the engine). */
export { OMIT } from '../jinja/values.js';
