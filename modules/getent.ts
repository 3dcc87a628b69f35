// getent: a name-service database (passwd, group, hosts, services…) read with getent(1), set as the
// fact getent_DATABASE — Ansible's getent. Reading changes nothing: never changed.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { defineFact, type Fact, type FactOutput } from '../src/facts/fact.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { exitedText } from '../src/text/exit-text.js';

const params = z.strictObject({
  database: z.string().regex(/^[a-z_]+$/, 'a getent database: passwd, group, hosts, services…').describe('passwd, group, hosts, services, protocols, networks, ethers, rpc, shells, netgroup, utmpx.'),
  key: z.union([z.string(), z.number()]).transform(String).optional().describe('One entry to look up (getent DATABASE KEY); all entries otherwise.'),
  split: z.string().min(1).optional().describe("The field separator; default ':' for passwd, group, shadow, gshadow, else whitespace."),
  fail_key: z.boolean().default(true).describe('Fail when the key is not found.'),
  service: z.string().optional().describe('Accepted for Ansible playbooks: FreeBSD\'s getent has no -s.'),
});

type Params = z.output<typeof params>;

/** getent's output and exit code. */
export function getentFact(database: string, key: string | undefined): Fact<FactOutput> {
  return defineFact(`getent:${database}:${key ?? ''}`, key === undefined ? sh`getent ${database}` : sh`getent ${database} ${key}`, (o) => o);
}

/** Ansible's getent main(): one list of fields per entry, keyed by its first field. */
export function planGetent(p: Params, output: FactOutput): Plan {
  if (output.exitCode === 1) return { steps: [], failure: 'Missing arguments, or database unknown.' };
  if (output.exitCode === 2) {
    if (p.fail_key) return { steps: [], failure: 'One or more supplied key could not be found in the database.' };
  } else if (output.exitCode === 3) return { steps: [], failure: 'Enumeration not supported on this database.' };
  else if (output.exitCode !== 0) return { steps: [], failure: exitedText('getent', { ...output, stdout: '' }) };
  const colon = ['passwd', 'shadow', 'group', 'gshadow'].includes(p.database);
  const separator = p.split ?? (colon ? ':' : undefined);
  const entries: Record<string, string[] | null> = {};
  for (const line of output.stdout.split('\n')) {
    if (line.trim() === '') continue;
    const record = separator === undefined ? line.trim().split(/\s+/) : line.split(separator);
    entries[record[0] ?? ''] = record.slice(1);
  }
  if (output.exitCode === 2 && p.key !== undefined) entries[p.key] = null;
  const facts = { [`getent_${p.database}`]: entries };
  return { steps: [{ kind: 'noop', reason: `${Object.keys(entries).length} ${p.database} entries` }], values: { ansible_facts: facts }, setFacts: facts };
}

export default defineModule({
  name: 'getent',
  summary: 'Read a name-service database into the fact getent_DATABASE',
  description:
    "Ansible's getent: `getent DATABASE [KEY]` on the host; each entry becomes KEY: [other fields] under " +
    "getent_DATABASE (split on ':' for passwd/group, else on whitespace), registered under ansible_facts and set " +
    "as a host fact. Fails with Ansible's messages for an unknown database or a missing key (fail_key). Never changed.",
  params,
  example: `- name: Does the vm user exist?
  getent:
    database: passwd
    key: vm
    fail_key: false`,
  needs: (p) => [getentFact(p.database, p.key)],
  async observe(host, p) {
    const [output] = await host.facts(getentFact(p.database, p.key));
    return output;
  },
  plan({ params: p, facts }) {
    return planGetent(p, facts);
  },
});
