// One host's state across the whole run: its status, its gathered facts and the variables tasks
// set on it (set_fact, register), and its sessions (one per jail and become identity).
import type { DiagnosticLogger } from '../log/run-logger.js';
import { LoggedTransport, type CommandObserver } from '../log/logged-transport.js';
import { JailTransport } from '../transport/jail.js';
import { LocalTransport } from '../transport/local.js';
import type { BecomeSpec, RunOptions, Transport } from '../transport/transport.js';
import type { ChangeCount } from '../facts/change-count.js';
import { FactCache } from '../facts/fact-cache.js';
import { HostSession } from './host-session.js';
import type { HostLease } from './host-lease.js';
import { keywordsKey, noConnectionKeywords, type ConnectionKeywords } from './connection-keywords.js';

/** Why a host no longer runs tasks: failed (this or an earlier play), unreachable, or ended by meta/any_errors_fatal. */
export type HostStatus = 'active' | 'failed' | 'unreachable' | 'ended';

/** Which session a task uses: the host itself or one of its jails, with or without become. */
export interface SessionKey {
  readonly jail: string | undefined;
  readonly become: BecomeSpec | undefined;
}

/** A host's sessions; a change through any of them forgets the facts of all (same kernel). */
export class HostSessions {
  private readonly sessions = new Map<string, HostSession>();

  constructor(
    readonly transport: LoggedTransport,
    /** The run's changes on every host, shared by every fact cache (src/facts/change-count.ts). */
    private readonly changes?: ChangeCount,
    /**
     * Where the host's lock is kept: one for all of a host's connections (a task with its own
     * `remote_user:` or `port:` changes the same host, so it takes the lock back too).
     */
    private readonly held: LeaseHolder = { lease: undefined },
  ) {}

  /** The host's lock while this run holds it (set by src/runner/host-locks.ts). */
  get lease(): HostLease | undefined {
    return this.held.lease;
  }

  set lease(lease: HostLease | undefined) {
    this.held.lease = lease;
  }

  /** The session for a jail and become identity, created on first use. */
  get(key: SessionKey): HostSession {
    const id = `${key.jail ?? ''}\u0000${key.become ? `${key.become.method}:${key.become.user ?? 'root'}` : ''}`;
    let session = this.sessions.get(id);
    if (session === undefined) {
      const transport: Transport = key.jail === undefined ? this.transport : new JailTransport(this.transport, key.jail);
      const options: RunOptions = key.become === undefined ? {} : { become: key.become };
      session = new HostSession(transport, options, () => this.invalidateAll(), new FactCache(transport, options, this.changes), () => this.lease);
      this.sessions.set(id, session);
    }
    return session;
  }

  private invalidateAll(): void {
    for (const session of this.sessions.values()) session.facts.invalidate();
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The host's lock, as its connections share it. */
interface LeaseHolder {
  lease: HostLease | undefined;
}

/** The session whose cache holds what is read ahead (src/runner/read-ahead.ts): the host itself, no jail, no become. */
export function aheadCache(host: RunHost): FactCache {
  return host.sessions().get({ jail: undefined, become: undefined }).facts;
}

/** A host of the run. */
export class RunHost {
  private state: HostStatus = 'active';
  /** How many times meta clear_host_errors ran for this host (takenBack compares). */
  private clears = 0;
  /** Gathered facts, as variables (beastie_*, ansible_*). */
  facts: Record<string, unknown> = {};
  /** set_fact and register results: above play vars, below extra vars. */
  readonly hostFacts: Record<string, unknown> = {};
  /** Handlers notified on this host and not yet run, by handler identity. */
  readonly notified = new Set<string>();
  /** One connection per distinct effective connection (src/runner/connection-keywords.ts), by its key. */
  private readonly connections = new Map<string, HostSessions>();
  /** The host's lock, shared by every connection of sessionsFor (not by localSessions: that is the controller). */
  private readonly held: LeaseHolder = { lease: undefined };
  private localHostSessions: HostSessions | undefined;
  /** The current play's connection keywords, rendered for this host. */
  private playKeywords: ConnectionKeywords = noConnectionKeywords;

  constructor(
    readonly name: string,
    /** Opens a transport for the host as the keywords (none: the inventory's own settings) say. */
    private readonly openTransport: (keywords: ConnectionKeywords) => Transport,
    private readonly logger: DiagnosticLogger,
    private readonly observe?: CommandObserver,
    /** The run's changes on every host (src/facts/change-count.ts); the host's own when not given. */
    private readonly changes?: ChangeCount,
    /**
     * Names the connection the keywords lead to, so keywords the host's variables override share
     * one connection; by default the keywords themselves.
     */
    private readonly connectionKey: (keywords: ConnectionKeywords) => string = keywordsKey,
  ) {}

  /** A new play: its `connection` / `remote_user` / `port` (rendered for this host) are what sessions() connects with. */
  usePlayConnection(keywords: ConnectionKeywords): void {
    this.playKeywords = keywords;
  }

  /** The current play's sessions; opens the transport on first use (nothing is contacted before a task needs it). */
  sessions(): HostSessions {
    return this.sessionsFor(this.playKeywords);
  }

  /** The sessions of a task whose connection keywords are `keywords` (the play's, or its own or its block's). */
  sessionsFor(keywords: ConnectionKeywords): HostSessions {
    const key = this.connectionKey(keywords);
    let sessions = this.connections.get(key);
    if (sessions === undefined) {
      sessions = new HostSessions(new LoggedTransport(this.openTransport(keywords), this.logger, { host: this.name }, this.observe), this.changes, this.held);
      this.connections.set(key, sessions);
    }
    return sessions;
  }

  /** Sessions on the controller for `delegate_to: localhost`, with this host's variables. */
  localSessions(): HostSessions {
    this.localHostSessions ??= new HostSessions(
      new LoggedTransport(new LocalTransport('localhost'), this.logger, { host: this.name, delegatedTo: 'localhost' }, this.observe),
      this.changes,
    );
    return this.localHostSessions;
  }

  /** Where the host stands. It changes only through the transitions below, the one place with their rules. */
  get status(): HostStatus {
    return this.state;
  }

  /** Whether the host still takes tasks. */
  get active(): boolean {
    return this.state === 'active';
  }

  /** A task (or gathering, an include, a meta condition) failed on it, not ignored: it takes no more tasks. */
  fail(): void {
    if (this.state !== 'unreachable') this.state = 'failed';
  }

  /** It stopped answering (or another run holds its lock): final for the run, never taken back. */
  lose(): void {
    this.state = 'unreachable';
  }

  /** end_host, end_play, any_errors_fatal: no more tasks in this play. */
  end(): void {
    if (this.state === 'active') this.state = 'ended';
  }

  /**
   * meta clear_host_errors: a failed host no longer counts as failed — it takes no more tasks in
   * this play (as in Ansible, whose failed hosts have finished their play), and takes the next
   * play's. A host running a block's always or rescue for its failure is not failed for now: there
   * the failure is cleared for good, and the host goes on after the block (takenBack). Unreachable
   * stays final.
   */
  clearErrors(): void {
    this.clears++;
    if (this.state === 'failed') this.state = 'ended';
  }

  /** meta reset_connection: drop the host's connection; its next command reconnects (Transport.close). */
  async resetConnection(): Promise<void> {
    await Promise.all([...this.connections.values()].map((sessions) => sessions.close()));
  }

  /** A new play: a host ended by the last play takes tasks again (a failed one does not). */
  nextPlay(): void {
    if (this.state === 'ended') this.state = 'active';
  }

  /**
   * rescue and always take a failed host back for their own tasks. With `failureStands` (always),
   * the failure is restored afterwards, unless those tasks ended or lost the host meanwhile.
   */
  async takenBack<T>(work: () => Promise<T>, failureStands: boolean): Promise<T> {
    if (this.state !== 'failed') return work();
    this.state = 'active';
    const clears = this.clears;
    try {
      return await work();
    } finally {
      // meta clear_host_errors among those tasks cleared the failure for good: the host goes on
      // after the block, as Ansible's PlayIterator.clear_host_errors resets the fail state of a
      // host still iterating (ansible-core's blocks target, main.yml).
      if (failureStands && this.state === 'active' && this.clears === clears) this.state = 'failed';
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((sessions) => sessions.close()));
    await this.localHostSessions?.close();
  }
}
