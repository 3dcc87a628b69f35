// zpool_facts: the properties of the ZFS pools (or of one) as ansible_zfs_pools —
// community.general.zpool_facts: with a name, `zpool list NAME` checks it exists; then
// `zpool get -H [-p] -o name,property,value PROPERTIES [NAME]`, one dictionary per pool with
// `name`. Never changed. zpool(8): docs/freebsd/zfs.md.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { zfsListingFact, type ZfsListing } from '../src/facts/zfs-listing.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const params = withAliases(
  {
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, 'a pool name such as zroot').optional().describe('ZFS pool name; all pools when omitted.'),
    parsable: z.boolean().default(false).describe('Exact numbers instead of 5-character sizes (zpool get -p).'),
    properties: z.string().regex(/^[a-z0-9_.:@,]+$/, 'a comma-separated property list such as size,health, or all').default('all').describe('Comma-separated properties, or all.'),
  },
  { name: ['pool', 'zpool'] },
);

type Params = z.output<typeof params>;

/** The listing the parameters ask for. */
export function zpoolFactsListing(p: Params) {
  let get = sh`zpool get -H`;
  if (p.parsable) get = sh`${get} -p`;
  get = sh`${get} -o name,property,value ${p.properties}`;
  if (p.name !== undefined) get = sh`${get} ${p.name}`;
  return zfsListingFact(`zpool-facts:${get.text}`, p.name === undefined ? undefined : sh`zpool list ${p.name}`, get);
}

/** The result and facts community.general.zpool_facts returns. */
export function planZpoolFacts(p: Params, listing: ZfsListing): Plan {
  if (!listing.exists) return { steps: [], failure: `ZFS pool ${p.name ?? ''} does not exist!` };
  if ('error' in listing) return { steps: [], failure: listing.error };
  const facts = { ansible_zfs_pools: listing.entries };
  return {
    steps: [{ kind: 'noop', reason: `${listing.entries.length} pools` }],
    values: { name: p.name ?? null, ...(p.parsable ? { parsable: true } : {}), ansible_facts: facts },
    setFacts: facts,
  };
}

export default defineModule({
  name: 'zpool_facts',
  summary: 'The properties of the ZFS pools as ansible_zfs_pools',
  description:
    "community.general.zpool_facts: reads `zpool get -H -o name,property,value` (with -p when parsable) for one pool, " +
    'after `zpool list NAME` checks it exists, or for every pool. ansible_zfs_pools is a list with one dictionary per pool: ' +
    'its properties and name. Never changed. On a host without pools the list is empty.',
  params,
  example: `- zpool_facts:

- debug:
    msg: "{{ item.name }} is {{ item.health }}"
  loop: "{{ ansible_zfs_pools }}"`,
  async observe(host, p) {
    const [listing] = await host.facts(zpoolFactsListing(p));
    return listing;
  },
  plan({ params: p, facts }) {
    return planZpoolFacts(p, facts);
  },
});
