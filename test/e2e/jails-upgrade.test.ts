// playbooks/tasks/jails-upgrade.yml (what upgrade.yml runs for the jail after the host's upgrade)
// end to end on one 14.3 host with Bastille 1.4.4 (profile current), over SSH: a thin jail made
// from 13.5-RELEASE with vm-bhyve in it, as a jail left behind by the host's 13.5 → 14.3 upgrade
// is. The tasks upgrade it the way Bastille 1.x does (bastille upgrade -a: fstab and osrelease
// at 14.3-RELEASE), reinstall its packages for the FreeBSD:14 ABI with pkg-static -j, and a
// second run changes nothing. The host's own upgrade is test/e2e/seed-playbooks.test.ts's.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recapOf, runBeastie, type CliRun } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

const TASKS = resolve(import.meta.dirname, '../../playbooks/tasks/jails-upgrade.yml');
const SETUP = `- hosts: all
  gather_facts: false
  tasks:
    - name: a thin jail from the release before the host's
      bastille_jail: { name: bhyve, release: 13.5-RELEASE, ip: 10.0.0.5, interface: em0 }
    - name: vm-bhyve in the jail, built for FreeBSD:13
      shell: env ASSUME_ALWAYS_YES=yes pkg -j bhyve install vm-bhyve
`;
const UPGRADE = `- hosts: all
  vars:
    jail_name: bhyve
  tasks:
    - import_tasks: ${TASKS}
`;
const explain = (run: CliRun) => `exit ${run.exitCode}\n${run.stderr}\n${run.stdout.slice(-4000)}`;

describe('jails-upgrade.yml: a 13.5 thin jail on a 14.3 host (Bastille 1.4.4)', () => {
  let fleet: TestFleet;
  let fresh: CliRun;
  let setup: CliRun;
  let before: string;
  let first: CliRun;
  let after: string;
  let second: CliRun;
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'current' });
    const dir = mkdtempSync(join(tmpdir(), 'beastie-jails-upgrade-'));
    writeFileSync(join(dir, 'setup.yml'), SETUP);
    writeFileSync(join(dir, 'upgrade.yml'), UPGRADE);
    const read = "jexec bhyve freebsd-version; grep osrelease /usr/local/bastille/jails/bhyve/jail.conf; cat /usr/local/bastille/jails/bhyve/fstab; pkg -j bhyve info vm-bhyve | grep '^Architecture'";
    fresh = await runBeastie(['play', join(dir, 'upgrade.yml'), '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    setup = await runBeastie(['play', join(dir, 'setup.yml'), '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    before = (await fleet.ssh('sim01', read)).stdout;
    first = await runBeastie(['play', join(dir, 'upgrade.yml'), '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
    after = (await fleet.ssh('sim01', `${read}; jls name`)).stdout;
    second = await runBeastie(['play', join(dir, 'upgrade.yml'), '-i', fleet.inventory, '--json'], { timeoutMs: 600_000 });
  }, 1_500_000);
  afterAll(async () => {
    await fleet?.down();
  });

  it('leaves a host without the jail to the roles: nothing changes, nothing fails', () => {
    expect(recapOf(fresh)['sim01'], explain(fresh)).toMatchObject({ failed: 0, changed: 0 });
  });

  it('starts from a jail on 13.5 with packages for FreeBSD:13', () => {
    expect(recapOf(setup)['sim01'], explain(setup)).toMatchObject({ failed: 0 });
    expect(before).toMatch(/^13\.5-RELEASE\n/);
    expect(before).toContain('/usr/local/bastille/releases/13.5-RELEASE /usr/local/bastille/jails/bhyve/root/.bastille nullfs ro 0 0\n');
    expect(before).toMatch(/^Architecture {4}: FreeBSD:13:amd64$/m);
  });

  it("upgrades the thin jail to the host's release and reinstalls its packages for the new ABI", () => {
    expect(recapOf(first)['sim01'], explain(first)).toMatchObject({ failed: 0, changed: 2 });
    expect(after).toMatch(/^14\.3-RELEASE\n {2}osrelease = 14\.3-RELEASE;\n/);
    expect(after).toContain('/usr/local/bastille/releases/14.3-RELEASE /usr/local/bastille/jails/bhyve/root/.bastille nullfs ro 0 0\n');
    expect(after).toMatch(/^Architecture {4}: FreeBSD:14:amd64$/m);
    expect(after).toMatch(/\nbhyve\n$/);
  });

  it('a second run changes nothing', () => {
    expect(recapOf(second)['sim01'], explain(second)).toMatchObject({ failed: 0, changed: 0 });
  });
});
