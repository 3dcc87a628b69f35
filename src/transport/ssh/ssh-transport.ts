// The ssh Transport: each command is one exec channel on the host's shared connection, running
// `env LC_ALL=C /bin/sh -c '…'` whatever the login shell; files are written by the install script
// (src/transport/install-file.ts) with their content on its stdin, and read over SFTP.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { ClientChannel, PseudoTtyOptions, SFTPWrapper } from 'ssh2';
import { sh, type Command } from '../../command/command.js';
import { CommandFailedError, UnreachableError } from '../../errors.js';
import { becomeCommand, becomeNeedsTerminal, type BecomeExchange } from '../become.js';
import { installFileCommand, putInstallFile, type InstallFile } from '../install-file.js';
import { signalChannel } from './channel-signal.js';
import type { BecomeSpec, CommandResult, PutOptions, ReconnectHook, RunOptions, Transport } from '../transport.js';
import { CommandOutput } from '../command-output.js';
import { OUTPUT_LIMIT_BYTES, truncationNote } from '../output-buffer.js';
import { withRemoteTimeout } from '../remote-timeout.js';
import { longCommandRefused, SCRIPT_FROM_STDIN, tooLongForCommandLine } from '../long-command.js';
import { loginShellCommand } from './login-shell-command.js';
import { killMarkedScript, newRunMark, withRunMark } from './run-mark.js';
import type { LiveSession, SshConnection, SshLogger } from './ssh-connection.js';

/** A terminal for doas/su password prompts: no echo, no \n → \r\n, so output stays byte-exact. */
const PASSWORD_PTY: PseudoTtyOptions = { term: 'dumb', cols: 512, modes: { ECHO: 0, ONLCR: 0, OPOST: 0 } };

/** SFTP's status for a missing path (SSH_FX_NO_SUCH_FILE). */
const SFTP_NO_SUCH_FILE = 2;

/** Exit status our `get` with become uses for "no such file" (cat's own failures exit 1). */
const GET_MISSING_EXIT = 97;

/** A command's raw outcome, before text decoding. */
interface RawResult {
  readonly exitCode: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly timedOut: boolean;
  /** Bytes beyond the in-memory limit, per stream (src/transport/output-buffer.ts). */
  readonly dropped: { readonly stdout: number; readonly stderr: number };
  /** What followed the lead's end marker (RunOptions.leadEnds). */
  readonly after?: { readonly stdout: string; readonly stderr: string };
}

/** The exit status a shell reports for a signal, as the local transport does. */
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, SEGV: 11, PIPE: 13, ALRM: 14, TERM: 15 };

/** How long leaving waits for the kill run through become (a password prompt is one more round trip). */
const BECOME_KILL_MS = 5000;

/** One host over SSH; the connection opens on first use. */
export class SshTransport implements Transport {
  private readonly reconnectHooks: ReconnectHook[] = [];
  /** The connection commands last ran on; another one means the host was reconnected. */
  private seen: LiveSession | undefined;
  /** Per reconnected connection: its hooks, which every other command waits for. */
  private readonly rejoined = new WeakMap<LiveSession, Promise<void>>();
  /** Commands running through become, by their run mark: leaving kills them as that become user. */
  private readonly runningAs = new Map<string, BecomeSpec>();

  constructor(
    readonly host: string,
    private readonly connection: SshConnection,
    /** The become password given once for the run (`--ask-become-pass`), used when a spec has none. */
    private readonly becomePassword: string | undefined,
    private readonly logger: SshLogger = {},
  ) {}

  run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    return this.runOn(command, options, false);
  }

  onReconnect(hook: ReconnectHook): void {
    this.reconnectHooks.push(hook);
  }

  /** `direct`: a reconnect hook's own command, which must not wait for the hooks. */
  private async runOn(command: Command, options: RunOptions, direct: boolean): Promise<CommandResult> {
    const started = performance.now();
    const become = this.withPassword(options.become);
    const raw = await this.execute(command, options, become, OUTPUT_LIMIT_BYTES, direct);
    return {
      command: become ? `${become.method} -u ${become.user ?? 'root'} ${command.display}` : command.display,
      exitCode: raw.exitCode,
      stdout: raw.stdout.toString('utf8') + (raw.dropped.stdout > 0 ? truncationNote(raw.dropped.stdout, OUTPUT_LIMIT_BYTES) : ''),
      stderr: raw.stderr.toString('utf8') + (raw.dropped.stderr > 0 ? truncationNote(raw.dropped.stderr, OUTPUT_LIMIT_BYTES) : ''),
      durationMs: performance.now() - started,
      ...(raw.timedOut ? { timedOut: true } : {}),
      ...(raw.after === undefined ? {} : { after: raw.after }),
    };
  }

  async put(path: string, content: string | Buffer, options: PutOptions = {}): Promise<void> {
    const become = this.withPassword(options.become);
    const file = putInstallFile(path, content, options);
    try {
      if (become !== undefined && becomeNeedsTerminal(become)) {
        await this.putThroughPrivateUpload(file, content, become);
        return;
      }
      // The content goes on the script's stdin: no file exists anywhere until the private one.
      await this.mustRun(installFileCommand(file), `install ${path}`, become, content);
    } catch (error) {
      throw await this.explainUploadFailure(error, path, file.bytes);
    }
  }

  /**
   * sftp-server reports a full disk as a bare "Failure" (ENOSPC has no SFTP status code): say
   * how much room the target's filesystem has, and that the old file was left as it was.
   */
  private async explainUploadFailure(error: unknown, path: string, bytes: number): Promise<unknown> {
    if (!(error instanceof CommandFailedError)) return error;
    const dir = posix.dirname(path);
    const df = await this.run(sh`df -k ${dir} | tail -n 1`).catch(() => undefined);
    const fields = df?.exitCode === 0 ? df.stdout.trim().split(/\s+/) : [];
    const available = Number(fields[3]);
    if (!Number.isFinite(available) || available * 1024 >= bytes) return error;
    return new CommandFailedError(
      `cannot write ${path}: the filesystem ${fields[5] ?? dir} is full (${available} KiB free, the file needs ${Math.ceil(bytes / 1024)} KiB); ${path} was left as it was (${error.message})`,
      { host: this.host, cause: error, fix: `free space on ${fields[5] ?? dir} on the host, then re-run with --limit @RETRYFILE` },
    );
  }

  async get(path: string, options: { readonly become?: BecomeSpec } = {}): Promise<Buffer | undefined> {
    const become = this.withPassword(options.become);
    if (become) {
      const command = sh`test -e ${path} || exit ${GET_MISSING_EXIT}; exec cat -- ${path}`;
      const raw = await this.execute(command, {}, become, Number.POSITIVE_INFINITY);
      if (raw.exitCode === GET_MISSING_EXIT) return undefined;
      if (raw.exitCode !== 0) throw new CommandFailedError(`cannot read ${path} as ${become.user ?? 'root'}: ${raw.stderr.toString('utf8').trim()}`, { host: this.host });
      return raw.stdout;
    }
    const session = await this.liveSession();
    const sftp = await this.sftp(session);
    try {
      return await this.sftpCall(session, `read ${path}`, (done: (error: Error | undefined, data: Buffer) => void) => sftp.readFile(path, done));
    } catch (error) {
      if ((error as { sftpCode?: number }).sftpCode === SFTP_NO_SUCH_FILE) return undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.killRunningAs();
    return this.connection.close();
  }

  /**
   * The login user may not signal what runs as root or another become user (sudo passes no
   * SIGKILL on; doas and su leave no process of the login user's to kill), so before the
   * connection's own kill (ssh-connection.ts) the marked commands of each become user are killed
   * through that same become, on the connection they run on and never a new one, for a bounded
   * time: a host that does not answer is left to the connection's close.
   */
  private async killRunningAs(): Promise<void> {
    const session = this.seen;
    if (session === undefined || session.lostError !== undefined || this.runningAs.size === 0) return;
    const groups = new Map<string, { become: BecomeSpec; marks: string[] }>();
    for (const [mark, become] of this.runningAs) {
      const key = JSON.stringify([become.method, become.user ?? 'root', become.password ?? null]);
      const group = groups.get(key) ?? { become, marks: [] };
      group.marks.push(mark);
      groups.set(key, group);
    }
    const kills = [...groups.values()].map(({ become, marks }) =>
      this.execute({ text: killMarkedScript(marks), display: 'kill the commands still running' }, {}, become, OUTPUT_LIMIT_BYTES, true, session).catch(() => undefined),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(kills), new Promise((resolve) => (timer = setTimeout(resolve, BECOME_KILL_MS)))]);
    clearTimeout(timer);
  }

  /** Fills in the run's become password when the spec does not carry one. */
  private withPassword(become: BecomeSpec | undefined): BecomeSpec | undefined {
    if (become === undefined || become.password !== undefined || this.becomePassword === undefined) return become;
    return { ...become, password: this.becomePassword };
  }

  /**
   * The connection's session. On a new connection after the first (a reboot, a drop) the
   * reconnect hooks run before anything else uses it; their failure is every command's.
   */
  private async liveSession(direct = false): Promise<LiveSession> {
    const session = await this.connection.session();
    if (session !== this.seen) {
      const reconnected = this.seen !== undefined;
      this.seen = session;
      if (reconnected && this.reconnectHooks.length > 0) {
        const hooks = [...this.reconnectHooks];
        const rejoin = (async () => {
          for (const hook of hooks) await hook((hookCommand) => this.runOn(hookCommand, {}, true));
        })();
        rejoin.catch(() => undefined);
        this.rejoined.set(session, rejoin);
      }
    }
    if (!direct) await this.rejoined.get(session);
    return session;
  }

  /** Runs one command on its own channel (of `on`, else the live connection) and collects its output as bytes. */
  private async execute(
    command: Command,
    options: RunOptions,
    become: BecomeSpec | undefined,
    limit: number = OUTPUT_LIMIT_BYTES,
    direct = false,
    on?: LiveSession,
  ): Promise<RawResult> {
    const timed = options.timeoutMs === undefined ? command : withRemoteTimeout(command, options.timeoutMs);
    // Marked, so leaving the connection can find and kill it (run-mark.ts).
    const mark = newRunMark();
    let line = this.commandLine(timed.text, timed.display, mark, become, options.stdin);
    // Too long for the exec request: the script goes on stdin (long-command.ts).
    if (tooLongForCommandLine(line.text)) {
      if (options.stdin !== undefined) throw longCommandRefused(line.text, command, 'that also reads stdin', this.host);
      if (line.plan?.needsPty === true) throw longCommandRefused(line.text, command, `through ${become?.method ?? ''} with a password (a terminal)`, this.host);
      line = this.commandLine(SCRIPT_FROM_STDIN, timed.display, mark, become, timed.text);
    }
    const { plan, text, stdin } = line;
    const session = on ?? (await this.liveSession(direct));
    this.logger.debug?.(this.host, `run ${plan ? plan.command.display : command.display}`);
    const channel = await session.exec(text, plan?.needsPty ? PASSWORD_PTY : undefined, mark);
    if (become !== undefined) this.runningAs.set(mark, become);
    try {
      return await this.collect(channel, command, stdin, plan?.exchange, options, limit);
    } finally {
      this.runningAs.delete(mark);
    }
  }

  /** The exec request's command line for `script` (marked, with become) and what goes on stdin. */
  private commandLine(script: string, display: string, mark: string, become: BecomeSpec | undefined, stdin: string | Buffer | undefined) {
    const guarded = { text: withRunMark(script, mark), display };
    const plan = become ? becomeCommand(guarded, become, stdin) : undefined;
    return { plan, text: loginShellCommand(plan ? plan.command.text : guarded.text), stdin: plan ? plan.stdin : stdin };
  }

  private collect(
    channel: ClientChannel,
    command: Command,
    stdin: string | Buffer | undefined,
    exchange: BecomeExchange | undefined,
    options: RunOptions,
    /** Bytes kept per stream; a file read with `get` keeps all of it. */
    limit: number,
  ): Promise<RawResult> {
    return new Promise((resolve, reject) => {
      const output = new CommandOutput(options, limit, exchange, { write: (data) => channel.write(data), end: () => channel.end() });
      const raw = (exit: number, timedOut: boolean): RawResult => {
        const { after, ...chunks } = output.finish();
        return {
          exitCode: exit,
          stdout: chunks.stdout.bytes(),
          stderr: chunks.stderr.bytes(),
          timedOut,
          dropped: { stdout: chunks.stdout.dropped, stderr: chunks.stderr.dropped },
          ...(after === undefined ? {} : { after }),
        };
      };
      let exitCode: number | undefined;
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              // sshd kills the command's process group; a child that left it may keep the channel
              // open, so the result is given now and the slot is freed when it finally closes.
              timedOut = true;
              signalChannel(channel, 'KILL');
              channel.close();
              resolve(raw(128 + 9, true));
            }, options.timeoutMs);

      channel.on('data', output.onData('stdout'));
      channel.stderr.on('data', output.onData('stderr'));
      // ssh2 hands the recorded exit status to 'close' too; reading it there cannot miss an
      // 'exit' emitted before this listener was attached.
      channel.on('close', (code?: number | null, signal?: string) => {
        if (typeof code === 'number') exitCode = code;
        else if (code === null) exitCode = 128 + (SIGNAL_NUMBERS[(signal ?? '').replace(/^SIG/, '')] ?? 0);
        if (timer) clearTimeout(timer);
        output.keepUnauthenticated();
        if (timedOut) {
          return;
        } else if (exitCode === undefined) {
          reject(new UnreachableError('connection-lost', `connection lost while running: ${command.display}`, { host: this.host, fix: 'check the host; it may have rebooted or its sshd died' }));
        } else {
          resolve(raw(exitCode, false));
        }
      });
      if (exchange === undefined) {
        if (stdin !== undefined) channel.write(stdin);
        channel.end();
      }
    });
  }

  /** The SFTP session, with connection loss reported as UnreachableError. */
  private async sftp(session: LiveSession): Promise<SFTPWrapper> {
    try {
      return await session.sftp();
    } catch (error) {
      throw session.lostError ?? new UnreachableError('connection-lost', `cannot start SFTP: ${(error as Error).message}`, { host: this.host, cause: error });
    }
  }

  /** One SFTP request; a failure is a CommandFailedError, or UnreachableError if the connection went. */
  private sftpCall<T = void>(session: LiveSession, what: string, call: (done: (error: Error | undefined | null, value: T) => void) => void): Promise<T> {
    const lost = session.lost.then((error) => {
      throw new UnreachableError('connection-lost', `SFTP ${what}: connection lost`, { host: this.host, cause: error });
    });
    const request = new Promise<T>((resolve, reject) => {
      call((error, value) => {
        if (!error) {
          resolve(value);
          return;
        }
        // Let ssh2 report a closed connection first, so loss is told apart from a refused request.
        setImmediate(() => {
          const code = (error as { code?: unknown }).code;
          if (session.lostError !== undefined || code === undefined) {
            reject(new UnreachableError('connection-lost', `SFTP ${what}: connection lost (${error.message})`, { host: this.host, cause: error }));
            return;
          }
          reject(Object.assign(new CommandFailedError(`SFTP ${what}: ${error.message}`, { host: this.host, cause: error }), { sftpCode: code }));
        });
      });
    });
    // ssh2 can leave an SFTP request pending forever when the connection dies under it.
    lost.catch(() => undefined);
    return Promise.race([request, lost]);
  }

  /** Removes a temp file if the connection still lives; a dead one cannot be cleaned up. */
  private async removeQuietly(session: LiveSession, sftp: SFTPWrapper, path: string): Promise<void> {
    if (session.lostError !== undefined) return;
    await this.sftpCall(session, `remove ${path}`, (done) => sftp.unlink(path, done)).catch(() => undefined);
  }

  private async mustRun(command: Command, what: string, become?: BecomeSpec, stdin?: string | Buffer): Promise<void> {
    const result = await this.run(command, { ...(become === undefined ? {} : { become }), ...(stdin === undefined ? {} : { stdin }) });
    if (result.exitCode !== 0) {
      throw new CommandFailedError(`${what} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`, { host: this.host, result });
    }
  }

  /**
   * doas and su with a password read it from a terminal, which then is the command's stdin: the
   * content goes over SFTP into a directory only the login user can enter (mkdir 0700, the file
   * created exclusively), and root's install script reads it from there. Another become user
   * could not read it without the file being readable by everyone, so that is refused.
   */
  private async putThroughPrivateUpload(file: InstallFile, content: string | Buffer, become: BecomeSpec): Promise<void> {
    const user = become.user ?? 'root';
    if (user !== 'root') {
      throw new CommandFailedError(
        `cannot write ${file.path} as ${user}: ${become.method} with a password runs on a terminal, so the file would have to be readable by every user while it uploads`,
        { host: this.host, fix: `use become_method: sudo, or a ${become.method} rule that needs no password (nopass), or become root and set owner: ${user}` },
      );
    }
    const session = await this.liveSession();
    const sftp = await this.sftp(session);
    const dir = `/tmp/.beastie-upload-${randomBytes(12).toString('hex')}`;
    const upload = `${dir}/f`;
    await this.sftpCall(session, `mkdir ${dir}`, (done) => sftp.mkdir(dir, { mode: 0o700 }, done));
    try {
      // 'wx': O_CREAT|O_EXCL, so nothing planted at the name is ever opened.
      await this.sftpCall(session, `upload ${upload}`, (done) => sftp.writeFile(upload, content, { mode: 0o600, flag: 'wx' }, done));
      await this.mustRun(installFileCommand({ ...file, source: upload }), `install ${file.path} as ${user}`, become);
    } finally {
      await this.removeQuietly(session, sftp, upload);
      if (session.lostError === undefined) await this.sftpCall(session, `rmdir ${dir}`, (done) => sftp.rmdir(dir, done)).catch(() => undefined);
    }
  }
}
