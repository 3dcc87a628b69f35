// Reading a zod schema's own definition: the load-time checks (validate-params, coerce-params)
// look at what a parameter's schema accepts without running it, through zod's wrappers.

/** A zod schema's definition: its `type` and the fields of that type. */
export type Def = { readonly type: string } & Readonly<Record<string, unknown>>;

/** The definition of a zod schema, or undefined for anything that is not one. */
export function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}
