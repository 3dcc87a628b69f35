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
  /** Each host's failed count when meta clear_host_errors last ran for it. */
  private readonly clearedAt = new Map<string, number>();

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

  /**
   * meta clear_host_errors: the host's failures so far stay in the recap but no longer fail the
   * run, as Ansible's exit code comes from the hosts still failed (PlayIterator.get_failed_hosts),
   * which clear_host_errors empties, while its recap counts every failure.
   */
  clearFailures(host: string): void {
    this.clearedAt.set(host, this.counts.get(host)?.failed ?? 0);
  }

  /** ansible-playbook's rule: 2 when a task failed somewhere (and was not cleared), else 4 when a host was unreachable, else 0. */
  exitCode(): number {
    if ([...this.counts].some(([host, c]) => c.failed > (this.clearedAt.get(host) ?? 0))) return EXIT_TASK_FAILED;
    if ([...this.counts.values()].some((c) => c.unreachable > 0)) return EXIT_UNREACHABLE;
    return EXIT_OK;
  }
}
