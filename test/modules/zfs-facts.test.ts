// zfs_facts and zpool_facts (community.general): the commands they send, how the listing is grouped
// into ansible_zfs_datasets / ansible_zfs_pools, and their failures. Run on hosts by the ZFS e2e
// test (playbooks' zpool_facts) and here against the simulated zfs(8) output's shape.
import { describe, expect, it } from 'vitest';
import zfsFacts, { planZfsFacts, zfsFactsListing } from '../../modules/zfs_facts.js';
import zpoolFacts, { planZpoolFacts, zpoolFactsListing } from '../../modules/zpool_facts.js';
import { groupZfsListing } from '../../src/facts/zfs-listing.js';

const zfs = (extra: Record<string, unknown>) => zfsFacts.params.parse({ name: 'zroot/var', ...extra });
const zpool = (extra: Record<string, unknown> = {}) => zpoolFacts.params.parse(extra);
const parse = (fact: ReturnType<typeof zfsFactsListing>, stdout: string) => fact.parse({ stdout, stderr: '', exitCode: 0 });

describe('zfs_facts', () => {
  it("sends community.general's zfs get, with its flags in its order", () => {
    expect(zfsFactsListing(zfs({})).command.text).toContain("zfs get -H -t all -o name,property,value all zroot/var");
    expect(zfsFactsListing(zfs({ parsable: true, recurse: true, depth: 2, type: ['filesystem', 'volume'], properties: 'used,mountpoint' })).command.text).toContain(
      'zfs get -H -p -r -d 2 -t filesystem,volume -o name,property,value used,mountpoint zroot/var',
    );
    expect(zfsFactsListing(zfs({})).command.text).toContain('zfs list zroot/var');
  });

  it('takes ds and dataset for name, and refuses all with other types', () => {
    expect(zfsFacts.params.parse({ ds: 'zroot' }).name).toBe('zroot');
    expect(zfsFacts.params.parse({ dataset: 'zroot' }).name).toBe('zroot');
    expect(() => zfsFacts.params.parse({ name: 'zroot', type: ['all', 'volume'] })).toThrow(/Value 'all' for parameter 'type' is mutually exclusive with other values/);
  });

  it('groups the listing per dataset, with name, as ansible_zfs_datasets', () => {
    const listing = parse(zfsFactsListing(zfs({ recurse: true })), 'exists\nrc=0\nzroot/var\tused\t96K\nzroot/var\tmountpoint\t/var\nzroot/var/log\tused\t96K\n');
    const plan = planZfsFacts(zfs({ recurse: true }), listing);
    expect(plan.setFacts).toEqual({ ansible_zfs_datasets: [{ used: '96K', mountpoint: '/var', name: 'zroot/var' }, { used: '96K', name: 'zroot/var/log' }] });
    expect(plan.values).toMatchObject({ name: 'zroot/var', recurse: true });
    expect(plan.values).not.toHaveProperty('parsable');
    expect(plan.steps.every((s) => s.kind === 'noop')).toBe(true);
  });

  it("fails with community.general's words when the dataset does not exist, and with zfs(8)'s on a bad listing", () => {
    expect(planZfsFacts(zfs({}), parse(zfsFactsListing(zfs({})), 'absent\n')).failure).toBe('ZFS dataset zroot/var does not exist!');
    const bad = parse(zfsFactsListing(zfs({ properties: 'nosuch' })), "exists\nrc=2\nbad property list: invalid property 'nosuch'\nusage:\n");
    expect(planZfsFacts(zfs({ properties: 'nosuch' }), bad).failure).toMatch(/^bad property list: invalid property 'nosuch'/);
  });
});

describe('zpool_facts', () => {
  it('lists every pool without a name, and checks a named one first', () => {
    const all = zpoolFactsListing(zpool()).command.text;
    expect(all).toContain('zpool get -H -o name,property,value all');
    expect(all).not.toContain('zpool list');
    expect(zpoolFactsListing(zpool({ pool: 'zroot', parsable: true })).command.text).toContain('zpool list zroot');
    expect(zpoolFactsListing(zpool({ zpool: 'zroot', parsable: true, properties: 'size,health' })).command.text).toContain('zpool get -H -p -o name,property,value size,health zroot');
  });

  it('returns ansible_zfs_pools (empty on a host without pools) and fails for a missing pool', () => {
    const one = planZpoolFacts(zpool(), zpoolFactsListing(zpool()).parse({ stdout: 'exists\nrc=0\nzroot\tsize\t928G\nzroot\thealth\tONLINE\n', stderr: '', exitCode: 0 }));
    expect(one.setFacts).toEqual({ ansible_zfs_pools: [{ size: '928G', health: 'ONLINE', name: 'zroot' }] });
    expect(one.values).toMatchObject({ name: null });
    expect(planZpoolFacts(zpool(), zpoolFactsListing(zpool()).parse({ stdout: 'exists\nrc=0\n', stderr: '', exitCode: 0 })).setFacts).toEqual({ ansible_zfs_pools: [] });
    const missing = zpoolFactsListing(zpool({ name: 'tank' })).parse({ stdout: 'absent\n', stderr: '', exitCode: 0 });
    expect(planZpoolFacts(zpool({ name: 'tank' }), missing).failure).toBe('ZFS pool tank does not exist!');
  });

  it('groups NAME<TAB>PROPERTY<TAB>VALUE lines in the order zfs(8) prints the names', () => {
    expect(groupZfsListing('b\tx\t1\na\tx\t2\nb\ty\t3\n')).toEqual([{ x: '1', y: '3', name: 'b' }, { x: '2', name: 'a' }]);
  });
});
