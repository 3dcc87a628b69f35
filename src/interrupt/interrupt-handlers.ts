// What each Ctrl-C stage of a run says and does (RunInterrupt decides when).
import type { RunEvent } from '../output/events.js';
import type { InterruptHandlers } from './interrupt.js';

/** What the Ctrl-C stages act on. */
export interface InterruptActions {
  emit(event: RunEvent): void;
  /** Cut every connection: running commands end as connection lost. */
  cutConnections(): Promise<void>;
  /** Leave the process now with this text on stderr. */
  exitNow(message: string): void;
}

/** The handlers for RunInterrupt: report each stage and say what happens next. */
export function interruptHandlers(actions: InterruptActions): InterruptHandlers {
  return {
    stopping(graceMs, signal) {
      const by = signal === 'SIGINT' ? 'Ctrl-C' : signal;
      const again = signal === 'SIGINT' ? 'Press Ctrl-C again' : `Send ${signal} or press Ctrl-C again`;
      actions.emit({
        event: 'warning',
        msg: `interrupted (${by}): no new task or batch starts; commands already running get ${Math.round(graceMs / 1000)} s to finish (--grace), then they are killed on their hosts and their connections cut. ${again} to abort at once.`,
      });
    },
    graceExpired() {
      actions.emit({ event: 'warning', msg: 'the grace period is over: killing the commands still running and cutting their connections' });
      void actions.cutConnections();
    },
    abortNow() {
      actions.exitNow(
        '\nbeastie: aborted by a second Ctrl-C. Commands already started may still run on their hosts, and those hosts keep ' +
          'a stale /var/run/beastie.lock: re-run with --break-stale-locks (from this controller) once they are done.\n',
      );
    },
  };
}
