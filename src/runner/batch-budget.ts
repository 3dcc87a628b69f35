// What ends a serial rollout between batches, as Ansible's PlaybookExecutor decides: when every
// host of a batch failed or was unreachable, the play stops for the hosts of the later batches
// (with or without max_fail_percentage), so a bad change never goes past a failed canary.
import type { HostStatus } from './run-host.js';

/** Why the play stops after a batch, or undefined when it goes on. */
export function batchStopReason(batchNumber: number, statuses: readonly HostStatus[], remaining: number): string | undefined {
  if (statuses.length === 0 || remaining === 0) return undefined;
  const failed = statuses.filter((status) => status === 'failed' || status === 'unreachable').length;
  if (failed < statuses.length) return undefined;
  return (
    `every host of batch ${batchNumber} failed or was unreachable (${failed} of ${statuses.length}): the play stops, ` +
    `${remaining} host(s) of the later batches are not touched. Fix the failure shown above, then re-run with --limit @RETRYFILE`
  );
}
