// --json: every event as one JSON line on stdout (JSON Lines). Secrets serialise as *** through
// Secret.toJSON; no_log results are censored by the runner before they become events.
import type { Reporter, RunEvent } from './events.js';

/** Writes each event as one line of JSON. */
export class JsonReporter implements Reporter {
  constructor(private readonly out: { write(text: string): unknown }) {}

  emit(event: RunEvent): void {
    this.out.write(`${JSON.stringify(event)}\n`);
  }
}
