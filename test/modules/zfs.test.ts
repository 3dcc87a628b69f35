// The zfs module (community.general.zfs's parameters and results) planned from facts, and run
// on a fleet of root-on-ZFS hosts (profiles seedzfs, currentzfs) and a UFS one: datasets,
// properties and mountpoints are checked on the hosts afterwards, not only the statuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zfs, { planZfs } from '../../modules/zfs.js';
import type { ZfsDataset } from '../../src/facts/zfs-dataset.js';
import type { Step } from '../../src/module-api/module.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { waitFor } from '../helpers/wait-for.js';
import { FleetSessions, threeWayOverSsh } from './helpers/fleet-session.js';

const params = (extra: Record<string, unknown>) => zfs.params.parse({ state: 'present', ...extra });
const commands = (steps: readonly Step[]) =>
  steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.kind)) : [`noop: ${s.reason}`]));
const existing = (props: Record<string, [string, string]>): ZfsDataset => ({
  exists: true,
  properties: new Map(Object.entries(props).map(([k, [value, source]]) => [k, { value, source }])),
});

describe('zfs plan', () => {
  it('creates with -p, -o per property, -V/-b for volumes, and booleans as on/off', () => {
    expect(commands(planZfs(params({ name: 'zroot/vms', extra_zfs_properties: { atime: false, compression: 'lz4' } }), { exists: false }))).toEqual([
      "zfs create -p -o atime=off -o compression=lz4 zroot/vms",
    ]);
    expect(commands(planZfs(params({ name: 'zroot/vol', extra_zfs_properties: { volsize: '10G', volblocksize: '16K' } }), { exists: false }))).toEqual([
      'zfs create -p -V 10G -b 16K zroot/vol',
    ]);
    expect(commands(planZfs(params({ name: 'zroot/vms@before' }), { exists: false }))).toEqual(['zfs snapshot zroot/vms@before']);
    expect(commands(planZfs(params({ name: 'zroot/copy', origin: 'zroot/vms@before' }), { exists: false }))).toEqual([
      'zfs clone -p zroot/vms@before zroot/copy',
    ]);
  });

  it('sets only what differs; an inherited value counts as unset, as community.general.zfs reads it', () => {
    const dataset = existing({ compression: ['lz4', 'local'], atime: ['off', 'inherited from zroot'] });
    expect(commands(planZfs(params({ name: 'zroot/vms', extra_zfs_properties: { compression: 'lz4', atime: 'off' } }), dataset))).toEqual([
      'noop: compression is lz4',
      'zfs set atime=off zroot/vms',
    ]);
  });

  it('destroys with -R, and an absent dataset is already absent', () => {
    expect(commands(planZfs(zfs.params.parse({ name: 'zroot/vms', state: 'absent' }), existing({})))).toEqual(['zfs destroy -R zroot/vms']);
    expect(commands(planZfs(zfs.params.parse({ name: 'zroot/vms', state: 'absent' }), { exists: false }))).toEqual(['noop: zroot/vms does not exist']);
  });
});

describe('zfs on the fleet (seedzfs ×2, seed)', () => {
  let fleet: TestFleet;
  let sessions: FleetSessions;
  const hosts = { applied: 'sim01', fresh: 'sim02' };
  const sh = async (host: string, command: string) => {
    const result = await fleet.ssh(host, command);
    return `${result.stdout}${result.stderr}`;
  };
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 3, profile: 'seedzfs:2,seed:1' });
    sessions = await FleetSessions.open(fleet);
  }, 180_000);
  afterAll(async () => {
    await sessions?.close();
    await fleet?.down();
  });

  it('boots a root-on-ZFS host as installed: zfs.ko from loader.conf, the installer datasets', async () => {
    expect(await sh('sim01', 'cat /boot/loader.conf; sysrc -n zfs_enable; kldstat -q -m zfs && echo zfs-loaded')).toBe(
      'kern.geom.label.disk_ident.enable="0"\nkern.geom.label.gptid.enable="0"\nzfs_load="YES"\nYES\nzfs-loaded\n',
    );
    expect(await sh('sim01', 'zfs list -H -o name,mountpoint,canmount -r zroot/ROOT zroot/usr')).toBe(
      'zroot/ROOT\tnone\ton\nzroot/ROOT/default\t/\tnoauto\nzroot/usr\t/usr\toff\nzroot/usr/home\t/usr/home\ton\nzroot/usr/ports\t/usr/ports\ton\nzroot/usr/src\t/usr/src\ton\n',
    );
  });

  it('three ways: creates a dataset with properties, its mountpoint a directory; --check writes nothing', async () => {
    const wanted = { name: 'zroot/bastille', state: 'present', extra_zfs_properties: { mountpoint: '/usr/local/bastille', compression: 'lz4', atime: false } };
    const { first, second } = await threeWayOverSsh(sessions, fleet, zfs, wanted, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['zfs create -p -o mountpoint=/usr/local/bastille -o compression=lz4 -o atime=off zroot/bastille']);
    expect(first.values).toMatchObject({ name: 'zroot/bastille', state: 'present', mountpoint: '/usr/local/bastille', compression: 'lz4', atime: 'off' });
    expect(second.status).toBe('ok');
    expect(await sh('sim01', 'zfs get -H -o property,value,source mountpoint,compression,atime,mounted zroot/bastille; test -d /usr/local/bastille && echo dir')).toBe(
      'mountpoint\t/usr/local/bastille\tlocal\ncompression\tlz4\tlocal\natime\toff\tlocal\nmounted\tyes\t-\ndir\n',
    );
    expect(await sh('sim02', 'zfs list zroot/bastille 2>&1; test -e /usr/local/bastille || echo no-dir')).toBe(
      "cannot open 'zroot/bastille': dataset does not exist\nno-dir\n",
    );
  });

  it('children inherit: a release dataset under it mounts below, a snapshot and a sparse volume', async () => {
    expect((await sessions.run(zfs, 'sim01', { name: 'zroot/bastille/releases/12.2-RELEASE', state: 'present' })).status).toBe('changed');
    expect((await sessions.run(zfs, 'sim01', { name: 'zroot/bastille/releases/12.2-RELEASE@fresh', state: 'present' })).status).toBe('changed');
    expect((await sessions.run(zfs, 'sim01', { name: 'zroot/vol0', state: 'present', extra_zfs_properties: { volsize: '4G' } })).status).toBe('changed');
    expect(await sh('sim01', 'zfs get -H -o value,source mountpoint,compression zroot/bastille/releases/12.2-RELEASE; test -d /usr/local/bastille/releases/12.2-RELEASE && echo dir')).toBe(
      '/usr/local/bastille/releases/12.2-RELEASE\tinherited from zroot/bastille\nlz4\tinherited from zroot/bastille\ndir\n',
    );
    expect(await sh('sim01', 'zfs list -H -t snapshot -o name; zfs get -H -p -o value volsize zroot/vol0')).toBe('zroot/bastille/releases/12.2-RELEASE@fresh\n4294967296\n');
    expect((await sessions.run(zfs, 'sim01', { name: 'zroot/vol0', state: 'present', extra_zfs_properties: { volsize: '4G' } })).status).toBe('ok');
  });

  it('absent destroys the tree (zfs destroy -R) and its files; then it is already absent', async () => {
    const gone = await sessions.run(zfs, 'sim01', { name: 'zroot/bastille', state: 'absent' });
    expect(gone.results.map((r) => r.command)).toEqual(['zfs destroy -R zroot/bastille']);
    // libzfs's remove_mountpoint removes only default or inherited mountpoints: the local one stays, empty
    expect(await sh('sim01', 'zfs list -H -o name -t all | grep -c bastille; find /usr/local/bastille')).toBe('0\n/usr/local/bastille\n');
    expect((await sessions.run(zfs, 'sim01', { name: 'zroot/bastille', state: 'absent' })).status).toBe('ok');
  });

  it('survives a reboot (pools are on disk); on a UFS host zfs loads its module and finds no pool', async () => {
    await sessions.run(zfs, 'sim02', { name: 'zroot/keep', state: 'present', extra_zfs_properties: { 'org.example:role': 'test' } });
    const before = await sh('sim02', 'sysctl -n kern.boottime');
    await fleet.ssh('sim02', 'shutdown -r now');
    await waitFor('sim02 to boot again', async () => {
      const probe = await fleet.ssh('sim02', 'sysctl -n kern.boottime', 10_000);
      return probe.exitCode === 0 && probe.stdout !== before;
    }, { timeoutMs: 90_000, intervalMs: 250 });
    expect(await sh('sim02', 'zfs get -H -o value,source org.example:role zroot/keep')).toBe('test\tlocal\n');
    const ufs = await sessions.run(zfs, 'sim03', { name: 'zroot/vms', state: 'present' });
    expect(ufs.status).toBe('failed');
    expect(ufs.msg).toContain("cannot create 'zroot/vms': no such pool 'zroot'");
    expect(await sh('sim03', 'kldstat -q -m zfs && echo loaded; zfs list; zpool list')).toBe('loaded\nno datasets available\nno pools available\n');
  });
});
