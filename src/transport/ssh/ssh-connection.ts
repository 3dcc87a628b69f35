// One SSH connection to one host, opened on first use and shared by every command of the run.
// Holds the channel slots (MaxSessions), the SFTP session and, for jump hosts, the forwarded
// stream it rides on. Dropping it (close, reboot, network) makes the next use reconnect.
import ssh2 from 'ssh2';
import type { AnyAuthMethod, ClientChannel, PseudoTtyOptions, SFTPWrapper } from 'ssh2';
import type { Duplex } from 'node:stream';
import { UnreachableError } from '../../errors.js';
import { ChannelSlots } from './channel-slots.js';
import { signalChannel } from './channel-signal.js';
import { killMarkedCommand } from './run-mark.js';
import { connectError, type ConnectTarget } from './connect-error.js';
import type { HostKeyCheck } from './host-key-check.js';

/** OpenSSH's default MaxSessions. */
export const MAX_SESSIONS = 10;

/** Channel opens refused by a session limit are retried this often (backoff 0, 1, 3 … 255 ms). */
const OPEN_RETRIES = 10;
/** The longest wait between retries of a refused channel open. */
const MAX_RETRY_DELAY_MS = 250;

/** How long close() waits for the server to end the connection before dropping the socket. */
const CLOSE_GRACE_MS = 2000;

/** Diagnostics sink; never given secrets. */
export interface SshLogger {
  readonly debug?: (host: string, message: string) => void;
  readonly warn?: (host: string, message: string) => void;
}

/** Everything needed to open the connection. */
export interface SshEndpoint {
  /** Inventory name, for messages. */
  readonly host: string;
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  /** Auth methods in the order to try (agent, keys, password). */
  readonly auth: () => Promise<AnyAuthMethod[]>;
  /** Host key verification prepared for one attempt. */
  readonly hostKeys: () => Promise<HostKeyCheck>;
  /** The jump host to tunnel through (ProxyJump). */
  readonly via?: SshConnection;
  /**
   * Shared by every connection of a run: how many SSH handshakes may be in flight at once. With
   * --forks 500 all hosts connect together, and a handshake that waits for the CPU behind 499
   * others would run out its connect timeout without the host being slow at all.
   */
  readonly handshakes?: ChannelSlots;
}

/** A connected client and its per-connection state. */
export class LiveSession {
  readonly slots = new ChannelSlots(MAX_SESSIONS);
  /** Exec channels whose command has not ended, with the mark in its command line (run-mark.ts). */
  private readonly running = new Map<ClientChannel, string | undefined>();
  private sftpSession: Promise<SFTPWrapper> | undefined;
  /** Set once the connection has ended. */
  lostError: UnreachableError | undefined;
  private markLost: (error: UnreachableError) => void = () => undefined;
  /** Settles when the connection ends, for requests (SFTP) that ssh2 leaves pending then. */
  readonly lost: Promise<UnreachableError> = new Promise((resolve) => (this.markLost = resolve));

  constructor(
    readonly client: ssh2.Client,
    private readonly endpoint: SshEndpoint,
  ) {}

  /** Records the end of the connection: waiters for a slot fail, pending requests are told. */
  end(error: UnreachableError): void {
    this.lostError ??= error;
    this.slots.fail(this.lostError);
    this.markLost(this.lostError);
  }

  /** Opens an exec channel in a slot; the slot is freed when the channel closes. */
  async exec(command: string, pty: PseudoTtyOptions | undefined, mark?: string): Promise<ClientChannel> {
    const release = await this.slots.acquire();
    const channel = await this.openInSlot(release, (callback: (error: Error | undefined, channel: ClientChannel) => void) => {
      if (pty === undefined) this.client.exec(command, callback);
      else this.client.exec(command, { pty }, callback);
    });
    this.running.set(channel, mark);
    channel.once('close', () => {
      this.running.delete(channel);
      release();
    });
    return channel;
  }

  /**
   * Kill every command still running on this connection (its whole process group on the host):
   * closing a channel or the connection alone leaves a command without a terminal running on
   * (sshd's session_close_by_channel only detaches it).
   */
  async killRunning(): Promise<void> {
    // A signal request does it where sshd allows it (not for root before OpenSSH 9.8); the marked
    // command finds and kills the rest.
    for (const channel of this.running.keys()) signalChannel(channel, 'KILL');
    const marks = [...this.running.values()].filter((mark) => mark !== undefined);
    if (marks.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const killed = (async () => {
      const channel = await this.exec(killMarkedCommand(marks), undefined);
      channel.resume();
      channel.stderr.resume();
      channel.end();
      await new Promise((resolve) => channel.once('close', resolve));
    })();
    try {
      await Promise.race([killed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    } catch {
      // The connection went meanwhile: nothing more can be done from here.
    } finally {
      clearTimeout(timer);
    }
    killed.catch(() => undefined);
  }

  /** The connection's SFTP session, opened once; it holds one slot for the connection's life. */
  sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= (async () => {
      const release = await this.slots.acquire();
      return this.openInSlot(release, (callback: (error: Error | undefined, sftp: SFTPWrapper) => void) => this.client.sftp(callback));
    })();
    this.sftpSession.catch(() => (this.sftpSession = undefined));
    return this.sftpSession;
  }

  /**
   * Opens a session channel (exec or SFTP) in a slot already held, retrying sshd's refusals;
   * on failure the slot is released and the error says which host refused.
   */
  private async openInSlot<T>(release: () => void, open: (callback: (error: Error | undefined, value: T) => void) => void): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await new Promise<T>((resolve, reject) => open((error, value) => (error ? reject(error) : resolve(value))));
      } catch (error) {
        // sshd frees a closed session after the packets read with our CLOSE are handled, so an
        // OPEN sent right behind it can meet "no more sessions"; by the time the refusal is
        // back the session is free, so the first retry goes at once. A server with a MaxSessions
        // below ours refuses for as long as our other channels run: keep waiting while they do.
        const othersOpen = this.slots.used > 1;
        if (this.lostError === undefined && (attempt < OPEN_RETRIES || othersOpen) && /open failure/i.test((error as Error).message)) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** (attempt - 1) - 1, MAX_RETRY_DELAY_MS)));
          continue;
        }
        release();
        throw this.lostError ?? new UnreachableError('connection-lost', `ssh ${this.endpoint.hostName}: cannot open a channel: ${(error as Error).message}`, { host: this.endpoint.host, cause: error });
      }
    }
  }

  /** A forwarded TCP stream to `hostName:port` from this host (for the next hop of ProxyJump). */
  forward(hostName: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, hostName, port, (error, stream) => (error ? reject(error) : resolve(stream)));
    });
  }
}

/** A lazily opened, reusable connection to one host. */
export class SshConnection {
  private live: Promise<LiveSession> | undefined;
  /** The client still handshaking, so close() can abort it. */
  private connecting: ssh2.Client | undefined;
  /** Bumped by close(), so a connect that began before it gives up. */
  private generation = 0;

  constructor(
    readonly endpoint: SshEndpoint,
    private readonly logger: SshLogger = {},
  ) {}

  /** `user@host:port` (and the jump chain), for messages. */
  get label(): string {
    const via = this.endpoint.via ? ` via ${this.endpoint.via.label}` : '';
    return `${this.endpoint.user}@${this.endpoint.hostName}:${this.endpoint.port}${via}`;
  }

  /** The connected session, connecting first if needed. Throws UnreachableError. */
  session(): Promise<LiveSession> {
    if (this.live === undefined) {
      const live = this.connect();
      this.live = live;
      live.catch(() => {
        if (this.live === live) this.live = undefined;
      });
    }
    return this.live;
  }

  /** Ends the connection; the next {@link session} reconnects. */
  async close(): Promise<void> {
    const live = this.live;
    this.live = undefined;
    this.generation += 1;
    if (live === undefined) return;
    this.connecting?.destroy();
    let session: LiveSession;
    try {
      session = await live;
    } catch {
      return;
    }
    if (session.lostError !== undefined) return;
    // Leaving: nothing started here may run on unattended (Ctrl-C's grace is over, or the run ended).
    await session.killRunning();
    await new Promise<void>((resolve) => {
      // A frozen host never answers our disconnect; do not wait on it for long.
      const timer = setTimeout(() => session.client.destroy(), CLOSE_GRACE_MS);
      session.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      session.client.end();
    });
  }

  private async connect(): Promise<LiveSession> {
    const { endpoint } = this;
    const generation = this.generation;
    const started = performance.now();
    const [auth, hostKeys] = await Promise.all([endpoint.auth(), endpoint.hostKeys()]);
    if (auth.length === 0) {
      throw new UnreachableError('auth', `ssh ${this.label}: no way to authenticate: no ssh-agent (SSH_AUTH_SOCK) and no usable key file`, {
        host: endpoint.host,
        fix: 'start ssh-agent with your key, or set ansible_ssh_private_key_file',
      });
    }
    let sock: Duplex | undefined;
    if (endpoint.via) {
      const jump = await endpoint.via.session().catch((error: unknown) => {
        const why = error instanceof Error ? error.message : String(error);
        throw new UnreachableError(error instanceof UnreachableError ? error.reason : 'refused', `ssh ${this.label}: jump host unreachable: ${why}`, { host: endpoint.host, cause: error });
      });
      // The jump host's own TCP connect can take minutes to give up; the connect timeout bounds it.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('Timed out while the jump host connected'), { level: 'client-timeout' })), endpoint.connectTimeoutMs);
      });
      sock = await Promise.race([jump.forward(endpoint.hostName, endpoint.port), timeout])
        .catch((error: unknown) => {
          const refused = /refused/i.test(String(error)) ? { code: 'ECONNREFUSED' } : {};
          throw connectError(Object.assign(error as Error, refused), this.target(), endpoint.connectTimeoutMs);
        })
        .finally(() => clearTimeout(timer));
    }
    if (generation !== this.generation) {
      sock?.destroy();
      throw new UnreachableError('connection-lost', `ssh ${this.label}: closed while connecting`, { host: endpoint.host });
    }
    // The connect timeout starts once this handshake may run, not while it queues for the gate.
    const releaseHandshake = await endpoint.handshakes?.acquire();
    if (generation !== this.generation) {
      releaseHandshake?.();
      sock?.destroy();
      throw new UnreachableError('connection-lost', `ssh ${this.label}: closed while connecting`, { host: endpoint.host });
    }
    const client = new ssh2.Client();
    const session = new LiveSession(client, endpoint);
    this.connecting = client;
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      // Small request/reply packets: without this, Nagle and delayed ACKs cost ~40 ms a command.
      client.on('connect', () => client.setNoDelay(true));
      client.on('ready', () => {
        ready = true;
        resolve();
      });
      client.on('error', (error: Error) => {
        const refusal = hostKeys.refusal();
        const unreachable = refusal ?? connectError(error, this.target(), endpoint.connectTimeoutMs);
        if (!ready) reject(unreachable);
        else session.lostError ??= new UnreachableError('connection-lost', `ssh ${this.label}: connection lost: ${error.message}`, { host: endpoint.host, cause: error });
      });
      client.on('close', () => {
        session.end(new UnreachableError('connection-lost', `ssh ${this.label}: connection closed`, { host: endpoint.host }));
        if (!ready) reject(hostKeys.refusal() ?? session.lostError);
        void this.live?.then((current) => {
          if (current === session) this.live = undefined;
        }, () => undefined);
      });
      client.connect({
        host: endpoint.hostName,
        port: endpoint.port,
        username: endpoint.user,
        ...(sock ? { sock } : {}),
        readyTimeout: endpoint.connectTimeoutMs,
        keepaliveInterval: endpoint.keepaliveIntervalMs,
        keepaliveCountMax: endpoint.keepaliveCountMax,
        authHandler: auth,
        hostVerifier: hostKeys.verify,
        algorithms: { serverHostKey: hostKeys.algorithms },
      });
    }).finally(() => {
      releaseHandshake?.();
      if (this.connecting === client) this.connecting = undefined;
    });
    this.logger.debug?.(endpoint.host, `connected ${this.label} in ${Math.round(performance.now() - started)} ms`);
    return session;
  }

  private target(): ConnectTarget {
    const { endpoint } = this;
    return { host: endpoint.host, user: endpoint.user, hostName: endpoint.hostName, port: endpoint.port, ...(endpoint.via === undefined ? {} : { via: endpoint.via.label }) };
  }
}
