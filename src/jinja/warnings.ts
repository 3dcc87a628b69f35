// Warnings a template prints while it renders, as a plugin's display.warning(msg) prints them in
// Ansible (community.general.merge_variables with override='warn'). Rendering is synchronous but a
// task's rendering for one host is spread over awaits among other hosts', so the sink is the
// caller's async context (AsyncLocalStorage): the runner gives each host's task one that reports a
// warning event; with none (a render outside a run) the warning goes to stderr as Ansible's
// Display writes it, "[WARNING]: msg".
import { AsyncLocalStorage } from 'node:async_hooks';

export type WarningSink = (message: string) => void;

const sinks = new AsyncLocalStorage<WarningSink>();

/** Print a warning from inside a render: to the current sink, else to stderr. */
export function jinjaWarning(message: string): void {
  const sink = sinks.getStore();
  if (sink !== undefined) sink(message);
  else process.stderr.write(`[WARNING]: ${message}\n`);
}

/** Run `work` (sync or async) with `sink` receiving the warnings its renders print. */
export function withJinjaWarnings<T>(sink: WarningSink, work: () => T): T {
  return sinks.run(sink, work);
}
