// The run's host locks: taken for each host of a batch before its first task (the first contact
// with the host), released at the end of the run — or earlier, by the last command a no-change
// run sends (src/runner/host-lease.ts). A host whose lock another live run holds leaves
// the play as unreachable (reason `host-locked`), with who holds it and what to do.
import { hostname, userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { UnreachableError } from '../errors.js';
import type { RunEvent } from '../output/events.js';
import type { Play } from '../playbook/types.js';
import type { HostSessions, RunHost } from './run-host.js';
import type { Fact } from '../facts/fact.js';
import type { Command } from '../command/command.js';
import type { CommandResult } from '../transport/transport.js';
import type { FactCache } from '../facts/fact-cache.js';
import { describeHolder, LOCK_PATH, releaseHostLock, takeHostLock, type LockJudge, type LockRecord } from '../lock/host-lock.js';
import { HostLease } from './host-lease.js';

/** The task name lock events carry. */
export const LOCK_TASK = `take the host lock (${LOCK_PATH})`;

/** This controller's identity for a new run. */
export function newLockRecord(now: Date = new Date()): LockRecord {
  return { owner: userInfo().username, pid: process.pid, controller: hostname(), started: now.toISOString(), run: randomUUID() };
}

/** Whether a pid runs on this machine (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Locks of one run. */
export class HostLocks {
  /** Each locked host, with the sessions (the connection) the lock was taken through. */
  private readonly held = new Map<RunHost, HostSessions>();
  private readonly tried = new Set<string>();

  constructor(
    private readonly judge: LockJudge,
    private readonly breakStale: boolean,
  ) {}

  /**
   * Take the lock of each host not yet tried; hosts refused become unreachable. `ahead` names the
   * facts to read in the same round trip as the lock, into the cache `aheadCache` gives.
   */
  async enterBatch(
    play: Play,
    hosts: readonly RunHost[],
    emit: (event: RunEvent) => void,
    ahead?: { readonly facts: (host: RunHost) => readonly Fact<unknown>[]; readonly cache: (host: RunHost) => FactCache },
  ): Promise<void> {
    const fresh = hosts.filter((host) => host.active && !this.tried.has(host.name));
    for (const host of fresh) this.tried.add(host.name);
    const refusals: { host: RunHost; error: UnreachableError; durationMs: number }[] = [];
    await Promise.all(
      fresh.map(async (host) => {
        const started = performance.now();
        const transport = host.sessions().transport;
        transport.task = { name: LOCK_TASK, noLog: false };
        const elapsed = () => Math.round(performance.now() - started);
        try {
          const facts = ahead?.facts(host) ?? [];
          const cache = ahead?.cache(host);
          // The first command takes the lock, reads the play's facts and gives the lock back
          // (src/runner/host-lease.ts): a no-change run then has no command left to send at the end.
          const lease = new HostLease(transport, this.judge.self);
          const giveBack = lease.giveBack();
          let gaveBack = false;
          let more = false;
          const attempt = await takeHostLock(
            { run: (command) => ((more = true), transport.run(command)) },
            this.judge,
            this.breakStale,
            cache === undefined ? undefined : (command) => cache.runThenRead(command, {}, facts, giveBack === undefined ? undefined : { command: giveBack, lastRan: (ran) => void (gaveBack = ran) }),
          );
          // Given back only by the command that took it (not by a retry or a take-over after it).
          lease.gaveBack(gaveBack && !more);
          switch (attempt.kind) {
            case 'acquired':
              this.hold(host, lease, emit);
              return;
            case 'took-over':
              this.hold(host, lease, emit);
              emit({ event: 'warning', host: host.name, msg: `took over the stale host lock of ${describeHolder(attempt.stale)}: that process is gone (--break-stale-locks)` });
              return;
            case 'error':
              emit({
                event: 'warning',
                host: host.name,
                msg: `could not take the host lock ${LOCK_PATH} (exit ${attempt.exitCode}: ${attempt.stderr}); running without it — another controller could run against this host at the same time`,
              });
              return;
            case 'refused':
              refusals.push({ host, error: refusal(host.name, attempt), durationMs: elapsed() });
              return;
          }
        } catch (error) {
          if (!(error instanceof UnreachableError)) throw error;
          refusals.push({ host, error, durationMs: elapsed() });
        }
      }),
    );
    if (refusals.length === 0) return;
    emit({ event: 'task_start', play: play.name, task: LOCK_TASK, hosts: refusals.map((r) => r.host.name), source: play.source, handler: false });
    for (const { host, error, durationMs } of refusals) {
      host.lose();
      const msg = error.describe();
      emit({ event: 'host_unreachable', host: host.name, task: LOCK_TASK, msg, reason: error.reason });
      emit({ event: 'task_result', host: host.name, task: LOCK_TASK, status: 'unreachable', source: play.source, msg, durationMs });
    }
  }

  /**
   * Keep the lock across reconnections: a reboot empties /var/run (rc.d/cleanvar), so on every
   * new connection the lock is taken again before any other command runs. If another run took
   * it meanwhile, the host is lost as at the first contact (host-locked), never run on by two.
   */
  private hold(host: RunHost, lease: HostLease, emit: (event: RunEvent) => void): void {
    // A later play may connect otherwise (its connection / remote_user / port): the lock stays with this connection.
    const sessions = host.sessions();
    this.held.set(host, sessions);
    sessions.lease = lease;
    sessions.transport.onReconnect((run) => this.retake(host, sessions, run, emit));
  }

  private async retake(host: RunHost, sessions: HostSessions, run: (command: Command) => Promise<CommandResult>, emit: (event: RunEvent) => void): Promise<void> {
    // A lock given back early is taken back before the next change, not on reconnecting.
    if (!this.held.has(host) || sessions.lease?.held === false) return;
    const attempt = await takeHostLock({ run }, this.judge, this.breakStale);
    switch (attempt.kind) {
      case 'acquired':
        return;
      case 'took-over':
        emit({ event: 'warning', host: host.name, msg: `took over the stale host lock of ${describeHolder(attempt.stale)} after reconnecting (--break-stale-locks)` });
        return;
      case 'error':
        emit({ event: 'warning', host: host.name, msg: `could not take the host lock ${LOCK_PATH} again after reconnecting (exit ${attempt.exitCode}: ${attempt.stderr}); running without it` });
        return;
      case 'refused':
        this.held.delete(host);
        sessions.lease = undefined;
        throw refusal(host.name, attempt, 'after the host came back');
    }
  }

  /** Remove every lock this run holds; a host gone by now keeps a lock that the next run sees as stale. */
  async releaseAll(emit: (event: RunEvent) => void): Promise<void> {
    await Promise.all(
      // A lock given back early needs no command (and is not ours to remove now); one whose
      // retake got no answer may be on the host.
      [...this.held].filter(([, sessions]) => sessions.lease?.mayBeHeld !== false).map(async ([host, sessions]) => {
        try {
          sessions.transport.task = { name: 'release the host lock', noLog: false };
          await releaseHostLock(sessions.transport, this.judge.self);
        } catch (error) {
          emit({ event: 'warning', host: host.name, msg: `could not release the host lock ${LOCK_PATH}: ${error instanceof Error ? error.message : String(error)}; the next run will report it as stale` });
        }
      }),
    );
    this.held.clear();
  }
}

/** The error for a lock held by someone else, saying who and what to do. */
function refusal(host: string, attempt: Extract<Awaited<ReturnType<typeof takeHostLock>>, { kind: 'refused' }>, when?: string): UnreachableError {
  const who = attempt.holder === undefined ? `an unreadable lock (${attempt.text.trim().slice(0, 200)})` : describeHolder(attempt.holder);
  const since = when === undefined ? '' : ` ${when}`;
  if (attempt.state === 'stale') {
    return new UnreachableError('host-locked', `${LOCK_PATH} is held${since} by a run that is gone: ${who}`, {
      host,
      fix: 're-run with --break-stale-locks to take it over',
    });
  }
  return new UnreachableError('host-locked', `${LOCK_PATH} is held${since} by another run: ${who}`, {
    host,
    fix: `wait for that run to finish; if it is gone (e.g. its controller crashed), remove ${LOCK_PATH} on the host, then retry with --limit @RETRYFILE`,
  });
}
