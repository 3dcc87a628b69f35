// Ctrl-C during a run: the first stops new work (tasks, batches, plays) and gives the commands
// already running `grace` to finish before their connections are cut; the recap is printed either
// way and the exit code is EXIT_INTERRUPTED. A second Ctrl-C aborts at once.

/** What the interrupt listens on: the process, or a test's emitter. */
export interface SignalSource {
  on(event: 'SIGINT', listener: () => void): unknown;
  removeListener(event: 'SIGINT', listener: () => void): unknown;
}

/** What happens at each stage; the CLI reports, cuts connections and exits. */
export interface InterruptHandlers {
  /** First Ctrl-C: no new work starts from now on. */
  stopping(graceMs: number): void;
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
  private readonly listener = () => this.interrupt();

  constructor(
    private readonly source: SignalSource,
    private readonly graceMs: number,
    private readonly handlers: InterruptHandlers,
  ) {
    source.on('SIGINT', this.listener);
  }

  /** Aborted once the user pressed Ctrl-C; the runner starts nothing new after that. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the run was interrupted. */
  get interrupted(): boolean {
    return this.count > 0;
  }

  private interrupt(): void {
    this.count++;
    if (this.count > 1) {
      this.handlers.abortNow();
      return;
    }
    this.handlers.stopping(this.graceMs);
    this.controller.abort();
    this.timer = setTimeout(() => this.handlers.graceExpired(), this.graceMs);
    this.timer.unref();
  }

  /** Stop listening (the run is over); a pending grace timer is cancelled. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.source.removeListener('SIGINT', this.listener);
  }
}
