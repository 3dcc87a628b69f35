// Parameters as Ansible's argument_spec takes them, before the module's zod schema judges them:
// where the schema wants a boolean, Ansible's boolean spellings (`yes`, `no`, `on`, `off`, `y`,
// `n`, `1`, `0`, `true`, `false`, any case) are that boolean; where it wants a number, a numeric
// string is that number. Only at those positions: a string parameter keeps its scalar's own
// text, so `value: YES` stays the `YES` rc.conf wants (README "Differences from Ansible").
import { isMapping } from '../expression/values.js';
import { defOf } from './zod-def.js';


const trueWords: ReadonlySet<string> = new Set(['yes', 'on', 'y', 'true', 't', '1']);
const falseWords: ReadonlySet<string> = new Set(['no', 'off', 'n', 'false', 'f', '0']);

/** Ansible's `boolean()` of a string, or undefined when it is not one of its spellings. */
export function ansibleBoolean(value: string): boolean | undefined {
  const word = value.trim().toLowerCase();
  return trueWords.has(word) ? true : falseWords.has(word) ? false : undefined;
}

/** The scalar types a schema accepts at this position, looking through wrappers and unions. */
function accepted(schema: unknown, depth = 0): Set<string> {
  const def = defOf(schema);
  const found = new Set<string>();
  if (def === undefined || depth > 32) return found;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return accepted(def['innerType'], depth + 1);
    case 'pipe':
      return accepted(def['in'], depth + 1);
    case 'lazy':
      return accepted((def['getter'] as () => unknown)(), depth + 1);
    case 'union':
      for (const option of def['options'] as unknown[]) for (const type of accepted(option, depth + 1)) found.add(type);
      return found;
    case 'literal':
      for (const value of def['values'] as unknown[]) found.add(typeof value);
      return found;
    case 'enum':
      found.add('string');
      return found;
    default:
      found.add(def.type);
      return found;
  }
}

/** The schema one level down (an object's key, an array's element), looking through wrappers. */
function child(schema: unknown, key: string | number, depth = 0): unknown[] {
  const def = defOf(schema);
  if (def === undefined || depth > 32) return [];
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return child(def['innerType'], key, depth + 1);
    case 'pipe':
      return child(def['in'], key, depth + 1);
    case 'lazy':
      return child((def['getter'] as () => unknown)(), key, depth + 1);
    case 'union':
      return (def['options'] as unknown[]).flatMap((option) => child(option, key, depth + 1));
    case 'object': {
      const shape = def['shape'] as Record<string, unknown>;
      return typeof key === 'string' && Object.hasOwn(shape, key) ? [shape[key]] : [];
    }
    case 'record':
      return typeof key === 'string' ? [def['valueType']] : [];
    case 'array':
      return typeof key === 'number' ? [def['element']] : [];
    default:
      return [];
  }
}

function coerceScalar(value: string, schemas: readonly unknown[]): unknown {
  const types = new Set(schemas.flatMap((schema) => [...accepted(schema)]));
  if (types.has('string')) return value;
  if (types.has('boolean')) {
    const bool = ansibleBoolean(value);
    if (bool !== undefined) return bool;
  }
  if (types.has('number') && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return value;
}

function coerce(value: unknown, schemas: readonly unknown[]): unknown {
  if (schemas.length === 0) return value;
  if (typeof value === 'string') return coerceScalar(value, schemas);
  if (typeof value === 'number' && (value === 0 || value === 1)) {
    const types = new Set(schemas.flatMap((schema) => [...accepted(schema)]));
    if (types.has('boolean') && !types.has('number')) return value === 1;
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => coerce(item, schemas.flatMap((schema) => child(schema, index))));
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerce(item, schemas.flatMap((schema) => child(schema, key)))]));
  }
  return value;
}

/** `params` with Ansible's boolean and number spellings turned into booleans and numbers where `schema` wants them. */
export function coerceParams(schema: unknown, params: unknown): unknown {
  return coerce(params, [schema]);
}
