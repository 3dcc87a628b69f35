// One host's connection state for a run: its transport, its fact cache, and the contexts
// modules observe and apply through.
import type { Command } from '../command/command.js';
import { sh } from '../command/command.js';
import { UnreachableError } from '../errors.js';
import { FactCache } from '../facts/fact-cache.js';
import type { ApplyContext, HostContext } from '../module-api/module.js';
import type { CommandResult, RunOptions, Transport } from '../transport/transport.js';
import type { HostLease } from './host-lease.js';

/** A transport plus its fact cache; one per host (and one per jail of a host) per run. */
export class HostSession {
  readonly facts: FactCache;

  constructor(
    readonly transport: Transport,
    readonly runOptions: RunOptions = {},
    /** Forgets the facts of every session of the same host (its jails see the same kernel). */
    private readonly onInvalidate: () => void = () => undefined,
    facts?: FactCache,
    /** The host's lock, when this run holds it (src/runner/host-lease.ts); shared by every session of the host. */
    private readonly hostLease: () => HostLease | undefined = () => undefined,
  ) {
    this.facts = facts ?? new FactCache(transport, runOptions);
  }

  /** The same session (same fact cache) with other run options: a task's timeout. */
  with(options: RunOptions): HostSession {
    return new HostSession(this.transport, { ...this.runOptions, ...options }, this.onInvalidate, this.facts, this.hostLease);
  }

  /** The same session (same fact cache) over a wrapped transport: the task's `environment:`. */
  through(wrap: (transport: Transport) => Transport): HostSession {
    return new HostSession(wrap(this.transport), this.runOptions, this.onInvalidate, this.facts, this.hostLease);
  }

  /** The host's lock as this run holds it, if it does. */
  get lease(): HostLease | undefined {
    return this.hostLease();
  }

  /**
   * The lease when a command of this session can carry its retake and release itself: one run
   * as the login user on the host itself (no jail, no become), where the lock was taken.
   */
  get ownLease(): HostLease | undefined {
    const lease = this.hostLease();
    return lease !== undefined && lease.transport === this.transport && this.runOptions.become === undefined ? lease : undefined;
  }

  /** The host may have changed: forget this session's facts and its siblings'. */
  invalidateFacts(): void {
    this.facts.invalidate();
    this.onInvalidate();
  }

  /** What `observe` sees. */
  hostContext(vars: Readonly<Record<string, unknown>>): HostContext {
    return {
      host: this.transport.host,
      vars,
      facts: (...facts) => this.facts.read(...facts),
    };
  }

  /** What a module's own `apply` sees. */
  applyContext(vars: Readonly<Record<string, unknown>>, progress: (message: string, waiting?: boolean) => void): ApplyContext {
    return {
      ...this.hostContext(vars),
      run: (command: Command, options: RunOptions = {}) => this.transport.run(command, { ...this.runOptions, ...options }),
      put: (path, content, options = {}) => this.transport.put(path, content, { ...options, ...(this.runOptions.become === undefined ? {} : { become: this.runOptions.become }) }),
      waitForConnection: async (options) => {
        // Bracketed for the run report's timeline: the wait of every reboot, whichever module reboots.
        progress('waiting for the host to accept SSH again', true);
        try {
          await waitForConnection(this.transport, options);
        } catch (error) {
          progress('gave up waiting for SSH', false);
          throw error;
        }
        progress('the host accepts SSH again', false);
        this.invalidateFacts();
      },
      invalidateFacts: () => this.invalidateFacts(),
      progress,
    };
  }
}

/**
 * Drop the connection and poll until the host runs a command again, with backoff from
 * `delayMs` (default 1 s) up to 10 s between attempts; UnreachableError after `timeoutMs`.
 */
export async function waitForConnection(
  transport: Transport,
  options: { readonly timeoutMs: number; readonly delayMs?: number },
): Promise<CommandResult> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = options.delayMs ?? 1000;
  let lastError: unknown;
  await transport.close();
  for (;;) {
    try {
      return await transport.run(sh`true`);
    } catch (error) {
      if (!(error instanceof UnreachableError)) throw error;
      // A host that answers with another host key will not change its mind, nor will another
      // run give back the host lock it took meanwhile: say so now.
      if (error.reason === 'host-key-changed' || error.reason === 'host-locked') throw error;
      lastError = error;
      await transport.close();
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    delay = Math.min(delay * 1.5, 10_000);
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new UnreachableError('timeout', `host did not accept a connection within ${Math.round(options.timeoutMs / 1000)} s (last error: ${why})`, {
    host: transport.host,
    fix: 'check the host console; raise the timeout if it is slow to boot',
  });
}
