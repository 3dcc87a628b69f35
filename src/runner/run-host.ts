// One host's state across the whole run: its status, its gathered facts and the variables tasks
// set on it (set_fact, register), and its sessions (one per jail and become identity).
import type { Logger } from 'pino';
import { LoggedTransport, type CommandObserver } from '../log/logged-transport.js';
import { JailTransport } from '../transport/jail.js';
import { LocalTransport } from '../transport/local.js';
import type { BecomeSpec, RunOptions, Transport } from '../transport/transport.js';
import type { FactCache } from '../facts/fact-cache.js';
import { HostSession } from './host-session.js';

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

  constructor(readonly transport: LoggedTransport) {}

  /** The session for a jail and become identity, created on first use. */
  get(key: SessionKey): HostSession {
    const id = `${key.jail ?? ''}\u0000${key.become ? `${key.become.method}:${key.become.user ?? 'root'}` : ''}`;
    let session = this.sessions.get(id);
    if (session === undefined) {
      const transport: Transport = key.jail === undefined ? this.transport : new JailTransport(this.transport, key.jail);
      const options: RunOptions = key.become === undefined ? {} : { become: key.become };
      session = new HostSession(transport, options, () => this.invalidateAll());
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

/** The session whose cache holds what is read ahead (src/runner/read-ahead.ts): the host itself, no jail, no become. */
export function aheadCache(host: RunHost): FactCache {
  return host.sessions().get({ jail: undefined, become: undefined }).facts;
}

/** A host of the run. */
export class RunHost {
  status: HostStatus = 'active';
  /** Gathered facts, as variables (beastie_*, ansible_*). */
  facts: Record<string, unknown> = {};
  /** set_fact and register results: above play vars, below extra vars. */
  readonly hostFacts: Record<string, unknown> = {};
  /** Handlers notified on this host and not yet run, by handler identity. */
  readonly notified = new Set<string>();
  private hostSessions: HostSessions | undefined;
  private localHostSessions: HostSessions | undefined;

  constructor(
    readonly name: string,
    private readonly openTransport: () => Transport,
    private readonly logger: Logger,
    private readonly observe?: CommandObserver | undefined,
  ) {}

  /** Opens the host's transport on first use (nothing is contacted before a task needs it). */
  sessions(): HostSessions {
    this.hostSessions ??= new HostSessions(new LoggedTransport(this.openTransport(), this.logger, { host: this.name }, this.observe));
    return this.hostSessions;
  }

  /** Sessions on the controller for `delegate_to: localhost`, with this host's variables. */
  localSessions(): HostSessions {
    this.localHostSessions ??= new HostSessions(
      new LoggedTransport(new LocalTransport('localhost'), this.logger, { host: this.name, delegatedTo: 'localhost' }, this.observe),
    );
    return this.localHostSessions;
  }

  /** Whether the host still takes tasks. */
  get active(): boolean {
    return this.status === 'active';
  }

  async close(): Promise<void> {
    await this.hostSessions?.close();
    await this.localHostSessions?.close();
  }
}
