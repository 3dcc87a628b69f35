// The PLAY RECAP counts and the exit code, derived from the events as they are emitted, with
// Ansible's rules: ok includes changed; an ignored failure counts ok and ignored; a rescued
// failure counts rescued only.
import { EXIT_OK, EXIT_TASK_FAILED, EXIT_UNREACHABLE } from '../errors.js';
import type { RecapCounts, RunEvent } from '../output/events.js';

function zero(): RecapCounts {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };
}

/** Per-host counts of a run. */
export class RecapTally {
  private readonly counts = new Map<string, RecapCounts>();

  /** Hosts appear in the recap in the order they were first added. */
  addHost(host: string): void {
    if (!this.counts.has(host)) this.counts.set(host, zero());
  }

  /** Count one event; only task results and unreachable hosts count. */
  record(event: RunEvent): void {
    if (event.event !== 'task_result') return;
    this.addHost(event.host);
    const counts = this.counts.get(event.host);
    if (counts === undefined) return;
    switch (event.status) {
      case 'ok':
        counts.ok++;
        return;
      case 'changed':
        counts.ok++;
        counts.changed++;
        return;
      case 'skipped':
        counts.skipped++;
        return;
      case 'unreachable':
        counts.unreachable++;
        return;
      case 'failed':
        if (event.ignored) {
          counts.ok++;
          counts.ignored++;
        } else if (event.rescued) counts.rescued++;
        else counts.failed++;
        return;
    }
  }

  /** A copy of the counts, hosts in order. */
  snapshot(): Record<string, RecapCounts> {
    return Object.fromEntries([...this.counts].map(([host, counts]) => [host, { ...counts }]));
  }

  /** ansible-playbook's rule: 2 when a task failed somewhere, else 4 when a host was unreachable, else 0. */
  exitCode(): number {
    const all = [...this.counts.values()];
    if (all.some((c) => c.failed > 0)) return EXIT_TASK_FAILED;
    if (all.some((c) => c.unreachable > 0)) return EXIT_UNREACHABLE;
    return EXIT_OK;
  }
}
