// The test reporter: keeps every event, in order, for assertions.
import type { Reporter, RunEvent } from './events.js';

/** Collects events; `of(type)` narrows to one event type. */
export class CollectingReporter implements Reporter {
  readonly events: RunEvent[] = [];

  emit(event: RunEvent): void {
    this.events.push(event);
  }

  /** Every event of one type, typed. */
  of<const T extends RunEvent['event']>(type: T): Extract<RunEvent, { event: T }>[] {
    return this.events.filter((event): event is Extract<RunEvent, { event: T }> => event.event === type);
  }
}
