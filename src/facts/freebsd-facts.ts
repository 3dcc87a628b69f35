// gather_facts: the FreeBSD facts a playbook needs, each one read-only command and a pure parser,
// all read in ONE round trip per host (FactCache batches them). A fact whose command fails (the
// local connection on Linux has no freebsd-version, kldstat or jls) is absent, not an error.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { parseKernBoottime } from './boottime.js';
import type { LocalFacts } from './local-facts.js';
import { ansibleFactReads, ansibleSysctlReads, virtualization, type MemoryPages } from './ansible-facts.js';
import { sysctlFact, type SysctlRead } from './sysctl-values.js';
import { networkFact, networkVariables, type NetworkFacts } from './network-facts.js';
import { storageFact, storageVariables, type StorageFacts } from './storage-facts.js';

/** One running jail as `jls jid name path` prints it. */
export interface RunningJail {
  readonly jid: number;
  readonly name: string;
  readonly path: string;
}

/** The trimmed first line of a successful command, or undefined when it failed or printed nothing. */
function firstLine(output: FactOutput): string | undefined {
  if (output.exitCode !== 0) return undefined;
  const line = output.stdout.split('\n')[0]?.trim();
  return line === undefined || line === '' ? undefined : line;
}

/** An integer from a successful command, or undefined. */
function integer(output: FactOutput): number | undefined {
  const line = firstLine(output);
  if (line === undefined || !/^-?\d+$/.test(line)) return undefined;
  return Number(line);
}

/** `{ sec = 1715699000, usec = 412345 } Tue May 14 15:03:20 2024` → 1715699000 (docs/freebsd/host.md). */
export function parseBoottime(output: FactOutput): number | undefined {
  const boottime = parseKernBoottime(output);
  return boottime === undefined ? undefined : Math.floor(boottime);
}

/** `kldstat` file table → file names without `.ko`: `kernel`, `zfs`, `vmm` (docs/freebsd/kld.md). */
export function parseKldstat(output: FactOutput): string[] | undefined {
  if (output.exitCode !== 0) return undefined;
  return output.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 5 && /^\d+$/.test(fields[0] ?? ''))
    .map((fields) => (fields[4] ?? '').replace(/\.ko$/, ''));
}

/** `jls jid name path` → one entry per running jail (docs/freebsd/bastille.md). */
export function parseJls(output: FactOutput): RunningJail[] | undefined {
  if (output.exitCode !== 0) return undefined;
  const jails: RunningJail[] = [];
  for (const line of output.stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    jails.push({ jid: Number(match[1]), name: match[2], path: (match[3] ?? '').trim() });
  }
  return jails;
}

/** The gathered sysctl values, keyed by the variable each becomes. */
const gatheredSysctls = {
  beastie_securelevel: { names: ['kern.securelevel'], parse: integer },
  beastie_ncpu: { names: ['hw.ncpu'], parse: integer },
  beastie_physmem: { names: ['hw.physmem'], parse: integer },
  beastie_boottime: { names: ['kern.boottime'], parse: parseBoottime },
  ...ansibleSysctlReads,
} satisfies Record<string, SysctlRead<unknown>>;

/** The gathered facts, keyed by the variable each becomes (beastie_sysctl: one per gathered sysctl). */
export const freebsdFacts = {
  beastie_kernel_version: defineFact('gather:freebsd-version-k', sh`freebsd-version -k`, firstLine),
  beastie_freebsd_version: defineFact('gather:freebsd-version-u', sh`freebsd-version -u`, firstLine),
  beastie_kernel_release: defineFact('gather:uname-r', sh`uname -r`, firstLine),
  beastie_arch: defineFact('gather:uname-m', sh`uname -m`, firstLine),
  beastie_hostname: defineFact('gather:hostname', sh`hostname`, firstLine),
  beastie_kernel_modules: defineFact('gather:kldstat', sh`kldstat`, parseKldstat),
  beastie_jails: defineFact('gather:jls', sh`jls jid name path`, parseJls),
  // Every sysctl value in one `sysctl` (src/facts/sysctl-values.ts); its variables: gatheredSysctls.
  beastie_sysctl: sysctlFact('gather:sysctl', gatheredSysctls),
  ...ansibleFactReads,
  beastie_network: networkFact,
  beastie_storage: storageFact,
} satisfies Record<string, Fact<unknown>>;

/** Names of the variables gather_facts may set, for documentation and tests. */
export type GatheredFactName = Exclude<keyof typeof freebsdFacts, 'beastie_sysctl'> | keyof typeof gatheredSysctls;

/**
 * Turn the parsed facts into variables: the `beastie_*` names, plus the `ansible_*` aliases whose
 * meaning is the same in Ansible. Absent facts set no variable.
 */
export function factVariables(values: Readonly<Partial<Record<GatheredFactName, unknown>>>): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    // The network and storage reads become ansible_ variables only (below), as in Ansible; facts.d's is shaped below.
    if (value !== undefined && name !== 'beastie_network' && name !== 'beastie_storage' && name !== 'beastie_local') vars[name] = value;
  }
  const alias = (ansible: string, value: unknown) => {
    if (value !== undefined) vars[ansible] = value;
  };
  // The release a jail is bootstrapped from (bastille bootstrap 12.2-RELEASE): userland without -pN.
  if (typeof values.beastie_freebsd_version === 'string') {
    vars['beastie_release'] = values.beastie_freebsd_version.replace(/-p\d+$/, '');
  }
  const hostname = typeof values.beastie_hostname === 'string' ? values.beastie_hostname : undefined;
  alias('ansible_nodename', hostname);
  alias('ansible_hostname', hostname?.split('.')[0]);
  alias('ansible_fqdn', hostname);
  alias('ansible_architecture', values.beastie_arch);
  alias('ansible_machine', values.beastie_arch);
  alias('ansible_kernel', values.beastie_kernel_release);
  alias('ansible_processor_vcpus', values.beastie_ncpu);
  alias('ansible_processor_nproc', values.beastie_ncpu);
  alias('ansible_memtotal_mb', typeof values.beastie_physmem === 'number' ? Math.floor(values.beastie_physmem / 1048576) : undefined);
  if (values.beastie_freebsd_version !== undefined) {
    alias('ansible_system', 'FreeBSD');
    alias('ansible_os_family', 'FreeBSD');
    alias('ansible_distribution', 'FreeBSD');
  }
  if (typeof values.beastie_kernel_release === 'string' && values.beastie_freebsd_version !== undefined) {
    // Ansible's FreeBSD distribution facts come from the running release: 14.1-RELEASE-p5 → 14.1.
    alias('ansible_distribution_release', values.beastie_kernel_release);
    const version = /^(\d+)(?:\.(\d+))?/.exec(values.beastie_kernel_release);
    alias('ansible_distribution_version', version ? version.slice(1).filter((part) => part !== undefined).join('.') : undefined);
    alias('ansible_distribution_major_version', version?.[1]);
  }
  // The rest of Ansible's FreeBSD facts (ansible/ansible lib/ansible/module_utils/facts/…).
  alias('ansible_domain', hostname?.includes('.') === true ? hostname.slice(hostname.indexOf('.') + 1) : hostname === undefined ? undefined : '');
  const model = typeof values.beastie_hw_model === 'string' ? values.beastie_hw_model : undefined;
  alias('ansible_processor', model === undefined ? undefined : [model]);
  alias('ansible_processor_count', values.beastie_ncpu);
  const memory = values.beastie_memory as MemoryPages | undefined;
  if (memory !== undefined) {
    alias('ansible_memtotal_mb', Math.floor((memory.pageSize * memory.pages) / 1048576));
    alias('ansible_memfree_mb', Math.floor((memory.pageSize * memory.free) / 1048576));
  }
  alias('ansible_user_id', values.beastie_user_id);
  alias('ansible_env', values.beastie_env);
  alias('ansible_date_time', values.beastie_date_time);
  if (values.beastie_freebsd_version !== undefined) {
    const virtual = virtualization(values.beastie_jailed, values.beastie_vm_guest, model);
    alias('ansible_virtualization_type', virtual.type);
    alias('ansible_virtualization_role', virtual.role);
    alias('ansible_pkg_mgr', 'pkgng');
    alias('ansible_service_mgr', 'bsdinit');
    // ifconfig/route and fstab/df/dev: parsed as FreeBSD prints them, so only on FreeBSD.
    Object.assign(vars, networkVariables(values.beastie_network as NetworkFacts | undefined), storageVariables(values.beastie_storage as StorageFacts | undefined));
  }
  // facts.d (FACT_PATH); ansible_local is {} when it holds nothing, as in Ansible, and left out when
  // local.py raised or failed (there the setup module fails; gathering keeps the host's other facts).
  const local = values.beastie_local as LocalFacts | undefined;
  const localFacts = local === undefined ? {} : local.kind === 'read' ? local.local : undefined;
  alias('beastie_local', localFacts);
  alias('ansible_local', localFacts);
  // ansible_facts.NAME, as playbooks written for Ansible also read them (ansible_facts['hostname']).
  vars['ansible_facts'] = Object.fromEntries(
    Object.entries(vars).flatMap(([name, value]) => (name.startsWith('ansible_') ? [[name.slice('ansible_'.length), value]] : name.startsWith('beastie_') ? [[name, value]] : [])),
  );
  return vars;
}

/** Every gathered fact definition, in one array for one batched read. */
export const freebsdFactList: readonly Fact<unknown>[] = Object.values(freebsdFacts);

/** Pair the values read (in {@link freebsdFactList} order) with their variable names. */
export function namedFactValues(values: readonly unknown[]): Partial<Record<GatheredFactName, unknown>> {
  const names = Object.keys(freebsdFacts) as (keyof typeof freebsdFacts)[];
  const { beastie_sysctl: sysctls, ...named } = Object.fromEntries(names.map((name, index) => [name, values[index]])) as Partial<Record<keyof typeof freebsdFacts, unknown>>;
  return { ...named, ...(sysctls as Partial<Record<keyof typeof gatheredSysctls, unknown>> | undefined) };
}
