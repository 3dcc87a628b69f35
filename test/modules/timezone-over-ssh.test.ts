// timezone (community.general's BSDTimezone) three ways over SSH on the simulated FreeBSD fleet:
// apply links /etc/localtime to /usr/share/zoneinfo/Europe/Berlin, --check on the other host
// changes nothing, apply again is ok; the registered diff is the module's documented return.
import { describe, expect, it } from 'vitest';
import timezone from '../../modules/timezone.js';
import { fleetOfFile, threeWayOverSsh } from './helpers/fleet-session.js';

const up = fleetOfFile({ hosts: 2, profile: 'current' });

describe('timezone on the fleet', () => {
  it('three ways; /etc/localtime becomes the link; an unknown zone fails', async () => {
    const { fleet, sessions } = up;
    const before = (await fleet.ssh('sim01', 'readlink /etc/localtime || echo not-a-link')).stdout.trim();
    const { first, second } = await threeWayOverSsh(sessions, fleet, timezone, { name: 'Europe/Berlin' }, { applied: 'sim01', fresh: 'sim02' });
    expect(first.values['diff']).toMatchObject({ after: { name: 'Europe/Berlin' } });
    expect(second.values['diff']).toEqual({ before: { name: 'Europe/Berlin' }, after: { name: 'Europe/Berlin' } });
    expect((await fleet.ssh('sim01', 'readlink /etc/localtime')).stdout.trim()).toBe('/usr/share/zoneinfo/Europe/Berlin');
    expect(before).not.toBe('/usr/share/zoneinfo/Europe/Berlin');
    const unknown = await sessions.run(timezone, 'sim01', { name: 'Mars/Olympus_Mons' });
    expect(unknown).toMatchObject({ status: 'failed', msg: expect.stringContaining('Mars/Olympus_Mons is not a recognized timezone') });
  });
});
