// The host-side lock: /var/run/beastie.lock names the run that works on a host (owner, controller
// pid, controller host, start time, run id), so two controllers never run against the same host
// at once. Created atomically (a hard link of a complete temporary file fails if the lock
// exists), removed at the end of the run only when it is still ours.
//
// Whoever takes the lock also links it as /var/run/beastie.lock.last, which removing the lock
// leaves behind: it names the last run that held the host. That is what lets a run give the lock
// back early, in the same command as its last reads, and take it again only if no other run has
// held the host since (`retakeCommand`): what it read is then still what the host holds.
import { raw, sh, type Command } from '../command/command.js';
import type { CommandResult, Transport } from '../transport/transport.js';
import { hostNonce } from '../facts/output-nonce.js';

/** Where the lock lives on every host (/var/run: FreeBSD's cleanvar empties it at boot). */
export const LOCK_PATH = '/var/run/beastie.lock';

/** Who holds a lock. */
export interface LockRecord {
  /** The user who ran beastie. */
  readonly owner: string;
  /** beastie's process id on the controller. */
  readonly pid: number;
  /** The controller's host name. */
  readonly controller: string;
  /** ISO 8601 start time of the run. */
  readonly started: string;
  /** A random id of the run, so a run recognises its own lock. */
  readonly run: string;
}

/** How a lock found on a host is judged. */
export type LockState = 'ours' | 'stale' | 'live';

/** What this controller knows to judge a lock: its own run and which of its pids are alive. */
export interface LockJudge {
  readonly self: LockRecord;
  isAlive(pid: number): boolean;
}

/** The lock's text: one `key=value` per line. */
export function lockText(record: LockRecord): string {
  return `owner=${record.owner}\npid=${record.pid}\ncontroller=${record.controller}\nstarted=${record.started}\nrun=${record.run}\n`;
}

/** Parse a lock file; undefined when it is not one of ours (then it is treated as live). */
export function parseLockRecord(text: string): LockRecord | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  const pid = Number(fields.get('pid'));
  const owner = fields.get('owner');
  const controller = fields.get('controller');
  const started = fields.get('started');
  const run = fields.get('run');
  if (!Number.isInteger(pid) || owner === undefined || controller === undefined || started === undefined || run === undefined) return undefined;
  return { owner, pid, controller, started, run };
}

/**
 * Ours when the run id is ours; stale when it was taken from this controller by a process that
 * is gone; live otherwise — a run on another controller cannot be seen from here.
 */
export function judgeLock(record: LockRecord, judge: LockJudge): LockState {
  if (record.run === judge.self.run) return 'ours';
  if (record.controller === judge.self.controller && !judge.isAlive(record.pid)) return 'stale';
  return 'live';
}

/** One line about a lock's holder, for messages. */
export function describeHolder(record: LockRecord): string {
  return `${record.owner} (pid ${record.pid} on ${record.controller}, since ${record.started})`;
}

/**
 * `script` run in a subshell of the command's own shell with `args` as $1, $2…: a fork, where
 * `/bin/sh -c` was a fork and an exec, so a lock command costs the host one program fewer; its
 * `exit` leaves the subshell only.
 */
function inSubshell(script: string, args: readonly string[]): Command {
  return sh`(set -- ${args}; ${raw(script)})`;
}

/**
 * A shell function: whether file $2 holds the line $1, read by sh's own `read` (where `grep -qx`
 * was a program more); false when the file is missing or unreadable.
 */
const HAS_LINE = 'has_line() { [ -r "$2" ] || return 1; while IFS= read -r l || [ -n "$l" ]; do [ "$l" = "$1" ] && return 0; done <"$2"; return 1; } 2>/dev/null';

/** Create the lock unless it exists: prints `acquired`, or `held` and the lock's text. */
export function acquireCommand(record: LockRecord): Command {
  const script =
    'lock=$1; tmp="$1.$$"; umask 022; printf "%s" "$2" >"$tmp" || exit 3; ' +
    'if ln "$tmp" "$lock" 2>/dev/null; then rm -f "$tmp"; ln -f "$lock" "$lock.last"; echo acquired; exit 0; fi; ' +
    'rm -f "$tmp"; echo held; cat "$lock"';
  return inSubshell(script, [LOCK_PATH, lockText(record)]);
}

/** Replace a stale lock with ours, only if it still holds the stale text: prints `acquired` or `changed`. */
export function takeOverCommand(record: LockRecord, staleText: string): Command {
  const script =
    'lock=$1; tmp="$1.$$"; umask 022; cur=$(cat "$lock" 2>/dev/null); ' +
    '[ "$cur" = "$3" ] || { echo changed; exit 0; }; ' +
    'printf "%s" "$2" >"$tmp" && mv -f "$tmp" "$lock" && ln -f "$lock" "$lock.last" && echo acquired';
  // $(…) drops trailing newlines, so compare against the text without them.
  return inSubshell(script, [LOCK_PATH, lockText(record), staleText.replace(/\n+$/, '')]);
}

/** Remove the lock if it is still this run's. */
export function releaseCommand(record: LockRecord): Command {
  const script = `${HAS_LINE}; has_line "run=$2" "$1" && rm -f "$1"; exit 0`;
  return inSubshell(script, [LOCK_PATH, record.run]);
}

/** The exit status of a retake that did not get the lock back. */
export const RETAKE_REFUSED_EXIT = 75;

/**
 * Take back a lock this run gave back early, only if no other run held the host since. It first
 * prints `@@beastie-lock NONCE@@`, NONCE being `word` and a part the host makes (output-nonce.ts
 * hostNonce: /dev/urandom read into a variable of the retake's own shell, printed only by sh's
 * builtin printf, so in no command line); then nothing more when the lock is ours again, else
 * `NONCE held` (another run's record follows), `NONCE changed` (another run took it and gave it
 * back: its record follows) or `NONCE error` (the lock could not be written), and exits
 * RETAKE_REFUSED_EXIT. The command this runs in front of comes after the announcement and cannot
 * know NONCE (a ps reader sees `word` only), so its output is never mistaken for a refusal.
 */
export function retakeCommand(record: LockRecord, word: string): Command {
  const nonce = hostNonce(word);
  const script =
    `${nonce.make.text}; n=${nonce.value.text}; printf '@@beastie-lock %s@@\\n' "$n"; ` +
    'lock=$1; tmp="$1.$$"; umask 022; ' +
    `${HAS_LINE}; has_line "run=$3" "$lock" && exit 0; ` +
    `printf "%s" "$2" >"$tmp" || { printf '%s error\\n' "$n"; exit ${RETAKE_REFUSED_EXIT}; }; ` +
    'if ln "$tmp" "$lock" 2>/dev/null; then rm -f "$tmp"; ' +
    'has_line "run=$3" "$lock.last" && exit 0; ' +
    `rm -f "$lock"; printf '%s changed\\n' "$n"; cat "$lock.last" 2>/dev/null; exit ${RETAKE_REFUSED_EXIT}; fi; ` +
    `rm -f "$tmp"; printf '%s held\\n' "$n"; cat "$lock"; exit ${RETAKE_REFUSED_EXIT}`;
  return inSubshell(script, [LOCK_PATH, lockText(record), record.run]);
}

/** A retake's first line: the nonce it made (`word`, then the host's at most 16 hex digits) and where its output goes on. */
function retakeAnnouncement(stdout: string, word: string): { readonly nonce: string; readonly end: number } | undefined {
  const match = new RegExp(`^@@beastie-lock (${word}[0-9a-f]{0,16})@@\n`).exec(stdout);
  return match?.[1] === undefined ? undefined : { nonce: match[1], end: match[0].length };
}

/** What a retake printed: undefined when the lock is ours again, else who has or had the host. */
export function retakeRefusal(result: Pick<CommandResult, 'exitCode' | 'stdout'>, word: string): { readonly state: 'held' | 'changed' | 'error'; readonly holder: LockRecord | undefined; readonly text: string } | undefined {
  if (result.exitCode !== RETAKE_REFUSED_EXIT) return undefined;
  const announced = retakeAnnouncement(result.stdout, word);
  if (announced === undefined) return undefined;
  const [first, ...rest] = result.stdout.slice(announced.end).split('\n');
  const mark = announced.nonce;
  const state = first === `${mark} held` ? 'held' : first === `${mark} changed` ? 'changed' : first === `${mark} error` ? 'error' : undefined;
  if (state === undefined) return undefined;
  const text = rest.join('\n');
  return { state, holder: parseLockRecord(text), text };
}

/** The output of the command a retake ran in front of: its stdout without the retake's announcement. */
export function afterRetake<T extends Pick<CommandResult, 'stdout'>>(result: T, word: string): T {
  const announced = retakeAnnouncement(result.stdout, word);
  return announced === undefined ? result : { ...result, stdout: result.stdout.slice(announced.end) };
}

/** The result of trying to take a host's lock. */
export type LockAttempt =
  | { readonly kind: 'acquired' }
  | { readonly kind: 'took-over'; readonly stale: LockRecord }
  | { readonly kind: 'refused'; readonly holder: LockRecord | undefined; readonly state: 'live' | 'stale'; readonly text: string }
  | { readonly kind: 'error'; readonly exitCode: number; readonly stderr: string };

/**
 * Take the host's lock; a stale one is taken over only with `breakStale`. Unreachable errors
 * propagate. `runFirst` runs the first attempt (the runner reads the play's facts in the same
 * round trip, src/runner/read-ahead.ts).
 */
export async function takeHostLock(
  transport: Pick<Transport, 'run'>,
  judge: LockJudge,
  breakStale: boolean,
  runFirst: (command: Command) => Promise<CommandResult> = (command) => transport.run(command),
): Promise<LockAttempt> {
  for (let tries = 0; tries < 3; tries++) {
    const command = acquireCommand(judge.self);
    const result = await (tries === 0 ? runFirst(command) : transport.run(command));
    const [first, ...rest] = result.stdout.split('\n');
    if (result.exitCode !== 0 || (first !== 'acquired' && first !== 'held')) {
      return { kind: 'error', exitCode: result.exitCode, stderr: result.stderr.trim() || result.stdout.trim() };
    }
    if (first === 'acquired') return { kind: 'acquired' };
    const text = rest.join('\n');
    // The holder removed it between our link and our cat: try again.
    if (text.trim() === '') continue;
    const holder = parseLockRecord(text);
    const state = holder === undefined ? 'live' : judgeLock(holder, judge);
    if (state === 'ours') return { kind: 'acquired' };
    if (state === 'live' || !breakStale || holder === undefined) return { kind: 'refused', holder, state, text };
    const taken = await transport.run(takeOverCommand(judge.self, text));
    if (taken.exitCode === 0 && taken.stdout.trim() === 'acquired') return { kind: 'took-over', stale: holder };
    if (taken.exitCode !== 0) return { kind: 'error', exitCode: taken.exitCode, stderr: taken.stderr.trim() };
  }
  return { kind: 'error', exitCode: 0, stderr: `${LOCK_PATH} kept changing while beastie tried to take it` };
}

/** Remove this run's lock from the host; failures are left to the caller to report. */
export async function releaseHostLock(transport: Transport, self: LockRecord): Promise<void> {
  await transport.run(releaseCommand(self));
}
