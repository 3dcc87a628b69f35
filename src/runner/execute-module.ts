// Runs one module on one host: observe, plan (pure), and — unless --check — apply the plan's
// actions, then observe again and let the module verify the state was reached.
import type { Action, Diff, ModuleDefinition, Plan, Step } from '../module-api/module.js';
import { planChanges, putAttributes } from '../module-api/module.js';
import type { CommandResult } from '../transport/transport.js';
import type { HostSession } from './host-session.js';
import { recordedRunFact } from '../facts/recorded-run.js';
import { JailNotRunningError } from '../transport/jail.js';
import { exitedText } from '../text/exit-text.js';
import type { VaultKeyring } from '../vault/vault-keyring.js';

/** The outcome of one module call on one host, before when/changed_when/failed_when. */
export interface ModuleOutcome {
  readonly status: 'ok' | 'changed' | 'failed';
  /** The no-op reasons, the change summaries, or the failure with the tool's own text. */
  readonly msg: string;
  readonly steps: readonly Step[];
  readonly diffs: readonly Diff[];
  /** Commands run while applying (not the read-only observations). */
  readonly results: readonly CommandResult[];
  /** Values for `register:`. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly setFacts?: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
}

/** What one module call needs: the module, its validated params, the host session and check mode. */
export interface ExecuteModuleInput {
  readonly module: ModuleDefinition;
  /** Rendered and validated against the module's schema. */
  readonly params: unknown;
  readonly session: HostSession;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly check: boolean;
  /** The run's vault secrets, passed to the module's plan (include_vars reads vaulted files). */
  readonly vault?: VaultKeyring | undefined;
  readonly progress?: (message: string, waiting?: boolean) => void;
  /** Adds a plan's add_host to the run's inventory; whether the inventory changed. */
  readonly addHost?: (request: NonNullable<Plan['addHost']>) => boolean;
}

/** A failure of one action, with everything the user needs to see under the task. */
function actionFailure(action: Action, result: CommandResult): string {
  return exitedText(action.kind === 'run' ? action.command.display : `write ${action.path}`, result);
}

/** Summary line of a plan: what changes, or why nothing does. */
export function describePlan(plan: Plan): string {
  const changes = plan.steps.filter((s) => s.kind === 'change').map((s) => (s.kind === 'change' ? s.summary : ''));
  if (changes.length > 0) return changes.join('; ');
  return plan.steps.map((s) => (s.kind === 'noop' ? s.reason : '')).join('; ');
}

function lastRunValues(results: readonly CommandResult[]): Record<string, unknown> {
  const last = results.at(-1);
  if (last === undefined) return {};
  // Ansible's command module strips the trailing newline: `stdout == 'one'` must hold for `echo one`.
  const stdout = last.stdout.replace(/[\r\n]+$/, '');
  const stderr = last.stderr.replace(/[\r\n]+$/, '');
  return {
    cmd: last.command,
    rc: last.exitCode,
    stdout,
    stderr,
    stdout_lines: stdout === '' ? [] : stdout.split('\n'),
    stderr_lines: stderr === '' ? [] : stderr.split('\n'),
  };
}

/**
 * The recorded result of the plan's one command when it was run ahead (src/runner/read-ahead.ts)
 * and nothing changed since (a change forgets it): only for the module's own read-only command,
 * exactly as planned, on the host's own session (no jail, become, environment, timeout, async),
 * without stdin. Taken from the cache, so it serves this call only.
 */
function recordedRun(module: ModuleDefinition, params: unknown, actions: readonly Action[], session: HostSession): CommandResult | undefined {
  const [only, ...more] = actions;
  if (only?.kind !== 'run' || more.length > 0 || only.stdin !== undefined) return undefined;
  const command = module.readsOnly?.(params);
  if (command === undefined || command.text !== only.command.text) return undefined;
  const { runOptions } = session;
  if (runOptions.timeoutMs !== undefined || runOptions.become !== undefined || session.transport !== session.facts.transport) return undefined;
  const output = session.facts.take(recordedRunFact(command));
  // Its duration was not measured on its own inside the batch: registered as 0 (start = end).
  return output === undefined ? undefined : { command: command.display, exitCode: output.exitCode, stdout: output.stdout, stderr: output.stderr, durationMs: 0 };
}

/** Observe, plan, apply (unless check), verify. Connection loss propagates as UnreachableError. */
export async function executeModule(input: ExecuteModuleInput): Promise<ModuleOutcome> {
  const { module, params, session, vars, check } = input;
  let facts: unknown;
  try {
    facts = module.controllerOnly ? undefined : await module.observe(session.hostContext(vars), params);
  } catch (error) {
    // In --check an earlier task that would create the jail has not run: nothing inside it can be
    // observed, and the real run would do this task in the new jail. Say so instead of failing.
    if (check && error instanceof JailNotRunningError) {
      const msg = `jail '${error.jail}' does not run yet, so nothing inside it can be observed in --check; the real run does this task once an earlier task has started it`;
      return { steps: [], diffs: [], notes: [], status: 'changed', msg, results: [], values: {} };
    }
    throw error;
  }
  const planInput = { params, facts, vars, host: session.transport.host, vault: input.vault };
  const plan = module.plan(planInput);
  const diffs = plan.steps.flatMap((s) => (s.kind === 'change' && s.diff ? [s.diff] : []));
  const notes = plan.notes ?? [];
  const base = { steps: plan.steps, diffs, notes, ...(plan.setFacts === undefined ? {} : { setFacts: plan.setFacts }) };
  if (plan.failure !== undefined) {
    return { ...base, status: 'failed', msg: plan.failure, results: [], values: { ...plan.values } };
  }
  if (plan.addHost !== undefined) {
    // As the strategy's _process_pending_results: the inventory changes under --check too.
    if (input.addHost === undefined) throw new Error('add_host: this run has no inventory to add to');
    const added = input.addHost(plan.addHost);
    return { ...base, status: added ? 'changed' : 'ok', msg: describePlan(plan), results: [], values: { ...plan.values } };
  }
  const changes = planChanges(plan);
  if (check || !changes) {
    return { ...base, status: changes ? 'changed' : 'ok', msg: describePlan(plan), results: [], values: { ...plan.values } };
  }

  // A lock given back early (src/runner/host-lease.ts) is taken back before the host changes.
  const lease = session.lease;
  if (module.apply) {
    await lease?.retake();
    const outcome = await module.apply(session.applyContext(vars, input.progress ?? (() => undefined)), { ...planInput, plan });
    session.invalidateFacts();
    const status = outcome.failure !== undefined ? 'failed' : outcome.changed ? 'changed' : 'ok';
    return { ...base, status, msg: outcome.failure ?? describePlan(plan), results: [], values: { ...plan.values, ...outcome.values } };
  }

  const results: CommandResult[] = [];
  const actions = plan.steps.flatMap((step) => (step.kind === 'change' ? step.actions : []));
  const last = actions.at(-1);
  // After the last command, what verify and the tasks still to come read goes in the same round
  // trip (not through a detached async job, nor with stdin meant for the command alone). The
  // transport cuts the output where the command ends (src/transport/lead-cut.ts), so a command's
  // or shell's own output — its limit, truncation note, live output and log — is exactly its own.
  // A task with `timeout:` runs its command alone: the timeout is the command's, not the reads'.
  // A read-only program run ahead, with nothing changed on the host since, is not run again: its
  // recorded result is the task's, and the host is not changed (no retake, nothing forgotten).
  const recorded = recordedRun(module, params, actions, session);
  const rideAlong = recorded === undefined && last?.kind === 'run' && last.stdin === undefined && session.runOptions.timeoutMs === undefined && session.transport === session.facts.transport;
  // A lone command on the host's own session carries the lock's retake in front of it, and gives
  // the lock back again after the reads; anything else takes it back in a round trip first.
  const own = rideAlong && actions.length === 1 ? session.ownLease : undefined;
  if (own === undefined && recorded === undefined) await lease?.retake();
  for (const step of plan.steps) {
    if (step.kind !== 'change') continue;
    for (const action of step.actions) {
      if (action.kind === 'put') {
        await session.transport.put(action.path, action.content, { ...putAttributes(action), ...(session.runOptions.become === undefined ? {} : { become: session.runOptions.become }) });
        continue;
      }
      let result: CommandResult;
      if (recorded !== undefined) {
        result = recorded;
      } else if (rideAlong && action === last) {
        // The host changes now: forget before reading again, so what is read after is kept.
        session.invalidateFacts();
        // Its own facts again only for verify; what later tasks declared in any case.
        const again = module.verify === undefined ? [] : (module.needs?.(params, { host: session.transport.host, vars }) ?? []);
        const giveBack = own?.giveBack();
        let gaveBack = false;
        result = await session.facts.runThenRead(
          own?.guard(action.command) ?? action.command,
          session.runOptions,
          [...again, ...session.facts.expected()],
          giveBack === undefined ? undefined : { command: giveBack, lastRan: (ran) => void (gaveBack = ran) },
        );
        // A refused retake loses the host here: its command did not run.
        if (own !== undefined) result = own.guarded(result);
        own?.gaveBack(gaveBack);
      } else {
        result = await session.transport.run(action.command, { ...session.runOptions, ...(action.stdin === undefined ? {} : { stdin: action.stdin }) });
      }
      results.push(result);
      if (!(action.okExitCodes ?? [0]).includes(result.exitCode)) {
        if ((action !== last || !rideAlong) && recorded === undefined) session.invalidateFacts();
        const values = { ...plan.values, ...lastRunValues(results), ...module.register?.({ params, results }) };
        return { ...base, status: 'failed', msg: `${step.summary}: ${actionFailure(action, result)}`, results, values };
      }
    }
  }
  if (!rideAlong && recorded === undefined) session.invalidateFacts();
  const values = { ...plan.values, ...lastRunValues(results), ...module.register?.({ params, results }) };
  if (module.verify) {
    const after = await module.observe(session.hostContext(vars), params);
    const failure = module.verify({ params, facts: after, results });
    if (failure !== undefined) return { ...base, status: 'failed', msg: failure, results, values };
  }
  return { ...base, status: 'changed', msg: describePlan(plan), results, values };
}
