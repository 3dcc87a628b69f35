// The narrow transport interface (STYLE.md principle 10): run a command, put a file
// atomically, get a file, close. Implementations: local, ssh, and the jail wrapper.
import type { Command } from '../command/command.js';

/** How to gain privileges for one command. The password is never logged. */
export interface BecomeSpec {
  readonly method: 'sudo' | 'doas' | 'su';
  /** Target user; root when absent. */
  readonly user?: string;
  readonly password?: string;
}

export interface RunOptions {
  /** Written to the command's stdin, then stdin is closed. */
  readonly stdin?: string | Buffer;
  /** Kill the command and fail after this long (the task `timeout:` keyword). */
  readonly timeoutMs?: number;
  readonly become?: BecomeSpec;
  /** Called with output as it arrives, for progress display; the result still holds all of it. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /**
   * The command is a lead with reads after it (src/facts/read-facts.ts): each stream announces
   * the batch's nonce first, and its output from the lead's end marker on is the reads', kept apart
   * in `CommandResult.after` — not counted against the output limit, not passed to `onOutput`
   * (src/transport/lead-cut.ts).
   */
  readonly leadEnds?: LeadEnds;
}

/**
 * How a batch's streams say where its lead command ends. Each prints first a line of `announce`,
 * the host's part of the nonce (made on the host, so in no command line), then `@@\n`; the lead's
 * end marker is known only from it.
 */
export interface LeadEnds {
  readonly announce: string;
  /** What the host's part may be (anchored; at most 64 characters are looked at). */
  readonly hostPart: RegExp;
  /** The lead's end marker on `stream` for the announced host part. */
  readonly marker: (stream: 'stdout' | 'stderr', hostPart: string) => string;
}

/**
 * What a command did. A success and a failure have the same fields (zx/execa); a non-zero exit is
 * not an exception — callers decide what it means. Connection loss *is* an exception
 * (UnreachableError).
 */
export interface CommandResult {
  /** The command as shown in logs: secrets as ***. */
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Set when the command was killed by the `timeoutMs` option. */
  readonly timedOut?: boolean;
  /** With `RunOptions.leadEnds`: each stream's announcement, then the stream from its marker on, once stdout's marker came. */
  readonly after?: { readonly stdout: string; readonly stderr: string };
}

export interface PutOptions {
  /** Octal mode such as 0o644, applied before the file is renamed into place. */
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  readonly become?: BecomeSpec;
}

/** What stat says about a remote path; `undefined` from {@link Transport.stat} when it does not exist. */
export interface RemoteFileInfo {
  readonly type: 'file' | 'directory' | 'link' | 'other';
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
  readonly size: number;
}

/** One host's connection. Opened lazily on first use, reused for every task of the run. */
export interface Transport {
  /** Inventory name of the host, for messages. */
  readonly host: string;
  /** Runs `/bin/sh -c TEXT` with LC_ALL=C on the host. Throws UnreachableError if the host is gone. */
  run(command: Command, options?: RunOptions): Promise<CommandResult>;
  /**
   * Writes a file atomically: content goes to a temporary file beside `path`, mode and owner are
   * set, then it is renamed over `path`. A dropped connection never leaves a half-written file.
   */
  put(path: string, content: string | Buffer, options?: PutOptions): Promise<void>;
  /** Reads a whole file; `undefined` when it does not exist. */
  get(path: string, options?: { readonly become?: BecomeSpec }): Promise<Buffer | undefined>;
  /** Drops the connection (reboot, end of run). The next call reconnects. */
  close(): Promise<void>;
  /**
   * Transports that reconnect (ssh): `hook` runs on every new connection after the first, before
   * any other command uses it, with a `run` of its own (the host lock is taken again after a
   * reboot, src/runner/host-locks.ts). A hook that throws fails every command of that connection.
   */
  onReconnect?(hook: ReconnectHook): void;
}

/** What runs first on a new connection; `run` goes straight to the host. */
export type ReconnectHook = (run: (command: Command) => Promise<CommandResult>) => Promise<void>;

/** Per-host connection settings, resolved from inventory variables (ansible_host, ansible_port…). */
export interface ConnectionSettings {
  readonly host: string;
  readonly connection: 'ssh' | 'local';
  readonly address: string;
  readonly port?: number;
  readonly user?: string;
  readonly privateKeyFile?: string;
  readonly password?: string;
  /** Raw `ansible_ssh_common_args` + `ansible_ssh_extra_args`, parsed by the ssh transport. */
  readonly sshArgs?: string;
  readonly connectTimeoutMs?: number;
}

/** Creates transports for hosts; the runner holds one per run. */
export interface TransportFactory {
  open(settings: ConnectionSettings): Transport;
  /** Closes every transport opened by this factory. */
  closeAll(): Promise<void>;
}
