// The closed error taxonomy. Every failure beastie reports is one of these codes, and the
// code decides the exit status and the recap column (STYLE.md principle 7).
import { formatSourceRef, type SourceRef } from './source.js';

/**
 * - `invalid_input`: the user's YAML, inventory, parameters, template or command line is wrong.
 *   Raised before any host is contacted; exit code {@link EXIT_INVALID_INPUT}.
 * - `unreachable`: the host could not be reached or authenticated (DNS, refused, timeout,
 *   host key, auth). Counted as `unreachable` in the recap.
 * - `command_failed`: a command ran and the result is not the state we wanted.
 * - `internal`: a bug in beastie itself.
 */
export type ErrorCode = 'invalid_input' | 'unreachable' | 'command_failed' | 'internal';

export interface BeastieErrorDetails {
  /** Where in the user's files the problem is, when it came from a file. */
  readonly source?: SourceRef;
  /** What the user should do about it, one sentence. */
  readonly fix?: string;
  /** The host the error concerns, when there is one. */
  readonly host?: string;
  readonly cause?: unknown;
}

/** Base class: message says what is wrong; details say where and what to do. */
export class BeastieError extends Error {
  readonly source: SourceRef | undefined;
  readonly fix: string | undefined;
  readonly host: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: BeastieErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BeastieError';
    this.source = details.source;
    this.fix = details.fix;
    this.host = details.host;
  }

  /** One line: `file:line:col: message — fix`. */
  describe(): string {
    const where = this.source ? `${formatSourceRef(this.source)}: ` : '';
    const host = this.host ? `[${this.host}] ` : '';
    const fix = this.fix ? ` — ${this.fix}` : '';
    return `${where}${host}${this.message}${fix}`;
  }
}

/** Bad YAML, inventory, parameters, templates or arguments: nothing runs on any host. */
export class InvalidInputError extends BeastieError {
  constructor(message: string, details: BeastieErrorDetails = {}) {
    super('invalid_input', message, details);
    this.name = 'InvalidInputError';
  }
}

/** Why a host could not be reached; mirrors ssh2's `err.level` plus our own checks. */
export type UnreachableReason =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'auth'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'connection-lost'
  | 'protocol'
  /** Another controller's run holds the host lock (/var/run/beastie.lock). */
  | 'host-locked';

/** The host cannot be talked to; the host leaves the play, the others go on. */
export class UnreachableError extends BeastieError {
  constructor(
    readonly reason: UnreachableReason,
    message: string,
    details: BeastieErrorDetails = {},
  ) {
    super('unreachable', message, details);
    this.name = 'UnreachableError';
  }
}

/** A task's command ran but did not produce the wanted state. */
export class CommandFailedError extends BeastieError {
  constructor(message: string, details: BeastieErrorDetails & { readonly result?: unknown } = {}) {
    super('command_failed', message, details);
    this.name = 'CommandFailedError';
  }
}

/** Several input errors found in one pass, so the user can fix them all at once. */
export class InvalidInputErrors extends InvalidInputError {
  constructor(readonly errors: readonly InvalidInputError[]) {
    super(errors.map((e) => e.describe()).join('\n'));
    this.name = 'InvalidInputErrors';
  }
}

/** Exit codes, as ansible-playbook uses them, plus ours. Documented in the README. */
export const EXIT_OK = 0;
/** A task failed on some host. */
export const EXIT_TASK_FAILED = 2;
/** Some host was unreachable and none failed. */
export const EXIT_UNREACHABLE = 4;
/** Invalid input or usage; nothing ran on any host. (ansible-playbook uses 5 for bad options.) */
export const EXIT_INVALID_INPUT = 5;
/** Interrupted by Ctrl-C after a graceful stop. */
export const EXIT_INTERRUPTED = 130;
/** A bug in beastie. */
export const EXIT_INTERNAL = 250;
