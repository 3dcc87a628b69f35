// One play: its hosts (pattern, --limit, minus hosts that failed earlier), in serial batches;
// per batch, facts, then pre_tasks, tasks and post_tasks, each followed by a handler flush.
// Linear walks each task across the batch; free lets every host run ahead on its own.
import PQueue from 'p-queue';
import type { RunEvent } from '../output/events.js';
import type { Play, RoleScope } from '../playbook/types.js';
import type { SourceRef } from '../source.js';
import { batchStopReason } from './batch-budget.js';
import { serialBatches } from './batches.js';
import { gatherFacts } from './gather-facts.js';
import { taskVars, type PlayVarsContext } from './host-vars.js';
import { noConnectionKeywords, renderConnectionKeywords, sameWritten, type ConnectionKeywords } from './connection-keywords.js';
import { scopedVars } from './scope.js';
import type { PlayRuntime, StartAt, TaskRunOptions } from './play-runtime.js';
import { aheadCache, type RunHost } from './run-host.js';
import { expectAhead } from './read-ahead.js';
import type { Fact } from '../facts/fact.js';
import type { FactCache } from '../facts/fact-cache.js';
import type { InventoryView, RunnerServices, Vars } from './services.js';
import { flushHandlers, runTasks } from './task-walker.js';
import { readVarsFiles } from './vars-files.js';

/** What a play needs from the run around it. */
export interface PlayInput {
  readonly play: Play;
  /** The play's hosts, already selected (pattern and --limit), in inventory order. */
  readonly hostNames: readonly string[];
  readonly hosts: ReadonlyMap<string, RunHost>;
  readonly inventory: InventoryView;
  readonly services: RunnerServices;
  readonly options: TaskRunOptions;
  readonly extraVars: Vars;
  /** The command line's variables for every host (src/runner/option-vars.ts). */
  readonly optionVars: Vars;
  readonly playbookDir: string;
  readonly startAt: StartAt;
  readonly queue: PQueue;
  emit(event: RunEvent): void;
  /**
   * Before a batch's first task: take the host locks (src/runner/host-locks.ts), reading in the
   * same round trip the facts `ahead` names for each host into its ahead cache.
   */
  /** See PlayRuntime.delegateHost. */
  readonly delegateHost: (name: string, source: SourceRef) => RunHost;
  /** See PlayRuntime.clearedErrors. */
  readonly clearedErrors?: (host: string) => void;
  readonly beforeBatch?: (play: Play, hosts: readonly RunHost[], ahead: ReadAhead) => Promise<void>;
}

/** What to read ahead on each host of a batch, and where to keep it. */
export interface ReadAhead {
  facts(host: RunHost): readonly Fact<unknown>[];
  cache(host: RunHost): FactCache;
}

/** What the run needs back from a play. */
export interface PlayOutcome {
  readonly internalErrors: number;
  /** Hosts of the play never run because the play stopped early. */
  readonly untouched: readonly string[];
  /** The run ends here: no later play starts (a notify no handler answers to). */
  readonly runStopped?: true;
}

/** Facts, the three task sections and their handler flushes, for a set of hosts. */
async function runSections(runtime: PlayRuntime, hosts: readonly RunHost[]): Promise<void> {
  if (runtime.play.gatherFacts) await gatherFacts(runtime, hosts);
  readVarsFiles(runtime, hosts);
  for (const section of [runtime.play.preTasks, runtime.play.tasks, runtime.play.postTasks]) {
    await runTasks(runtime, section, hosts, []);
    if (runtime.stopped) break;
    await flushHandlers(runtime, hosts);
  }
}

/**
 * Read ahead on the hosts the lock did not read for (--check, local hosts, a later play): what
 * the lock's command read is cached, so this costs nothing there. A host that fails here fails again, with
 * its task's own message, when its first task reads.
 */
async function readAheadUnlocked(runtime: PlayRuntime, ahead: ReadonlyMap<RunHost, readonly Fact<unknown>[]>): Promise<void> {
  // Gathering facts reads what the tasks declared in its own round trip (FactCache.read).
  if (runtime.play.gatherFacts) return;
  await Promise.all(
    [...ahead].map(([host, facts]) =>
      host.active && facts.length > 0
        ? runtime.queue.add(async () => {
            try {
              await aheadCache(host).read(...facts);
            } catch {
              // Reported by the task that needs the fact.
            }
          })
        : undefined,
    ),
  );
}

/**
 * The play's `connection` / `remote_user` / `port` for one host, rendered with its variables. A
 * template that cannot be rendered yet (it names a fact) leaves the host's own connection for
 * the lock and gathering; each task renders it again and fails with the template's error.
 */
function playConnection(runtime: PlayRuntime, host: RunHost): ConnectionKeywords {
  const { play } = runtime;
  if (sameWritten(play, { connection: undefined, remoteUser: undefined, port: undefined })) return noConnectionKeywords;
  try {
    return renderConnectionKeywords(runtime.services.templates, play, taskVars(runtime.vars, host, { scoped: scopedVars([]) }, play.source), play.source);
  } catch {
    return noConnectionKeywords;
  }
}

/** Run one play to the end (or until it is stopped). */
export async function runPlay(input: PlayInput): Promise<PlayOutcome> {
  const { play } = input;
  const names = input.hostNames.filter((name) => input.hosts.get(name)?.active === true);
  const playHosts = new Map(names.flatMap((name) => {
    const host = input.hosts.get(name);
    return host === undefined ? [] : [[name, host] as const];
  }));
  input.emit({ event: 'play_start', play: play.name, hosts: names, source: play.source });
  const touched = new Set<string>();
  let internalErrors = 0;
  let stopped = false;
  let runStopped = false;
  const throttles = new WeakMap();
  const warned = new Set<string>();
  const services: RunnerServices = { ...input.services, templates: input.services.templatesFor([...play.searchDirs, play.baseDir]) };
  const batches = serialBatches(names, play.serial);
  const publicRoles: RoleScope[] = [];
  const hostVarsFiles = new Map<string, readonly (Vars | undefined)[]>();
  const unfinished: string[] = [];
  for (const [index, batch] of batches.entries()) {
    if (stopped || input.options.signal?.aborted) break;
    input.emit({ event: 'batch_start', play: play.name, batch: index + 1, hosts: batch });
    for (const name of batch) touched.add(name);
    const vars: PlayVarsContext = {
      play,
      inventory: input.inventory,
      templates: services.templates,
      extraVars: input.extraVars,
      check: input.options.check,
      diff: input.options.diff,
      verbosity: input.options.verbosity,
      playbookDir: input.playbookDir,
      hosts: playHosts,
      runHosts: input.hosts,
      batch,
      optionVars: input.optionVars,
      publicRoles,
      hostVarsFiles,
    };
    const runtime: PlayRuntime = {
      play,
      handlers: [...play.handlers],
      vars,
      inventory: input.inventory,
      services,
      options: input.options,
      startAt: input.startAt,
      queue: input.queue,
      emit: (event) => input.emit(event),
      stopped: false,
      runStopped: false,
      internalErrors: 0,
      throttles,
      endedRoles: new WeakMap(),
      warned,
      hosts: playHosts,
      delegateHost: input.delegateHost,
      ...(input.clearedErrors === undefined ? {} : { clearedErrors: input.clearedErrors }),
    };
    const batchHosts = batch.flatMap((name) => playHosts.get(name) ?? []);
    for (const host of batchHosts) host.usePlayConnection(playConnection(runtime, host));
    // One round trip per host before the first task: the lock and every fact the play's tasks declare.
    const ahead = new Map(batchHosts.filter((host) => host.active).map((host) => [host, expectAhead(runtime, host)] as const));
    await input.beforeBatch?.(play, batchHosts, { facts: (host) => ahead.get(host) ?? [], cache: aheadCache });
    await readAheadUnlocked(runtime, ahead);
    if (play.strategy === 'free') await Promise.all(batchHosts.map((host) => runSections(runtime, [host])));
    else await runSections(runtime, batchHosts);
    internalErrors += runtime.internalErrors;
    stopped = runtime.stopped;
    runStopped = runtime.runStopped;
    const remaining = batches.slice(index + 1).reduce((sum, later) => sum + later.length, 0);
    const stopReason = stopped ? undefined : batchStopReason(index + 1, batchHosts.map((host) => host.status), remaining);
    if (stopReason !== undefined) {
      stopped = true;
      input.emit({ event: 'warning', msg: stopReason, source: play.source });
    }
    // Hosts still active when the play stopped did not run their remaining tasks.
    if (stopped) unfinished.push(...batchHosts.filter((host) => host.status === 'active').map((host) => host.name));
  }
  // end_host, end_play and any_errors_fatal end a host for this play only.
  for (const host of playHosts.values()) host.nextPlay();
  const untouched = names.filter((name) => !touched.has(name));
  input.emit({ event: 'play_end', play: play.name, untouched, ...(unfinished.length > 0 ? { unfinished } : {}) });
  return { internalErrors, untouched, ...(runStopped ? { runStopped: true as const } : {}) };
}
