// service_facts: every rc.d script of the host with its state and whether rc.conf enables it, as
// ansible_facts.services — Ansible's service_facts with its FreeBSD scan (service -l, service -e,
// service NAME onestatus), all in one command. Never changed.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { defineFact, type Fact } from '../src/facts/fact.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const params = z.strictObject({});

/** One rc.d script. */
export interface ServiceFact {
  readonly name: string;
  readonly state: 'running' | 'stopped' | 'unknown';
  readonly status: 'enabled' | 'disabled';
  readonly source: 'freebsd';
}

/** `NAME RC ENABLED` lines, then the status output's first line. */
export function parseServices(stdout: string): Record<string, ServiceFact> {
  const services: Record<string, ServiceFact> = {};
  for (const line of stdout.split('\n')) {
    const match = /^(\S+) (\d+) (enabled|disabled)(?: (.*))?$/.exec(line);
    if (match === null) continue;
    const [, name = '', rc = '', status = 'disabled', said = ''] = match;
    const state = rc === '0' ? 'running' : /is not running/.test(said) ? 'stopped' : 'unknown';
    services[name] = { name, state, status: status as ServiceFact['status'], source: 'freebsd' };
  }
  return services;
}

/** Every script's onestatus and whether service -e lists it. */
export function servicesFact(): Fact<Record<string, ServiceFact>> {
  return defineFact(
    'services',
    sh`enabled=$(service -e 2>/dev/null); for s in $(service -l 2>/dev/null); do out=$(service "$s" onestatus 2>&1); rc=$?; e=disabled; printf '%s\\n' "$enabled" | grep -q "/$s\$" && e=enabled; printf '%s %s %s %s\\n' "$s" "$rc" "$e" "$(printf '%s\\n' "$out" | head -n 1)"; done`,
    (o) => parseServices(o.stdout),
  );
}

/** The services as facts. */
export function planServiceFacts(services: Record<string, ServiceFact>): Plan {
  const facts = { services };
  return { steps: [{ kind: 'noop', reason: `${Object.keys(services).length} services` }], values: { ansible_facts: facts }, setFacts: facts };
}

export default defineModule({
  name: 'service_facts',
  summary: 'Every rc.d service with its state and rc.conf status, as ansible_facts.services',
  description:
    "Ansible's service_facts on FreeBSD: the scripts `service -l` lists, each with state running (onestatus " +
    'exits 0), stopped (it says "is not running") or unknown, and status enabled when `service -e` lists it. ' +
    'One command on the host. Never changed.',
  params,
  example: `- service_facts:

- debug:
    msg: "sshd is {{ ansible_facts.services.sshd.state }}"`,
  needs: () => [servicesFact()],
  async observe(host) {
    const [services] = await host.facts(servicesFact());
    return services;
  },
  plan({ facts }) {
    return planServiceFacts(facts);
  },
});
