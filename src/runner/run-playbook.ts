// The top of a run: every play in order over the same hosts (facts, set_fact and failures carry
// over between plays, as in Ansible), the recap, and the exit code.
import { ChangeCount } from '../facts/change-count.js';
import type { DiagnosticLogger } from '../log/run-logger.js';
import PQueue from 'p-queue';
import { dirname, resolve } from 'node:path';
import { EXIT_INTERNAL, EXIT_INTERRUPTED, InvalidInputError, InvalidInputErrors } from '../errors.js';
import type { RecapCounts, Reporter, RunEvent } from '../output/events.js';
import type { Playbook } from '../playbook/types.js';
import type { SourceRef } from '../source.js';
import type { ConnectionSettings, TransportFactory } from '../transport/transport.js';
import { lazyVars } from './lazy-vars.js';
import { keywordsKey, noConnectionKeywords, underHostVars, type ConnectionKeywords } from './connection-keywords.js';
import type { StartAt, TaskRunOptions } from './play-runtime.js';
import { optionVars } from './option-vars.js';
import { runPlay } from './run-play.js';
import { RunHost } from './run-host.js';
import { RecapTally } from './recap-tally.js';
import type { InventoryView, RunnerServices, Vars } from './services.js';
import type { HostLocks } from './host-locks.js';

/** Options of `beastie play` that the runner takes. */
export interface PlaybookOptions extends TaskRunOptions {
  readonly forks: number;
  /** --limit as single patterns, @FILE parts already read (src/inventory/limit.ts resolveLimit). */
  readonly limit: readonly string[] | undefined;
  readonly extraVars: Vars;
  readonly startAtTask: string | undefined;
}

/** Everything a run needs, loaded and validated: nothing here has contacted a host yet. */
export interface PlaybookRunInput {
  readonly playbook: Playbook;
  readonly inventory: InventoryView;
  readonly services: RunnerServices;
  readonly transports: TransportFactory;
  readonly reporter: Reporter;
  readonly logger: DiagnosticLogger;
  readonly options: PlaybookOptions;
  /** Host locks to take at each host's first contact (not in --check; never for local hosts). */
  readonly hostLocks?: HostLocks;
}

/** What a run ends with: the recap, the exit code, and the hosts a retry should target. */
export interface PlaybookRunResult {
  readonly exitCode: number;
  readonly recap: Readonly<Record<string, RecapCounts>>;
  readonly failedHosts: readonly string[];
  readonly unreachableHosts: readonly string[];
  /** Hosts a play never ran on because it stopped early (failure budget, any_errors_fatal, Ctrl-C). */
  readonly untouchedHosts: readonly string[];
}

/** The hosts each play targets, resolved before anything runs (patterns may use extra vars). */
export function playHostNames(input: Pick<PlaybookRunInput, 'playbook' | 'inventory' | 'services' | 'options'>): string[][] {
  return input.playbook.plays.map((play) => [...input.inventory.selectHosts(playPattern(input, play), input.options.limit)]);
}

/** A play's hosts pattern, rendered with the extra vars when it is a template. */
function playPattern(input: Pick<PlaybookRunInput, 'services' | 'options'>, play: Playbook['plays'][number]): string {
  const { templates } = input.services;
  return templates.isTemplate(play.hosts) ? String(templates.render(play.hosts, input.options.extraVars, play.source)) : play.hosts;
}

/**
 * Run the playbook; never throws for host or task failures. Throws InvalidInputError before
 * contacting any host when a host's connection variables are wrong, and errors for bugs.
 */
export async function runPlaybook(input: PlaybookRunInput): Promise<PlaybookRunResult> {
  const started = performance.now();
  const { options, inventory } = input;
  const tally = new RecapTally();
  const emit = (event: RunEvent) => {
    tally.record(event);
    input.reporter.emit(event);
  };
  const perPlay = playHostNames(input);
  const loadedGeneration = inventory.generation();
  const allNames = [...new Set(perPlay.flat())];
  // Connection settings are read (and their templates rendered) for every host before anything
  // runs: a bad ansible_port or ansible_connection is invalid input, not a failure halfway.
  const settings = new Map<string, ConnectionSettings>();
  const problems: InvalidInputError[] = [];
  for (const name of allNames) {
    try {
      const vars = lazyVars({ ...inventory.hostVars(name), ...options.extraVars }, input.services.templates, inventory.sourceOf(name));
      settings.set(name, inventory.connection(name, vars));
      inventory.become(name, vars);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length === 1 && problems[0] !== undefined) throw problems[0];
  if (problems.length > 1) throw new InvalidInputErrors(problems);
  // -vvv: every command as it finishes, as a progress line under its task.
  const observeCommands =
    options.verbosity >= 3
      ? (host: string, task: string | undefined, line: string) => emit({ event: 'task_progress', host, task: task ?? '', message: line })
      : undefined;
  const hosts = new Map<string, RunHost>();
  // One count of changes for every host: a recorded run is used only if no host changed since.
  const changes = new ChangeCount();
  // A host's connection as the inventory (and -c/-u) give it, or as a play's, block's or task's
  // connection / remote_user / port keywords change it where the host's variables set none.
  const connectedHost = (name: string, connection: ConnectionSettings): RunHost => {
    const resolved = new Map<string, ConnectionSettings>([[keywordsKey(noConnectionKeywords), connection]]);
    const settingsFor = (keywords: ConnectionKeywords): ConnectionSettings => {
      const key = keywordsKey(keywords);
      let settings = resolved.get(key);
      if (settings === undefined) {
        const vars = lazyVars({ ...inventory.hostVars(name), ...options.extraVars }, input.services.templates, inventory.sourceOf(name));
        settings = inventory.connection(name, underHostVars(vars, keywords));
        resolved.set(key, settings);
      }
      return settings;
    };
    return new RunHost(name, (keywords) => input.transports.open(settingsFor(keywords)), input.logger, observeCommands, changes, (keywords) => JSON.stringify(settingsFor(keywords)));
  };
  for (const name of allNames) {
    tally.addHost(name);
    const connection = settings.get(name);
    if (connection === undefined) continue;
    hosts.set(name, connectedHost(name, connection));
  }
  // A host add_host brought: its connection read as at the start; bad settings leave it out, not end the run.
  const addRunHost = (name: string): void => {
    if (hosts.has(name)) return;
    try {
      const vars = lazyVars({ ...inventory.hostVars(name), ...options.extraVars }, input.services.templates, inventory.sourceOf(name));
      const connection = inventory.connection(name, vars);
      inventory.become(name, vars);
      settings.set(name, connection);
      hosts.set(name, connectedHost(name, connection));
      tally.addHost(name);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // Never contacted: the play runs without it, and says why.
      emit({ event: 'warning', msg: `host '${name}' (added by add_host) is left out: ${error.message}` });
    }
  };
  // delegate_to a host outside the run: connected on first use with its own connection variables.
  const delegateHost = (name: string, source: SourceRef): RunHost => {
    const known = hosts.get(name);
    if (known !== undefined) return known;
    if (!inventory.hasHost(name)) {
      throw new InvalidInputError(`delegate_to: '${name}' is not a host of the inventory`, { source, fix: 'name an inventory host (beastie inventory -i INV --list), or localhost for the controller' });
    }
    const vars = lazyVars({ ...inventory.hostVars(name), ...options.extraVars }, input.services.templates, inventory.sourceOf(name));
    const host = connectedHost(name, inventory.connection(name, vars));
    hosts.set(name, host);
    return host;
  };
  input.logger.info({ playbook: input.playbook.path, hosts: allNames, check: options.check, forks: options.forks }, 'run start');
  emit({ event: 'run_start', playbook: input.playbook.path, check: options.check, hosts: allNames });
  // What Ansible warns about while loading (a duplicate key, a keyword beastie ignores).
  for (const warning of input.playbook.warnings) emit({ event: 'warning', msg: warning.message, source: warning.source });

  const queue = new PQueue({ concurrency: Math.max(1, options.forks) });
  const playbookDir = dirname(resolve(input.playbook.path));
  const runOptionVars = optionVars(options, playbookDir);
  const startAt: StartAt = { pending: options.startAtTask };
  let internalErrors = 0;
  const untouched = new Set<string>();
  let stopped = false;
  try {
    for (const [index, play] of input.playbook.plays.entries()) {
      if (options.signal?.aborted) break;
      // After add_host changed the inventory, a play's pattern is resolved again when it starts,
      // as Ansible's PlaybookExecutor does for every play (get_hosts at the play's start).
      let hostNames = perPlay[index] ?? [];
      if (inventory.generation() !== loadedGeneration) {
        hostNames = [...inventory.selectHosts(playPattern(input, play), options.limit)];
        for (const name of hostNames) addRunHost(name);
      }
      if (hostNames.length === 0) {
        emit({ event: 'warning', msg: `play '${play.name}': no hosts matched '${play.hosts}'`, source: play.source });
        continue;
      }
      const outcome = await runPlay({
        play,
        hostNames,
        hosts,
        inventory,
        services: input.services,
        options,
        extraVars: options.extraVars,
        optionVars: runOptionVars,
        delegateHost,
        clearedErrors: (host) => tally.clearFailures(host),
        playbookDir,
        startAt,
        queue,
        emit,
        ...(input.hostLocks === undefined
          ? {}
          : { beforeBatch: (lockPlay, batch, ahead) => input.hostLocks?.enterBatch(lockPlay, batch.filter((host) => settings.get(host.name)?.connection === 'ssh'), emit, ahead) ?? Promise.resolve() }),
      });
      internalErrors += outcome.internalErrors;
      for (const name of outcome.untouched) untouched.add(name);
      if (outcome.runStopped) {
        stopped = true;
        // The later plays' hosts did not run them.
        for (const later of perPlay.slice(index + 1)) for (const name of later) untouched.add(name);
        emit({ event: 'warning', msg: `the run stops at play '${play.name}': a changed task notified a handler this play does not have (Ansible ends the run there too; error_on_missing_handler = False makes it a warning)`, source: play.source });
        break;
      }
    }
  } finally {
    await input.hostLocks?.releaseAll(emit);
    await Promise.allSettled([...hosts.values()].map((host) => host.close()));
    await input.transports.closeAll();
  }
  if (startAt.pending !== undefined) emit({ event: 'warning', msg: `--start-at-task: no task named '${startAt.pending}' was found` });
  const exitCode = options.signal?.aborted ? EXIT_INTERRUPTED : internalErrors > 0 ? EXIT_INTERNAL : tally.exitCode();
  const recap = tally.snapshot();
  const durationMs = Math.round(performance.now() - started);
  emit({ event: 'recap', hosts: recap, durationMs, exitCode, ...(stopped ? { stopped: 'missing-handler' as const } : {}) });
  input.logger.info({ recap, exitCode, durationMs }, 'run end');
  return {
    exitCode,
    recap,
    failedHosts: [...hosts.values()].filter((host) => host.status === 'failed').map((host) => host.name),
    unreachableHosts: [...hosts.values()].filter((host) => host.status === 'unreachable').map((host) => host.name),
    untouchedHosts: [...untouched],
  };
}
