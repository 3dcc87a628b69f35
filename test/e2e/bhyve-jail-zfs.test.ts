// Issue 15's end-to-end check: the seed playbooks on root-on-ZFS hosts (sim01 seedzfs: 12.2,
// Bastille 0.7; sim02 currentzfs: 14.3, Bastille 1.4.4) and a UFS host of the same fleet (sim03
// seed). --check on the fresh hosts writes nothing and reports as changed exactly the tasks the
// real run then changes (on the UFS seed host too: issue 5's --check check); the real run puts
// Bastille on ZFS where the host has a pool (checked on the datasets, their properties and
// mountpoints) and leaves the UFS host's Bastille in directories without loading zfs.ko;
// passthrough.yml then gives sim02's guest its NIC through two reboots, after which the datasets
// are mounted where they were; a second run of both playbooks changes nothing. sim03 gets no
// second run: the same profile's second run is seed-playbooks.test.ts's (its sim01).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBeastie, recapOf, taskResults, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { hostDigest } from '../helpers/host-digest.js';

const playbook = 'playbooks/bhyve-jail.yml';
// three hosts, each bootstrapping Bastille and installing a guest: more than runBeastie's default 5 minutes
const RUN = { timeoutMs: 1_200_000 };
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;
const changedTasks = (run: CliRun, host: string) =>
  taskResults(run, host)
    .filter((e) => e['status'] === 'changed')
    .map((e) => `${String(e['task'])}${e['item'] === undefined ? '' : ` (${JSON.stringify(e['item'])})`}`);
const notes = (run: CliRun, host: string) => taskResults(run, host).flatMap((e) => (e['notes'] as string[] | undefined) ?? []).join('\n');
/** The datasets of Bastille's jail and release with their mount state, as `zfs list` prints them. */
const JAIL_DATASETS = 'zfs list -H -o name,mounted,mountpoint -r zroot/bastille/jails zroot/bastille/releases';

describe('bhyve-jail.yml and passthrough.yml on ZFS hosts (12.2 and 14.3) and a UFS host of one fleet', () => {
  let fleet: TestFleet;
  let check: CliRun;
  let first: CliRun;
  const before: Record<string, string> = {};
  const afterCheck: Record<string, string> = {};
  let datasetsBeforePassthrough = '';

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 3, profile: 'seedzfs:1,currentzfs:1,seed:1' });
    for (const host of fleet.hosts) before[host.name] = hostDigest(fleet, host.name);
    check = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json', '--check'], RUN);
    for (const host of fleet.hosts) afterCheck[host.name] = hostDigest(fleet, host.name);
    first = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json'], RUN);
  }, 2_700_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('--check on the fresh hosts writes nothing and predicts the real run', () => {
    expect(check.exitCode, explain(check)).toBe(0);
    expect(first.exitCode, explain(first)).toBe(0);
    for (const host of ['sim01', 'sim02', 'sim03']) {
      expect(changedTasks(check, host), host).toEqual(changedTasks(first, host));
    }
  });

  it('--check changed no file on any host', () => {
    for (const host of fleet.hosts) expect(afterCheck[host.name], host.name).toBe(before[host.name]);
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
      if (host === 'sim02') datasetsBeforePassthrough = datasets ?? '';
    }
  });

  it('leaves the UFS host in directories, without loading zfs.ko', async () => {
    const ufs = await fleet.ssh('sim03', 'kldstat -q -m zfs; echo zfs=$?; sysrc -f /usr/local/etc/bastille/bastille.conf -n bastille_zfs_enable; test -f /usr/local/bastille/jails/bhyve/jail.conf && echo jail');
    expect(ufs.stdout).toBe('zfs=1\n\njail\n');
    expect(notes(first, 'sim03')).toContain('storage: directories (/usr/local/bastille/jails/bhyve); bastille_zfs_enable is off');
    expect(recapOf(first)['sim03']).toMatchObject({ failed: 0 });
  });

  it('passthrough.yml on the 14.3 ZFS host: the guest runs with igb0 after two reboots, the datasets mounted as before', async () => {
    const run = await runBeastie(['play', 'playbooks/passthrough.yml', '-i', fleet.inventory, '--limit', 'sim02', '--json'], RUN);
    expect(run.exitCode, explain(run)).toBe(0);
    const out = await fleet.ssh(
      'sim02',
      `. /var/sim/run/vmm/test && cat "$vmm_console"; echo @@; pciconf -l | grep '^ppt'; sysctl -n kern.bootfile; echo @@; ${JAIL_DATASETS}; echo @@; jexec bhyve vm list`,
    );
    const [console, boot, datasets, guest] = out.stdout.split('@@\n');
    expect(console).toMatch(/^igb0: <Intel\(R\) PRO\/1000 PCI-Express Network Driver> .* on pci0$/m);
    expect(boot).toMatch(/^ppt0@pci0:1:0:0:.*\n\/boot\/kernel\.patched\/kernel\n$/);
    // rc.d/zfs mounted every dataset again at each boot, where it was
    expect(datasets).toBe(datasetsBeforePassthrough);
    expect(guest).toMatch(/^test\s.*Running \(\d+\)\s*$/m);
  }, 1_200_000);

  it('a second run of both playbooks changes nothing on the ZFS hosts', async () => {
    const second = await runBeastie(['play', playbook, '-i', fleet.inventory, '--limit', 'sim01,sim02', '--json'], RUN);
    expect(second.exitCode, explain(second)).toBe(0);
    expect(Object.keys(recapOf(second)).sort()).toEqual(['sim01', 'sim02']);
    const again = await runBeastie(['play', 'playbooks/passthrough.yml', '-i', fleet.inventory, '--limit', 'sim02', '--json'], RUN);
    expect(again.exitCode, explain(again)).toBe(0);
    for (const run of [second, again]) {
      for (const [host, counts] of Object.entries(recapOf(run))) {
        expect(counts.changed, `${host}: ${changedTasks(run, host).join(', ')}`).toBe(0);
      }
    }
  }, 1_200_000);

  it('refuses to flip Bastille off ZFS once a release is bootstrapped, before changing anything', async () => {
    const beforeFlip = hostDigest(fleet, 'sim01');
    const flip = await runBeastie(['play', playbook, '-i', fleet.inventory, '--json', '--limit', 'sim01', '-e', 'bastille_zfs_enable=NO'], RUN);
    expect(flip.exitCode, explain(flip)).toBe(2);
    const failed = taskResults(flip, 'sim01').filter((e) => e['status'] === 'failed');
    expect(failed.map((e) => e['task'])).toEqual(["Bastille's storage is not flipped once a release is bootstrapped"]);
    expect(JSON.stringify(failed[0])).toMatch(/bastille_zfs_enable would become NO but bastille.conf has YES and \d+\.\d-RELEASE is already bootstrapped on ZFS/);
    expect(changedTasks(flip, 'sim01')).toEqual([]);
    expect(hostDigest(fleet, 'sim01')).toBe(beforeFlip);
  }, 1_200_000);
});
