// Issue 15's end-to-end check: the seed playbooks on root-on-ZFS hosts (sim01 seedzfs: 12.2,
// Bastille 0.7; sim02 currentzfs: 14.3, Bastille 1.4.4) and UFS hosts of the same fleet (sim03
// seed: 12.2; sim04 current: 14.3). --check on the fresh hosts writes nothing (files, directories, the simulated kernel's
// state, every dataset and property) and reports as changed exactly the tasks the real run then
// changes (on the UFS seed host too: issue 5's --check check); the real run puts Bastille on ZFS
// where the host has a pool (checked on the datasets, their properties and mountpoints) and leaves
// the UFS host's Bastille in directories without loading zfs.ko; passthrough.yml then gives the
// guests of all three hosts their NIC through two reboots each (on 12.2 with the kernel patch
// built from its sources; the once-file of nextboot removed afterwards, which a 12.x loader on
// ZFS cannot reset), after which every dataset is mounted where it was with the same
// properties; a second run of both playbooks changes nothing on the ZFS hosts, and passthrough.yml
// nothing on the UFS hosts. sim03 gets no second bhyve-jail.yml run of its own (the same
// profile's is seed-playbooks.test.ts's sim01): it takes part in the second bhyve-jail.yml run
// with bastille_zfs_enable=YES, which the role must refuse before changing anything, as
// Bastille never moves a bootstrapped release; sim04's second run changes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, recapOf, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { hostDigest } from '../helpers/host-digest.js';

const playbook = 'playbooks/bhyve-jail.yml';
const ZFS_HOSTS = ['sim01', 'sim02'] as const;
// four hosts, each bootstrapping Bastille and installing a guest: more than runBeastie's default 5 minutes
const RUN = { timeoutMs: 1_200_000 };
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;
const changedTasks = (run: CliRun, host: string) =>
  taskResults(run, host)
    .filter((e) => e['status'] === 'changed')
    .map((e) => `${String(e['task'])}${e['item'] === undefined ? '' : ` (${JSON.stringify(e['item'])})`}`);
const notes = (run: CliRun, host: string) => taskResults(run, host).flatMap((e) => (e['notes'] as string[] | undefined) ?? []).join('\n');
/** The datasets of Bastille's jail and release with their mount state, as `zfs list` prints them. */
const JAIL_DATASETS = 'zfs list -H -o name,mounted,mountpoint -r zroot/bastille/jails zroot/bastille/releases';
/** Every dataset and snapshot of the pool with every property, value and source. */
const POOL_STATE = 'zfs get -H -p -o name,property,value,source -t all all';

describe('bhyve-jail.yml and passthrough.yml on ZFS hosts and UFS hosts (12.2 and 14.3 each) of one fleet', () => {
  let fleet: TestFleet;
  let check: CliRun;
  let first: CliRun;
  const before: Record<string, string> = {};
  const afterCheck: Record<string, string> = {};
  const poolBefore: Record<string, string> = {};
  const poolAfterCheck: Record<string, string> = {};
  const datasetsBeforePassthrough: Record<string, string> = {};

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 4, profile: 'seedzfs:1,currentzfs:1,seed:1,current:1' });
    const digest = (host: string) => hostDigest(fleet, host, { withKernel: true, directories: true });
    for (const host of ZFS_HOSTS) poolBefore[host] = (await fleet.ssh(host, POOL_STATE)).stdout;
    for (const host of fleet.hosts) before[host.name] = digest(host.name);
    check = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json', '--check'], RUN);
    for (const host of fleet.hosts) afterCheck[host.name] = digest(host.name);
    for (const host of ZFS_HOSTS) poolAfterCheck[host] = (await fleet.ssh(host, POOL_STATE)).stdout;
    first = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json'], RUN);
  }, 2_700_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('--check on the fresh hosts writes nothing and predicts the real run', () => {
    expect(check.exitCode, explain(check)).toBe(0);
    expect(first.exitCode, explain(first)).toBe(0);
    for (const host of ['sim01', 'sim02', 'sim03', 'sim04']) {
      expect(changedTasks(check, host), host).toEqual(changedTasks(first, host));
    }
  });

  it('--check changed no file, directory or kernel state on any host, and no dataset or property of the pools', () => {
    for (const host of fleet.hosts) expect(afterCheck[host.name], host.name).toBe(before[host.name]);
    for (const host of ZFS_HOSTS) {
      // the installer's datasets are there to compare: an empty listing would prove nothing
      expect(poolBefore[host], host).toMatch(/^zroot\tmountpoint\t\/zroot\tlocal$/m);
      expect(poolAfterCheck[host], host).toBe(poolBefore[host]);
    }
  });

  it('puts Bastille on the pool of each ZFS host, and the guest runs', async () => {
    for (const [host, compression] of [['sim01', 'lz4'], ['sim02', 'on']] as const) {
      // one session per host: datasets, properties, bastille.conf, the guest (@@ between them)
      const out = await fleet.ssh(
        host,
        [
          JAIL_DATASETS,
          'echo @@',
          'zfs get -H -o property,value,source compression,atime,mountpoint zroot/bastille zroot/bastille/jails/bhyve/root',
          'echo @@',
          'sysrc -f /usr/local/etc/bastille/bastille.conf -n bastille_zfs_enable bastille_zfs_zpool',
          'echo @@',
          'ls /usr/local/bastille/jails/bhyve/root/vms/test/test.conf && jexec bhyve vm list',
        ].join('; '),
      );
      const [datasets, props, conf, guest] = out.stdout.split('@@\n');
      expect(datasets, host).toMatch(/^zroot\/bastille\/jails\/bhyve\tyes\t\/usr\/local\/bastille\/jails\/bhyve$/m);
      expect(datasets, host).toMatch(/^zroot\/bastille\/jails\/bhyve\/root\tyes\t\/usr\/local\/bastille\/jails\/bhyve\/root$/m);
      expect(datasets, host).toMatch(/^zroot\/bastille\/releases\/1\d\.\d-RELEASE\tyes\t\/usr\/local\/bastille\/releases\/1\d\.\d-RELEASE$/m);
      expect(props, host).toBe(
        `compression\t${compression}\tlocal\natime\toff\tlocal\nmountpoint\t/usr/local/bastille\tlocal\n` +
          `compression\t${compression}\tlocal\natime\toff\tlocal\nmountpoint\t/usr/local/bastille/jails/bhyve/root\tinherited from zroot/bastille/jails\n`,
      );
      expect(conf, host).toBe('YES\nzroot\n');
      expect(guest, `${host}: ${out.stderr}`).toMatch(/^test\s+default\s+bhyveload\s+2\s+4G\s+.*Running \(\d+\)\s*$/m);
      expect(notes(first, host)).toContain('storage: ZFS dataset zroot/bastille/jails/bhyve (bastille_zfs_enable)');
      datasetsBeforePassthrough[host] = datasets ?? '';
    }
  });

  it('leaves the UFS hosts in directories, without loading zfs.ko', async () => {
    for (const host of ['sim03', 'sim04']) {
      const ufs = await fleet.ssh(host, 'kldstat -q -m zfs; echo zfs=$?; sysrc -f /usr/local/etc/bastille/bastille.conf -n bastille_zfs_enable; test -f /usr/local/bastille/jails/bhyve/jail.conf && echo jail; jexec bhyve vm list');
      expect(ufs.stdout, host).toMatch(/^zfs=1\n(NO)?\njail\nNAME .*\ntest\s.*Running \(\d+\)\s*$/);
      expect(notes(first, host), host).toContain('storage: directories (/usr/local/bastille/jails/bhyve); bastille_zfs_enable is off');
      expect(recapOf(first)[host], host).toMatchObject({ failed: 0 });
    }
  });

  it('passthrough.yml on the ZFS hosts and the UFS hosts: each guest runs with igb0 after two reboots, the datasets mounted as before', async () => {
    const poolBeforePassthrough: Record<string, string> = {};
    for (const host of ZFS_HOSTS) poolBeforePassthrough[host] = (await fleet.ssh(host, POOL_STATE)).stdout;
    const run = await runBeastie(['play', 'playbooks/passthrough.yml', '-i', fleet.inventory, '--json'], RUN);
    expect(run.exitCode, explain(run)).toBe(0);
    expect(Object.keys(recapOf(run)).sort()).toEqual(['sim01', 'sim02', 'sim03', 'sim04']);
    for (const host of fleet.hosts.map((h) => h.name)) {
      const out = await fleet.ssh(
        host,
        `. /var/sim/run/vmm/test && cat "$vmm_console"; echo @@; pciconf -l | grep '^ppt'; sysctl -n kern.bootfile; ls /boot/nextboot.conf 2>/dev/null; echo @@; jexec bhyve vm list`,
      );
      const [console, boot, guest] = out.stdout.split('@@\n');
      expect(console, host).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
      // booted once with nextboot, made the default, the once-file gone
      expect(boot, host).toMatch(/^ppt0@pci0:1:0:0:.*\n\/boot\/kernel\.patched\/kernel\n$/);
      expect(guest, host).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
    }
    for (const host of ZFS_HOSTS) {
      const out = await fleet.ssh(host, `${JAIL_DATASETS}; echo @@; ${POOL_STATE}`);
      const [datasets, pool] = out.stdout.split('@@\n');
      // rc.d/zfs mounted every dataset again at each boot, where it was, and no property moved
      expect(datasets, host).toBe(datasetsBeforePassthrough[host]);
      expect(pool, host).toBe(poolBeforePassthrough[host]);
    }
  }, 1_800_000);

  it('a second run of both playbooks changes nothing on the ZFS hosts and the 14.3 UFS host (passthrough.yml nothing on the 12.2 UFS host); that host refuses to flip to ZFS, changing nothing', async () => {
    // inventory host_vars apply to sim03 only: the role's refusal and the ZFS hosts' second run share one run
    mkdirSync(join(fleet.dir, 'host_vars'), { recursive: true });
    writeFileSync(join(fleet.dir, 'host_vars', 'sim03.yml'), 'bastille_zfs_enable: "YES"\n');
    const beforeFlip = hostDigest(fleet, 'sim03', { directories: true });
    const second = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json'], RUN);
    expect(second.exitCode, explain(second)).toBe(2);
    const failed = taskResults(second).filter((e) => e['status'] === 'failed');
    expect(failed.map((e) => [e['host'], e['task']])).toEqual([['sim03', "Bastille's storage is not flipped once a release is bootstrapped"]]);
    expect(JSON.stringify(failed[0])).toMatch(/bastille_zfs_enable would become YES but bastille.conf has NO and \d+\.\d-RELEASE is already bootstrapped in plain directories/);
    expect(hostDigest(fleet, 'sim03', { directories: true })).toBe(beforeFlip);
    const again = await runBeastie(['play', 'playbooks/passthrough.yml', '-i', fleet.inventory, '--json'], RUN);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(Object.keys(recapOf(again)).sort()).toEqual(['sim01', 'sim02', 'sim03', 'sim04']);
    for (const run of [second, again]) {
      for (const [host, counts] of Object.entries(recapOf(run))) {
        expect(counts.changed, `${host}: ${changedTasks(run, host).join(', ')}`).toBe(0);
      }
    }
    expect(recapOf(second)['sim01']).toMatchObject({ failed: 0 });
    expect(recapOf(second)['sim02']).toMatchObject({ failed: 0 });
    expect(recapOf(second)['sim04']).toMatchObject({ failed: 0, changed: 0 });
  }, 1_200_000);
});
