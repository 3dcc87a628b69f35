// community.general.sysrc's contract on the simulated fleet over SSH: the registered `value`,
// `jail` (the task runs inside the jail), a name sysrc cannot take failing with Ansible's message,
// value_absent without a value, and defaults that never count as set — each three ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sysrc from '../../modules/sysrc.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
const hosts = { applied: 'sim01', fresh: 'sim02' };
// A jail with the base system's /etc/defaults/rc.conf, which sysrc sources before any rc file.
const makeJail = "mkdir -p /usr/local/jails/sj/etc/defaults && cp /etc/defaults/rc.conf /usr/local/jails/sj/etc/defaults/ && printf 'sj {\\n  path = \"/usr/local/jails/sj\";\\n  mount.devfs;\\n  persist;\\n}\\n' > /etc/jail.conf && jail -c sj";

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  for (const host of fleet.hosts) {
    const made = await fleet.ssh(host.name, makeJail);
    if (made.exitCode !== 0) throw new Error(`${host.name}: ${made.stdout}${made.stderr}`);
  }
}, 180_000);
afterAll(async () => {
  for (const host of fleet?.hosts ?? []) await fleet.ssh(host.name, 'jls -j sj >/dev/null 2>&1 && jail -r sj');
  await sessions?.close();
  await fleet?.down();
});

const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;

describe('community.general.sysrc as Ansible registers it', () => {
  it('three ways: registers value and changed', async () => {
    const { first, check, second } = await threeWayOverSsh(sessions, fleet, sysrc, { name: 'mysql_pidfile', value: '/tmp/mysql.pid' }, hosts);
    for (const outcome of [first, check, second]) expect(outcome.values).toMatchObject({ value: '/tmp/mysql.pid' });
    expect(await sh('sim01', "grep -v '^#' /etc/rc.conf")).toContain('mysql_pidfile="/tmp/mysql.pid"\n');
  });

  it('three ways: jail runs sysrc inside the jail, writing the jail\'s rc.conf only', async () => {
    await threeWayOverSsh(sessions, fleet, sysrc, { name: 'nginx_enable', value: 'YES', jail: 'sj' }, hosts);
    expect(await sh('sim01', 'grep nginx_enable /usr/local/jails/sj/etc/rc.conf; grep -c nginx_enable /etc/rc.conf')).toBe('nginx_enable="YES"\n0\n');
  });

  it('three ways: value_present with a delimiter creates a missing variable', async () => {
    const { first } = await threeWayOverSsh(sessions, fleet, sysrc, { name: 'sysrc_delim_create', value: 't3', state: 'value_present', delim: ',' }, hosts);
    expect(first.values).toMatchObject({ value: "t3" });
    expect(await sh('sim01', 'sysrc -n sysrc_delim_create')).toBe('t3\n');
  });

  it('without a value nothing changes and value registers what the file holds', async () => {
    await fleet.ssh('sim01', 'sysrc cloned_interfaces="lo0 gif0"');
    expect(await sessions.run(sysrc, 'sim01', { name: 'cloned_interfaces' })).toMatchObject({ status: 'ok', values: { value: 'lo0 gif0' } });
    expect(await sessions.run(sysrc, 'sim01', { name: 'cloned_interfaces', state: 'value_present' })).toMatchObject({ status: 'ok', values: { value: ['lo0', 'gif0'] } });
    // rc_conf_files comes from /etc/defaults/rc.conf only: it is not "set" in the file, so nothing to remove.
    expect(await sessions.run(sysrc, 'sim01', { name: 'rc_conf_files', state: 'value_absent', path: '/tmp/10004.conf' })).toMatchObject({ status: 'ok', results: [] });
    expect(await sessions.run(sysrc, 'sim01', { name: 'static_routes', state: 'absent' })).toMatchObject({ status: 'ok', results: [] });
  });

  it('a name with a dot fails with Ansible\'s message and sends nothing to the host', async () => {
    const outcome = await sessions.run(sysrc, 'sim01', { name: 'not.valid.var', value: 'test' });
    expect(outcome).toMatchObject({ status: 'failed', msg: 'Name may only contain alpha-numeric and underscore characters', results: [] });
  });
});
