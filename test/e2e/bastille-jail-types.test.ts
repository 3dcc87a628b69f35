// bastille_jail's thick and clone jails end to end on a root-on-ZFS 14.3 host (currentzfs,
// Bastille 1.4.4), over SSH: a play puts Bastille on ZFS and makes a thick and a clone jail;
// afterwards the datasets, their properties with sources, the clone's origin and the mountpoints
// are read back (docs/freebsd/zfs.md, "Bastille and vm-bhyve on ZFS"), and a second run changes
// nothing. state: absent while a process of the host holds the clone jail's root (a shell cd'd
// into it): bastille destroy stops the jail, its `zfs destroy -r` fails with "pool or dataset is
// busy" and it exits 0 keeping the jail (destroy.sh 1.4.4); the task fails with Bastille's reason
// and the fix, the datasets and the release snapshot stay; once the process is gone a re-run
// finishes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recapOf, runBeastie, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - name: bastille.conf puts jails on ZFS
      sysrc:
        path: /usr/local/etc/bastille/bastille.conf
        name: "{{ item.name }}"
        value: "{{ item.value }}"
      loop:
        - { name: bastille_zfs_enable, value: "YES" }
        - { name: bastille_zfs_zpool, value: zroot }
    - name: a thick jail
      bastille_jail: { name: thick, release: 14.3-RELEASE, ip: 10.0.0.6, interface: em0, type: thick }
    - name: a clone jail
      bastille_jail: { name: cl, release: 14.3-RELEASE, ip: 10.0.0.7, interface: em0, type: clone }
`;
const ABSENT = `- hosts: all
  gather_facts: false
  tasks:
    - name: no clone jail
      bastille_jail: { name: cl, state: absent }
    - name: no thick jail
      bastille_jail: { name: thick, state: absent }
`;
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;

describe('bastille_jail type thick and clone on a ZFS host', () => {
  let fleet: TestFleet;
  let first: CliRun;
  let second: CliRun;
  let datasets: string;
  let props: string;
  let mounted: string;
  let check: CliRun;
  let afterCheck: string;
  let busy: CliRun;
  let afterBusy: string;
  let absent: CliRun;
  let absentAgain: CliRun;
  let afterAbsent: string;
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'currentzfs' });
    const play = join(mkdtempSync(join(tmpdir(), 'beastie-types-')), 'types.yml');
    writeFileSync(play, PLAY);
    first = await runBeastie(['play', play, '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    second = await runBeastie(['play', play, '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    datasets = (await fleet.ssh('sim01', "zfs list -H -o name -t all -r zroot/bastille/jails zroot/bastille/releases | sed 's/-[0-9-]*$/-DATE/'")).stdout;
    props = (await fleet.ssh('sim01', "zfs get -H -o name,property,value,source compression,origin,mountpoint zroot/bastille/jails/thick/root zroot/bastille/jails/cl/root | sed 's/@bastille-clone-[0-9-]*/@SNAP/'")).stdout;
    mounted = (await fleet.ssh('sim01', 'jls name; ls /usr/local/bastille/jails/thick/root/COPYRIGHT /usr/local/bastille/jails/cl/root/COPYRIGHT')).stdout;
    // state: absent, first in --check (plans both destroys and the snapshot, changes nothing),
    // then for real, then again
    const absentPlay = join(mkdtempSync(join(tmpdir(), 'beastie-types-')), 'absent.yml');
    writeFileSync(absentPlay, ABSENT);
    const all = "zfs list -H -o name -t all -r zroot/bastille/jails zroot/bastille/releases | sed 's/-[0-9-]*$/-DATE/'; jls name";
    check = await runBeastie(['play', absentPlay, '-i', fleet.inventory, '--check', '--json'], { timeoutMs: 600_000 });
    afterCheck = (await fleet.ssh('sim01', all)).stdout;
    // a process whose working directory is the clone jail's root holds its dataset
    const holder = (await fleet.ssh('sim01', 'cd /usr/local/bastille/jails/cl/root && { nohup sleep 900 >/dev/null 2>&1 </dev/null & echo $!; }')).stdout.trim();
    busy = await runBeastie(['play', absentPlay, '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    afterBusy = (await fleet.ssh('sim01', `${all}; ls /usr/local/bastille/jails/cl/jail.conf`)).stdout;
    await fleet.ssh('sim01', `kill ${holder}`);
    absent = await runBeastie(['play', absentPlay, '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    absentAgain = await runBeastie(['play', absentPlay, '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    afterAbsent = (await fleet.ssh('sim01', `${all}; ls /usr/local/bastille/jails`)).stdout;
  }, 1_500_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('creates both jails, and a second run changes nothing', () => {
    expect(recapOf(first)['sim01'], explain(first)).toMatchObject({ failed: 0, changed: 3 });
    expect(recapOf(second)['sim01'], explain(second)).toMatchObject({ failed: 0, changed: 0 });
  });

  it('leaves the datasets, properties, origin and mountpoints Bastille makes', () => {
    expect(datasets).toBe(
      [
        'zroot/bastille/jails',
        'zroot/bastille/jails/cl',
        'zroot/bastille/jails/cl/root',
        'zroot/bastille/jails/thick',
        'zroot/bastille/jails/thick/root',
        'zroot/bastille/releases',
        'zroot/bastille/releases/14.3-RELEASE',
        'zroot/bastille/releases/14.3-RELEASE@bastille-clone-DATE',
        '',
      ].join('\n'),
    );
    expect(props).toBe(
      [
        'zroot/bastille/jails/thick/root\tcompression\ton\tlocal',
        'zroot/bastille/jails/thick/root\torigin\t-\t-',
        'zroot/bastille/jails/thick/root\tmountpoint\t/usr/local/bastille/jails/thick/root\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl/root\tcompression\ton\tinherited from zroot/bastille/jails',
        'zroot/bastille/jails/cl/root\torigin\tzroot/bastille/releases/14.3-RELEASE@SNAP\t-',
        'zroot/bastille/jails/cl/root\tmountpoint\t/usr/local/bastille/jails/cl/root\tinherited from zroot/bastille/jails',
        '',
      ].join('\n'),
    );
    expect(mounted).toBe('thick\ncl\n/usr/local/bastille/jails/cl/root/COPYRIGHT\n/usr/local/bastille/jails/thick/root/COPYRIGHT\n');
  });

  it('state absent: --check plans the destroys and changes nothing', () => {
    expect(recapOf(check)['sim01'], explain(check)).toMatchObject({ failed: 0, changed: 2 });
    expect(check.stdout).toContain('the release snapshot jail cl was cloned from (bastille destroy leaves it)');
    expect(afterCheck).toBe(`${datasets}thick\ncl\n`);
  });

  it('state absent of a busy clone jail fails with Bastille\'s reason and the fix; the datasets and the snapshot stay', () => {
    expect(recapOf(busy)['sim01'], explain(busy)).toMatchObject({ failed: 1 });
    const failed = busy.events.find((e) => e.event === 'task_result' && e['status'] === 'failed');
    expect(failed?.['task'], explain(busy)).toBe('no clone jail');
    const msg = String(failed?.['msg']);
    // Bastille's own words (zfs's, then its own), then why it kept the jail, the snapshot, and the fix
    expect(msg).toContain("cannot unmount '/usr/local/bastille/jails/cl/root': pool or dataset is busy\n[ERROR]: Jail dataset(s) appears to be busy, exiting.\n");
    expect(msg).toContain('bastille destroy exited 0 but kept jail cl (its output above says why');
    expect(msg).toMatch(/; zroot\/bastille\/releases\/14\.3-RELEASE@bastille-clone-[0-9-]+, from which the jail's root is cloned, stays too\./);
    expect(msg).toContain("Stop what holds the jail's files (fstat -f /usr/local/bastille/jails/cl/root lists the processes)");
    // bastille destroy -a stopped cl before its zfs destroy failed; nothing else changed
    expect(afterBusy).toBe(`${datasets}thick\n/usr/local/bastille/jails/cl/jail.conf\n`);
  });

  it("once the process is gone, destroys the clone jail and the release snapshot bastille destroy leaves behind, then the thick jail; again changes nothing", () => {
    expect(recapOf(absent)['sim01'], explain(absent)).toMatchObject({ failed: 0, changed: 2 });
    expect(recapOf(absentAgain)['sim01'], explain(absentAgain)).toMatchObject({ failed: 0, changed: 0 });
    expect(afterAbsent).toBe('zroot/bastille/jails\nzroot/bastille/releases\nzroot/bastille/releases/14.3-RELEASE\n');
  });
});
