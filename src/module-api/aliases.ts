// Parameter aliases as Ansible's argument_spec declares them (`path` with aliases `dest`,
// `destfile`, `name`): declared once beside the schema; the schema accepts every name, hands the
// module only the canonical one, and `beastie doc` shows them (the `aliases` / `aliasOf` metadata).
import { z } from 'zod';

/** Metadata key on a canonical parameter: its aliases. Read by `beastie doc`. */
export const ALIASES_META = 'aliases';
/** Metadata key on a canonical parameter that is required under one of its names. Read by `beastie doc`. */
export const REQUIRED_META = 'requiredUnderAnyName';
/** Metadata key on an alias parameter: the canonical name. Read by `beastie doc`, which hides it. */
export const ALIAS_OF_META = 'aliasOf';

type Shape = Readonly<Record<string, z.ZodType>>;

/** For each canonical parameter, the other names Ansible accepts for it. */
export type AliasTable<S extends Shape> = { readonly [K in keyof S]?: readonly string[] };

/** The parameters as the module receives them: the canonical names only, defaults applied. */
export type AliasedOutput<S extends Shape> = z.output<z.ZodObject<S, z.core.$strict>>;

/** A schema type name for the "missing required parameter" issue (only shown when the value is missing). */
function expectedType(schema: z.ZodType): z.core.$ZodInvalidTypeExpected {
  const type = schema._zod.def.type;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'array' || type === 'object' ? type : 'string';
}

/**
 * A strict object schema over `shape` where each parameter of `aliases` may also be given under
 * its aliases. As in Ansible, an alias fills the canonical parameter; giving two names of one
 * parameter with different values is refused (Ansible warns and keeps one silently). A required
 * canonical parameter may come from any of its names; its default applies when none is given.
 */
export function withAliases<const S extends Shape>(shape: S, aliases: AliasTable<S>): z.ZodType<AliasedOutput<S>, unknown> {
  const input: Record<string, z.ZodType> = {};
  const groups: { name: string; names: readonly string[]; required: boolean; hasDefault: boolean; defaultValue: unknown; expected: z.core.$ZodInvalidTypeExpected }[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const names = aliases[name] ?? [];
    if (names.length === 0) {
      input[name] = schema;
      continue;
    }
    const def = schema._zod.def;
    // A default is applied after the names are merged, so an alias is never shadowed by it.
    const inner = def.type === 'default' ? ((def as z.core.$ZodDefaultDef).innerType as z.ZodType) : schema;
    const hasDefault = def.type === 'default';
    const defaultValue: unknown = hasDefault ? (def as z.core.$ZodDefaultDef).defaultValue : undefined;
    const required = !hasDefault && schema._zod.optin !== 'optional';
    const description = schema.description ?? inner.description;
    input[name] = inner.optional().meta({
      ...(description === undefined ? {} : { description }),
      [ALIASES_META]: [...names],
      ...(required ? { [REQUIRED_META]: true } : {}),
      ...(hasDefault ? { default: defaultValue } : {}),
    });
    for (const alias of names) input[alias] = inner.optional().meta({ description: `Alias of ${name}.`, [ALIAS_OF_META]: name });
    groups.push({ name, names, required, hasDefault, defaultValue, expected: expectedType(inner) });
  }
  return z.strictObject(input).transform((value, context) => {
    const out: Record<string, unknown> = { ...value };
    for (const group of groups) {
      const given = [group.name, ...group.names].filter((key) => value[key] !== undefined);
      for (const alias of group.names) delete out[alias];
      const [first, ...others] = given;
      const conflicting = others.find((key) => JSON.stringify(value[key]) !== JSON.stringify(value[first ?? '']));
      if (first !== undefined && conflicting !== undefined) {
        context.issues.push({
          code: 'custom',
          path: [conflicting],
          input: value[conflicting],
          message: `${first} and ${conflicting} are names of one parameter (${[group.name, ...group.names].join(', ')}) given different values: give one of them`,
        });
      }
      const chosen = first === undefined ? undefined : value[first];
      if (chosen !== undefined) out[group.name] = chosen;
      else if (group.hasDefault) out[group.name] = structuredClone(group.defaultValue);
      else if (group.required) context.issues.push({ code: 'invalid_type', expected: group.expected, input: undefined, path: [group.name] });
    }
    return out as AliasedOutput<S>;
  });
}
