// Ctrl-C during a run: the first stops new work (tasks, batches, plays) and gives the commands
// already running `grace` to finish before their connections are cut (which kills them on the
// host); the recap is printed either way and the exit code is EXIT_INTERRUPTED. A second Ctrl-C
// aborts at once. SIGTERM (kill, a service manager stopping the run) and SIGHUP (the terminal
// closed) are handled the same way: without this, Node ends at once with no recap, the host
// locks left behind and the remote commands running on.

/** The signals that interrupt a run. */
export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type InterruptSignal = (typeof INTERRUPT_SIGNALS)[number];

/** What the interrupt listens on: the process, or a test's emitter. */
export interface SignalSource {
  on(event: InterruptSignal, listener: () => void): unknown;
  removeListener(event: InterruptSignal, listener: () => void): unknown;
}

/** What happens at each stage; the CLI reports, cuts connections and exits. */
export interface InterruptHandlers {
  /** First Ctrl-C (or SIGTERM/SIGHUP): no new work starts from now on. */
  stopping(graceMs: number, signal: InterruptSignal): void;
  /** The grace period passed with commands still running: cut them. */
  graceExpired(): void;
  /** Second Ctrl-C: stop now, without waiting for anything. */
  abortNow(): void;
}

/** One run's Ctrl-C handling; `signal` aborts on the first Ctrl-C. */
export class RunInterrupt {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private count = 0;
  private readonly listeners = new Map<InterruptSignal, () => void>(INTERRUPT_SIGNALS.map((signal) => [signal, () => this.interrupt(signal)]));

  constructor(
    private readonly source: SignalSource,
    private readonly graceMs: number,
    private readonly handlers: InterruptHandlers,
  ) {
    for (const [signal, listener] of this.listeners) source.on(signal, listener);
  }

  /** Aborted once the user pressed Ctrl-C; the runner starts nothing new after that. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the run was interrupted. */
  get interrupted(): boolean {
    return this.count > 0;
  }

  private interrupt(signal: InterruptSignal): void {
    this.count++;
    if (this.count > 1) {
      this.handlers.abortNow();
      return;
    }
    this.handlers.stopping(this.graceMs, signal);
    this.controller.abort();
    this.timer = setTimeout(() => this.handlers.graceExpired(), this.graceMs);
    this.timer.unref();
  }

  /** Stop listening (the run is over); a pending grace timer is cancelled. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const [signal, listener] of this.listeners) this.source.removeListener(signal, listener);
  }
}
