// The one table of the names a task may call a module or an action by: Ansible's collection
// prefixes (FQCNs), the aliases of other collections' modules that a beastie module implements,
// and the actions written like modules (ansible.builtin.include_tasks, ansible.builtin.meta…).

/** Collection prefixes accepted before every module and action name (the `collections:` keyword needs no more). */
export const collectionPrefixes: readonly string[] = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.'];

/**
 * Other modules' names that a beastie module implements, with their parameter names (the module
 * accepts them): alias → beastie module. To add one: an entry here, and the alias's parameter
 * names accepted by that module's schema.
 */
export const moduleAliases: Readonly<Record<string, string>> = {
  // (community.general.pkgng is a module of its own: modules/pkgng.ts)
};

/** `community.general.pkgng` → `pkgng`; a name without a known prefix unchanged. */
export function withoutCollection(name: string): string {
  const prefix = collectionPrefixes.find((p) => name.startsWith(p));
  return prefix === undefined ? name : name.slice(prefix.length);
}

/** The beastie module a task key names, through prefixes and aliases; undefined when there is none. */
export function resolveModuleName(key: string, exists: (name: string) => boolean): string | undefined {
  for (const name of [key, withoutCollection(key)]) {
    if (exists(name)) return name;
    const aliased = moduleAliases[name];
    if (aliased !== undefined && exists(aliased)) return aliased;
  }
  return undefined;
}
