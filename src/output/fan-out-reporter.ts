// Several reporters at once (human output plus a test collector, or a future HTML report).
import type { Reporter, RunEvent } from './events.js';

/** Sends every event to each reporter in turn. */
export class FanOutReporter implements Reporter {
  constructor(private readonly reporters: readonly Reporter[]) {}

  emit(event: RunEvent): void {
    for (const reporter of this.reporters) reporter.emit(event);
  }

  async close(): Promise<void> {
    for (const reporter of this.reporters) await reporter.close?.();
  }
}
