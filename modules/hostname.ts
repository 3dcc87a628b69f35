// hostname: the host's name now (hostname(1)) and at boot — Ansible's hostname module with its
// FreeBSD strategy, which keeps `hostname="NAME"` in /etc/rc.conf.d/hostname (written with sysrc).
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { defineFact, type Fact } from '../src/facts/fact.js';
import { sysrcValueFact, type SysrcValue } from '../src/facts/sysrc-value.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';

/** Where Ansible's FreeBSD strategy keeps the name for boot. */
export const HOSTNAME_FILE = '/etc/rc.conf.d/hostname';

const params = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'a host name: letters, digits, - and .').describe('The host name (a fully qualified one is fine).'),
  use: z.enum(['freebsd']).optional().describe('The strategy: only freebsd on FreeBSD hosts.'),
});

type Params = z.output<typeof params>;

/** `hostname` as the kernel has it now. */
export function currentHostnameFact(): Fact<string> {
  return defineFact('hostname', sh`hostname`, (o) => o.stdout.trim());
}

/** Set the running name and the boot-time one where they differ. */
export function planHostname(p: Params, facts: { readonly current: string; readonly permanent: SysrcValue }): Plan {
  const steps: Step[] = [];
  const domain = p.name.includes('.') ? p.name.slice(p.name.indexOf('.') + 1) : '';
  const values = { ansible_facts: { ansible_hostname: p.name.split('.')[0], ansible_nodename: p.name, ansible_fqdn: p.name, ansible_domain: domain } };
  if (facts.current !== p.name) {
    steps.push({ kind: 'change', summary: `hostname ${facts.current} → ${p.name}`, actions: [{ kind: 'run', command: sh`hostname ${p.name}` }], diff: { header: 'hostname', before: `${facts.current}\n`, after: `${p.name}\n` } });
  } else steps.push({ kind: 'noop', reason: `the host is called ${p.name}` });
  if (facts.permanent.value !== p.name || !facts.permanent.inFile) {
    steps.push({
      kind: 'change',
      summary: `hostname="${p.name}" in ${HOSTNAME_FILE}`,
      actions: [{ kind: 'run', command: sh`mkdir -p /etc/rc.conf.d && sysrc -f ${HOSTNAME_FILE} ${`hostname=${p.name}`}` }],
      diff: { header: HOSTNAME_FILE, before: facts.permanent.inFile ? `hostname="${facts.permanent.value ?? ''}"\n` : '', after: `hostname="${p.name}"\n` },
    });
  } else steps.push({ kind: 'noop', reason: `${HOSTNAME_FILE} says ${p.name}` });
  return { steps, values, setFacts: values.ansible_facts };
}

const hostnameFacts = () => [currentHostnameFact(), sysrcValueFact('hostname', HOSTNAME_FILE)] as const;

export default defineModule({
  name: 'hostname',
  summary: 'The host name, now (hostname) and at boot (/etc/rc.conf.d/hostname)',
  description:
    "Ansible's hostname module with its FreeBSD strategy: `hostname NAME` when the running name differs, and " +
    '`hostname="NAME"` in /etc/rc.conf.d/hostname (sysrc -f) for the next boot. Registers ansible_facts with ' +
    'the new ansible_hostname, ansible_nodename, ansible_fqdn and ansible_domain, and sets them on the host.',
  params,
  example: `- name: Name the host
  hostname:
    name: bhyve01.example.org`,
  needs: () => hostnameFacts(),
  async observe(host) {
    const [current, permanent] = await host.facts(...hostnameFacts());
    return { current, permanent };
  },
  plan({ params: p, facts }) {
    return planHostname(p, facts);
  },
  verify({ params: p, facts }) {
    const step = planHostname(p, facts).steps.find((s) => s.kind === 'change');
    return step?.kind === 'change' ? `still needs: ${step.summary}` : undefined;
  },
});
