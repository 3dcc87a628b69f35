// file's follow (default true) over SSH on the simulated FreeBSD fleet: the real path is read by the
// host's own realpath/readlink (src/facts/link-follow.ts) and the mode lands on the link's target;
// follow: false changes the link's owner only. Three ways for the followed mode.
import { describe, expect, it } from 'vitest';
import file from '../../modules/file.js';
import { fleetOfFile, threeWayOverSsh } from './helpers/fleet-session.js';

const up = fleetOfFile({ hosts: 2, profile: 'current' }, async (fleet) => {
  for (const host of ['sim01', 'sim02']) {
    const made = await fleet.ssh(host, 'mkdir -p /usr/local/etc/app && echo x > /usr/local/etc/app/real.conf && chmod 0644 /usr/local/etc/app/real.conf && ln -s real.conf /usr/local/etc/app/app.conf && ln -s app.conf /usr/local/etc/app/chain.conf && ln -s real.conf /usr/local/etc/app/touch.conf');
    expect(made.exitCode, made.stderr).toBe(0);
  }
});

describe('file follow on the fleet', () => {
  it("a link chain's mode is its target's, three ways; the links stay links", async () => {
    const { fleet, sessions } = up;
    await threeWayOverSsh(sessions, fleet, file, { path: '/usr/local/etc/app/chain.conf', mode: '0600' }, { applied: 'sim01', fresh: 'sim02' });
    expect((await fleet.ssh('sim01', "stat -c '%a' /usr/local/etc/app/real.conf; readlink /usr/local/etc/app/chain.conf")).stdout).toBe('600\napp.conf\n');
  });

  it('follow: false sets the owner of the link itself (chown -h), not of its target', async () => {
    const { fleet, sessions } = up;
    const targetGroup = (await fleet.ssh('sim01', "stat -c '%G' /usr/local/etc/app/real.conf")).stdout;
    expect(targetGroup).not.toBe('operator\n');
    const changed = await sessions.run(file, 'sim01', { path: '/usr/local/etc/app/app.conf', group: 'operator', follow: false });
    expect(changed.status, changed.msg).toBe('changed');
    expect((await fleet.ssh('sim01', "stat -c '%G' /usr/local/etc/app/app.conf; stat -c '%G' /usr/local/etc/app/real.conf")).stdout).toBe(`operator\n${targetGroup}`);
    expect((await sessions.run(file, 'sim01', { path: '/usr/local/etc/app/app.conf', group: 'operator', follow: false })).status).toBe('ok');
  });

  it("touch with follow: false sets the link's own group (chown -h), three ways; the target keeps its own", async () => {
    const { fleet, sessions } = up;
    const targetGroup = (await fleet.ssh('sim01', "stat -c '%G' /usr/local/etc/app/real.conf")).stdout;
    const params = { path: '/usr/local/etc/app/touch.conf', state: 'touch', group: 'kmem', follow: false };
    await threeWayOverSsh(sessions, fleet, file, params, { applied: 'sim01', fresh: 'sim02' });
    expect((await fleet.ssh('sim01', "stat -c '%G' /usr/local/etc/app/touch.conf; stat -c '%G' /usr/local/etc/app/real.conf; readlink /usr/local/etc/app/touch.conf")).stdout).toBe(`kmem\n${targetGroup}real.conf\n`);
  });

  it("follow: false and a mode: the simulated host's links have no mode of their own (GNU lstat), so nothing to do and the target's mode stays", async () => {
    const { fleet, sessions } = up;
    const before = (await fleet.ssh('sim02', "stat -c '%a' /usr/local/etc/app/real.conf")).stdout;
    for (const check of [false, true]) {
      const outcome = await sessions.run(file, 'sim02', { path: '/usr/local/etc/app/app.conf', mode: '0600', follow: false }, { check });
      expect(outcome.status, outcome.msg).toBe('ok');
    }
    expect((await fleet.ssh('sim02', "stat -c '%a' /usr/local/etc/app/real.conf")).stdout).toBe(before);
  });
});
