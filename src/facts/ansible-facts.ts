// The raw reads behind Ansible's FreeBSD facts that beastie_* facts do not already give, and
// their shaping into Ansible's names (ansible/ansible lib/ansible/module_utils/facts:
// system/date_time.py, system/local.py, system/user.py, system/env.py, hardware/freebsd.py,
// virtual/freebsd.py + sysctl.py). All are read in the gather round trip.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { FACT_PATH, localFactsFact } from './local-facts.js';
import type { SysctlRead } from './sysctl-values.js';

/** `vm.stats.vm` page counters (hardware/freebsd.py get_memory_facts). */
export interface MemoryPages {
  readonly pageSize: number;
  readonly pages: number;
  readonly free: number;
}

/** Three numbers, one per line, as `sysctl -n A B C` prints them. */
export function parseMemoryPages(output: FactOutput): MemoryPages | undefined {
  if (output.exitCode !== 0) return undefined;
  const [pageSize, pages, free] = output.stdout.trim().split('\n').map(Number);
  if (pageSize === undefined || pages === undefined || free === undefined || [pageSize, pages, free].some((n) => !Number.isFinite(n))) return undefined;
  return { pageSize, pages, free };
}

/** `NAME=VALUE` lines of env(1); a line without `=` continues the previous value. */
export function parseEnv(output: FactOutput): Record<string, string> | undefined {
  if (output.exitCode !== 0) return undefined;
  const env: Record<string, string> = {};
  let last: string | undefined;
  for (const line of output.stdout.replace(/\n$/, '').split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined) {
      last = match[1];
      env[last] = match[2] ?? '';
    } else if (last !== undefined) env[last] = `${env[last] ?? ''}\n${line}`;
  }
  return env;
}

/** The host's clock: local fields, then the UTC ISO 8601 time (date_time.py's keys). */
export function parseDateTime(output: FactOutput): Record<string, string> | undefined {
  if (output.exitCode !== 0) return undefined;
  const [local = '', utc = ''] = output.stdout.split('\n');
  const [year, month, weekday, weekdayNumber, weeknumber, day, hour, minute, second, epoch, tz, tzOffset] = local.split('|');
  if (year === undefined || epoch === undefined || tzOffset === undefined || utc === '') return undefined;
  const date = `${year}-${month ?? ''}-${day ?? ''}`;
  const time = `${hour ?? ''}:${minute ?? ''}:${second ?? ''}`;
  const basic = `${year}${month ?? ''}${day ?? ''}T${hour ?? ''}${minute ?? ''}${second ?? ''}`;
  return {
    year,
    month: month ?? '',
    weekday: weekday ?? '',
    weekday_number: weekdayNumber ?? '',
    weeknumber: weeknumber ?? '',
    day: day ?? '',
    hour: hour ?? '',
    minute: minute ?? '',
    second: second ?? '',
    epoch,
    epoch_int: epoch,
    date,
    time,
    // FreeBSD's date(1) has no sub-second field: the microseconds are 0.
    iso8601_micro: utc.replace(/Z$/, '.000000Z'),
    iso8601: utc,
    iso8601_basic: `${basic}000000`,
    iso8601_basic_short: basic,
    tz: tz ?? '',
    tz_dst: tz ?? '',
    tz_offset: tzOffset,
  };
}


/** The extra sysctl values, keyed by the variable each becomes (read with the others in one `sysctl`). */
export const ansibleSysctlReads = {
  beastie_hw_model: { names: ['hw.model'], parse: (o) => (o.exitCode === 0 ? o.stdout.trim() : undefined) },
  beastie_memory: { names: ['vm.stats.vm.v_page_size', 'vm.stats.vm.v_page_count', 'vm.stats.vm.v_free_count'], parse: parseMemoryPages },
  beastie_jailed: { names: ['security.jail.jailed'], parse: (o) => (o.exitCode === 0 ? o.stdout.trim() === '1' : undefined) },
  beastie_vm_guest: { names: ['kern.vm_guest'], parse: (o) => (o.exitCode === 0 ? o.stdout.trim() : undefined) },
} satisfies Record<string, SysctlRead<unknown>>;

/** The extra reads, keyed by the variable each becomes. */
export const ansibleFactReads = {
  beastie_user_id: defineFact('gather:id-un', sh`id -un`, (o) => (o.exitCode === 0 ? o.stdout.trim() : undefined)),
  beastie_env: defineFact('gather:env', sh`env`, parseEnv),
  beastie_date_time: defineFact('gather:date', sh`date ${'+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%Z|%z'}; date -u ${'+%Y-%m-%dT%H:%M:%SZ'}`, parseDateTime),
  // system/local.py: ansible_local from the default fact_path (src/facts/local-facts.ts).
  beastie_local: localFactsFact(FACT_PATH),
} satisfies Record<string, Fact<unknown>>;

/** virtual/sysctl.py's product regexes over kern.vm_guest / hw.model; jails first as Ansible finds them. */
export function virtualization(jailed: unknown, vmGuest: unknown, hwModel: unknown): { type: string; role: string } {
  const guest = (type: string) => ({ type, role: 'guest' });
  if (typeof vmGuest === 'string') {
    if (/^(KVM|kvm|Bochs|SmartDC)/.test(vmGuest)) return guest('kvm');
    if (/VMware/.test(vmGuest)) return guest('VMware');
    if (vmGuest === 'VirtualBox') return guest('virtualbox');
    if (/^(HVM domU|XenPVH|XenPV|XenPVHVM)/.test(vmGuest)) return guest('xen');
    if (vmGuest === 'Hyper-V') return guest('Hyper-V');
    if (vmGuest === 'Parallels') return guest('parallels');
  }
  if (jailed === true) return guest('jails');
  if (hwModel === 'QEMU') return guest('kvm');
  return { type: '', role: '' };
}
