// Puts the catalogue's explanation on every failed task and item result it recognises, before the
// human, JSON and HTML reporters see the event, so all three show the same cause and fix. An ok or
// changed result gets one only for the texts that tell of a failure even when the tool exits 0.
import type { Reporter, RunEvent } from '../output/events.js';
import { explainFailure } from './failure-catalogue.js';

/** The event with `explanation` set when it is a failure the catalogue knows. */
export function withExplanation(event: RunEvent): RunEvent {
  if ((event.event !== 'task_result' && event.event !== 'item_result') || event.explanation !== undefined) return event;
  if (event.status !== 'failed' && event.status !== 'ok' && event.status !== 'changed') return event;
  const text = [event.msg, event.stderr ?? '', event.stdout ?? ''].join('\n');
  const explanation = explainFailure(text, { jail: event.event === 'task_result' ? event.jail : undefined }, event.status !== 'failed');
  return explanation === undefined ? event : { ...event, explanation };
}

/** A reporter that explains recognised failures before `inner` sees them. */
export class ExplainingReporter implements Reporter {
  constructor(private readonly inner: Reporter) {}

  emit(event: RunEvent): void {
    this.inner.emit(withExplanation(event));
  }

  close(): void | Promise<void> {
    return this.inner.close?.();
  }
}
