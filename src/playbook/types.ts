// The parsed, validated playbook: what the loader produces and the runner executes.
// Every node keeps the SourceRef of the YAML it came from, so runtime errors point at it too.
import type { SourceRef } from '../source.js';

/** A value as written in YAML; strings may hold `{{ templates }}` rendered per host at run time. */
export type RawValue = unknown;

export interface LoopControl {
  /** Variable name for the current item; default `item`. */
  readonly loopVar: string;
  readonly indexVar?: string | undefined;
  readonly label?: string | undefined;
}

/** Fields every task, block and handler may carry. */
export interface TaskCommon {
  readonly name: string | undefined;
  readonly source: SourceRef;
  /** Expressions (not templates) ANDed together: `when: [a, b]`. */
  readonly when: readonly string[];
  readonly tags: readonly string[];
  readonly become: boolean | undefined;
  readonly becomeMethod: 'sudo' | 'doas' | 'su' | undefined;
  readonly becomeUser: string | undefined;
  /** Run inside this Bastille/FreeBSD jail through jexec (may be a template). */
  readonly jail: string | undefined;
  readonly vars: Readonly<Record<string, RawValue>>;
  readonly ignoreErrors: boolean;
  readonly noLog: boolean;
  readonly runOnce: boolean;
  readonly delegateTo: 'localhost' | undefined;
  readonly anyErrorsFatal: boolean | undefined;
  /**
   * Where each keyword's value is written (`when` → its expression or list), so a runtime error in
   * a condition or template points at that line rather than the task's first. Optional: tasks
   * built in code may leave it out; fall back to `source`.
   */
  readonly keywordSources?: Readonly<Record<string, SourceRef>> | undefined;
}

/** A module call. */
export interface ModuleTask extends TaskCommon {
  readonly kind: 'task';
  readonly module: string;
  /** Parameters as written (templates unrendered); validated against the schema where not templated. */
  readonly params: Readonly<Record<string, RawValue>>;
  readonly paramsSource: SourceRef;
  /** Where each top-level parameter's value is written; optional, fall back to `paramsSource`. */
  readonly paramSources?: Readonly<Record<string, SourceRef>> | undefined;
  /** A list, or a template string that renders to a list. */
  readonly loop: RawValue | undefined;
  readonly loopControl: LoopControl;
  readonly register: string | undefined;
  readonly notify: readonly string[];
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
}

/** `block:` with optional `rescue:` and `always:`. */
export interface BlockTask extends TaskCommon {
  readonly kind: 'block';
  readonly block: readonly PlayTask[];
  readonly rescue: readonly PlayTask[];
  readonly always: readonly PlayTask[];
}

/** `include_tasks: FILE` — resolved at run time per host (the file name may be templated). */
export interface IncludeTask extends TaskCommon {
  readonly kind: 'include';
  readonly file: string;
  /** Parsed at load time when the file name has no template, so its errors surface before running. */
  readonly tasks: readonly PlayTask[] | undefined;
  readonly baseDir: string;
}

/** `meta: flush_handlers` and friends. */
export interface MetaTask extends TaskCommon {
  readonly kind: 'meta';
  readonly action: 'flush_handlers' | 'end_play' | 'end_host' | 'clear_facts' | 'noop';
}

export type PlayTask = ModuleTask | BlockTask | IncludeTask | MetaTask;

/** A handler: a module task with a name and optional `listen` topics. */
export interface Handler extends ModuleTask {
  readonly listen: readonly string[];
}

/** `serial:` as Ansible takes it: a number, a percentage, or a list of them. */
export type SerialSpec = readonly (number | `${number}%`)[];

export interface Play {
  readonly name: string;
  readonly source: SourceRef;
  /** Host pattern (may be a template over extra vars). */
  readonly hosts: string;
  readonly vars: Readonly<Record<string, RawValue>>;
  /** Files already loaded, in order; their vars are merged into `vars` precedence-wise by the runner. */
  readonly varsFiles: readonly { readonly path: string; readonly vars: Readonly<Record<string, RawValue>> }[];
  readonly gatherFacts: boolean;
  readonly become: boolean | undefined;
  readonly becomeMethod: 'sudo' | 'doas' | 'su' | undefined;
  readonly becomeUser: string | undefined;
  readonly strategy: 'linear' | 'free';
  readonly serial: SerialSpec | undefined;
  readonly maxFailPercentage: number | undefined;
  readonly anyErrorsFatal: boolean;
  readonly tags: readonly string[];
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
}
