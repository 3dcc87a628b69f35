// The module contract (STYLE.md principle 1): a parameter schema, an observation of the host,
// and a pure plan. The runner applies the plan, so --check and --diff come for free.
import type { z } from 'zod';
import type { Command } from '../command/command.js';
import type { Fact, FactValues } from '../facts/fact.js';
import type { CommandResult, PutOptions, RunOptions } from '../transport/transport.js';
import type { VaultKeyring } from '../vault/vault-keyring.js';

/** Before/after of one file or setting, rendered by --diff. */
export interface Diff {
  /** What is compared: a path, `sysrc kld_list`, `jail.conf of bhyve`. */
  readonly header: string;
  readonly before: string;
  readonly after: string;
}

/** One thing the runner does on the host when applying a change. */
export type Action =
  | {
      readonly kind: 'run';
      readonly command: Command;
      /** Exit codes that mean success; default [0]. */
      readonly okExitCodes?: readonly number[];
      readonly stdin?: string | Buffer;
    }
  | {
      readonly kind: 'put';
      readonly path: string;
      readonly content: string | Buffer;
      readonly mode?: number;
      readonly owner?: string;
      readonly group?: string;
    };

/** A put action's mode, owner and group, as a transport's `put` takes them (none that the action leaves out). */
export function putAttributes(action: Extract<Action, { readonly kind: 'put' }>): Pick<PutOptions, 'mode' | 'owner' | 'group'> {
  return {
    ...(action.mode === undefined ? {} : { mode: action.mode }),
    ...(action.owner === undefined ? {} : { owner: action.owner }),
    ...(action.group === undefined ? {} : { group: action.group }),
  };
}

/** A planned step: nothing to do (with the reason) or a change (with its actions and diff). */
export type Step =
  | { readonly kind: 'noop'; readonly reason: string }
  | {
      readonly kind: 'change';
      /** Human summary: `load vmm`, `append vnet0 to switch public`. */
      readonly summary: string;
      readonly actions: readonly Action[];
      readonly diff?: Diff;
    };

/** What a module plans for one host. `changed` is derived: some step is a change. */
export interface Plan {
  readonly steps: readonly Step[];
  /** The plan itself says the task fails (assert, fail, a refused parameter combination). */
  readonly failure?: string;
  /** Extra values for the registered result (debug's msg, stat results…). */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Variables to set on the host (set_fact). */
  readonly setFacts?: Readonly<Record<string, unknown>>;
  /** A line for -v output: `Bastille 0.x (seed era) found`. */
  readonly notes?: readonly string[];
  /**
   * add_host: a host for the run's in-memory inventory. The runner adds it (in --check too, as
   * Ansible's strategy does) and the task is changed when the inventory changed.
   */
  readonly addHost?: { readonly name: string; readonly groups: readonly string[]; readonly vars: Readonly<Record<string, unknown>> };
}

/** What observation may use: facts (batched, cached) and the host's variables. */
export interface HostContext {
  /** Inventory name. */
  readonly host: string;
  /** Every variable visible to the task on this host, facts included. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Read many facts in one round trip; cached per host until the host changes. */
  facts<const F extends readonly Fact<unknown>[]>(...facts: F): Promise<FactValues<F>>;
}

/** What a module may use to declare its facts: the host's name and variables, never I/O. */
export interface NeedsContext {
  /** Inventory name. */
  readonly host: string;
  /** Every variable visible to the task on this host, facts included. */
  readonly vars: Readonly<Record<string, unknown>>;
}

/** What a module's own apply may use, for the few that must wait on the world (reboot, builds). */
export interface ApplyContext extends HostContext {
  /** Runs a command with the task's become, timeout and environment. */
  run(command: Command, options?: RunOptions): Promise<CommandResult>;
  /** Writes a file atomically (Transport.put) with the task's become, as the runner's own puts. */
  put(path: string, content: string | Buffer, options?: Omit<PutOptions, 'become'>): Promise<void>;
  /** Drop the connection and wait until the host accepts SSH again, or throw UnreachableError. */
  waitForConnection(options: { readonly timeoutMs: number; readonly delayMs?: number }): Promise<void>;
  /** Forget every cached fact of this host (after a reboot or anything that changes many). */
  invalidateFacts(): void;
  /** A progress line for live output: `buildkernel: 43% (>>> stage 3.1)`. */
  progress(message: string): void;
}

/** What a module's own apply returns, in addition to the steps it carried out. */
export interface ApplyOutcome {
  readonly changed: boolean;
  readonly failure?: string;
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Input to the pure planner. */
export interface PlanInput<P, F> {
  readonly params: P;
  readonly facts: F;
  /** Variables visible to the task (for controller-side modules such as debug and assert). */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly host: string;
  /** The run's vault secrets, for a module that reads controller files of variables (include_vars). */
  readonly vault?: VaultKeyring | undefined;
}

/** A task module. `P` is derived from the schema, so params are typed by the spec itself. */
export interface ModuleDefinition<S extends z.ZodType = z.ZodType, F = unknown> {
  readonly name: string;
  /** One line for `beastie doc`. */
  readonly summary: string;
  /** Longer notes for `beastie doc NAME`: behaviour, idempotency, what it verifies. */
  readonly description?: string;
  /** Strict schema: unknown keys, wrong types and missing required params are load-time errors. */
  readonly params: S;
  /** A YAML task using the module, shown by `beastie doc NAME`. */
  readonly example: string;
  /**
   * False for a module Ansible documents with `check_mode: support: none` (uri): under --check the
   * task is skipped with Ansible's "remote module (NAME) does not support check mode". Default true.
   */
  readonly supportsCheckMode?: boolean;
  /** Runs on the controller only (debug, set_fact, assert): no host contact. */
  readonly controllerOnly?: boolean;
  /**
   * Runs once for the play's hosts, on the first (an action plugin's BYPASS_HOST_LOOP: add_host).
   * Unlike run_once its result is registered on that host only; its failure fails every host.
   */
  readonly bypassHostLoop?: boolean;
  /**
   * Its parameter names are templates too (set_fact's `"{{ name }}": value`), rendered before the
   * schema sees them, as Ansible's set_fact action renders its keys; other modules' keys stay as written.
   */
  readonly templatedKeys?: boolean;
  /**
   * The jail the module's own parameters name (community.general sysrc's and pkgng's `jail`): the
   * task then runs inside it exactly as with the task keyword `jail:`, which it overrides.
   */
  jail?(params: z.output<S>): string | undefined;
  /**
   * The facts `observe` reads, from the rendered params alone and without I/O, so the runner can
   * read many tasks' facts in one round trip per host before they run. Exactly what `observe` asks `host.facts` for on a host where nothing it reads
   * exists; a read that depends on a value read first (a destination that turns out to be a
   * directory) is read when observe runs. Undefined — or no `needs` at all — means the facts
   * cannot be known before observe runs (a controller file's text is part of the fact, a nonce):
   * observe reads them when the task runs, as before. Declaring is only ever an optimisation:
   * observe still asks for every fact it uses, and the cache serves what was read ahead.
   */
  needs?(params: z.output<S>, host: NeedsContext): readonly Fact<unknown>[] | undefined;
  /**
   * The one command the plan runs, when running it only reads the host (a program of
   * src/command/read-only-programs.ts in a form it allows); undefined otherwise. The runner may
   * then run it ahead with the play's facts and, when nothing changed on the host before the
   * task's turn, take its recorded result instead of running it again (src/runner/read-ahead.ts).
   */
  readsOnly?(params: z.output<S>): Command | undefined;
  /** Read what the plan needs. Must not change the host. */
  observe(host: HostContext, params: z.output<S>): Promise<F>;
  /** Pure: compare facts with params and decide the steps. Unit-tested without SSH. */
  plan(input: PlanInput<z.output<S>, F>): Plan;
  /**
   * After the steps ran: observe again and say whether the wanted state was reached (real tools
   * lie about success). Returns an error message, with the tool's own text, when it was not.
   */
  verify?(input: { readonly params: z.output<S>; readonly facts: F; readonly results: readonly CommandResult[] }): string | undefined;
  /** Values for `register:` from the commands that ran (stdout, rc…). */
  register?(input: { readonly params: z.output<S>; readonly results: readonly CommandResult[] }): Record<string, unknown>;
  /** Only for modules that must wait on the world; the runner still never calls it in --check. */
  apply?(context: ApplyContext, input: PlanInput<z.output<S>, F> & { readonly plan: Plan }): Promise<ApplyOutcome>;
}

/** Define a module with its types derived from the schema. */
export function defineModule<S extends z.ZodType, F>(definition: ModuleDefinition<S, F>): ModuleDefinition<S, F> {
  return definition;
}

/** Whether the plan changes anything. */
export function planChanges(plan: Plan): boolean {
  return plan.steps.some((step) => step.kind === 'change');
}
