// What every task of a play shares while it runs: the play, its hosts, the options, the services,
// the concurrency queue and the event sink. One per play per run; no global state.
import type PQueue from 'p-queue';
import type { RunEvent } from '../output/events.js';
import type { SecretValues } from '../output/secret-values.js';
import type { VaultKeyring } from '../vault/vault-keyring.js';
import type { SourceRef } from '../source.js';
import type { BlockTask, Handler, ModuleTask, Play } from '../playbook/types.js';
import type { PlayVarsContext } from './host-vars.js';
import type { RunHost } from './run-host.js';
import type { InventoryView, RunnerServices } from './services.js';
import type { TagSelection } from './tags.js';

/** The run's options that tasks read. */
export interface TaskRunOptions {
  readonly check: boolean;
  readonly diff: boolean;
  /** The -v count, as the ansible_verbosity variable (debug's verbosity: reads it). */
  readonly verbosity: number;
  readonly tags: TagSelection;
  /** From --ask-become-pass; overrides ansible_become_pass. */
  readonly becomePassword: string | undefined;
  /** Stop starting new work once aborted (Ctrl-C). */
  readonly signal: AbortSignal | undefined;
  /** Ad-hoc mode (`beastie PATTERN -m MODULE`): every task_result carries the whole registered result as `values`. */
  readonly reportResults?: boolean;
  /**
   * Values censored in every event and log line (src/output/secret-values.ts): the runner adds
   * what a no_log task returned or set and the values of password variables it sees.
   */
  readonly secrets?: SecretValues;
  /**
   * The run's vault secrets, for the controller files read while it runs (vars_files named by
   * host variables, include_tasks, include_vars): decrypted as the load decrypts (src/vault/).
   */
  readonly vault?: VaultKeyring;
  /**
   * Ansible's error_on_missing_handler (on unless false): a changed task notifying a name no
   * handler answers to stops the run with Ansible's error; off, that is a warning.
   */
  readonly errorOnMissingHandler?: boolean;
  /** --step: asked before each task (not handlers); false skips the task on every host. */
  readonly confirmTask?: (task: string) => Promise<boolean>;
}

/** --start-at-task: tasks are skipped until one of this name is reached, once per run. */
export interface StartAt {
  pending: string | undefined;
}

/** Shared state of one play's run. */
export interface PlayRuntime {
  readonly play: Play;
  /**
   * The play's handlers, then those of the roles include_role loaded while it runs (a name only
   * the run knows): they join the play as Ansible's IncludeRole.get_block_list adds them.
   */
  readonly handlers: Handler[];
  readonly vars: PlayVarsContext;
  readonly inventory: InventoryView;
  readonly services: RunnerServices;
  readonly options: TaskRunOptions;
  readonly startAt: StartAt;
  /** Bounds concurrent host work to --forks. */
  readonly queue: PQueue;
  emit(event: RunEvent): void;
  /** Set by any_errors_fatal, max_fail_percentage or meta: end_play: start nothing more. */
  stopped: boolean;
  /** Set with `stopped` by an error that ends the whole run (a notify no handler answers to): no later batch or play starts. */
  runStopped: boolean;
  /** Errors that are beastie's own bugs; they make the exit code 250. */
  internalErrors: number;
  /** One queue per task that has `throttle:`. */
  readonly throttles: WeakMap<ModuleTask, PQueue>;
  /** The hosts that ran `meta: end_role` in each running role's block: they skip the rest of it. */
  readonly endedRoles: WeakMap<BlockTask, Set<RunHost>>;
  /** Warnings already shown (`file:line:column message`), so each is shown once per play. */
  readonly warned: Set<string>;
  /** Hosts of the play by name. */
  readonly hosts: ReadonlyMap<string, RunHost>;
  /**
   * The run's host for `delegate_to: NAME` (created on first use for an inventory host outside
   * the run, connected with its own connection variables); throws InvalidInputError for a name
   * the inventory does not have.
   */
  readonly delegateHost: (name: string, source: SourceRef) => RunHost;
  /** meta clear_host_errors ran for a host: its failures so far no longer decide the exit code. */
  readonly clearedErrors?: (host: string) => void;
}

/** Emit a warning about the YAML at `source` once per play. */
export function warnOnce(runtime: PlayRuntime, msg: string, source: SourceRef): void {
  const key = `${source.file}:${source.line}:${source.column} ${msg}`;
  if (runtime.warned.has(key)) return;
  runtime.warned.add(key);
  runtime.emit({ event: 'warning', msg, source });
}
