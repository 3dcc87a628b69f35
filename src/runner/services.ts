// What the runner needs from the other parts of beastie, as narrow interfaces: templates,
// expressions, task files for include_tasks, parameter validation, and the inventory. The CLI
// wires the real implementations (src/cli/services.ts); tests use the same ones.
import type { BecomeSettings } from '../inventory/connection.js';
import type { ModuleDefinition } from '../module-api/module.js';
import type { Handler, IncludedRole, PlayTask } from '../playbook/types.js';
import type { SourceRef } from '../source.js';
import type { ConnectionSettings } from '../transport/transport.js';
import type { VaultKeyring } from '../vault/vault-keyring.js';

/** Variables visible to a task. */
export type Vars = Readonly<Record<string, unknown>>;

/** Handlebars templates (src/template/render.ts). */
export interface Templates {
  /**
   * Render every template inside `value` (strings, lists, mappings) against `vars`. A string that
   * is a single `{{ var }}` keeps the variable's own type. An undefined variable throws an
   * InvalidInputError naming it and `source`.
   */
  render(value: unknown, vars: Vars, source: SourceRef): unknown;
  /** Whether `text` holds a template at all (plain strings are used as they are). */
  isTemplate(text: string): boolean;
}

/** The safe expression language of when/until/changed_when/failed_when (src/expression/evaluate.ts). */
export interface Expressions {
  /** `keyword` names the field in errors: when, until, changed_when, failed_when. Warnings are advice for the author. */
  evaluate(expression: string, vars: Vars, source: SourceRef, keyword: string): { readonly value: unknown; readonly warnings: readonly string[] };
}

/** Where a file or role loaded at run time is looked for, and the secrets it is read with. */
export interface RunTimeLoad {
  readonly baseDir: string;
  readonly roleDirs?: readonly string[] | undefined;
  readonly playbookDir: string;
  readonly extraVars: Vars;
  /** roles_path, searched after roles/ beside the playbook. */
  readonly rolesPath?: readonly string[] | undefined;
  /** collections_path: collections whose roles `NS.COLL.ROLE` names. */
  readonly collectionsPath?: readonly string[] | undefined;
  readonly vault?: VaultKeyring | undefined;
}

/** Tasks loaded while the play runs, and the handlers of the roles they brought, which join the play's. */
export interface RunTimeTasks {
  readonly tasks: readonly PlayTask[];
  readonly handlers: readonly Handler[];
}

/** Loads a task file for include_tasks, or a role for include_role, at run time (src/playbook/load.ts). */
export interface TaskFiles {
  /**
   * `file` as rendered; a relative name is looked up beside the including file (`baseDir`), in
   * its role (`roleDirs`), then in the playbook's directory (src/playbook/task-file-search.ts).
   * Errors are InvalidInputErrors pointing at `source` or into the file. `vault` (the run's
   * secrets) decrypts the file and its `!vault` values as the load does. The handlers are those
   * of the roles the file's include_role/import_role tasks load: they join the play's.
   */
  load(file: string, where: RunTimeLoad, source: SourceRef): Promise<RunTimeTasks>;
  /**
   * include_role whose name was a template, rendered per host: the role's tasks (dependencies
   * first) and its handlers, which join the play's (Ansible's IncludeRole.get_block_list).
   * InvalidInputErrors point at `source` (a missing role: every place looked at) or into the role.
   */
  loadRole(name: string, role: IncludedRole, where: RunTimeLoad, source: SourceRef): Promise<RunTimeTasks>;
}

/** Validates rendered parameters against a module's schema (src/playbook/validate-params.ts). */
export interface ParamValidation {
  validate(module: ModuleDefinition, params: unknown, source: SourceRef): unknown;
}

/** The loaded inventory, as the runner asks it (src/inventory/). */
export interface InventoryView {
  /** Hosts matching the pattern, narrowed by the --limit patterns (@FILE already read), in inventory order. */
  selectHosts(pattern: string, limit: readonly string[] | undefined): readonly string[];
  /** Every host of the inventory, in inventory order (hostvars' keys). */
  hostNames(): readonly string[];
  /** Whether `hostvars[name]` exists: an inventory host, or the implicit localhost. */
  hasHost(name: string): boolean;
  /** The host's inventory variables, group and host layers merged by Ansible's precedence. */
  hostVars(host: string): Vars;
  /** Groups the host belongs to (without `all`), sorted, as Ansible's group_names. */
  groupNames(host: string): readonly string[];
  /** Every group with its hosts, as Ansible's `groups` variable. */
  groups(): Readonly<Record<string, readonly string[]>>;
  /** Where the host is declared (for errors about its variables). */
  sourceOf(host: string): SourceRef;
  /** How many times add_host changed the inventory: a play resolves its hosts again when this moved. */
  generation(): number;
  /** add_host: add the host or change it (groups, variables); whether anything changed. */
  addHost(request: { readonly name: string; readonly groups: readonly string[]; readonly vars: Vars }): boolean;
  /** Connection settings from the host's variables (ansible_host, ansible_port, …). */
  connection(host: string, vars: Vars): ConnectionSettings;
  /** Become settings from the host's variables (ansible_become, ansible_become_method, …). */
  become(host: string, vars: Vars): BecomeSettings;
}

/** Everything the runner calls outside itself. */
export interface RunnerServices {
  readonly templates: Templates;
  /** Templates whose file lookups search these directories first (a play's role dirs). */
  templatesFor(searchDirs: readonly string[]): Templates;
  readonly expressions: Expressions;
  readonly taskFiles: TaskFiles;
  readonly params: ParamValidation;
  readonly findModule: (name: string) => ModuleDefinition | undefined;
}
