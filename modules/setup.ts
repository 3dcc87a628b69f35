// setup: gather facts explicitly (Ansible's setup), by the same one-round-trip read as the play's
// gather_facts (src/facts/freebsd-facts.ts), narrowed by gather_subset and filter as Ansible
// narrows them, and merged into the host's facts.
import { z } from 'zod';
import { factVariables, freebsdFactList, namedFactValues } from '../src/facts/freebsd-facts.js';
import { FACT_PATH, localFactsFact, type LocalFacts } from '../src/facts/local-facts.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { fnmatch } from '../src/text/fnmatch.js';

/** Ansible's fact collectors and the facts beastie gathers for each (ansible_ names without the prefix). */
const collectors: Readonly<Record<string, readonly string[]>> = {
  platform: ['system', 'kernel', 'machine', 'architecture', 'nodename', 'hostname', 'fqdn', 'domain'],
  distribution: ['distribution', 'distribution_release', 'distribution_version', 'distribution_major_version', 'os_family'],
  env: ['env'],
  date_time: ['date_time'],
  user: ['user_id'],
  local: ['local'],
  pkg_mgr: ['pkg_mgr'],
  service_mgr: ['service_mgr'],
  hardware: ['processor', 'processor_count', 'processor_vcpus', 'processor_nproc', 'memtotal_mb', 'memfree_mb', 'mounts', 'devices'],
  // and ansible_IFACE for each of ansible_interfaces (setupFacts)
  network: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'],
  virtual: ['virtualization_type', 'virtualization_role'],
};

/** Ansible's minimal subset: always gathered unless `!min`. */
const MIN: readonly string[] = ['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user'];

/** The subset names Ansible accepts (ansible-core 2.14's list) → the collector that gathers them. */
const SUBSETS: Readonly<Record<string, string>> = {
  all: 'all', min: 'min', hardware: 'hardware', network: 'network', virtual: 'virtual', ohai: 'ohai', facter: 'facter',
  apparmor: 'apparmor', caps: 'caps', chroot: 'chroot', is_chroot: 'chroot', cmdline: 'cmdline', date_time: 'date_time', dns: 'dns',
  env: 'env', fips: 'fips', local: 'local', lsb: 'lsb', pkg_mgr: 'pkg_mgr', platform: 'platform', python: 'python', python_version: 'python',
  selinux: 'selinux', service_mgr: 'service_mgr', ssh_pub_keys: 'ssh_pub_keys', ssh_host_pub_keys: 'ssh_pub_keys', system_capabilities: 'caps',
  system_capabilities_enforced: 'caps', user: 'user', loadavg: 'hardware',
  architecture: 'platform', kernel: 'platform', kernel_version: 'platform', machine: 'platform', machine_id: 'platform', system: 'platform',
  distribution: 'distribution', distribution_major_version: 'distribution', distribution_release: 'distribution', distribution_version: 'distribution', os_family: 'distribution',
  devices: 'hardware', mounts: 'hardware', processor: 'hardware', processor_cores: 'hardware', processor_count: 'hardware',
  fibre_channel_wwn: 'hardware', iscsi: 'network', nvme: 'hardware',
  interfaces: 'network', default_ipv4: 'network', default_ipv6: 'network', all_ipv4_addresses: 'network', all_ipv6_addresses: 'network',
  virtualization_role: 'virtual', virtualization_type: 'virtual', virtualization_tech_guest: 'virtual', virtualization_tech_host: 'virtual',
  effective_group_ids: 'user', effective_user_id: 'user', real_user_id: 'user', user_dir: 'user', user_gecos: 'user', user_gid: 'user', user_id: 'user', user_shell: 'user', user_uid: 'user',
  ssh_host_key_dsa_public: 'ssh_pub_keys', ssh_host_key_ecdsa_public: 'ssh_pub_keys', ssh_host_key_ed25519_public: 'ssh_pub_keys', ssh_host_key_rsa_public: 'ssh_pub_keys',
};

/** A list or a comma-separated string, as Ansible's type='list' takes it. */
const list = z.union([z.array(z.string()), z.string()]).transform((v) => (Array.isArray(v) ? v : v.split(',').map((s) => s.trim()).filter((s) => s !== '')));

const params = withAliases(
  {
    gather_subset: list.default(['all']).describe("Which facts: all (default), min, hardware, network, virtual, a collector's or fact's name; `!name` leaves one out, `!all` keeps only min."),
    filter: list.default([]).describe('Shell-style patterns of the fact names to keep (`ansible_distribution*`).'),
    gather_timeout: z.number().int().positive().default(10).describe('Accepted; beastie reads every fact in one command with the connection\'s timeout.'),
    fact_path: z.string().min(1).default(FACT_PATH).describe('The directory whose *.fact files make ansible_local: executable ones are run and their output read, others read; JSON, else INI.'),
  },
  {},
).superRefine((p, context) => {
  for (const subset of p.gather_subset) {
    if (SUBSETS[subset.replace(/^!/, '')] === undefined) {
      context.addIssue({ code: 'custom', path: ['gather_subset'], message: `Bad subset '${subset}' given to Ansible. gather_subset options allowed: ${Object.keys(SUBSETS).sort().join(', ')}` });
    }
  }
});

type Params = z.output<typeof params>;

/** Where observe leaves a fact_path's failure for the plan (never a fact name: not ansible_/beastie_). */
const LOCAL_FAILURE = '@local-failure';

/** The collectors a gather_subset selects, as Ansible's get_collector_names chooses them. */
export function selectedCollectors(subsets: readonly string[]): Set<string> {
  const wanted = subsets.filter((s) => !s.startsWith('!')).map((s) => SUBSETS[s] ?? s);
  const excluded = new Set(subsets.filter((s) => s.startsWith('!')).map((s) => SUBSETS[s.slice(1)] ?? s.slice(1)));
  // Only exclusions (`!hardware`) mean everything else, as in Ansible.
  const base = wanted.length === 0 && !excluded.has('all') ? ['all'] : wanted;
  const selected = new Set<string>();
  for (const name of base) for (const collector of name === 'all' ? Object.keys(collectors) : [name]) if (!excluded.has(collector)) selected.add(collector);
  if (!excluded.has('min')) for (const name of MIN) selected.add(name);
  return selected;
}

/** The gathered variables narrowed to the subset and filter: Ansible's `ansible_facts` result (prefixed names). */
export function setupFacts(p: Params, gathered: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const selected = selectedCollectors(p.gather_subset);
  const names = new Set([...selected].flatMap((collector) => (collectors[collector] ?? []).map((fact) => `ansible_${fact}`)));
  const interfaces = gathered['ansible_interfaces'];
  if (selected.has('network') && Array.isArray(interfaces)) for (const name of interfaces) names.add(`ansible_${String(name)}`);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(gathered)) {
    if (name === 'ansible_facts') continue;
    // beastie's own facts (beastie_*) are not in any Ansible subset: they come with `all` or a filter naming them.
    const inSubset = name.startsWith('ansible_') ? names.has(name) : selected.has('hardware') && selected.has('virtual');
    if (!inSubset) continue;
    if (p.filter.length > 0 && !p.filter.some((pattern) => fnmatch(name, pattern))) continue;
    out[name] = value;
  }
  return out;
}

/** Never changed: register ansible_facts and merge them into the host's facts. */
export function planSetup(p: Params, gathered: Readonly<Record<string, unknown>>, vars: Readonly<Record<string, unknown>>): Plan {
  const facts = setupFacts(p, gathered);
  const previous = typeof vars['ansible_facts'] === 'object' && vars['ansible_facts'] !== null ? (vars['ansible_facts'] as Record<string, unknown>) : {};
  const unprefixed = Object.fromEntries(Object.entries(facts).map(([name, value]) => [name.replace(/^ansible_/, ''), value]));
  return {
    steps: [{ kind: 'noop', reason: `${Object.keys(facts).length} facts` }],
    values: { ansible_facts: facts },
    setFacts: { ...facts, ansible_facts: { ...previous, ...unprefixed } },
  };
}

export default defineModule({
  name: 'setup',
  summary: 'Gather facts about the host (explicitly, as gather_facts does)',
  description:
    "Ansible's setup: reads the facts gather_facts reads, in one round trip, keeps those of gather_subset " +
    '(Ansible\'s collector and subset names; `!` excludes; min is always kept unless `!min`) and of filter ' +
    '(fnmatch patterns over the ansible_ names), registers them as ansible_facts and merges them into the ' +
    "host's facts (ansible_NAME and ansible_facts.NAME). Never changed. beastie's own beastie_* facts come with " +
    'the hardware and virtual subsets (so with the default all). gather_timeout is accepted. ansible_local ' +
    "is read from fact_path as Ansible's system/local.py reads it: each *.fact in sorted order, run when its " +
    "owner may execute it (its stdout read; a non-zero exit is the fact's text, with rc and stderr), else read; " +
    'JSON, else INI as configparser reads it, else an error text naming the file.',
  params,
  example: `- name: Read the distribution facts again
  setup:
    gather_subset: ['!all']
    filter: ['ansible_distribution*']`,
  // The default fact_path's read is one of the gathered facts (the same key: read once).
  needs: (p) => [...freebsdFactList, ...(p.fact_path === FACT_PATH ? [] : [localFactsFact(p.fact_path)])],
  async observe(host, p) {
    const gathered = factVariables(namedFactValues(await host.facts(...freebsdFactList)));
    // ansible_local comes from fact_path alone (system/local.py reads only the one given).
    const [local] = await host.facts(localFactsFact(p.fact_path));
    const { ansible_local: _default, ...others } = gathered;
    if (local.kind === 'failed') return { ...others, [LOCAL_FAILURE]: local };
    return local.kind === 'read' ? { ...others, ansible_local: local.local } : others;
  },
  plan({ params: p, facts, vars }) {
    const failure = facts[LOCAL_FAILURE] as Extract<LocalFacts, { kind: 'failed' }> | undefined;
    // run_command's OSError on a *.fact it cannot run is the setup module's fail_json.
    if (failure !== undefined) return { steps: [], failure: failure.msg, values: { cmd: failure.cmd, rc: 13, stdout: '', stderr: '' } };
    return planSetup(p, facts, vars);
  },
});
