// Writes the retry file from the event stream, just before the recap is shown (so the recap stays
// the last event): hosts with a failure or an unreachable count in the recap, and hosts a play
// never touched or stopped before their last task. After Ctrl-C every host of the run goes in, since any may be unfinished.
import type { RecapCounts, Reporter, RunEvent } from '../output/events.js';
import { describeRetry, updateRetryFile, type RetryHosts } from './retry-file.js';

/** A reporter that passes every event on and handles the retry file at the recap. */
export class RetryTap implements Reporter {
  private readonly untouched = new Set<string>();

  constructor(
    private readonly inner: Reporter,
    /** Absolute path of the retry file. */
    private readonly path: string,
    /** The path as the message shows it (relative to the current directory). */
    private readonly shown: string,
    private readonly interrupted: () => boolean,
  ) {}

  emit(event: RunEvent): void {
    if (event.event === 'play_end') for (const host of [...(event.unfinished ?? []), ...event.untouched]) this.untouched.add(host);
    if (event.event === 'recap') {
      // A run stopped by a missing handler: ansible-core 2.14's strategy raises AnsibleError, which
      // leaves PlaybookExecutor.run before its retry file is written (checked with ansible-playbook
      // 2.14.18: no PLAYBOOK.retry, an older one left as it was). beastie neither writes nor changes it.
      if (event.stopped === 'missing-handler') this.inner.emit({ event: 'warning', msg: `no retry file written: the run stopped at a missing handler, as Ansible writes none then (${this.shown} left as it was)` });
      else this.atRecap(event.hosts);
    }
    this.inner.emit(event);
  }

  close(): void | Promise<void> {
    return this.inner.close?.();
  }

  private atRecap(recap: Readonly<Record<string, RecapCounts>>): void {
    const names = Object.keys(recap);
    const hosts: RetryHosts = {
      failed: names.filter((name) => (recap[name]?.failed ?? 0) > 0),
      unreachable: names.filter((name) => (recap[name]?.unreachable ?? 0) > 0),
      untouched: this.interrupted() ? names : [...this.untouched],
      ran: names,
    };
    try {
      const outcome = updateRetryFile(this.path, hosts);
      if (outcome.kind === 'written') this.inner.emit({ event: 'warning', msg: describeRetry(hosts, outcome.hosts, this.shown) });
    } catch (error) {
      this.inner.emit({ event: 'warning', msg: `could not write the retry file ${this.path}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
