// The one table of the names a task may call a module or an action by: Ansible's collection
// prefixes (FQCNs), the aliases of other collections' modules that a beastie module implements,
// and the actions written like modules (ansible.builtin.include_tasks, ansible.builtin.meta…).

/** Collection prefixes accepted before every module and action name (the `collections:` keyword needs no more). */
export const collectionPrefixes: readonly string[] = ['ansible.builtin.', 'ansible.legacy.', 'ansible.posix.', 'community.general.', 'community.crypto.'];

/**
 * Modules of other collections whose own name is taken by a builtin one (vbotka.freebsd.service vs
 * ansible.builtin.service): beastie module → the one FQCN it answers to.
 */
const renamedModules: Readonly<Record<string, string>> = { vbotka_service: 'vbotka.freebsd.service' };

/**
 * Other modules' names that a beastie module implements, with their parameter names (the module
 * accepts them): alias → beastie module. To add one: an entry here, and the alias's parameter
 * names accepted by that module's schema.
 */
export const moduleAliases: Readonly<Record<string, string>> = {
  // (community.general.pkgng is a module of its own: modules/pkgng.ts)
  ...Object.fromEntries(Object.entries(renamedModules).map(([module, fqcn]) => [fqcn, module])),
};

/**
 * The Ansible collection of each beastie module that implements an Ansible module of the same name
 * (`beastie doc` shows its FQCNs). A module not listed is beastie's own (bastille_jail, vm_guest…).
 */
export const ansibleCollections: Readonly<Record<string, 'ansible.builtin' | 'ansible.posix' | 'community.general' | 'community.crypto'>> = {
  ...Object.fromEntries(
    [
      'add_host', 'assemble', 'assert', 'blockinfile', 'command', 'copy', 'cron', 'debug', 'fail', 'fetch', 'file', 'find', 'get_url', 'getent', 'git', 'group', 'hostname',
      'include_vars', 'lineinfile', 'package', 'package_facts', 'pause', 'ping', 'raw', 'reboot', 'replace', 'script', 'service', 'service_facts',
      'set_fact', 'setup', 'shell', 'slurp', 'stat', 'tempfile', 'template', 'unarchive', 'uri', 'user', 'wait_for', 'wait_for_connection',
    ].map((name) => [name, 'ansible.builtin' as const]),
  ),
  ...Object.fromEntries(['authorized_key', 'mount', 'patch', 'sysctl'].map((name) => [name, 'ansible.posix' as const])),
  ...Object.fromEntries(['cronvar', 'ini_file', 'pkgng', 'portinstall', 'shutdown', 'sysrc', 'timezone', 'zfs', 'zfs_facts', 'zpool_facts'].map((name) => [name, 'community.general' as const])),
  ...Object.fromEntries(['openssl_csr', 'openssl_dhparam', 'openssl_privatekey'].map((name) => [name, 'community.crypto' as const])),
};

/** The Ansible names (FQCNs) a module answers to: `ansible.builtin.stat`, `ansible.legacy.stat`; [] for beastie's own. */
export function ansibleNames(module: string): string[] {
  const renamed = renamedModules[module];
  if (renamed !== undefined) return [renamed];
  const collection = ansibleCollections[module];
  if (collection === undefined) return [];
  return collection === 'ansible.builtin' ? [`ansible.builtin.${module}`, `ansible.legacy.${module}`] : [`${collection}.${module}`];
}

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
