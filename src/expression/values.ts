// Python-like value semantics the expression language follows, so conditions behave as Ansible
// users expect: truthiness of empty things, deep equality, and how a value is shown in errors.

/** A variable or attribute that does not exist; only `is defined` and `default` may touch it. */
export class Undefined {
  constructor(
    /** The dotted path as written: `result.stdout`. */
    readonly name: string,
  ) {}
}

/** Python truthiness: false, none, 0, '' and empty lists and mappings are false. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  return true;
}

/** A plain mapping (what YAML and registered results produce). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Equality as Python compares data: by value for lists and mappings, 1 == 1.0. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
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

/**
 * What Ansible's `omit` variable evaluates to when the playbook does not define `omit` itself: a
 * module parameter whose whole value renders to it is left out (`"{{ mode | default(omit) }}"`).
 */
export const OMIT = '__beastie_omit_parameter__';
