// What a task inherits from the blocks and includes around it and from its play, keyword by
// keyword as the table in src/playbook/keywords.ts says: blocks pass their `when` down to every
// task; include_tasks passes its vars and tags, but its `when` decides only whether to include.
import { inheritedEntries, type InheritedField, type InheritedValues } from '../playbook/keywords.js';
import type { BlockTask, ModuleTask, Play, TaskCommon } from '../playbook/types.js';

/** One enclosing block or include. */
export interface ScopeFrame {
  readonly node: TaskCommon;
  readonly kind: 'block' | 'rescue' | 'always' | 'include';
  /** Failures here go to a rescue section: the block section of a block that has one. */
  readonly rescuable: boolean;
  /** Vars given to the included file (`include_tasks` with `vars:`). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The role whose block this is (roles:, import_role, include_role): for meta end_role and private role vars. */
  readonly role?: BlockTask['role'];
}

/** The frames from the outermost to the innermost. */
export type Scope = readonly ScopeFrame[];

/** The defaults a task runs with where neither it nor anything around it set the keyword. */
const runDefaults = { ignoreErrors: false, noLog: false, runOnce: false, anyErrorsFatal: false } as const;

type Defaulted = keyof typeof runDefaults;

/** A task's settings after inheritance: every keyword of the table (src/playbook/keywords.ts). */
export type EffectiveTask = Omit<InheritedValues, Defaulted | 'vars'> & { readonly [F in Exclude<Defaulted, 'runOnce' | 'noLog'>]: boolean } & {
  /** A template (run_once: "{{ x }}") is rendered with the first host's variables (templatedBoolean). */
  readonly runOnce: boolean | string;
  /** A template (no_log: "{{ not debug | bool }}") is rendered with the task's host's variables (templatedBoolean). */
  readonly noLog: boolean | string;
  /** A failure would be rescued by an enclosing block. */
  readonly rescuable: boolean;
};

/** The innermost defined value: the task's own, then its frames' from the inside out, then the play's. */
function innermost(field: InheritedField, task: TaskCommon, scope: Scope, play: Play): unknown {
  if (task[field] !== undefined) return task[field];
  for (let index = scope.length - 1; index >= 0; index--) {
    const value = scope[index]?.node[field];
    if (value !== undefined) return value;
  }
  return play[field];
}

/** The settings `task` runs with inside `scope` in `play`, each keyword inherited as the table says. */
export function effectiveTask(task: TaskCommon, scope: Scope, play: Play): EffectiveTask {
  const effective: Record<string, unknown> = { rescuable: scope.some((frame) => frame.rescuable) };
  for (const [field, spec] of inheritedEntries()) {
    switch (spec.inherit) {
      case 'innermost':
        effective[field] = innermost(field, task, scope, play) ?? (runDefaults as Readonly<Record<string, boolean>>)[field];
        break;
      case 'conditions':
        effective[field] = [...scope.filter((frame) => frame.kind !== 'include').flatMap((frame) => frame.node[field] as readonly string[]), ...(task[field] as readonly string[])];
        break;
      case 'union':
        effective[field] = [...new Set([...(play[field] as readonly string[]), ...scope.flatMap((frame) => frame.node[field] as readonly string[]), ...(task[field] as readonly string[])])];
        break;
      case 'merge':
        effective[field] = Object.assign({}, play[field], ...scope.map((frame) => frame.node[field]), task[field]);
        break;
      case 'own':
        break;
    }
  }
  return effective as EffectiveTask;
}

/** The vars of the enclosing blocks and of the includes, each outermost first. */
export interface ScopeVars {
  readonly blocks: readonly Readonly<Record<string, unknown>>[];
  /** include_tasks `vars:` (include params): above task vars, see src/inventory/PRECEDENCE.md. */
  readonly includes: readonly Readonly<Record<string, unknown>>[];
  /** Private defaults and vars of the include_role roles around the task (above the play's role defaults and role vars). */
  readonly roleDefaults?: readonly Readonly<Record<string, unknown>>[];
  readonly roleVars?: readonly Readonly<Record<string, unknown>>[];
}

/** Split the scope's vars into block vars, include params and private role variables. */
export function scopedVars(scope: Scope): ScopeVars {
  const roles = scope.flatMap((frame) => (frame.role?.scope === undefined ? [] : [frame.role.scope]));
  return {
    blocks: scope.filter((frame) => frame.kind !== 'include').map((frame) => frame.node.vars),
    includes: scope.filter((frame) => frame.kind === 'include').flatMap((frame) => [frame.node.vars, frame.vars]),
    roleDefaults: roles.map((role) => role.defaults),
    roleVars: roles.map((role) => role.vars),
  };
}

/** The name shown for a task: its own, else its module's (as Ansible shows the action). */
export function taskLabel(task: ModuleTask | TaskCommon): string {
  if (task.name !== undefined && task.name !== '') return task.name;
  return 'module' in task ? task.module : 'meta' in task ? 'meta' : 'task';
}
