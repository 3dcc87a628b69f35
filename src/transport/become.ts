// become: run one command as another user through sudo, doas or su. Pure planning
// ({@link becomeCommand}) plus the small conversation that answers a password prompt
// ({@link BecomeExchange}), shared by the ssh and local transports.
//
// How the password gets in:
// - sudo reads it from stdin: `sudo -S -p PROMPT`. The prompt is a unique marker on stderr, and
//   the password is written only when that marker appears, so a NOPASSWD rule or cached
//   credentials never make the password leak into the command's own stdin.
// - doas and su read it only from a terminal (readpassphrase/PAM open /dev/tty and flush pending
//   input before reading), so the command runs on a pty (`needsPty`) and the password is written
//   when their prompt appears. On a pty the command's stderr arrives merged into stdout and its
//   stdin is the terminal, so any stdin is carried inside the command instead (`printf %s '…' |`):
//   text only, bounded by ARG_MAX, and visible in `ps` on the host while it runs — send secrets
//   as files (put) rather than as stdin with doas/su.
// - Without a password: `sudo -n` and `doas -n` fail at once instead of waiting for one; su
//   without a password only works for root.
// After authentication the wrapper prints a success marker on stdout; anything before it
// (prompts, the newline after the password) is dropped, so the command's output is exactly its own.
import { randomBytes } from 'node:crypto';
import type { Command } from '../command/command.js';
import { quoteShellWord } from '../command/quote.js';
import { cshSafeWord } from './ssh/login-shell-command.js';
import type { BecomeSpec } from './transport.js';

/** How to run one command with become, as a transport carries it out. */
export interface BecomeInvocation {
  /** The wrapped command (`sudo -u root -- /bin/sh -c …`); its display never holds the password. */
  readonly command: Command;
  /** What the command's stdin gets once become has authenticated. */
  readonly stdin: string | Buffer | undefined;
  /** doas and su with a password need a terminal. */
  readonly needsPty: boolean;
  /** Set when a password is to be given: the conversation that gives it. */
  readonly exchange: BecomeExchange | undefined;
}

/** What the transport does with one chunk of output during the exchange. */
export interface ExchangeStep {
  /** Output that belongs to the command (prompts and markers removed). */
  readonly output: string;
  /** Bytes to write to the command's stdin now. */
  readonly write?: string | Buffer;
  /** Close stdin after writing (the password was refused, or the command's stdin is done). */
  readonly endStdin?: boolean;
}

/**
 * Answers the password prompt once, then waits for the success marker and hands over stdin.
 * Feed it every chunk of the stream the prompt appears on (stderr for sudo, the pty for
 * doas/su); a second prompt means the password was refused, and stdin is closed so the tool fails.
 */
export class BecomeExchange {
  private state: 'authenticating' | 'running' = 'authenticating';
  private readonly held = { stdout: '', stderr: '' };
  private prompts = 0;

  constructor(
    private readonly password: string,
    private readonly prompt: RegExp,
    private readonly promptStream: 'stdout' | 'stderr',
    private readonly marker: string,
    private readonly stdin: string | Buffer | undefined,
  ) {}

  /** True once the success marker was seen. */
  get authenticated(): boolean {
    return this.state === 'running';
  }

  /** How many times the prompt appeared (2 or more: the password was refused). */
  get promptCount(): number {
    return this.prompts;
  }

  /** Process one chunk of `stream`. */
  feed(stream: 'stdout' | 'stderr', chunk: string): ExchangeStep {
    if (this.state === 'running') return { output: chunk };
    this.held[stream] += chunk;
    let write: string | Buffer | undefined;
    let endStdin = false;
    if (stream === this.promptStream) {
      const prompt = this.prompt.exec(this.held[stream]);
      if (prompt) {
        this.held[stream] = this.held[stream].slice(prompt.index + prompt[0].length);
        this.prompts += 1;
        if (this.prompts === 1) write = `${this.password}\n`;
        else endStdin = true;
      }
    }
    const at = this.held.stdout.indexOf(`${this.marker}\n`);
    if (at < 0) return { output: '', ...(write === undefined ? {} : { write }), endStdin };
    // Authenticated: what the tool said before the marker (prompts, lectures) is not output.
    const rest = this.held.stdout.slice(at + this.marker.length + 1);
    this.held.stdout = '';
    this.held.stderr = '';
    this.state = 'running';
    const stdin = write === undefined ? this.stdin : Buffer.concat([Buffer.from(write), Buffer.from(this.stdin ?? '')]);
    // The marker only ever arrives on stdout, so `rest` belongs to this chunk's stream.
    return { output: rest, ...(stdin === undefined ? {} : { write: stdin }), endStdin: true };
  }

  /** What the tool printed on `stream` when it ended before authenticating (its own error). */
  leftover(stream: 'stdout' | 'stderr'): string {
    const text = this.held[stream].replace(/^\r?\n/, '');
    this.held[stream] = '';
    return text;
  }
}

/** A marker no command prints by accident. */
function nonce(): string {
  return randomBytes(8).toString('hex');
}

/** `/bin/sh -c` script that prints the marker, then runs the command with stdin as given. */
function afterAuthentication(command: Command, marker: string | undefined, stdinInline: string | undefined, nullStdin: boolean): string {
  const inner = `LC_ALL=C; export LC_ALL; ${command.text}`;
  const feed =
    stdinInline !== undefined
      ? `printf %s ${quoteShellWord(stdinInline)} | /bin/sh -c ${quoteShellWord(inner)}`
      : `exec /bin/sh -c ${quoteShellWord(inner)}${nullStdin ? ' </dev/null' : ''}`;
  return marker === undefined ? feed : `echo ${marker}; ${feed}`;
}

/**
 * Wraps `command` for `spec`. `stdin` is what the command itself should read. A Buffer stdin with
 * NUL bytes cannot be carried inside a command, so doas/su with a password refuse it.
 */
export function becomeCommand(command: Command, spec: BecomeSpec, stdin?: string | Buffer): BecomeInvocation {
  const user = spec.user ?? 'root';
  const password = spec.password;
  const marker = password === undefined ? undefined : `BEASTIE-BECOME-OK-${nonce()}`;
  const display = `${spec.method} -u ${user} ${command.display}`;

  if (spec.method === 'sudo') {
    const script = afterAuthentication(command, marker, undefined, false);
    if (password === undefined || marker === undefined) {
      return {
        command: { text: `sudo -n -u ${quoteShellWord(user)} -- /bin/sh -c ${quoteShellWord(script)}`, display },
        stdin,
        needsPty: false,
        exchange: undefined,
      };
    }
    const prompt = `[beastie-sudo-password-${nonce()}]`;
    return {
      command: { text: `sudo -S -p ${quoteShellWord(prompt)} -u ${quoteShellWord(user)} -- /bin/sh -c ${quoteShellWord(script)}`, display },
      stdin: undefined,
      needsPty: false,
      exchange: new BecomeExchange(password, new RegExp(escapeRegExp(prompt)), 'stderr', marker, stdin),
    };
  }

  const needsPty = becomeNeedsTerminal(spec);
  const inline = needsPty ? inlineStdin(stdin, spec.method) : undefined;
  const script = afterAuthentication(command, marker, inline, needsPty && inline === undefined);
  const text =
    spec.method === 'doas'
      ? `doas ${needsPty ? '' : '-n '}-u ${quoteShellWord(user)} /bin/sh -c ${quoteShellWord(script)}`
      : // su hands its -c string to the target user's login shell, which may be csh.
        `su ${quoteShellWord(user)} -c ${quoteShellWord(`/bin/sh -c ${cshSafeWord(script)}`)}`;
  if (password === undefined || marker === undefined) {
    return { command: { text, display }, stdin, needsPty: false, exchange: undefined };
  }
  // opendoas/OpenBSD doas: "doas (user@host) password: "; su through PAM: "Password: ".
  const prompt = spec.method === 'doas' ? /doas \([^)]*\) password: ?/ : /[Pp]assword: ?/;
  return {
    command: { text, display },
    stdin: undefined,
    needsPty: true,
    exchange: new BecomeExchange(password, prompt, 'stdout', marker, undefined),
  };
}

/** doas and su given a password read it from a terminal: the command then has no stdin of its own. */
export function becomeNeedsTerminal(spec: BecomeSpec): boolean {
  return spec.method !== 'sudo' && spec.password !== undefined;
}

/** stdin as text to carry inside the command on a pty. */
function inlineStdin(stdin: string | Buffer | undefined, method: BecomeSpec['method']): string | undefined {
  if (stdin === undefined) return undefined;
  const text = typeof stdin === 'string' ? stdin : stdin.toString('utf8');
  if (text.includes('\0') || (typeof stdin !== 'string' && !Buffer.from(text, 'utf8').equals(stdin))) {
    throw new Error(`${method} with a password runs on a terminal; binary stdin cannot be passed to it`);
  }
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
