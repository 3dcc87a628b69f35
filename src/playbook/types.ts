// The parsed, validated playbook: what the loader produces and the runner executes.
// Every node keeps the SourceRef of the YAML it came from, so runtime errors point at it too.
import type { SourceRef } from '../source.js';
import type { LoadWarning } from '../yaml/problems.js';
import type { InheritedValues, metaActions } from './keywords.js';
import type { VarsPrompt } from './vars-prompt.js';

/** A value as written in YAML; strings may hold `{{ templates }}` rendered per host at run time. */
export type RawValue = unknown;

export interface LoopControl {
  /** Variable name for the current item; default `item`. */
  readonly loopVar: string;
  readonly indexVar?: string | undefined;
  readonly label?: string | undefined;
  /** Seconds to wait between items. */
  readonly pauseSeconds?: number | undefined;
  /** `loop_var: "{{ name }}"`: rendered per host at run time into `loopVar`. */
  readonly loopVarTemplate?: string;
}

/** Number keywords of a module task written as templates, rendered per host at run time (Ansible templates them). */
export type TemplatedNumbers = Readonly<Partial<Record<'retries' | 'delaySeconds' | 'timeoutSeconds' | 'throttle' | 'asyncSeconds' | 'pollSeconds', string>>>;

/**
 * Fields every task, block, include, meta task and handler carries: its name and source, and one
 * field per keyword of the table in keywords.ts (`when`, `tags`, `become`, …), whose types come
 * from there. An inherited keyword that was not written is undefined (or its initial value).
 */
export interface TaskCommon extends InheritedValues {
  readonly name: string | undefined;
  readonly source: SourceRef;
  /**
   * Where each keyword's value is written (`when` → its expression or list), so a runtime error in
   * a condition or template points at that line rather than the task's first. Optional: tasks
   * built in code may leave it out; fall back to `source`.
   */
  readonly keywordSources?: Readonly<Record<string, SourceRef>>;
}

/** A loop over items: `loop:` or `with_<lookup>:`, with its loop_control. */
export interface Looping {
  /**
   * A list, or a template string that renders to a list; with `loopWith`, the terms of that
   * lookup as written (`with_items: "{{ pkgs }}"` → loopWith 'items', loop '{{ pkgs }}').
   */
  readonly loop: RawValue | undefined;
  /** The lookup of a `with_<lookup>:` loop, as Ansible's loop_with; undefined for `loop:`. */
  readonly loopWith?: string;
  readonly loopControl: LoopControl;
}

/** A module call. */
export interface ModuleTask extends TaskCommon, Looping {
  readonly kind: 'task';
  readonly module: string;
  /** Parameters as written (templates unrendered); validated against the schema where not templated. */
  readonly params: Readonly<Record<string, RawValue>>;
  readonly paramsSource: SourceRef;
  /** Where each top-level parameter's value is written; optional, fall back to `paramsSource`. */
  readonly paramSources?: Readonly<Record<string, SourceRef>>;
  readonly register: string | undefined;
  readonly changedWhen: readonly string[] | undefined;
  readonly failedWhen: readonly string[] | undefined;
  readonly until: string | undefined;
  readonly retries: number;
  readonly delaySeconds: number;
  readonly timeoutSeconds: number | undefined;
  readonly throttle: number | undefined;
  /** Run detached on the host for up to this many seconds, polling every `poll` seconds. */
  readonly asyncSeconds: number | undefined;
  readonly pollSeconds: number;
  /** The number keywords above that are written as templates; their fields hold the defaults until rendered. */
  readonly templated?: TemplatedNumbers;
}

/**
 * The defaults and vars a role gives only its own tasks: a role brought in by `include_role`
 * without `public: true` (roles:, import_role and public include_role give theirs to the play).
 */
export interface RoleScope {
  readonly name: string;
  readonly defaults: Readonly<Record<string, RawValue>>;
  readonly vars: Readonly<Record<string, RawValue>>;
}

/** `block:` with optional `rescue:` and `always:`. */
export interface BlockTask extends TaskCommon {
  readonly kind: 'block';
  readonly block: readonly PlayTask[];
  readonly rescue: readonly PlayTask[];
  readonly always: readonly PlayTask[];
  /**
   * Set on the block that holds a role's tasks (roles:, import_role, include_role): `meta:
   * end_role` ends this block for the host; `scope` holds the role's private variables, if any.
   */
  readonly role?: { readonly name: string; readonly scope?: RoleScope };
}

/** What an `include_role` names: the role and which of its files to use (Ansible's *_from options). */
export interface IncludedRole {
  readonly tasksFrom: string | undefined;
  readonly varsFrom: string | undefined;
  readonly defaultsFrom: string | undefined;
  readonly handlersFrom: string | undefined;
  /** The role's defaults and vars go to the play, not only to its own tasks. */
  readonly public: boolean;
  readonly allowDuplicates: boolean;
}

/**
 * `include_tasks: FILE` (and the old `include:`), or `include_role` (`role` set, `file` the role's
 * name) — resolved at run time per host (the name may be templated).
 */
export interface IncludeTask extends TaskCommon, Partial<Looping> {
  readonly kind: 'include';
  readonly file: string;
  /** Parsed at load time when the file name has no template, so its errors surface before running. */
  readonly tasks: readonly PlayTask[] | undefined;
  readonly baseDir: string;
  /** In a role's file: the role's dirs searched after baseDir (src/playbook/task-files.ts roleSearchDirs). */
  readonly roleDirs?: readonly string[] | undefined;
  readonly role?: IncludedRole;
  /** include_role: the name `tasks` were loaded for (its name rendered at load); another rendering loads that role when run. */
  readonly loadedAs?: string;
  /** roles_path the playbook was loaded with: roles loaded when the run reaches this include are looked for there too. */
  readonly rolesPath?: readonly string[];
  /** collections_path the playbook was loaded with, for the same. */
  readonly collectionsPath?: readonly string[];
  /** `apply:`: keywords given to every included task, as a block around them (Ansible's apply). */
  readonly apply?: TaskCommon;
}

/** `meta: flush_handlers` and friends. */
export interface MetaTask extends TaskCommon {
  readonly kind: 'meta';
  readonly action: (typeof metaActions)[number];
}

export type PlayTask = ModuleTask | BlockTask | IncludeTask | MetaTask;

/**
 * A handler: a module task, a meta task or an include_tasks (whose tasks run when it is notified), with a
 * name and optional `listen` topics.
 */
export type Handler = (ModuleTask | IncludeTask | MetaTask) & {
  readonly listen: readonly string[];
  /** The role whose handlers file holds it (as the role is named): it answers to `ROLE : name` too. */
  readonly fromRole?: string;
  /**
   * The block of its handlers list it is in (the source of the block's first handler): Ansible's
   * load_list_of_blocks makes one implicit block of consecutive handlers and one of each `block:`.
   * Absent: a block of its own. A notified name runs one handler, as search_handler_blocks_by_name.
   */
  readonly handlerBlock?: string;
  /**
   * The blocks around it in the handlers list, outermost first: a `block:` written under handlers
   * (one level, as Ansible 2.14 allows) or an import_tasks/import_role there. Their keywords (when,
   * become, vars, notify…) reach the handler as a block's reach its tasks. Absent: none.
   */
  readonly enclosing?: readonly TaskCommon[];
};

/** `serial:` as Ansible takes it: a number, a percentage, or a list of them. */
export type SerialSpec = readonly (number | `${number}%`)[];

/** A vars_files entry read when the playbook loaded. */
export interface LoadedVarsFile {
  readonly path: string;
  readonly vars: Readonly<Record<string, RawValue>>;
}

/** A vars_files entry read per host when the play runs: `names` are the candidates, first found wins. */
export interface DeferredVarsFile {
  readonly source: SourceRef;
  readonly names: readonly string[];
}

/** A play; it carries the keyword table's values too (those allowed on a play), which its tasks inherit. */
export interface Play extends InheritedValues {
  readonly name: string;
  readonly source: SourceRef;
  /** Host pattern (may be a template over extra vars). */
  readonly hosts: string;
  /**
   * vars_files in order; their vars are merged above `vars` by the runner. An entry the load could
   * not read (its name uses host variables, or no file exists yet) is read per host when the play
   * runs (src/runner/vars-files.ts), as Ansible's VariableManager does.
   */
  readonly varsFiles: readonly (LoadedVarsFile | DeferredVarsFile)[];
  /** `vars_prompt:` questions, asked before the run (src/cli/vars-prompt.ts); the answers join `vars`. */
  readonly varsPrompt?: readonly VarsPrompt[];
  readonly gatherFacts: boolean;
  readonly strategy: 'linear' | 'free';
  readonly serial: SerialSpec | undefined;
  readonly maxFailPercentage: number | undefined;
  /** Role defaults (lowest precedence) and role vars, merged in role order. */
  readonly roleDefaults: Readonly<Record<string, RawValue>>;
  readonly roleVars: Readonly<Record<string, RawValue>>;
  readonly preTasks: readonly PlayTask[];
  /** Role tasks first, then the play's own tasks, as Ansible orders them. */
  readonly tasks: readonly PlayTask[];
  readonly postTasks: readonly PlayTask[];
  readonly handlers: readonly Handler[];
  /** Directory template/copy/lookup sources are resolved against (role dirs searched first). */
  readonly baseDir: string;
  readonly searchDirs: readonly string[];
}

export interface Playbook {
  readonly path: string;
  readonly plays: readonly Play[];
  /** What Ansible would warn about while loading (a duplicate key); the run shows them first. */
  readonly warnings: readonly LoadWarning[];
}
