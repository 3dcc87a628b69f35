// What loading one play's tasks works with: the play's environment (modules, problems, static
// vars), the file being read, and the part of the task loader that task files call back into.
// Kept apart from load-task.ts, which calls task-files.ts and task-params.ts, so that they need
// not import it back.
import type { Node } from 'yaml';
import type { ModuleDefinition } from '../module-api/module.js';
import type { SourceRef } from '../source.js';
import type { Problems } from '../yaml/problems.js';
import type { Entry } from '../yaml/yaml-source.js';
import type { Fields } from './fields.js';
import type { Handler, Looping, PlayTask, TaskCommon } from './types.js';
import type { Place } from './keywords.js';

/** How the loader finds modules: the registry by default, small test modules in tests. */
export interface ModuleLookup {
  readonly find: (name: string) => ModuleDefinition | undefined;
  readonly names: () => readonly string[];
}

/** A notify target as written, checked against the play's handlers once they are all known. */
export interface Notification {
  readonly name: string;
  readonly source: SourceRef;
}

/** What task loading needs from the play being loaded. */
export interface TaskEnvironment {
  readonly problems: Problems;
  readonly modules: ModuleLookup;
  /** Variables known before the run (extra vars, play vars): for templated import_tasks names. */
  readonly staticVars: Readonly<Record<string, unknown>>;
  /** The playbook's directory, the fallback for relative include/import paths. */
  readonly playbookDir: string;
  /** Filled with every notify seen, for the play to check. */
  readonly notified: Notification[];
  /** Where include_role/import_role find roles, and what they give the play. */
  readonly roles: RoleContext;
}

/** A role as the play uses it. */
export interface LoadedRole {
  readonly name: string;
  readonly dir: string;
  /** The role's tasks, in a block carrying the role entry's when/tags/vars when it has any. */
  readonly tasks: readonly PlayTask[];
  readonly handlers: readonly Handler[];
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  /** The role's own dirs for template/copy/lookup sources. */
  readonly searchDirs: readonly string[];
}

/** Where roles are looked for, and which roles a play has loaded (for Ansible's duplicate rule). */
export interface RoleSearch {
  readonly playbookDir: string;
  /** roles_path (ansible.cfg, ANSIBLE_ROLES_PATH): searched after roles/ beside the playbook. */
  readonly rolesPath: readonly string[];
  /**
   * collections_path (ansible.cfg, ANSIBLE_COLLECTIONS_PATH, else Ansible's default): a role
   * `NS.COLL.ROLE` is looked for in collections/ beside the playbook, then in these.
   */
  readonly collectionsPath?: readonly string[] | undefined;
  /** The play's `collections:` (NS.COLL each): a role named without FQCN is looked for in them first. */
  readonly collections?: readonly string[];
  /** The roles loaded in this play (dir, parameters and *_from files), for Ansible's duplicate rule. */
  readonly loaded: Set<string>;
}

/** What roles used as tasks (include_role, import_role) give the play they are in. */
export interface RoleContext {
  readonly search: RoleSearch;
  /** Handlers of the roles imported or included: they join the play's handlers, as in Ansible. */
  readonly handlers: Handler[];
  /** Roles whose defaults and vars the whole play sees from its start (import_role). */
  readonly exposed: LoadedRole[];
}

/** The file being read and the include chain that led to it. */
export interface FileScope {
  readonly fields: Fields;
  /** Relative include/import paths are looked up here first. */
  readonly baseDir: string;
  /** Files of the include/import chain, for cycle detection. */
  readonly stack: readonly string[];
  /** In a role's file: the role's dirs searched after baseDir for relative names (src/playbook/task-file-search.ts). */
  readonly roleDirs?: readonly string[] | undefined;
  /** The file's tasks are handlers: a file that import_tasks brings into a handlers list, as in Ansible. */
  readonly handlers?: boolean | undefined;
  /**
   * In a role's file: the role, whose role_name and role_path names rendered at load may use, and
   * its collection list (its own collection, then its meta/main.yml `collections:`), which its
   * tasks resolve short role and module names through instead of the play's.
   */
  readonly role?: { readonly name: string; readonly dir: string; readonly collections?: readonly string[] } | undefined;
}

/** What a task file read for an include or import keeps of the file that names it. */
export type ParentScope = Pick<FileScope, 'stack' | 'roleDirs' | 'handlers' | 'role'>;

/** What reading a task file needs from the loader (load-task.ts's TaskLoader). */
export interface TaskReader {
  readonly env: TaskEnvironment;
  /** A list of task nodes; imports expand in place. */
  tasks(nodes: readonly (Node | null)[], scope: FileScope): PlayTask[];
  /** The loop keywords of a task (loop, with_<lookup>, loop_control). */
  looping(byKey: ReadonlyMap<string, Entry>, fields: Fields): Looping;
  /** The same reader recording its problems and notifications in `problems` and `notified` (a trial read). */
  withProblems(problems: Problems, notified: Notification[]): TaskReader;
  /** Read a task file (include/import target, role tasks/main.yml) as a list of tasks. */
  taskFile(file: string, from: SourceRef, parent?: ParentScope): PlayTask[] | undefined;
  /** A list of handler nodes. */
  handlers(nodes: readonly (Node | null)[], scope: FileScope): Handler[];
  /** The keywords every kind of node carries at `place`, read from the table. */
  common(byKey: ReadonlyMap<string, Entry>, source: SourceRef, fields: Fields, place: Place): TaskCommon;
  /** The keywords a block may carry (what `apply:` takes). */
  blockKeywords(): readonly string[];
  /**
   * Read what `read` reads under a node that has `module_defaults` when `present`: a parameter
   * missing from those tasks may come from the defaults, so it is checked when the task runs.
   */
  underModuleDefaults<T>(present: boolean, read: () => T): T;
}
