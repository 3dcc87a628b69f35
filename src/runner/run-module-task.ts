// One module task on one host: when, loop, rendered and validated params, the session (host,
// jail, delegate_to, become), retries/until, timeout, changed_when/failed_when, register,
// set_fact and notify. Emits the host's item and task results.
import { BeastieError, InvalidInputError, UnreachableError } from '../errors.js';
import { JinjaError } from '../jinja/template.js';
import type { Diff, ModuleDefinition } from '../module-api/module.js';
import type { TaskStatus } from '../output/events.js';
import type { Handler, ModuleTask } from '../playbook/types.js';
import type { SourceRef } from '../source.js';
import type { BecomeSpec } from '../transport/transport.js';
import { allHold } from './conditions.js';
import { executeModule, type ModuleOutcome } from './execute-module.js';
import type { HostSession } from './host-session.js';
import { taskVars } from './host-vars.js';
import { warnOnce, type PlayRuntime } from './play-runtime.js';
import { loopItemVars, loopItems } from './loop-items.js';
import { renderParams } from './render-params.js';
import { renderedTask, templatedBoolean } from './templated-keywords.js';
import { aheadCache, type HostSessions, type RunHost } from './run-host.js';
import { noConnectionKeywords, renderConnectionKeywords, sameWritten } from './connection-keywords.js';
import { isLocalhostName } from '../inventory/implicit-localhost.js';
import { effectiveTask, scopedVars, type EffectiveTask, type Scope } from './scope.js';
import type { Vars } from './services.js';
import { detachedSession } from './detached-session.js';
import { templatedMappingKey } from '../playbook/fields.js';
import { moduleAliases, withoutCollection } from '../playbook/module-names.js';
import { EnvironmentTransport, environmentWords } from './environment.js';
import { PASSWORD_VARIABLES } from '../output/secret-values.js';
import { handlerNames, missingHandlerMessage } from '../playbook/handler-names.js';

/** What the walker needs to know about a task's result on a host. */
export interface HostTaskResult {
  readonly status: TaskStatus;
  /** The failure was ignored (ignore_errors): the host goes on. */
  readonly ignored: boolean;
  /** The registered value (also stored on the host when the task has `register:`). */
  readonly registered: Record<string, unknown>;
  readonly setFacts: Readonly<Record<string, unknown>> | undefined;
}

/** Shown instead of a no_log task's output, as Ansible words it. */
export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

/** Shown instead of a no_log task's progress messages (async output, module steps). */
const NO_LOG_PROGRESS = '(progress hidden by no_log)';

/**
 * Keys of a no_log result whose values are not the result's secrets: Ansible's own words and
 * bookkeeping. Remembering them would censor "non-zero return code" or "item" everywhere.
 */
const NOT_SECRET_KEYS: ReadonlySet<string> = new Set(['msg', 'changed', 'failed', 'skipped', 'skip_reason', 'false_condition', 'attempts', 'rc', 'start', 'end', 'delta', 'item', 'ansible_loop_var']);

/** What a no_log task returned and set stays censored by value wherever it is copied or shown later. */
function keepSecret(runtime: PlayRuntime, registered: Readonly<Record<string, unknown>>, setFacts: Readonly<Record<string, unknown>> | undefined): void {
  runtime.options.secrets?.rememberLeaves(registered, NOT_SECRET_KEYS);
  if (setFacts !== undefined) runtime.options.secrets?.rememberLeaves(setFacts);
}

/** The values of the password variables a task sees are censored, whatever variable later holds a copy. */
function keepPasswords(runtime: PlayRuntime, vars: Vars): void {
  const secrets = runtime.options.secrets;
  if (secrets === undefined) return;
  for (const name of PASSWORD_VARIABLES) {
    if (!(name in vars)) continue;
    try {
      secrets.rememberLeaves(vars[name]);
    } catch {
      // A template that does not render: the task using it reports the error.
    }
  }
}

/** One attempt's (or one item's) result before it becomes events. */
interface Attempt {
  readonly status: 'ok' | 'changed' | 'failed' | 'skipped';
  readonly msg: string;
  readonly registered: Record<string, unknown>;
  readonly diffs: readonly Diff[];
  readonly notes: readonly string[];
  readonly setFacts: Readonly<Record<string, unknown>> | undefined;
  /** What the module itself returned (debug's msg or var), shown for controller-side modules. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** The inventory host the attempt was delegated to (not the controller), for delegate_facts. */
  readonly delegatedHost?: RunHost;
}

/** Sleep that an abort (Ctrl-C) cuts short. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The become spec of a task on a host: inventory variables win over keywords, as in Ansible. */
export function becomeSpec(runtime: PlayRuntime, host: RunHost, effective: EffectiveTask, vars: Vars, source: SourceRef): BecomeSpec | undefined {
  const settings = runtime.inventory.become(host.name, vars);
  const become = settings.become ?? effective.become ?? false;
  if (!become) return undefined;
  const password = runtime.options.becomePassword ?? settings.password;
  // `become_user: "{{ v }}"` is rendered as Ansible does; the user name reaches the host quoted (become.ts).
  const user = settings.user ?? effective.becomeUser;
  const { templates } = runtime.services;
  const rendered = user !== undefined && templates.isTemplate(user) ? String(templates.render(user, vars, source)) : user;
  return { method: settings.method ?? effective.becomeMethod ?? 'sudo', ...(rendered === undefined ? {} : { user: rendered }), ...(password === undefined ? {} : { password }) };
}

/**
 * The sessions a task runs in on its host: the play's connection, or the one its own or its
 * block's `connection` / `remote_user` / `port` keywords give (src/runner/connection-keywords.ts).
 */
export function taskSessions(runtime: PlayRuntime, host: RunHost, effective: EffectiveTask, vars: Vars, source: SourceRef): HostSessions {
  if (sameWritten(effective, runtime.play)) return host.sessions();
  return host.sessionsFor(renderConnectionKeywords(runtime.services.templates, effective, vars, source));
}

/**
 * The sessions of a task delegated to another inventory host: only `remote_user` carries over
 * (where that host sets no user), as PlayContext.set_task_and_variable_override does — the port
 * goes back to the default and `connection: local` to the default transport unless the
 * delegated host's own variables say otherwise.
 */
function delegatedSessions(runtime: PlayRuntime, delegated: RunHost, effective: EffectiveTask, vars: Vars, source: SourceRef): HostSessions {
  if (effective.remoteUser === undefined) return delegated.sessionsFor(noConnectionKeywords);
  const { remoteUser } = renderConnectionKeywords(runtime.services.templates, { connection: undefined, remoteUser: effective.remoteUser, port: undefined }, vars, source);
  return delegated.sessionsFor(remoteUser === undefined ? noConnectionKeywords : { remoteUser });
}

/** A failure's registered value, Ansible-shaped. */
function failureValue(msg: string): Record<string, unknown> {
  return { changed: false, failed: true, msg };
}

/** The text of an error that fails a task. */
function errorText(error: unknown): string {
  if (error instanceof BeastieError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

/** A task's settings for one host, its no_log rendered (templatedBoolean). */
type RunningTask = Omit<EffectiveTask, 'noLog'> & { readonly noLog: boolean };

/** Run the module once (with until/retries) on a session; never throws except for unreachable. */
async function attempt(
  runtime: PlayRuntime,
  host: RunHost,
  task: ModuleTask,
  module: ModuleDefinition,
  effective: RunningTask,
  vars: Vars,
  withRegistered: (registered: Record<string, unknown>) => Vars,
): Promise<Attempt> {
  const { services, options } = runtime;
  // check_mode: true forces check mode on this task; false runs it for real under --check.
  const check = effective.checkMode ?? options.check;
  const written = { ...moduleDefaultsFor(effective.moduleDefaults, task.module), ...task.params };
  const params = renderParams(services, module, written, vars, task.paramsSource);
  const become = becomeSpec(runtime, host, effective, vars, task.source);
  let session: HostSession;
  let delegatedHost: RunHost | undefined;
  const delegateTo = delegateTarget(runtime, effective, vars, task);
  if (delegateTo === 'localhost') {
    session = host.localSessions().get({ jail: undefined, become });
  } else if (delegateTo !== undefined) {
    // The task keeps this host's variables; the connection is the delegated host's own.
    delegatedHost = runtime.delegateHost(delegateTo, task.source);
    const sessions = delegatedSessions(runtime, delegatedHost, effective, vars, task.source);
    sessions.transport.task = { name: taskName(task), noLog: effective.noLog };
    session = sessions.get({ jail: undefined, become });
  } else {
    const jail = module.jail?.(params) ?? (effective.jail === undefined ? undefined : String(services.templates.render(effective.jail, vars, task.source)));
    const sessions = taskSessions(runtime, host, effective, vars, task.source);
    sessions.transport.task = { name: taskName(task), noLog: effective.noLog };
    session = sessions.get({ jail, become });
  }
  const environment = environmentWords(renderEnvironment(runtime, effective.environment, vars, task));
  if (environment.length > 0) session = session.through((transport) => new EnvironmentTransport(transport, environment));
  const timeoutMs = task.timeoutSeconds === undefined ? undefined : task.timeoutSeconds * 1000;
  if (timeoutMs !== undefined) session = session.with({ timeoutMs });
  // async: the task's commands run detached on the host and are polled (src/runner/detached-session.ts).
  // Under no_log a progress message never carries the job's or the module's own text.
  const hidden = effective.noLog;
  session = detachedSession(session, task, (message, output) =>
    runtime.emit({ event: 'task_progress', host: host.name, task: taskName(task), message: output === undefined || hidden ? message : `${message}: ${output}` }),
  );
  const retries = task.until === undefined ? 0 : task.retries;
  // As AnsibleModule does for a module without check mode support: skipped, after its arguments were checked.
  if (check && module.supportsCheckMode === false) {
    const msg = `remote module (${module.name}) does not support check mode`;
    return { status: 'skipped', msg, registered: { changed: false, skipped: true, msg }, diffs: [], notes: [], setFacts: undefined };
  }

  for (let attemptNo = 1; ; attemptNo++) {
    const outcome = await withTimeout(
      executeModule({
        module,
        params,
        session,
        vars,
        check,
        vault: runtime.options.vault,
        addHost: (request) => runtime.inventory.addHost(request),
        progress: (message, waiting) =>
          runtime.emit({ event: 'task_progress', host: host.name, task: taskName(task), message: hidden ? NO_LOG_PROGRESS : message, ...(waiting === undefined ? {} : { waiting }) }),
      }),
      timeoutMs,
    );
    if (outcome === 'timeout') {
      const msg = `the task did not finish within its timeout of ${task.timeoutSeconds ?? 0} s`;
      return { status: 'failed', msg, registered: failureValue(msg), diffs: [], notes: [], setFacts: undefined };
    }
    // As Ansible's TaskExecutor: changed_when first (also on a failed result), then failed_when.
    // A command that ran and exited non-zero changed something, like Ansible's `changed: true`.
    const ran = outcome.results.length > 0;
    const registered: Record<string, unknown> = {
      ...outcome.values,
      changed: outcome.status === 'changed' || (outcome.status === 'failed' && ran),
      failed: outcome.status === 'failed',
      msg: 'msg' in outcome.values ? outcome.values['msg'] : outcome.msg,
    };
    // A module whose Ansible result has no msg (add_host) registers `msg: undefined`: no key then.
    if ('msg' in outcome.values && outcome.values['msg'] === undefined) delete registered['msg'];
    if (retries > 0) registered['attempts'] = attemptNo;
    const resultVars = withRegistered(registered);
    const warn = (w: string) => warnOnce(runtime, w, task.source);
    // In --check a planned change did not run: there is no result for failed_when/until to judge
    // (Ansible skips them for a command it did not run). changed_when is judged when it can be
    // without the run's output (`changed_when: false` on a read-only command holds, as the real run
    // will say); one that reads what only the run gives (stdout, rc) leaves the plan's verdict.
    if (check && outcome.status === 'changed' && !ran) {
      const changed = task.changedWhen === undefined ? true : (changedWithoutRun(task.changedWhen, resultVars, services.expressions, task.source, warn) ?? true);
      registered['changed'] = changed;
      return { status: changed ? 'changed' : 'ok', msg: outcome.msg, registered, diffs: outcome.diffs, notes: outcome.notes, setFacts: outcome.setFacts, values: outcome.values, ...(delegatedHost === undefined ? {} : { delegatedHost }) };
    }
    if (task.changedWhen !== undefined) {
      registered['changed'] = allHold(task.changedWhen, resultVars, services.expressions, task.source, 'changed_when', warn).holds;
    }
    let msg = outcome.msg;
    if (task.failedWhen !== undefined) {
      const failed = allHold(task.failedWhen, withRegistered(registered), services.expressions, task.source, 'failed_when', warn).holds;
      if (failed && outcome.status !== 'failed') msg = `failed_when held: ${task.failedWhen.join(' and ')}`;
      registered['failed'] = failed;
    }
    let status: 'ok' | 'changed' | 'failed' = registered['failed'] === true ? 'failed' : registered['changed'] === true ? 'changed' : 'ok';
    if (task.until !== undefined) {
      const done = allHold([task.until], withRegistered(registered), services.expressions, task.source, 'until', (w) => warnOnce(runtime, w, task.source)).holds;
      if (!done) {
        if (attemptNo <= retries && !(options.signal?.aborted ?? false)) {
          runtime.emit({
            event: 'task_progress',
            host: host.name,
            task: taskName(task),
            message: `FAILED - RETRYING: ${taskName(task)} (${retries - attemptNo + 1} retries left)`,
          });
          await sleep(task.delaySeconds * 1000, options.signal);
          continue;
        }
        status = 'failed';
        msg = `retries exhausted: '${task.until}' was still false after ${attemptNo} attempts${outcome.status === 'failed' ? `; last failure: ${outcome.msg}` : ''}`;
        registered['failed'] = true;
      }
    }
    if (status === 'failed') registered['msg'] = msg;
    // Something changed on the host: its lock is kept to the end of the run (src/runner/host-lease.ts).
    if (registered['changed'] === true) session.lease?.changed();
    return { status, msg, registered, diffs: outcome.diffs, notes: outcome.notes, setFacts: status === 'failed' ? undefined : outcome.setFacts, values: outcome.values, ...(delegatedHost === undefined ? {} : { delegatedHost }) };
  }
}

/** changed_when over a result --check did not produce: undefined when it reads a value only the run gives. */
function changedWithoutRun(expressions: readonly string[], vars: Vars, evaluator: PlayRuntime['services']['expressions'], source: SourceRef, warn: (message: string) => void): boolean | undefined {
  try {
    return allHold(expressions, vars, evaluator, source, 'changed_when', warn).holds;
  } catch (error) {
    if (error instanceof InvalidInputError && error.cause instanceof JinjaError && error.cause.undefinedName !== undefined) return undefined;
    throw error;
  }
}

/** Where the task runs instead of its host: 'localhost', an inventory host's name (rendered), or undefined. */
function delegateTarget(runtime: PlayRuntime, effective: EffectiveTask, vars: Vars, task: ModuleTask): string | undefined {
  const written = effective.delegateTo;
  if (written === undefined || written === 'localhost') return written;
  const name = runtime.services.templates.isTemplate(written) ? String(runtime.services.templates.render(written, vars, task.source)) : written;
  // A localhost name is the controller unless the inventory has a host of that name.
  if (isLocalhostName(name) && !runtime.inventory.hostNames().includes(name)) return 'localhost';
  return name;
}

/** Resolves to 'timeout' when the task's timeout passes first. */
async function withTimeout(work: Promise<ModuleOutcome>, timeoutMs: number | undefined): Promise<ModuleOutcome | 'timeout'> {
  if (timeoutMs === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The module_defaults that apply to `module` (by its name or an FQCN of it), merged. */
function moduleDefaultsFor(defaults: Readonly<Record<string, unknown>>, module: string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(defaults)) {
    if (withoutCollection(name) !== module && moduleAliases[withoutCollection(name)] !== module) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(merged, value);
  }
  return merged;
}

/** The task's environment with its templates rendered (a whole-mapping template spread in). */
function renderEnvironment(runtime: PlayRuntime, environment: Readonly<Record<string, unknown>>, vars: Vars, task: ModuleTask): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(environment)) {
    const result = runtime.services.templates.render(value, vars, task.source);
    if (name === templatedMappingKey) {
      if (result !== null && typeof result === 'object' && !Array.isArray(result)) Object.assign(rendered, result);
    } else rendered[name] = result;
  }
  return rendered;
}

/** The task's name as events show it. */
export function taskName(task: ModuleTask): string {
  return task.name !== undefined && task.name !== '' ? task.name : task.module;
}

/** Run `task` on `host`; emits item_result/task_result events and returns what the walker needs. */
export async function runModuleTask(
  runtime: PlayRuntime,
  host: RunHost,
  task: ModuleTask,
  scope: Scope,
  displayName: string,
): Promise<HostTaskResult> {
  const started = performance.now();
  const { services } = runtime;
  const inherited = effectiveTask(task, scope, runtime.play);
  const layers = { scoped: scopedVars(scope), task: task.vars };
  const source = task.source;
  // no_log written as a template ("{{ not debug | bool }}") is rendered for this host before anything
  // runs or shows, as Ansible templates the task's fields; one that does not render fails the task
  // with its own error (which names the keyword and the template, no value of the task's).
  let noLogError: unknown;
  let hidden: boolean;
  try {
    hidden = templatedBoolean(task, 'no_log', inherited.noLog, typeof inherited.noLog === 'string' ? taskVars(runtime.vars, host, layers, source) : {}, services.templates);
  } catch (error) {
    noLogError = error;
    hidden = false;
  }
  const effective: RunningTask = { ...inherited, noLog: hidden };
  // Controller-side modules (debug, set_fact, assert) show what they computed in events.
  const showValues = services.findModule(task.module)?.controllerOnly === true;
  const transport = host.sessions().transport;
  transport.task = { name: displayName, noLog: hidden };
  // Its facts were read ahead (src/runner/read-ahead.ts); after a change they are not read again for it.
  aheadCache(host).started(task);
  if (effective.delegateTo === 'localhost') host.localSessions().transport.task = { name: displayName, noLog: hidden };

  // The jail and the delegated host as events name them: rendered against the task's variables
  // (for each item against the item's: `jail: "{{ item }}"`).
  const named = (written: string | undefined, vars: Vars): string | undefined => {
    if (written === undefined || !services.templates.isTemplate(written)) return written;
    try {
      return String(services.templates.render(written, vars, source));
    } catch {
      // The attempt renders it again and fails the task with the template's own error.
      return written;
    }
  };
  const jailName = named(effective.jail, taskVars(runtime.vars, host, layers, source));
  const delegatedName = named(effective.delegateTo, taskVars(runtime.vars, host, layers, source));

  const withRegistered = (vars: Vars) => (registered: Record<string, unknown>) =>
    task.register === undefined ? vars : taskVars(runtime.vars, host, { ...layers, loop: pickLoop(vars, task), result: { [task.register]: registered } }, source);

  const finish = (result: TaskStatus, message: string, value: Record<string, unknown>, extra: Partial<Attempt> & { item?: unknown } = {}): HostTaskResult => {
    const notified = result === 'changed' && effective.notify.length > 0 ? handlersNotified(runtime, host, effective.notify.map((name) => String(services.templates.render(name, taskVars(runtime.vars, host, layers, source), source)))) : undefined;
    // A changed task notifying a name no handler answers to ends the whole run, as Ansible's
    // strategy raises its error there: no rescue, ignore_errors, later task, handler or play runs.
    const unanswered = notified?.missing[0];
    const fatal = unanswered !== undefined;
    const status: TaskStatus = fatal ? 'failed' : result;
    const msg = fatal ? missingHandlerMessage(unanswered) : message;
    const registered = fatal ? { ...value, failed: true, msg } : value;
    if (fatal) {
      runtime.stopped = true;
      runtime.runStopped = true;
    }
    const ignored = status === 'failed' && effective.ignoreErrors && !fatal;
    if (hidden) keepSecret(runtime, registered, extra.setFacts);
    const stdout = typeof registered['stdout'] === 'string' ? registered['stdout'] : undefined;
    const stderr = typeof registered['stderr'] === 'string' ? registered['stderr'] : undefined;
    const rc = typeof registered['rc'] === 'number' ? registered['rc'] : undefined;
    runtime.emit({
      event: 'task_result',
      host: host.name,
      task: displayName,
      status,
      source,
      msg: hidden ? NO_LOG_MESSAGE : msg,
      module: task.module,
      durationMs: Math.round(performance.now() - started),
      ...(ignored ? { ignored: true } : {}),
      ...(status === 'failed' && !ignored && effective.rescuable && !fatal ? { rescued: true } : {}),
      ...(delegatedName ? { delegatedTo: delegatedName } : {}),
      ...(jailName === undefined ? {} : { jail: jailName }),
      ...(hidden
        ? {}
        : {
            ...(extra.diffs && extra.diffs.length > 0 && effective.diff !== false ? { diff: extra.diffs } : {}),
            ...(stdout === undefined ? {} : { stdout }),
            ...(stderr === undefined ? {} : { stderr }),
            ...(rc === undefined ? {} : { rc }),
            ...(extra.notes && extra.notes.length > 0 ? { notes: extra.notes } : {}),
            ...(showValues && extra.values !== undefined ? { values: extra.values } : runtime.options.reportResults ? { values: registered } : {}),
          }),
    });
    emitResultWarnings(runtime, host.name, registered);
    if (task.register !== undefined) host.hostFacts[task.register] = registered;
    if (status === 'failed' && !ignored && effective.rescuable && !fatal) {
      // What a rescue section reads, as in Ansible.
      host.hostFacts['ansible_failed_task'] = { name: displayName, action: task.module, source };
      host.hostFacts['ansible_failed_result'] = registered;
    }
    if (notified !== undefined && !fatal) markNotified(runtime, host, notified, displayName);
    return { status, ignored, registered, setFacts: extra.setFacts };
  };

  try {
    if (noLogError !== undefined) throw noLogError;
    const module = services.findModule(task.module);
    if (module === undefined) {
      const msg = `unknown module '${task.module}'`;
      return finish('failed', msg, failureValue(msg));
    }
    const vars = taskVars(runtime.vars, host, layers, source);
    keepPasswords(runtime, vars);
    // retries/delay/timeout/loop_var written as templates, rendered for this host (the closures above see them too).
    task = renderedTask(task, vars, services.templates);

    if (task.loop === undefined) {
      const when = allHold(effective.when, vars, services.expressions, source, 'when', (w) => warnOnce(runtime, w, source));
      if (!when.holds) {
        return finish('skipped', `Conditional result was False: ${when.falseCondition}`, {
          changed: false,
          skipped: true,
          skip_reason: 'Conditional result was False',
          false_condition: when.falseCondition,
        });
      }
      const result = await attempt(runtime, host, task, module, effective, vars, withRegistered(vars));
      applySetFacts(factsHost(host, effective, result), result.setFacts);
      return finish(result.status, result.msg, result.registered, result);
    }

    let items: unknown;
    try {
      items = loopItems(runtime, host, task, layers, vars, source);
    } catch (error) {
      // A loop over an undefined variable under a false `when` is skipped: TaskExecutor keeps the
      // loop's error (_loop_eval_error), evaluates the conditional without an item, and raises
      // the error only if it holds (ansible-core's loops target, issue 45189).
      if (!(error instanceof InvalidInputError && error.cause instanceof JinjaError && error.cause.undefinedName !== undefined)) throw error;
      let when: ReturnType<typeof allHold>;
      try {
        when = allHold(effective.when, vars, services.expressions, source, 'when', (w) => warnOnce(runtime, w, source));
      } catch {
        throw error;
      }
      if (when.holds) throw error;
      return finish('skipped', `Conditional result was False: ${when.falseCondition}`, {
        changed: false,
        skipped: true,
        skip_reason: 'Conditional result was False',
        false_condition: when.falseCondition,
      });
    }
    if (!Array.isArray(items)) {
      const msg = `loop must be a list, but it rendered to ${items === null ? 'null' : typeof items}`;
      return finish('failed', msg, failureValue(msg));
    }
    const results: Record<string, unknown>[] = [];
    const diffs: Diff[] = [];
    const statuses: Attempt['status'][] = [];
    const { loopVar, label, pauseSeconds } = task.loopControl;
    for (const [index, item] of items.entries()) {
      // loop_control pause: between items, not before the first.
      if (index > 0 && pauseSeconds !== undefined && pauseSeconds > 0) await sleep(pauseSeconds * 1000, runtime.options.signal);
      const itemStarted = performance.now();
      const itemVars = taskVars(runtime.vars, host, { ...layers, loop: loopItemVars(task, item, index, items) }, source);
      const shown = label === undefined ? item : services.templates.render(label, itemVars, source);
      const when = allHold(effective.when, itemVars, services.expressions, source, 'when', (w) => warnOnce(runtime, w, source));
      const result: Attempt = when.holds
        ? await attempt(runtime, host, task, module, effective, itemVars, withRegistered(itemVars))
        : {
            status: 'skipped',
            msg: `Conditional result was False: ${when.falseCondition}`,
            registered: { changed: false, skipped: true, skip_reason: 'Conditional result was False', false_condition: when.falseCondition },
            diffs: [],
            notes: [],
            setFacts: undefined,
          };
      applySetFacts(factsHost(host, effective, result), result.setFacts);
      if (hidden) keepSecret(runtime, result.registered, result.setFacts);
      statuses.push(result.status);
      diffs.push(...result.diffs);
      results.push({ ...result.registered, item, ansible_loop_var: loopVar });
      const itemJail = named(effective.jail, itemVars);
      const itemDelegate = named(effective.delegateTo, itemVars);
      runtime.emit({
        event: 'item_result',
        host: host.name,
        task: displayName,
        status: result.status,
        source,
        item: hidden ? '(censored due to no_log)' : shown,
        msg: hidden ? NO_LOG_MESSAGE : result.msg,
        module: task.module,
        durationMs: Math.round(performance.now() - itemStarted),
        ...(itemDelegate ? { delegatedTo: itemDelegate } : {}),
        ...(itemJail === undefined ? {} : { jail: itemJail }),
        ...(hidden
          ? {}
          : {
              ...(result.diffs.length > 0 && effective.diff !== false ? { diff: result.diffs } : {}),
              ...(typeof result.registered['stdout'] === 'string' ? { stdout: result.registered['stdout'] } : {}),
              ...(typeof result.registered['stderr'] === 'string' ? { stderr: result.registered['stderr'] } : {}),
              ...(typeof result.registered['rc'] === 'number' ? { rc: result.registered['rc'] } : {}),
              ...(result.notes.length > 0 ? { notes: result.notes } : {}),
              ...(showValues && result.values !== undefined ? { values: result.values } : {}),
            }),
      });
      emitResultWarnings(runtime, host.name, result.registered);
    }
    const failed = statuses.includes('failed');
    const changed = statuses.includes('changed');
    const skipped = statuses.length === 0 || statuses.every((status) => status === 'skipped');
    const status: TaskStatus = failed ? 'failed' : changed ? 'changed' : skipped ? 'skipped' : 'ok';
    const msg = failed
      ? 'One or more items failed'
      : skipped
        ? items.length === 0
          ? 'No items in the list'
          : 'All items skipped'
        : `All items completed`;
    const registered: Record<string, unknown> = { results, changed, failed, msg, ...(skipped ? { skipped: true } : {}) };
    return finish(status, msg, registered, { diffs });
  } catch (error) {
    if (error instanceof UnreachableError) {
      host.lose();
      // Under no_log the text is hidden too: a connection lost mid-command names the command.
      const msg = hidden ? `${NO_LOG_MESSAGE} (unreachable: ${error.reason})` : error.describe();
      runtime.emit({ event: 'host_unreachable', host: host.name, task: displayName, msg, reason: error.reason });
      runtime.emit({ event: 'task_result', host: host.name, task: displayName, status: 'unreachable', source, msg, module: task.module, durationMs: Math.round(performance.now() - started) });
      return { status: 'unreachable', ignored: false, registered: { unreachable: true, msg }, setFacts: undefined };
    }
    if (!(error instanceof BeastieError) || error.code === 'internal') runtime.internalErrors++;
    const msg = error instanceof BeastieError ? errorText(error) : `internal error (a bug in beastie): ${errorText(error)}`;
    return finish('failed', msg, failureValue(msg));
  }
}

/** The loop variables of `vars`, so a registered value seen by until keeps the current item. */
/**
 * A result's `warnings` (Ansible's result key, which its callback prints as [WARNING] after the
 * task) become warning events of the host: shown in the default output and listed again under the recap.
 */
function emitResultWarnings(runtime: PlayRuntime, host: string, registered: Readonly<Record<string, unknown>>): void {
  const warnings = registered['warnings'];
  if (!Array.isArray(warnings)) return;
  for (const warning of warnings) if (typeof warning === 'string') runtime.emit({ event: 'warning', host, msg: warning });
}

function pickLoop(vars: Vars, task: ModuleTask): Record<string, unknown> {
  if (task.loop === undefined) return {};
  const picked: Record<string, unknown> = {};
  for (const name of [task.loopControl.loopVar, task.loopControl.indexVar, 'ansible_loop', 'ansible_loop_var']) {
    if (name !== undefined && name in vars) picked[name] = vars[name];
  }
  return picked;
}

/** delegate_facts: facts the task sets go to the host it was delegated to, not its own. */
function factsHost(host: RunHost, effective: EffectiveTask, result: Attempt): RunHost {
  return effective.delegateFacts === true && result.delegatedHost !== undefined ? result.delegatedHost : host;
}

function applySetFacts(host: RunHost, facts: Readonly<Record<string, unknown>> | undefined): void {
  if (facts !== undefined) Object.assign(host.hostFacts, facts);
}

/**
 * A handler's name or listen topics as the run sees them: templates rendered with the notifying
 * host's variables (Ansible renders them with the play's). One that does not render answers to
 * nothing, as Ansible skips a handler whose name does not template.
 */
function renderedNames(runtime: PlayRuntime, host: RunHost, handler: Handler, written: readonly string[]): string[] {
  const { templates } = runtime.services;
  return written.flatMap((name) => {
    if (!templates.isTemplate(name)) return [name];
    try {
      return [String(templates.render(name, taskVars(runtime.vars, host, { scoped: scopedVars([]), task: handler.vars }, handler.source), handler.source))];
    } catch {
      return [];
    }
  });
}

/** Whether `handler` is called `name`: its name, or `ROLE : name` in a role. */
function calledBy(runtime: PlayRuntime, host: RunHost, handler: Handler, name: string): boolean {
  return handler.name !== undefined && renderedNames(runtime, host, handler, [handler.name]).flatMap((rendered) => handlerNames(handler, rendered)).includes(name);
}

/**
 * The one handler a notified name runs, as ansible-core 2.14's search_handler_blocks_by_name
 * (lib/ansible/plugins/strategy/__init__.py): the play's handler blocks searched last to first
 * (roles' blocks, then the play's own), a block's handlers first to last. So of two handlers of one
 * list sharing a name the first runs; of two roles' or a role's and the play's, the later block's.
 */
function handlerCalled(runtime: PlayRuntime, host: RunHost, name: string): Handler | undefined {
  const named = runtime.handlers.filter((handler) => calledBy(runtime, host, handler, name));
  const last = named.at(-1);
  if (last === undefined) return undefined;
  const block = (handler: Handler): string => handler.handlerBlock ?? handlerId(handler);
  return named.find((handler) => block(handler) === block(last));
}

/** The handlers listening to `name`: every one, as the 2.14 strategy notifies each listener. */
function listeners(runtime: PlayRuntime, host: RunHost, name: string): Handler[] {
  return runtime.handlers.filter((handler) => renderedNames(runtime, host, handler, handler.listen).includes(name));
}

/** What a changed task's notify names: the handlers that answer to each name, and the names none answers to. */
interface Notified {
  readonly handlers: readonly Handler[];
  readonly missing: readonly string[];
}

/**
 * The handlers `names` find (by name, `ROLE : name` or listen topic). A name none answers to is
 * missing — Ansible's error — unless error_on_missing_handler is off: then it is a warning.
 */
function handlersNotified(runtime: PlayRuntime, host: RunHost, names: readonly string[]): Notified {
  const handlers: Handler[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const called = handlerCalled(runtime, host, name);
    const found = [...(called === undefined ? [] : [called]), ...listeners(runtime, host, name)];
    if (found.length === 0) {
      if (runtime.options.errorOnMissingHandler === false) runtime.emit({ event: 'warning', host: host.name, msg: missingHandlerMessage(name) });
      else missing.push(name);
    }
    for (const handler of found) if (!handlers.includes(handler)) handlers.push(handler);
  }
  return { handlers, missing };
}

/** Mark the handlers found as notified on the host. */
function markNotified(runtime: PlayRuntime, host: RunHost, notified: Notified, by: string): void {
  for (const handler of notified.handlers) {
    const id = handlerId(handler);
    if (host.notified.has(id)) continue;
    host.notified.add(id);
    runtime.emit({ event: 'handler_notified', host: host.name, handler: handlerLabel(handler), by });
  }
}

/** What a handler is called: its name, else its module (or include_tasks). */
function handlerLabel(handler: Handler): string {
  return handler.name ?? (handler.kind === 'task' ? handler.module : handler.kind === 'meta' ? `meta: ${handler.action}` : 'include_tasks');
}

/** A handler's identity: its name and where it is written (names may repeat across roles). */
export function handlerId(handler: Handler): string {
  return `${handlerLabel(handler)}@${handler.source.file}:${handler.source.line}:${handler.source.column}`;
}
