// Reporting is an event stream (STYLE.md principle 11). Reporters (human, JSON Lines, test)
// receive these; `--json` prints each as one line. Every type is documented in the README.
import type { Diff } from '../module-api/module.js';
import type { SourceRef } from '../source.js';
import type { FailureExplanation } from '../explain/failure-explanation.js';

/** The closed set of per-host task outcomes. */
export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface RecapCounts {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rescued: number;
  ignored: number;
}

export type RunEvent =
  | { readonly event: 'run_start'; readonly playbook: string; readonly check: boolean; readonly hosts: readonly string[] }
  | { readonly event: 'play_start'; readonly play: string; readonly hosts: readonly string[]; readonly source: SourceRef }
  | { readonly event: 'batch_start'; readonly play: string; readonly batch: number; readonly hosts: readonly string[] }
  | { readonly event: 'task_start'; readonly play: string; readonly task: string; readonly hosts: readonly string[]; readonly source: SourceRef; readonly handler: boolean }
  | {
      readonly event: 'task_result';
      readonly host: string;
      readonly task: string;
      readonly status: TaskStatus;
      readonly source: SourceRef;
      /** Why: a no-op's reason, a change's summary, or the failure with the tool's own text. */
      readonly msg: string;
      readonly item?: unknown;
      readonly diff?: readonly Diff[];
      readonly stdout?: string;
      readonly stderr?: string;
      readonly rc?: number;
      readonly ignored?: boolean;
      readonly durationMs: number;
      /** -v notes from the module (versions detected, steps taken). */
      readonly notes?: readonly string[];
      /** The module the task called (absent for meta tasks and fact gathering). */
      readonly module?: string;
      /** A failure inside a block whose rescue then ran: counted as rescued, not failed. */
      readonly rescued?: boolean;
      /** Where the task ran instead of its host: `localhost` (delegate_to) or the jail name. */
      readonly delegatedTo?: string;
      readonly jail?: string;
      /** Values the module returned (debug's msg, registered fields); hidden under no_log. */
      readonly values?: Readonly<Record<string, unknown>>;
      /** A failure whose text beastie recognises: its cause and fix (src/explain/failure-catalogue.ts). */
      readonly explanation?: FailureExplanation;
    }
  | {
      /** One item of a looped task; the task's overall result follows as one `task_result`. */
      readonly event: 'item_result';
      readonly host: string;
      readonly task: string;
      readonly status: TaskStatus;
      readonly source: SourceRef;
      readonly item: unknown;
      readonly msg: string;
      readonly diff?: readonly Diff[];
      readonly stdout?: string;
      readonly stderr?: string;
      readonly rc?: number;
      readonly durationMs: number;
      readonly notes?: readonly string[];
      readonly module?: string;
      /** As on task_result: where the item ran instead of its host. */
      readonly delegatedTo?: string;
      readonly jail?: string;
      readonly values?: Readonly<Record<string, unknown>>;
      readonly explanation?: FailureExplanation;
    }
  | {
      readonly event: 'task_progress';
      readonly host: string;
      readonly task: string;
      readonly message: string;
      /** true: the host dropped off and beastie waits for SSH again (a reboot); false: it is back. */
      readonly waiting?: boolean;
    }
  | { readonly event: 'host_unreachable'; readonly host: string; readonly task: string; readonly msg: string; readonly reason: string }
  | { readonly event: 'handler_notified'; readonly host: string; readonly handler: string; readonly by: string }
  | { readonly event: 'warning'; readonly msg: string; readonly host?: string; readonly source?: SourceRef }
  | {
      readonly event: 'play_end';
      readonly play: string;
      readonly untouched: readonly string[];
      /** Hosts whose batch started but the play stopped before their last task (failure budget, Ctrl-C). */
      readonly unfinished?: readonly string[];
    }
  | {
      readonly event: 'recap';
      readonly hosts: Readonly<Record<string, RecapCounts>>;
      readonly durationMs: number;
      readonly exitCode: number;
      /** The run stopped at a notify no handler answers to: Ansible's AnsibleError, which writes no retry file. */
      readonly stopped?: 'missing-handler';
    };

/** Reporters are an interface with one hook; they switch on `event.event`. */
export interface Reporter {
  emit(event: RunEvent): void;
  /** Flush and stop any live display. */
  close?(): void | Promise<void>;
}
