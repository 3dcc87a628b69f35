// What a task inherits from the blocks and includes around it and from its play: conditions,
// tags, become, jail, delegation, error handling. Blocks pass their `when` down to every task;
// include_tasks passes its vars and tags, but its `when` decides only whether to include.
import type { ModuleTask, Play, TaskCommon } from '../playbook/types.js';

/** One enclosing block or include. */
export interface ScopeFrame {
  readonly node: TaskCommon;
  readonly kind: 'block' | 'rescue' | 'always' | 'include';
  /** Failures here go to a rescue section: the block section of a block that has one. */
  readonly rescuable: boolean;
  /** Vars given to the included file (`include_tasks` with `vars:`). */
  readonly vars: Readonly<Record<string, unknown>>;
}

/** The frames from the outermost to the innermost. */
export type Scope = readonly ScopeFrame[];

/** A task's settings after inheritance. */
export interface EffectiveTask {
  readonly when: readonly string[];
  readonly tags: readonly string[];
  readonly become: boolean | undefined;
  readonly becomeMethod: 'sudo' | 'doas' | 'su' | undefined;
  readonly becomeUser: string | undefined;
  readonly jail: string | undefined;
  readonly delegateTo: 'localhost' | undefined;
  readonly ignoreErrors: boolean;
  readonly noLog: boolean;
  readonly runOnce: boolean;
  readonly anyErrorsFatal: boolean;
  /** A failure would be rescued by an enclosing block. */
  readonly rescuable: boolean;
}

/** The innermost defined value: the task's own, then its blocks' from the inside out, then the play's. */
function innermost<T>(task: TaskCommon, scope: Scope, pick: (node: TaskCommon) => T | undefined, play: T | undefined): T | undefined {
  const own = pick(task);
  if (own !== undefined) return own;
  for (let index = scope.length - 1; index >= 0; index--) {
    const frame = scope[index];
    const value = frame === undefined ? undefined : pick(frame.node);
    if (value !== undefined) return value;
  }
  return play;
}

/** The settings `task` runs with inside `scope` in `play`. */
export function effectiveTask(task: TaskCommon, scope: Scope, play: Play): EffectiveTask {
  const frames = scope.map((frame) => frame.node);
  return {
    when: [...scope.filter((frame) => frame.kind !== 'include').flatMap((frame) => frame.node.when), ...task.when],
    tags: [...new Set([...play.tags, ...frames.flatMap((node) => node.tags), ...task.tags])],
    become: innermost(task, scope, (node) => node.become, play.become),
    becomeMethod: innermost(task, scope, (node) => node.becomeMethod, play.becomeMethod),
    becomeUser: innermost(task, scope, (node) => node.becomeUser, play.becomeUser),
    jail: innermost(task, scope, (node) => node.jail, undefined),
    delegateTo: innermost(task, scope, (node) => node.delegateTo, undefined),
    ignoreErrors: task.ignoreErrors || frames.some((node) => node.ignoreErrors),
    noLog: task.noLog || frames.some((node) => node.noLog),
    runOnce: task.runOnce || frames.some((node) => node.runOnce),
    anyErrorsFatal: innermost(task, scope, (node) => node.anyErrorsFatal, play.anyErrorsFatal) ?? false,
    rescuable: scope.some((frame) => frame.rescuable),
  };
}

/** The vars of the enclosing blocks and of the includes, each outermost first. */
export interface ScopeVars {
  readonly blocks: readonly Readonly<Record<string, unknown>>[];
  /** include_tasks `vars:` (include params): above task vars, see src/inventory/PRECEDENCE.md. */
  readonly includes: readonly Readonly<Record<string, unknown>>[];
}

/** Split the scope's vars into block vars and include params. */
export function scopedVars(scope: Scope): ScopeVars {
  return {
    blocks: scope.filter((frame) => frame.kind !== 'include').map((frame) => frame.node.vars),
    includes: scope.filter((frame) => frame.kind === 'include').flatMap((frame) => [frame.node.vars, frame.vars]),
  };
}

/** The name shown for a task: its own, else its module's (as Ansible shows the action). */
export function taskLabel(task: ModuleTask | TaskCommon): string {
  if (task.name !== undefined && task.name !== '') return task.name;
  return 'module' in task ? task.module : 'meta' in task ? 'meta' : 'task';
}
