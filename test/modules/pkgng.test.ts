// community.general.pkgng on the simulated fleet over SSH, three ways: its jail parameter, chroot,
// annotations, autoremove and cached, with the registered msg in pkgng's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkgng from '../../modules/pkgng.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
const hosts = { applied: 'sim01', fresh: 'sim02' };
const makeJail = "mkdir -p /usr/local/jails/nj && printf 'nj {\\n  path = \"/usr/local/jails/nj\";\\n  mount.devfs;\\n  persist;\\n}\\n' > /etc/jail.conf && jail -c nj";

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  for (const host of fleet.hosts) {
    const made = await fleet.ssh(host.name, `${makeJail} && ASSUME_ALWAYS_YES=yes pkg bootstrap -y >/dev/null`);
    if (made.exitCode !== 0) throw new Error(`${host.name}: ${made.stdout}${made.stderr}`);
  }
}, 180_000);
afterAll(async () => {
  for (const host of fleet?.hosts ?? []) await fleet.ssh(host.name, 'jls -j nj >/dev/null 2>&1 && jail -r nj');
  await sessions?.close();
  await fleet?.down();
});

const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;

describe('community.general.pkgng over SSH', () => {
  it('three ways: installs a list given as one string, refreshing the catalogue first; pkgng\'s messages', async () => {
    const { first, check, second } = await threeWayOverSsh(sessions, fleet, pkgng, { name: 'tmux,nano' }, hosts);
    expect(first.values).toMatchObject({ msg: 'installed 2 packages' });
    expect(check.values).toMatchObject({ msg: 'installed 2 packages' });
    expect(second.values).toMatchObject({ msg: 'package(s) already present' });
    expect(first.results.map((r) => r.command)).toEqual(['env ASSUME_ALWAYS_YES=yes pkg update', 'env ASSUME_ALWAYS_YES=yes pkg install -y tmux nano']);
  });

  it('three ways: the jail parameter installs into the jail\'s package db only', async () => {
    const { first } = await threeWayOverSsh(sessions, fleet, pkgng, { name: 'grub2-bhyve', jail: 'nj', cached: true }, hosts);
    expect(first.results.map((r) => r.command)).toEqual(['jexec nj env ASSUME_ALWAYS_YES=yes pkg install -U -y grub2-bhyve']);
    expect(await sh('sim01', 'jexec nj pkg info -e grub2-bhyve && echo in-jail; pkg info -e grub2-bhyve || echo not-on-host')).toBe('in-jail\nnot-on-host\n');
  });

  it('three ways: chroot installs below the directory (pkg -c)', async () => {
    for (const host of ['sim01', 'sim02']) await fleet.ssh(host, 'mkdir -p /usr/local/chroots/c1');
    await threeWayOverSsh(sessions, fleet, pkgng, { name: 'nano', chroot: '/usr/local/chroots/c1', cached: true }, hosts);
    expect(await sh('sim01', 'pkg -c /usr/local/chroots/c1 info -e nano && echo in-chroot')).toBe('in-chroot\n');
  });

  it('three ways: annotations are added, then modified and deleted', async () => {
    const { first } = await threeWayOverSsh(sessions, fleet, pkgng, { name: 'tmux', annotation: '+role=web', cached: true }, hosts);
    expect(first.values).toMatchObject({ msg: 'package(s) already present, added 1 annotations.' });
    // The fresh host gets what the first round applied, so --check starts from the same state.
    expect((await sessions.run(pkgng, 'sim02', { name: 'tmux', annotation: '+role=web' })).status).toBe('changed');
    await threeWayOverSsh(sessions, fleet, pkgng, { name: 'tmux', annotation: [':role=db', '+tier=front'], cached: true }, hosts);
    expect(await sh('sim01', 'pkg info -A tmux')).toMatch(/^tmux-3\.1c:\n\trole\s+: db\n\ttier\s+: front\n$/);
    const clash = await sessions.run(pkgng, 'sim01', { name: 'tmux', annotation: '+role=mail', cached: true });
    expect(clash).toMatchObject({ status: 'failed', msg: 'failed to annotate tmux, because role is already set to db, but should be set to mail' });
  });

  it('removes, and autoremove finds nothing the simulated repository installed automatically', async () => {
    await fleet.ssh('sim02', 'ASSUME_ALWAYS_YES=yes pkg install -y nano');
    await threeWayOverSsh(sessions, fleet, pkgng, { name: 'nano', state: 'absent' }, hosts);
    const outcome = await sessions.run(pkgng, 'sim01', { name: 'nano', state: 'absent', autoremove: true });
    expect(outcome).toMatchObject({ status: 'ok', values: { msg: 'package(s) already absent, no package(s) to autoremove' } });
  });
});
