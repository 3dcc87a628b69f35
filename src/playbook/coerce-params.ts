// Parameters as Ansible's argument_spec takes them, before the module's zod schema judges them:
// where the schema wants a boolean, Ansible's boolean spellings (`yes`, `no`, `on`, `off`, `y`,
// `n`, `1`, `0`, `true`, `false`, any case) are that boolean; where it wants a number, a numeric
// string is that number. Only at those positions: a string parameter keeps its scalar's own
// text, so `value: YES` stays the `YES` rc.conf wants (README "Differences from Ansible").
import { isMapping } from '../expression/values.js';
import { ansibleBoolean } from '../text/ansible-boolean.js';
import { childSchemas, shapesOf } from './zod-def.js';

/** The scalar types a schema accepts at this position, looking through wrappers and unions. */
function accepted(schema: unknown): Set<string> {
  const found = new Set<string>();
  for (const def of shapesOf(schema)) {
    if (def.type === 'literal') for (const value of def['values'] as unknown[]) found.add(typeof value);
    else found.add(def.type === 'enum' ? 'string' : def.type);
  }
  return found;
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
  if (Array.isArray(value)) return value.map((item, index) => coerce(item, schemas.flatMap((schema) => childSchemas(schema, index))));
  if (isMapping(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerce(item, schemas.flatMap((schema) => childSchemas(schema, key)))]));
  }
  return value;
}

/** `params` with Ansible's boolean and number spellings turned into booleans and numbers where `schema` wants them. */
export function coerceParams(schema: unknown, params: unknown): unknown {
  return coerce(params, [schema]);
}
