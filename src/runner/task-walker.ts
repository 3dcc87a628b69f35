// Walks a task list for a set of hosts, linear style: each task on every active host (bounded by
// the --forks queue) before the next. Blocks run rescue for the hosts that failed in them and
// always for every host that entered; include_tasks renders its file per host; meta actions and
// handler flushes happen here. The free strategy calls the same walker with one host at a time.
import PQueue from 'p-queue';
import { BeastieError, InvalidInputError, UnreachableError } from '../errors.js';
import type { BlockTask, IncludeTask, Looping, MetaTask, ModuleTask, PlayTask } from '../playbook/types.js';
import { allHold } from './conditions.js';
import { taskVars } from './host-vars.js';
import { loopItemVars, loopItems } from './loop-items.js';
import { warnOnce, type PlayRuntime } from './play-runtime.js';
import type { RunHost } from './run-host.js';
import { handlerId, runModuleTask, taskName, type HostTaskResult } from './run-module-task.js';
import { effectiveTask, scopedVars, type Scope } from './scope.js';
import { tagsSelected } from './tags.js';
import { renderedLoopControl, templatedNumber, templatedBoolean } from './templated-keywords.js';
import type { SourceRef } from '../source.js';
import { withJinjaWarnings } from '../jinja/warnings.js';

/** `throttle:` bounds how many hosts run this task at once, below --forks. */
function throttled<T>(runtime: PlayRuntime, task: ModuleTask, throttle: number | undefined, work: () => Promise<T>): Promise<T> {
  if (throttle === undefined || throttle <= 0) return work();
  let queue = runtime.throttles.get(task);
  if (queue === undefined) {
    queue = new PQueue({ concurrency: throttle });
    runtime.throttles.set(task, queue);
  }
  return queue.add(work);
}

/** Whether --start-at-task still skips this task; reaching it clears the skip for the run. */
function skippedByStartAt(runtime: PlayRuntime, name: string): boolean {
  const wanted = runtime.startAt.pending;
  if (wanted === undefined) return false;
  if (name === wanted || new RegExp(`^${wanted.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`).test(name)) {
    runtime.startAt.pending = undefined;
    return false;
  }
  return true;
}

/** The name a task shows: rendered against the first host's variables, raw when that fails. */
function displayName(runtime: PlayRuntime, task: ModuleTask, host: RunHost | undefined, scope: Scope): string {
  const raw = taskName(task);
  if (host === undefined || !runtime.services.templates.isTemplate(raw)) return raw;
  try {
    return String(runtime.services.templates.render(raw, taskVars(runtime.vars, host, { scoped: scopedVars(scope), task: task.vars }, task.source), task.source));
  } catch {
    return raw;
  }
}

/** Whether a failure here goes on to an always section: a block's or its rescue's, whose block has one. */
function alwaysAhead(scope: Scope): boolean {
  return scope.some((frame) => (frame.kind === 'block' || frame.kind === 'rescue') && 'always' in frame.node && (frame.node as BlockTask).always.length > 0);
}

/** After a task: any_errors_fatal and max_fail_percentage stop the play for the batch. */
function applyFailurePolicy(runtime: PlayRuntime, task: ModuleTask, scope: Scope, results: readonly HostTaskResult[]): void {
  const failedNow = results.some((result) => result.status === 'failed' && !result.ignored);
  const effective = effectiveTask(task, scope, runtime.play);
  // Inside a block with a rescue, the rescue handles the failure first; one with an always runs
  // it first (Ansible's linear strategy breaks the play only for hosts whose next task is in
  // neither a rescue nor an always: dont_fail_states).
  if (failedNow && effective.anyErrorsFatal && !effective.rescuable && !alwaysAhead(scope)) {
    runtime.stopped = true;
    for (const name of runtime.vars.batch) {
      const host = runtime.hosts.get(name);
      host?.end();
    }
    return;
  }
  const max = runtime.play.maxFailPercentage;
  if (max === undefined) return;
  const batch = runtime.vars.batch.map((name) => runtime.hosts.get(name)).filter((host) => host !== undefined);
  const failed = batch.filter((host) => host.status === 'failed' || host.status === 'unreachable').length;
  if (batch.length > 0 && (failed / batch.length) * 100 > max) {
    runtime.stopped = true;
    runtime.emit({
      event: 'warning',
      msg: `${failed} of ${batch.length} hosts of the batch failed, more than max_fail_percentage ${max}%: the play stops`,
      source: task.source,
    });
  }
}

/** Run one module task on the given hosts (or the first only, for run_once). */
async function runModuleTaskOnHosts(runtime: PlayRuntime, task: ModuleTask, hosts: readonly RunHost[], scope: Scope, handler: boolean): Promise<Set<RunHost>> {
  const failed = new Set<RunHost>();
  const active = hosts.filter((host) => host.active);
  if (active.length === 0 || runtime.stopped) return failed;
  const effective = effectiveTask(task, scope, runtime.play);
  if (!handler && !tagsSelected(effective.tags, runtime.options.tags)) return failed;
  const name = displayName(runtime, task, active[0], scope);
  if (!handler && skippedByStartAt(runtime, name)) return failed;
  if (runtime.options.signal?.aborted) {
    runtime.stopped = true;
    return failed;
  }
  if (!handler && runtime.options.confirmTask !== undefined && !(await runtime.options.confirmTask(name))) return failed;
  // run_once and throttle span the hosts: rendered with the first host's variables, as Ansible's linear strategy does.
  const first = active[0] as RunHost;
  const firstVars = () => taskVars(runtime.vars, first, { scoped: scopedVars(scope), task: task.vars }, task.source);
  let runOnce: boolean;
  try {
    runOnce = templatedBoolean(task, 'run_once', effective.runOnce, typeof effective.runOnce === 'string' ? firstVars() : {}, runtime.services.templates);
  } catch (error) {
    runtime.emit({ event: 'task_start', play: runtime.play.name, task: name, hosts: active.map((h) => h.name), source: task.source, handler });
    for (const host of active) failHost(runtime, host, name, task, error, failed);
    return failed;
  }
  // An action plugin with BYPASS_HOST_LOOP (add_host) runs on the first host only, as linear.py's
  // run_once; its register stays that host's (get_task_hosts reads task.run_once alone).
  const bypass = !runOnce && runtime.services.findModule(task.module)?.bypassHostLoop === true;
  const targets = runOnce || bypass ? [first] : active;
  runtime.emit({ event: 'task_start', play: runtime.play.name, task: name, hosts: targets.map((h) => h.name), source: task.source, handler });
  let throttle: number | undefined;
  try {
    throttle = task.templated?.throttle === undefined ? task.throttle : templatedNumber(task, 'throttle', firstVars(), runtime.services.templates);
  } catch (error) {
    for (const host of targets) failHost(runtime, host, name, task, error, failed);
    return failed;
  }
  const results = await Promise.all(
    targets.map((host) => runtime.queue.add(() => throttled(runtime, task, throttle, () => runModuleTask(runtime, host, task, scope, name)))),
  );
  if (runOnce) {
    // run_once: the one result counts for every host of the batch (register, set_fact); its failure
    // fails them all, which a block's rescue then handles (Ansible's strategy marks every host failed).
    const [result] = results;
    for (const host of active.slice(1)) {
      if (result === undefined) break;
      if (task.register !== undefined) host.hostFacts[task.register] = result.registered;
      if (result.setFacts !== undefined) Object.assign(host.hostFacts, result.setFacts);
      if (result.status === 'failed' && !result.ignored) {
        host.fail();
        failed.add(host);
      }
    }
  }
  if (bypass) {
    // linear.py sets any_errors_fatal for it (unless ignore_errors): its failure fails every host.
    const [result] = results;
    if (result?.status === 'failed' && !result.ignored) {
      for (const host of active.slice(1)) {
        host.fail();
        failed.add(host);
      }
    }
  }
  results.forEach((result, index) => {
    const host = targets[index];
    if (host === undefined) return;
    if (result.status === 'failed' && !result.ignored) {
      host.fail();
      failed.add(host);
    }
  });
  applyFailurePolicy(runtime, task, scope, results);
  return failed;
}

/** Run a block: rescue for hosts that failed in it, then always for every host that entered. */
async function runBlock(runtime: PlayRuntime, block: BlockTask, hosts: readonly RunHost[], scope: Scope): Promise<Set<RunHost>> {
  try {
    return await runBlockSections(runtime, block, hosts, scope);
  } finally {
    // meta end_role ends this run of the role; the role may run again later (included twice).
    if (block.role !== undefined) runtime.endedRoles.delete(block);
  }
}

async function runBlockSections(runtime: PlayRuntime, block: BlockTask, hosts: readonly RunHost[], scope: Scope): Promise<Set<RunHost>> {
  const entered = hosts.filter((host) => host.active);
  const failedInBlock = await runTasks(runtime, block.block, entered, [
    ...scope,
    { node: block, kind: 'block', rescuable: block.rescue.length > 0, vars: {}, role: block.role },
  ]);
  let failed = failedInBlock;
  if (block.rescue.length > 0 && failedInBlock.size > 0 && !runtime.stopped) {
    const rescued = [...failedInBlock].filter((host) => host.status === 'failed');
    failed = await takenBack(rescued, false, () => runTasks(runtime, block.rescue, rescued, [...scope, { node: block, kind: 'rescue', rescuable: false, vars: {} }]));
  }
  if (block.always.length > 0) {
    // always runs on hosts that failed too (not on unreachable ones), then their failure stands.
    const stillFailed = entered.filter((host) => host.status === 'failed' && failed.has(host));
    const failedInAlways = await takenBack(stillFailed, true, () => runTasks(runtime, block.always, entered, [...scope, { node: block, kind: 'always', rescuable: false, vars: {} }]));
    // A host whose failure meta clear_host_errors cleared in always goes on: the block did not fail it.
    const cleared = new Set(stillFailed.filter((host) => host.status === 'active' && !failedInAlways.has(host)));
    failed = new Set([...failed, ...failedInAlways].filter((host) => !cleared.has(host)));
  }
  return failed;
}

/** Run `work` with every one of `hosts` taken back from failed (RunHost.takenBack), all at once. */
function takenBack<T>(hosts: readonly RunHost[], failureStands: boolean, work: () => Promise<T>): Promise<T> {
  return hosts.reduce<() => Promise<T>>((inner, host) => () => host.takenBack(inner, failureStands), work)();
}

/** One file an include runs for a group of hosts: with a loop, once per item (the item's vars in its frame). */
interface IncludedFile {
  readonly file: string;
  readonly loopVars: Readonly<Record<string, unknown>>;
  readonly hosts: RunHost[];
}

/** The loop of an include_tasks, as a module task's (loop:, with_<lookup>:, loop_control). */
function includeLooping(include: IncludeTask): Looping | undefined {
  if (include.loop === undefined) return undefined;
  return { loop: include.loop, ...(include.loopWith === undefined ? {} : { loopWith: include.loopWith }), loopControl: include.loopControl ?? { loopVar: 'item' } };
}

/**
 * include_tasks: per host (and per loop item), evaluate its when, render its file name, then run
 * each file for the hosts that include it with the same item — as Ansible groups IncludedFiles.
 */
async function runInclude(runtime: PlayRuntime, include: IncludeTask, hosts: readonly RunHost[], scope: Scope): Promise<Set<RunHost>> {
  const failed = new Set<RunHost>();
  const active = hosts.filter((h) => h.active);
  const effective = effectiveTask(include, scope, runtime.play);
  if (active.length === 0 || runtime.stopped || !tagsSelected(effective.tags, runtime.options.tags)) return failed;
  const { services } = runtime;
  // Shown as Ansible shows it: a task of its own, `included: FILE for HOST`, counted as ok
  // (include_role: its banner only).
  const action = include.role === undefined ? 'include_tasks' : 'include_role';
  const name = include.name ?? action;
  const result = (host: RunHost, status: 'ok' | 'skipped', msg: string) =>
    runtime.emit({ event: 'task_result', host: host.name, task: name, status, source: include.source, msg, module: action, durationMs: 0 });
  runtime.emit({ event: 'task_start', play: runtime.play.name, task: name, hosts: active.map((h) => h.name), source: include.source, handler: false });
  const written = includeLooping(include);
  const layers = { scoped: scopedVars(scope), task: include.vars };
  const files = new Map<string, IncludedFile>();
  for (const host of active) {
    try {
      const vars = taskVars(runtime.vars, host, layers, include.source);
      const looping = written === undefined ? undefined : { ...written, loopControl: renderedLoopControl(include, written.loopControl, vars, services.templates) };
      const items = looping === undefined ? [undefined] : loopItems(runtime, host, looping, layers, vars, include.source);
      if (!Array.isArray(items)) throw new InvalidInputError(`loop must be a list, but it rendered to ${items === null ? 'null' : typeof items}`, { source: include.source });
      let included = false;
      for (const [index, item] of items.entries()) {
        const loopVars = looping === undefined ? {} : loopItemVars(looping, item, index, items);
        const itemVars = looping === undefined ? vars : taskVars(runtime.vars, host, { ...layers, loop: loopVars }, include.source);
        const when = allHold(effective.when, itemVars, services.expressions, include.source, 'when', (w) => warnOnce(runtime, w, include.source));
        if (!when.holds) continue;
        const file = String(services.templates.render(include.file, itemVars, include.source));
        const key = JSON.stringify([file, loopVars]);
        const entry = files.get(key) ?? { file, loopVars, hosts: [] };
        entry.hosts.push(host);
        files.set(key, entry);
        included = true;
      }
      if (!included) result(host, 'skipped', items.length === 0 ? 'No items in the list' : 'Conditional result was False');
    } catch (error) {
      failHost(runtime, host, name, include, error, failed);
    }
  }
  const loaded: [readonly PlayTask[], IncludedFile][] = [];
  for (const entry of files.values()) {
    try {
      const tasks = await includedTasks(runtime, include, entry.file);
      // include_role shows and counts nothing once included (Ansible's IncludeRole is a TaskInclude:
      // no ok in the stats, and the default callback prints no line for it); include_tasks is `included:`, ok.
      if (include.role === undefined) for (const host of entry.hosts) result(host, 'ok', entry.file);
      if (include.role?.public === true) exposeRoles(runtime, tasks);
      loaded.push([tasks, entry]);
    } catch (error) {
      for (const host of entry.hosts) failHost(runtime, host, name, include, error, failed);
    }
  }
  for (const [tasks, entry] of loaded) {
    const frame = { node: include, kind: 'include' as const, rescuable: false, vars: entry.loopVars };
    // apply: the included tasks sit in a block carrying its keywords, as Ansible builds it.
    const applied = include.apply === undefined ? [] : [{ node: include.apply, kind: 'block' as const, rescuable: false, vars: {} }];
    for (const host of await runTasks(runtime, tasks, entry.hosts.filter((h) => h.active), [...scope, frame, ...applied])) failed.add(host);
  }
  return failed;
}

/**
 * The tasks an include brings for its rendered `file`: those loaded with the playbook when it
 * renders to the name they were loaded for, else loaded now (a name using variables only the run
 * has: a loop item, host variables, a default() the host overrides); a role or task file loaded now
 * brings the handlers of the roles it loads to the play, as Ansible's IncludeRole does.
 */
async function includedTasks(runtime: PlayRuntime, include: IncludeTask, file: string): Promise<readonly PlayTask[]> {
  if (include.tasks !== undefined && file === (include.loadedAs ?? include.file)) return include.tasks;
  const where = {
    baseDir: include.baseDir,
    roleDirs: include.roleDirs,
    playbookDir: runtime.vars.playbookDir,
    extraVars: runtime.vars.extraVars,
    rolesPath: include.rolesPath,
    collectionsPath: include.collectionsPath,
    vault: runtime.options.vault,
  };
  const loaded = include.role === undefined ? await runtime.services.taskFiles.load(file, where, include.source) : await runtime.services.taskFiles.loadRole(file, include.role, where, include.source);
  for (const handler of loaded.handlers) {
    const id = handlerId(handler);
    if (!runtime.handlers.some((known) => handlerId(known) === id)) runtime.handlers.push(handler);
  }
  return loaded.tasks;
}

/** include_role with public: the role's (and its dependencies') variables are the play's from now on. */
function exposeRoles(runtime: PlayRuntime, tasks: readonly PlayTask[]): void {
  for (const task of tasks) {
    const scope = task.kind === 'block' ? task.role?.scope : undefined;
    if (scope !== undefined && !runtime.vars.publicRoles.includes(scope)) runtime.vars.publicRoles.push(scope);
  }
}

/** A host fails outside a module (an include's file, a meta's condition): say so as its task result. */
function failHost(runtime: PlayRuntime, host: RunHost, task: string, node: { readonly source: SourceRef }, error: unknown, failed: Set<RunHost>): void {
  if (error instanceof UnreachableError) {
    host.lose();
    return;
  }
  if (!(error instanceof BeastieError) || error.code === 'internal') runtime.internalErrors++;
  const msg = error instanceof BeastieError ? error.describe() : `internal error (a bug in beastie): ${String(error)}`;
  runtime.emit({ event: 'task_result', host: host.name, task, status: 'failed', source: node.source, msg, durationMs: 0 });
  host.fail();
  failed.add(host);
}

/** meta actions. */
async function runMeta(runtime: PlayRuntime, meta: MetaTask, hosts: readonly RunHost[], scope: Scope): Promise<Set<RunHost>> {
  const failed = new Set<RunHost>();
  const active = hosts.filter((host) => host.active);
  if (meta.action === 'flush_handlers') {
    await flushHandlers(runtime, active);
    return failed;
  }
  for (const host of active) {
    const vars = taskVars(runtime.vars, host, { scoped: scopedVars(scope), task: meta.vars }, meta.source);
    try {
      if (!allHold(effectiveTask(meta, scope, runtime.play).when, vars, runtime.services.expressions, meta.source, 'when', (w) => warnOnce(runtime, w, meta.source)).holds) continue;
    } catch (error) {
      runtime.emit({ event: 'task_start', play: runtime.play.name, task: `meta: ${meta.action}`, hosts: [host.name], source: meta.source, handler: false });
      failHost(runtime, host, `meta: ${meta.action}`, meta, error, failed);
      continue;
    }
    switch (meta.action) {
      case 'end_play':
        runtime.stopped = true;
        for (const other of runtime.hosts.values()) other.end();
        return failed;
      case 'end_batch':
        // The batch's hosts are done with this play; the next serial batch still runs (without serial, the play ends).
        for (const name of runtime.vars.batch) runtime.hosts.get(name)?.end();
        return failed;
      case 'end_host':
        host.end();
        break;
      case 'end_role': {
        const role = [...scope].reverse().find((frame) => frame.role !== undefined);
        if (role === undefined) {
          runtime.emit({ event: 'task_start', play: runtime.play.name, task: 'meta: end_role', hosts: [host.name], source: meta.source, handler: false });
          failHost(runtime, host, 'meta: end_role', meta, new InvalidInputError('meta: end_role can only be used inside a role', { source: meta.source }), failed);
          break;
        }
        const block = role.node as BlockTask;
        const ended = runtime.endedRoles.get(block) ?? new Set<RunHost>();
        ended.add(host);
        runtime.endedRoles.set(block, ended);
        break;
      }
      case 'clear_facts':
        host.facts = {};
        break;
      case 'clear_host_errors':
        for (const other of runtime.hosts.values()) {
          other.clearErrors();
          runtime.clearedErrors?.(other.name);
        }
        break;
      case 'reset_connection':
        await host.resetConnection();
        break;
      case 'refresh_inventory':
        warnOnce(runtime, 'meta: refresh_inventory does nothing in beastie: the inventory is read once, when the run starts (README)', meta.source);
        break;
      case 'noop':
        break;
    }
  }
  return failed;
}

/** Whether `host` ended (meta: end_role) one of the roles around `scope`. */
function endedRole(runtime: PlayRuntime, scope: Scope, host: RunHost): boolean {
  return scope.some((frame) => frame.role !== undefined && runtime.endedRoles.get(frame.node as BlockTask)?.has(host) === true);
}

/** Run the notified handlers, in the order the play lists them, on the hosts that notified each. */
export async function flushHandlers(runtime: PlayRuntime, hosts: readonly RunHost[]): Promise<Set<RunHost>> {
  const failed = new Set<RunHost>();
  for (const handler of runtime.handlers) {
    const id = handlerId(handler);
    const notified = hosts.filter((host) => host.active && host.notified.has(id));
    if (notified.length === 0) continue;
    for (const host of notified) host.notified.delete(id);
    // A handler in a block (written under handlers, or an import there) inherits its keywords; no rescue catches its failure.
    const scope: Scope = (handler.enclosing ?? []).map((node) => ({ node, kind: 'block', rescuable: false, vars: {} }));
    const failedHere = await warningsOf(runtime, handler.source, () =>
      handler.kind === 'include'
        ? runInclude(runtime, handler, notified, scope)
        : handler.kind === 'meta'
          ? runMetaHandler(runtime, handler, notified, scope)
          : runModuleTaskOnHosts(runtime, handler, notified, scope, true),
    );
    for (const host of failedHere) failed.add(host);
  }
  return failed;
}

/** A meta handler gets its RUNNING HANDLER header, as in Ansible; the action runs as a meta task's. */
async function runMetaHandler(runtime: PlayRuntime, handler: MetaTask, hosts: readonly RunHost[], scope: Scope): Promise<Set<RunHost>> {
  const task = handler.name ?? `meta: ${handler.action}`;
  runtime.emit({ event: 'task_start', play: runtime.play.name, task, hosts: hosts.map((host) => host.name), source: handler.source, handler: true });
  return runMeta(runtime, handler, hosts, scope);
}

/**
 * Run a task (or handler) with the warnings its templates print (display.warning in a plugin:
 * merge_variables' override='warn') shown as the task's warning events, once per play and message,
 * as Ansible's Display shows a warning once. A block's own tasks each get their own.
 */
function warningsOf<T>(runtime: PlayRuntime, source: SourceRef, work: () => Promise<T>): Promise<T> {
  return withJinjaWarnings((msg) => warnOnce(runtime, msg, source), work);
}

/** Run a task list on hosts; returns the hosts that failed in it (not rescued). */
export async function runTasks(runtime: PlayRuntime, tasks: readonly PlayTask[], allHosts: readonly RunHost[], scope: Scope): Promise<Set<RunHost>> {
  const failed = new Set<RunHost>();
  for (const task of tasks) {
    const hosts = allHosts.filter((host) => !endedRole(runtime, scope, host));
    if (runtime.stopped || !hosts.some((host) => host.active)) break;
    const failedHere = await warningsOf(runtime, task.source, () => {
      switch (task.kind) {
        case 'task':
          return runModuleTaskOnHosts(runtime, task, hosts, scope, false);
        case 'block':
          return runBlock(runtime, task, hosts, scope);
        case 'include':
          return runInclude(runtime, task, hosts, scope);
        case 'meta':
          return runMeta(runtime, task, hosts, scope);
      }
    });
    for (const host of failedHere) failed.add(host);
  }
  return failed;
}
