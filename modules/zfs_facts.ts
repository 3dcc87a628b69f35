// zfs_facts: the properties of a ZFS dataset (and, with recurse or depth, of those below it) as
// ansible_zfs_datasets — community.general.zfs_facts: `zfs list NAME` to check it exists, then
// `zfs get -H [-p] [-r] [-d N] [-t TYPES] -o name,property,value PROPERTIES NAME`, one dictionary
// per dataset with `name`. Never changed. zfs(8): docs/freebsd/zfs.md.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { zfsListingFact, type ZfsListing } from '../src/facts/zfs-listing.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const TYPES = ['all', 'filesystem', 'volume', 'snapshot', 'bookmark'] as const;

const params = withAliases(
  {
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:/@#-]*$/, 'a dataset name such as zroot/usr/home').describe('ZFS dataset name.'),
    recurse: z.boolean().default(false).describe('Also the datasets below it (zfs get -r).'),
    parsable: z.boolean().default(false).describe('Exact numbers instead of 5-character sizes (zfs get -p).'),
    properties: z.string().regex(/^[a-z0-9_.:,]+$/, 'a comma-separated property list such as used,mountpoint, or all').default('all').describe('Comma-separated properties, or all.'),
    type: z
      .union([z.enum(TYPES), z.array(z.enum(TYPES))])
      .default(['all'])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .refine((types) => !(types.includes('all') && types.length > 1), "Value 'all' for parameter 'type' is mutually exclusive with other values")
      .describe('Dataset types to show: all, or filesystem, volume, snapshot, bookmark.'),
    depth: z.number().int().min(0).default(0).describe('Recursion depth (zfs get -d).'),
  },
  { name: ['ds', 'dataset'] },
);

type Params = z.output<typeof params>;

/** The listing the parameters ask for. */
export function zfsFactsListing(p: Params) {
  let get = sh`zfs get -H`;
  if (p.parsable) get = sh`${get} -p`;
  if (p.recurse) get = sh`${get} -r`;
  if (p.depth !== 0) get = sh`${get} -d ${p.depth}`;
  get = sh`${get} -t ${p.type.join(',')} -o name,property,value ${p.properties} ${p.name}`;
  return zfsListingFact(`zfs-facts:${get.text}`, sh`zfs list ${p.name}`, get);
}

/** The result and facts community.general.zfs_facts returns. */
export function planZfsFacts(p: Params, listing: ZfsListing): Plan {
  if (!listing.exists) return { steps: [], failure: `ZFS dataset ${p.name} does not exist!` };
  if ('error' in listing) return { steps: [], failure: listing.error };
  const facts = { ansible_zfs_datasets: listing.entries };
  return {
    steps: [{ kind: 'noop', reason: `${listing.entries.length} datasets` }],
    values: { name: p.name, ...(p.parsable ? { parsable: true } : {}), ...(p.recurse ? { recurse: true } : {}), ansible_facts: facts },
    setFacts: facts,
  };
}

export default defineModule({
  name: 'zfs_facts',
  summary: 'The properties of ZFS datasets as ansible_zfs_datasets',
  description:
    "community.general.zfs_facts: checks the dataset exists (`zfs list NAME`), then reads `zfs get -H -o name,property,value` " +
    'with -p, -r, -d and -t as asked. ansible_zfs_datasets is a list with one dictionary per dataset: its properties and name. ' +
    'Never changed.',
  params,
  example: `- zfs_facts:
    name: zroot/usr/home
    recurse: true
    type: filesystem

- debug:
    msg: "{{ item.name }} uses {{ item.used }}"
  loop: "{{ ansible_zfs_datasets }}"`,
  async observe(host, p) {
    const [listing] = await host.facts(zfsFactsListing(p));
    return listing;
  },
  plan({ params: p, facts }) {
    return planZfsFacts(p, facts);
  },
});
