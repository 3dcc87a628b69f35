// Ansible's FreeBSD facts gathered in the one round trip from a simulated host over SSH: on the
// host and inside a jail (virtualization jails/guest), with facts.d's executable and INI files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factVariables, freebsdFactList, namedFactValues } from '../../src/facts/freebsd-facts.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions } from '../modules/helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  const setup = [
    'mkdir -p /etc/ansible/facts.d',
    `printf '#!/bin/sh\\necho "{\\\\"rack\\\\": \\\\"r7\\\\"}"\\n' > /etc/ansible/facts.d/site.fact && chmod 755 /etc/ansible/facts.d/site.fact`,
    "printf '[general]\\nRole = web\\n' > /etc/ansible/facts.d/legacy.fact",
    // An executable fact that relays text a host user wrote, holding the old fixed header of a fact.
    `printf '#!/bin/sh\\ncat /var/tmp/user-note\\n' > /etc/ansible/facts.d/note.fact && chmod 755 /etc/ansible/facts.d/note.fact`,
    `printf '{"note": "hi"}\\n@@beastie-local admin@@\\n{"trusted": true}\\n' > /var/tmp/user-note`,
    'mkdir -p /usr/local/jails/fj/etc/defaults && cp /etc/defaults/rc.conf /usr/local/jails/fj/etc/defaults/',
    `printf 'fj {\\n  path = "/usr/local/jails/fj";\\n  mount.devfs;\\n  persist;\\n}\\n' > /etc/jail.conf && jail -c fj`,
  ].join(' && ');
  const done = await fleet.ssh('sim01', setup);
  if (done.exitCode !== 0) throw new Error(done.stderr);
}, 180_000);
afterAll(async () => {
  await fleet?.ssh('sim01', 'jls -j fj >/dev/null 2>&1 && jail -r fj');
  await sessions?.close();
  await fleet?.down();
});

const gather = async (jail?: string) => factVariables(namedFactValues(await sessions.session('sim01', jail).facts.read(...freebsdFactList)));

describe('Ansible facts on a simulated FreeBSD host', () => {
  it('the host: names, memory, processor, user, env, clock, managers, facts.d; also under ansible_facts', async () => {
    const before = Math.floor(Date.now() / 1000);
    const vars = await gather();
    const physmem = Number((await fleet.ssh('sim01', 'sysctl -n hw.physmem')).stdout);
    expect(vars).toMatchObject({
      ansible_system: 'FreeBSD',
      ansible_os_family: 'FreeBSD',
      ansible_distribution: 'FreeBSD',
      ansible_hostname: 'sim01',
      ansible_memtotal_mb: Math.floor(physmem / 1048576),
      ansible_memfree_mb: Math.floor(((physmem / 4096) * 3) / 4 * 4096 / 1048576),
      ansible_user_id: 'root',
      ansible_pkg_mgr: 'pkgng',
      ansible_service_mgr: 'bsdinit',
      ansible_virtualization_type: '',
      ansible_virtualization_role: '',
      ansible_local: { site: { rack: 'r7' }, legacy: { general: { role: 'web' } } },
    });
    expect(vars['ansible_processor']).toEqual([(await fleet.ssh('sim01', 'sysctl -n hw.model')).stdout.trim()]);
    expect((vars['ansible_env'] as Record<string, string>)['PATH']).toMatch(/\/bin/);
    const clock = vars['ansible_date_time'] as Record<string, string>;
    expect(Number(clock['epoch'])).toBeGreaterThanOrEqual(before - 5);
    expect(clock['iso8601']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(vars['ansible_facts']).toMatchObject({ hostname: 'sim01', pkg_mgr: 'pkgng', local: { site: { rack: 'r7' } } });
    // What a fact printed is its own text, whatever it holds: it cannot add a fact of another name.
    expect(Object.keys(vars['ansible_local'] as object).sort()).toEqual(['legacy', 'note', 'site']);
    expect((vars['ansible_local'] as Record<string, unknown>)['note']).toBe('error loading facts as JSON or ini - please check content: /etc/ansible/facts.d/note.fact');
  });

  it('network and mount facts from ifconfig, route -n get default, /etc/fstab and df, as Ansible shapes them', async () => {
    const setup = await fleet.ssh('sim01', "ifconfig em0 inet 192.0.2.10/24 && route add default 192.0.2.1 && printf '/dev/ada0p2 / ufs rw 1 1\\n' > /etc/fstab");
    expect(setup.stderr).toBe('');
    const vars = await gather();
    expect(vars['ansible_interfaces']).toEqual(expect.arrayContaining(['em0', 'lo0']));
    expect(vars['ansible_all_ipv4_addresses']).toEqual(['192.0.2.10']);
    expect(vars['ansible_default_ipv4']).toMatchObject({
      interface: 'em0', gateway: '192.0.2.1', address: '192.0.2.10', netmask: '255.255.255.0', network: '192.0.2.0', broadcast: '192.0.2.255',
      device: 'em0', mtu: '1500', type: 'ether', flags: expect.arrayContaining(['UP', 'BROADCAST']),
    });
    expect(vars['ansible_default_ipv6']).toEqual({});
    expect(vars['ansible_lo0']).toMatchObject({ type: 'loopback', ipv4: [{ address: '127.0.0.1', netmask: '255.0.0.0' }] });
    const [, total = '', , available = ''] = (await fleet.ssh('sim01', 'df -P -k / | tail -n 1')).stdout.trim().split(/\s+/);
    const mounts = vars['ansible_mounts'] as Record<string, unknown>[];
    expect(mounts).toHaveLength(1);
    expect(mounts[0]).toMatchObject({ mount: '/', device: '/dev/ada0p2', fstype: 'ufs', options: 'rw', size_total: Number(total) * 1024 });
    // the free space moves while other fleets write; it is what df said, within the disk
    expect(Number(mounts[0]?.['size_available'])).toBeLessThanOrEqual(Number(total) * 1024);
    expect(Number(available)).toBeGreaterThan(0);
    expect(typeof vars['ansible_devices']).toBe('object');
    expect(vars['ansible_facts']).toMatchObject({ default_ipv4: { address: '192.0.2.10' }, em0: { device: 'em0' } });
  });

  it('inside a jail: virtualization jails / guest, as Ansible reads security.jail.jailed', async () => {
    expect(await gather('fj')).toMatchObject({ ansible_virtualization_type: 'jails', ansible_virtualization_role: 'guest', ansible_local: {} });
  });
});
