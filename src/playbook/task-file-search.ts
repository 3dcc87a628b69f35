// Where a task file an include or import names is found: beside the including file, in the
// role the including file belongs to, then in the playbook's directory (used when the playbook
// loads and by the runner for include_tasks names rendered per host); and the variables a name
// rendered at load may use.
import path from 'node:path';

/**
 * The dirs of role `roleDir` where a relative include/import name in its `part` (tasks or
 * handlers) is looked for after the including file's dir, as Ansible's path_dwim_relative:
 * the part's dir, the role's tasks/ (so a handler may include a task file), the role's dir.
 */
export function roleSearchDirs(roleDir: string, part: 'tasks' | 'handlers'): string[] {
  return [...new Set([path.join(roleDir, part), path.join(roleDir, 'tasks'), roleDir])];
}

/** Where a task file named `name` is looked for, in order: beside the including file, in its role, in the playbook's dir. */
export function taskFileCandidates(name: string, where: { readonly baseDir: string; readonly roleDirs?: readonly string[] | undefined; readonly playbookDir: string }): string[] {
  if (path.isAbsolute(name)) return [name];
  return [...new Set([where.baseDir, ...(where.roleDirs ?? []), where.playbookDir].map((dir) => path.join(dir, name)))];
}

/**
 * The variables a name rendered when the playbook loads (import_tasks, include_role) may use:
 * extra vars and play vars, and in a role's file its role_name and role_path.
 */
export function loadTimeVars(staticVars: Readonly<Record<string, unknown>>, scope: { readonly role?: { readonly name: string; readonly dir: string } | undefined }): Readonly<Record<string, unknown>> {
  return scope.role === undefined ? staticVars : { ...staticVars, role_name: scope.role.name, role_path: scope.role.dir };
}
