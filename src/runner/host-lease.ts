// A held host lock that this run gives back early (issue 13): a command that reads what every
// task still to come declared also removes the lock, in the same round trip, so a no-change run
// needs no command of its own at the end to release it. The host is still this run's to change:
// before the next change the lock is taken back, only if no other run held the host meanwhile
// (src/lock/host-lock.ts `retakeCommand`) — in front of the change's own command when it can, else
// in a round trip of its own. A run whose retake is refused loses the host (host-locked), as at
// the first contact, and has changed nothing on it since it read it.
//
// It gives the lock back only while nothing has changed on the host in this run: a run that
// changes one thing usually changes more, and each retake of one that writes a file would be a
// round trip of its own.
import { sh, type Command } from '../command/command.js';
import { UnreachableError } from '../errors.js';
import { afterRetake, describeHolder, LOCK_PATH, releaseCommand, retakeCommand, retakeRefusal, type LockRecord } from '../lock/host-lock.js';
import type { CommandResult, Transport } from '../transport/transport.js';
import { outputNonce } from '../facts/output-nonce.js';

/** One host's lock as this run holds it. */
export class HostLease {
  /**
   * Whether the lock is on the host now, was given back early, or may be on the host: a retake
   * was sent and its answer never came (the connection dropped), so the end of the run must still
   * remove it (the release removes only this run's lock).
   */
  private state: 'held' | 'given-back' | 'unknown' = 'held';
  /** Whether the next read of everything still to come may give the lock back. */
  private speculating = true;
  /** The controller's word of every retake's nonce (the host adds its own part each time, host-lock.ts retakeCommand). */
  private readonly word = outputNonce();

  constructor(
    /** The host's own transport (no jail, no become): the lock is the login user's. */
    readonly transport: Transport,
    private readonly self: LockRecord,
  ) {}

  /** Whether the lock is on the host as this run last saw it (a reconnection takes it again). */
  get held(): boolean {
    return this.state === 'held';
  }

  /** Whether the lock may be on the host (the end of the run must remove it). */
  get mayBeHeld(): boolean {
    return this.state !== 'given-back';
  }

  /** The command that gives the lock back after a read of everything still to come, or undefined. */
  giveBack(): Command | undefined {
    return this.speculating ? releaseCommand(this.self) : undefined;
  }

  /** The read that carried `giveBack()` finished (`ran`: the release itself ran to its end). */
  gaveBack(ran: boolean): void {
    if (ran) this.state = 'given-back';
  }

  /** Something changed on the host: keep the lock to the end of the run from now on. */
  changed(): void {
    this.speculating = false;
  }

  /** `command` behind the retake when the lock was given back (for a command on `transport` itself). */
  guard(command: Command): Command {
    if (this.state === 'held') return command;
    // Sent from now on: until its answer says otherwise the lock may be ours again.
    this.state = 'unknown';
    const guarded = sh`${retakeCommand(this.self, this.word)} && {
${command}
}`;
    // Logs and results show the task's own command.
    return { text: guarded.text, display: command.display };
  }

  /**
   * After a guarded command ran: the lock is ours again, or the host is lost (throws). Returns the
   * command's own result: its stdout without the retake's announcement.
   */
  guarded(result: CommandResult): CommandResult {
    if (this.state === 'held') return result;
    this.refuseIf(result);
    this.state = 'held';
    return afterRetake(result, this.word);
  }

  /** Before a change that cannot carry the retake (a file write, a jail, become, a module's own apply). */
  async retake(): Promise<void> {
    this.speculating = false;
    if (this.state === 'held') return;
    this.state = 'unknown';
    this.refuseIf(await this.transport.run(retakeCommand(this.self, this.word)));
    this.state = 'held';
  }

  private refuseIf(result: CommandResult): void {
    const refusal = retakeRefusal(result, this.word);
    if (refusal === undefined) return;
    // Refused: the lock on the host is not this run's.
    this.state = 'given-back';
    const text = refusal.text.trim();
    const who = refusal.holder !== undefined ? describeHolder(refusal.holder) : text === '' ? 'no record of whom: the host may have rebooted' : `an unreadable lock (${text.slice(0, 200)})`;
    const message =
      refusal.state === 'held'
        ? `${LOCK_PATH} was taken by another run after this run had read the host: ${who}`
        : refusal.state === 'changed'
          ? `another run held ${LOCK_PATH} after this run had read the host (${who}), so what this run read may be out of date`
          : `could not write ${LOCK_PATH} again to change the host`;
    throw new UnreachableError('host-locked', message, { host: this.transport.host, fix: 'nothing was changed on the host since; re-run it when the other run is done, with --limit @RETRYFILE' });
  }
}
