// Reading a zod schema's own definition: the load-time checks (validate-params, coerce-params)
// look at what a parameter's schema accepts without running it, through zod's wrappers.

/** A zod schema's definition: its `type` and the fields of that type. */
export type Def = { readonly type: string } & Readonly<Record<string, unknown>>;

/** The definition of a zod schema, or undefined for anything that is not one. */
export function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** How deep the readers below follow wrappers and unions before giving up (a recursive lazy schema). */
const MAX_DEPTH = 32;

/** The schema a wrapper stands for (optional, default, … → the inner one; pipe → its input; lazy → its target), or undefined when `def` wraps nothing. */
function innerOf(def: Def): unknown {
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return def['innerType'];
    case 'pipe':
      return def['in'];
    case 'lazy':
      return (def['getter'] as () => unknown)();
    default:
      return undefined;
  }
}

/** The definitions a schema stands for once wrappers are looked through and unions spread: what a value at its place may be. */
export function shapesOf(schema: unknown, depth = 0): Def[] {
  const def = defOf(schema);
  if (def === undefined || depth > MAX_DEPTH) return [];
  const inner = innerOf(def);
  if (inner !== undefined) return shapesOf(inner, depth + 1);
  if (def.type === 'union') return (def['options'] as unknown[]).flatMap((option) => shapesOf(option, depth + 1));
  return [def];
}

/** The schemas one level down — an object's key, a record's value, an array's element — in every shape the schema may take. */
export function childSchemas(schema: unknown, key: string | number): unknown[] {
  return shapesOf(schema).flatMap((def) => {
    switch (def.type) {
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
  });
}
