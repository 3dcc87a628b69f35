// zfs: a ZFS file system, volume, snapshot or clone present or absent, with properties — Ansible's
// community.general.zfs (name, state, origin, extra_zfs_properties; result: name, state, the
// properties, diff). As that module does, a property counts as set only when `zfs get` reports it
// with source local, received or `-`: an inherited value equal to the wanted one is set locally.
// zfs(8)'s behaviour and messages: docs/freebsd/zfs.md.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { zfsDatasetFact, type ZfsDataset } from '../src/facts/zfs-dataset.js';
import { defineModule, type Step } from '../src/module-api/module.js';

const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*(@[A-Za-z0-9_.:-]+)?$/;

const params = z.strictObject({
  name: z.string().regex(DATASET, 'a dataset name such as zroot/vms, zroot/vms/guest or zroot/vms@before').describe('File system, volume or snapshot name (pool/path[@snapshot]).'),
  state: z.enum(['present', 'absent']).describe('present: created (parents too) with the properties; absent: destroyed with everything below it (zfs destroy -R).'),
  origin: z.string().regex(DATASET).optional().describe('Snapshot to clone the new file system from (zfs clone).'),
  extra_zfs_properties: z
    .record(z.string().regex(/^[a-z][a-z0-9_.:]*$/, 'a property name such as compression or com.example:owner'), z.union([z.string(), z.number(), z.boolean()]))
    .default({})
    .describe('Properties to set: volsize makes a volume (-V), volblocksize its block size (-b); booleans become on/off.'),
});

type Params = z.output<typeof params>;

/** Ansible's reversal of YAML's booleans: true is `on`, false is `off`; numbers as written. */
export function zfsPropertyValues(p: Params): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(p.extra_zfs_properties)) {
    values[key] = typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value);
  }
  return values;
}

/** The command that makes the dataset: snapshot, clone, or create (with -V for a volume). */
function createCommand(p: Params, values: Record<string, string>): Command {
  if (p.name.includes('@')) return sh`zfs snapshot ${p.name}`;
  let command = p.origin === undefined ? sh`zfs create -p` : sh`zfs clone -p`;
  for (const [key, value] of Object.entries(values)) {
    if (key === 'volsize') command = sh`${command} -V ${value}`;
    else if (key === 'volblocksize') command = sh`${command} -b ${value}`;
    else command = sh`${command} -o ${`${key}=${value}`}`;
  }
  return p.origin === undefined ? sh`${command} ${p.name}` : sh`${command} ${p.origin} ${p.name}`;
}

/** `4G`, `512K`, `1.5M` → bytes (zfs(8)'s 1024-based suffixes); undefined for anything else. */
function sizeBytes(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMGTPE])?B?$/i.exec(value);
  if (!match?.[1]) return undefined;
  return Number(match[1]) * 1024 ** (match[2] ? 'KMGTPE'.indexOf(match[2].toUpperCase()) + 1 : 0);
}

/**
 * Whether `zfs get -p`'s exact value already is the wanted one. A size written as `4G` is compared
 * in bytes: community.general.zfs runs `zfs set` again for it and then reports no change; beastie
 * skips the redundant set.
 */
function sameValue(current: string, wanted: string): boolean {
  if (current === wanted) return true;
  const bytes = sizeBytes(wanted);
  return bytes !== undefined && /^\d+$/.test(current) && Number(current) === bytes;
}

/** The steps that bring the dataset to what params ask. */
export function planZfs(p: Params, dataset: ZfsDataset): Step[] {
  const values = zfsPropertyValues(p);
  const header = p.name;
  if (p.state === 'absent') {
    if (!dataset.exists) return [{ kind: 'noop', reason: `${p.name} does not exist` }];
    return [
      {
        kind: 'change',
        summary: `destroy ${p.name}`,
        actions: [{ kind: 'run', command: sh`zfs destroy -R ${p.name}` }],
        diff: { header, before: 'state: present\n', after: 'state: absent\n' },
      },
    ];
  }
  if (!dataset.exists) {
    return [
      {
        kind: 'change',
        summary: p.name.includes('@') ? `snapshot ${p.name}` : `create ${p.name}${p.origin ? ` from ${p.origin}` : ''}`,
        actions: [{ kind: 'run', command: createCommand(p, values) }],
        diff: { header, before: 'state: absent\n', after: 'state: present\n' },
      },
    ];
  }
  const steps: Step[] = [];
  for (const [key, value] of Object.entries(values)) {
    const current = dataset.properties.get(key);
    const counted = current !== undefined && ['local', 'received', '-'].includes(current.source) ? current.value : undefined;
    if (counted !== undefined && sameValue(counted, value)) {
      steps.push({ kind: 'noop', reason: `${key} is ${value}` });
      continue;
    }
    steps.push({
      kind: 'change',
      summary: `set ${key}=${value}`,
      actions: [{ kind: 'run', command: sh`zfs set ${`${key}=${value}`} ${p.name}` }],
      diff: { header: `${p.name} ${key}`, before: counted === undefined ? '' : `${counted}\n`, after: `${value}\n` },
    });
  }
  if (steps.length === 0) steps.push({ kind: 'noop', reason: `${p.name} exists` });
  return steps;
}

export default defineModule({
  name: 'zfs',
  summary: 'Create or destroy a ZFS file system, volume, snapshot or clone and set its properties',
  description:
    'Observes with `zfs list -t all NAME` and `zfs get -H -p all NAME`, then creates (`zfs create -p`, ' +
    '`zfs snapshot`, `zfs clone -p`), sets only the properties that differ, or destroys with ' +
    '`zfs destroy -R`. Parameters and results follow community.general.zfs: the result has name, ' +
    'state and the properties asked for.',
  params,
  example: `- name: a dataset for the guests, compressed, without atime
  zfs:
    name: zroot/vms
    state: present
    extra_zfs_properties:
      mountpoint: /vms
      compression: lz4
      atime: false`,
  async observe(host, p) {
    if (p.origin !== undefined && p.name.includes('@')) return { dataset: { exists: false } as ZfsDataset };
    const [dataset] = await host.facts(zfsDatasetFact(p.name));
    return { dataset };
  },
  plan({ params: p, facts }) {
    if (p.origin !== undefined && p.name.includes('@')) return { steps: [], failure: 'cannot specify origin when operating on a snapshot' };
    return { steps: planZfs(p, facts.dataset), values: { name: p.name, state: p.state, ...zfsPropertyValues(p) } };
  },
  verify({ params: p, facts }) {
    if (p.state === 'present' && !facts.dataset.exists) return `${p.name} does not exist after it was created`;
    if (p.state === 'absent' && facts.dataset.exists) return `${p.name} still exists after zfs destroy`;
    if (p.state === 'present' && facts.dataset.exists) {
      for (const key of Object.keys(zfsPropertyValues(p))) {
        if (key === 'volsize' || key === 'volblocksize') continue;
        const current = facts.dataset.properties.get(key);
        if (current === undefined) return `zfsprop was not present after being successfully set: ${key}`;
      }
    }
    return undefined;
  },
});
