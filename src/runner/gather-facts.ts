// gather_facts: one round trip per host reads every FreeBSD fact (src/facts/freebsd-facts.ts);
// the values become the host's fact variables. Shown as Ansible's "Gathering Facts" task.
import { BeastieError, UnreachableError } from '../errors.js';
import { factVariables, freebsdFactList, namedFactValues } from '../facts/freebsd-facts.js';
import type { PlayRuntime } from './play-runtime.js';
import type { RunHost } from './run-host.js';

/** The task name Ansible shows for fact gathering. */
export const GATHERING_FACTS = 'Gathering Facts';

/** Gather facts on one host; unreachable hosts leave the play, other errors fail the host. */
async function gatherOn(runtime: PlayRuntime, host: RunHost): Promise<void> {
  const started = performance.now();
  const source = runtime.play.source;
  try {
    const sessions = host.sessions();
    sessions.transport.task = { name: GATHERING_FACTS, noLog: false };
    const values = await sessions.get({ jail: undefined, become: undefined }).facts.read(...freebsdFactList);
    host.facts = factVariables(namedFactValues(values));
    runtime.emit({ event: 'task_result', host: host.name, task: GATHERING_FACTS, status: 'ok', source, msg: `${Object.keys(host.facts).length} facts`, durationMs: Math.round(performance.now() - started) });
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    if (error instanceof UnreachableError) {
      host.lose();
      const msg = error.describe();
      runtime.emit({ event: 'host_unreachable', host: host.name, task: GATHERING_FACTS, msg, reason: error.reason });
      runtime.emit({ event: 'task_result', host: host.name, task: GATHERING_FACTS, status: 'unreachable', source, msg, durationMs });
      return;
    }
    if (!(error instanceof BeastieError) || error.code === 'internal') runtime.internalErrors++;
    host.fail();
    const msg = error instanceof Error ? error.message : String(error);
    runtime.emit({ event: 'task_result', host: host.name, task: GATHERING_FACTS, status: 'failed', source, msg, durationMs });
  }
}

/** Gather facts on every active host of the batch, bounded by the forks queue. */
export async function gatherFacts(runtime: PlayRuntime, hosts: readonly RunHost[]): Promise<void> {
  const active = hosts.filter((host) => host.active);
  if (active.length === 0) return;
  runtime.emit({ event: 'task_start', play: runtime.play.name, task: GATHERING_FACTS, hosts: active.map((h) => h.name), source: runtime.play.source, handler: false });
  await Promise.all(active.map((host) => runtime.queue.add(() => gatherOn(runtime, host))));
}
