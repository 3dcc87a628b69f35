// gather_facts: one round trip per host reads every FreeBSD fact (src/facts/freebsd-facts.ts);
// the values become the host's fact variables. Shown as Ansible's "Gathering Facts" task.
import { BeastieError, InvalidInputError, UnreachableError } from '../errors.js';
import { templatedMappingKey } from '../playbook/fields.js';
import { EnvironmentTransport, environmentWords } from './environment.js';
import { HostSession } from './host-session.js';
import { taskVars } from './host-vars.js';
import { scopedVars } from './scope.js';
import { factVariables, freebsdFactList, namedFactValues } from '../facts/freebsd-facts.js';
import type { PlayRuntime } from './play-runtime.js';
import type { RunHost } from './run-host.js';

/** The task name Ansible shows for fact gathering. */
export const GATHERING_FACTS = 'Gathering Facts';

/**
 * The play's `environment:` for fact gathering, rendered for the host. An entry that needs the
 * env facts themselves (`PATH: "{{ ansible_env.PATH }}:/x"`) is left out, as Ansible's
 * Task._post_validate_environment skips one whose template names an undefined ansible_env.
 */
function gatheringEnvironment(runtime: PlayRuntime, host: RunHost): string[] {
  const written = runtime.play.environment;
  if (Object.keys(written).length === 0) return [];
  const { templates } = runtime.services;
  const source = runtime.play.source;
  const vars = taskVars(runtime.vars, host, { scoped: scopedVars([]) }, source);
  const rendered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(written)) {
    let result: unknown;
    try {
      result = templates.render(value, vars, source);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (error instanceof InvalidInputError && (text.includes('ansible_env') || text.includes('ansible_facts.env'))) continue;
      throw error;
    }
    if (name === templatedMappingKey) {
      if (result !== null && typeof result === 'object' && !Array.isArray(result)) Object.assign(rendered, result);
    } else rendered[name] = result;
  }
  return environmentWords(rendered);
}

/** Gather facts on one host; unreachable hosts leave the play, other errors fail the host. */
async function gatherOn(runtime: PlayRuntime, host: RunHost): Promise<void> {
  const started = performance.now();
  const source = runtime.play.source;
  try {
    const sessions = host.sessions();
    sessions.transport.task = { name: GATHERING_FACTS, noLog: false };
    // The play's environment applies to gathering too (its env facts show it); then the facts are
    // read afresh, not from what the lock's round trip read without it.
    const environment = gatheringEnvironment(runtime, host);
    const session = sessions.get({ jail: undefined, become: undefined });
    const facts = environment.length === 0 ? session.facts : new HostSession(new EnvironmentTransport(sessions.transport, environment)).facts;
    const values = await facts.read(...freebsdFactList);
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
