// Before a batch's first task, each host's facts for the whole play are known from the tasks'
// rendered params (the modules' `needs`), so they are read in one command per host — together
// with the host lock (src/runner/host-locks.ts). A task whose params cannot be rendered yet (they
// use a `register` or `set_fact` of an earlier task), that runs in a jail, with become or
// delegated, is left out: it reads its facts when it runs, as before. A task whose module runs a
// read-only program (module.readsOnly: `command: kldstat -q -m zfs`) has that program run ahead
// too; its recorded result serves the task at its turn if nothing changed on the host meanwhile
// (src/runner/execute-module.ts), so a no-change play is one command per host.
import { sameWritten } from './connection-keywords.js';
import type { Fact } from '../facts/fact.js';
import { freebsdFactList } from '../facts/freebsd-facts.js';
import { recordedRunFact } from '../facts/recorded-run.js';
import type { ModuleTask, PlayTask } from '../playbook/types.js';
import { taskVars } from './host-vars.js';
import type { PlayRuntime } from './play-runtime.js';
import { aheadCache, type RunHost } from './run-host.js';
import { loopItemVars, loopItems } from './loop-items.js';
import { renderParams } from './render-params.js';
import { becomeSpec } from './run-module-task.js';
import { effectiveTask, scopedVars, type EffectiveTask, type Scope } from './scope.js';
import { tagsSelected } from './tags.js';

/**
 * Whether the task's own read-only program may run ahead (module.readsOnly). Not in check mode
 * (Ansible does not run a command there); not under no_log (its output would be logged with the
 * batch, not hidden under the task); not with environment: (it may change what the program
 * prints), until: (each retry must run anew), async: or timeout: (they are the command's own).
 */
function mayRunAhead(runtime: PlayRuntime, task: ModuleTask, effective: EffectiveTask): boolean {
  if ((effective.checkMode ?? runtime.options.check) || effective.noLog) return false;
  if (Object.keys(effective.environment).length > 0) return false;
  const templated = task.templated ?? {};
  return task.until === undefined && task.asyncSeconds === undefined && task.timeoutSeconds === undefined && templated.asyncSeconds === undefined && templated.timeoutSeconds === undefined;
}

/** The facts one task declares on a host, per loop item; undefined when they cannot be known yet. */
function taskFacts(runtime: PlayRuntime, host: RunHost, task: ModuleTask, scope: Scope): Fact<unknown>[] | undefined {
  const { services } = runtime;
  const module = services.findModule(task.module);
  if (module === undefined || module.controllerOnly === true || module.needs === undefined) return undefined;
  const effective = effectiveTask(task, scope, runtime.play);
  if (effective.delegateTo !== undefined || effective.jail !== undefined) return undefined;
  // Its own connection keywords: read on its own connection when it runs, not ahead on the play's.
  if (!sameWritten(effective, runtime.play)) return undefined;
  if (!tagsSelected(effective.tags, runtime.options.tags)) return undefined;
  const layers = { scoped: scopedVars(scope), task: task.vars };
  try {
    const vars = taskVars(runtime.vars, host, layers, task.source);
    if (becomeSpec(runtime, host, effective, vars, task.source) !== undefined) return undefined;
    const runsAhead = mayRunAhead(runtime, task, effective);
    const items: unknown = task.loop === undefined ? [undefined] : loopItems(runtime, host, task, layers, vars, task.source);
    if (!Array.isArray(items)) return undefined;
    const facts: Fact<unknown>[] = [];
    for (const [index, item] of items.entries()) {
      const itemVars = task.loop === undefined ? vars : taskVars(runtime.vars, host, { ...layers, loop: loopItemVars(task, item, index, items) }, task.source);
      const params = renderParams(services, module, task.params, itemVars, task.paramsSource);
      if (module.jail?.(params) !== undefined) return undefined;
      const declared = module.needs(params, { host: host.name, vars: itemVars });
      if (declared === undefined) return undefined;
      facts.push(...declared);
      const run = runsAhead ? module.readsOnly?.(params) : undefined;
      if (run !== undefined) facts.push(recordedRunFact(run));
    }
    return facts;
  } catch {
    // Not renderable yet (a variable an earlier task sets), or invalid: the task says so when it runs.
    return undefined;
  }
}

/** Walk a task list as the walker does (blocks with their scope; include files are not known yet). */
function collect(runtime: PlayRuntime, host: RunHost, tasks: readonly PlayTask[], scope: Scope, into: Map<ModuleTask, Fact<unknown>[]>): void {
  for (const task of tasks) {
    switch (task.kind) {
      case 'task': {
        const facts = taskFacts(runtime, host, task, scope);
        if (facts !== undefined && facts.length > 0) into.set(task, facts);
        break;
      }
      case 'block':
        collect(runtime, host, task.block, [...scope, { node: task, kind: 'block', rescuable: task.rescue.length > 0, vars: {}, role: task.role }], into);
        collect(runtime, host, task.rescue, [...scope, { node: task, kind: 'rescue', rescuable: false, vars: {} }], into);
        collect(runtime, host, task.always, [...scope, { node: task, kind: 'always', rescuable: false, vars: {} }], into);
        break;
      case 'include':
      case 'meta':
        break;
    }
  }
}

/**
 * Register what each task of the play will read on `host` with the host's cache, and return every
 * fact to read ahead: the gathered facts when the play gathers them, then the tasks' in order.
 */
export function expectAhead(runtime: PlayRuntime, host: RunHost): Fact<unknown>[] {
  const byTask = new Map<ModuleTask, Fact<unknown>[]>();
  const { play } = runtime;
  for (const section of [play.preTasks, play.tasks, play.postTasks]) collect(runtime, host, section, [], byTask);
  const cache = aheadCache(host);
  cache.forgetOneShots();
  for (const [task, facts] of byTask) cache.expect(task, facts);
  return [...(play.gatherFacts ? freebsdFactList : []), ...[...byTask.values()].flat()];
}
