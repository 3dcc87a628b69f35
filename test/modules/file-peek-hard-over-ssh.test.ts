// file's _diff_peek (the private parameter Ansible's action plugins pass, plugins/action/__init__.py
// _get_diff_data) and state: hard without src (modules/file.py 2.14 ensure_hardlink) over SSH on the
// simulated FreeBSD fleet: the peek reads the host's own bytes and stat and never changes anything;
// hard without src sets the attributes of a path that is already a hard link, three ways, and fails
// with Ansible's message on anything else.
import { describe, expect, it } from 'vitest';
import file from '../../modules/file.js';
import { fleetOfFile, hostDigest, threeWayOverSsh } from './helpers/fleet-session.js';

const up = fleetOfFile({ hosts: 2, profile: 'current' }, async (fleet) => {
  for (const host of ['sim01', 'sim02']) {
    const made = await fleet.ssh(
      host,
      "mkdir -p /var/peek && printf 'abc\\000def' > /var/peek/bin && printf 'plain text\\n' > /var/peek/text && chmod 0640 /var/peek/text && echo x > /var/peek/a && ln /var/peek/a /var/peek/b && echo y > /var/peek/single",
    );
    expect(made.exitCode, made.stderr).toBe(0);
  }
});

describe('file _diff_peek on the fleet', () => {
  it('appears_binary from the first bytes and the path info, ok in apply, --check and again, nothing written', async () => {
    const { fleet, sessions } = up;
    const before = hostDigest(fleet, 'sim02');
    for (const check of [false, true, false]) {
      const binary = await sessions.run(file, 'sim02', { path: '/var/peek/bin', _diff_peek: true }, { check });
      expect(binary.status, binary.msg).toBe('ok');
      expect(binary.values).toMatchObject({ path: '/var/peek/bin', appears_binary: true, state: 'file', size: 7, owner: 'root', uid: 0 });
    }
    const text = await sessions.run(file, 'sim02', { path: '/var/peek/text', _diff_peek: true });
    expect(text.values).toMatchObject({ appears_binary: false, state: 'file', mode: '0640', size: 11 });
    const hard = await sessions.run(file, 'sim02', { path: '/var/peek/a', _diff_peek: true });
    expect(hard.values).toMatchObject({ state: 'hard' });
    const missing = await sessions.run(file, 'sim02', { path: '/var/peek/none', _diff_peek: true });
    expect(missing.status).toBe('ok');
    expect(missing.values).toEqual({ path: '/var/peek/none', appears_binary: false });
    expect(hostDigest(fleet, 'sim02')).toBe(before);
  });
});

describe('file state: hard without src on the fleet', () => {
  it("an existing hard link's owner, three ways", async () => {
    const { fleet, sessions } = up;
    const { first } = await threeWayOverSsh(sessions, fleet, file, { path: '/var/peek/b', state: 'hard', group: 'operator' }, { applied: 'sim01', fresh: 'sim02' });
    expect(first.msg).toContain('group');
    expect((await fleet.ssh('sim01', "stat -c '%G %h' /var/peek/a")).stdout).toBe('operator 2\n');
  });

  it("anything but a hard link fails with Ansible's message, changing nothing", async () => {
    const { fleet, sessions } = up;
    const before = hostDigest(fleet, 'sim01');
    for (const path of ['/var/peek/single', '/var/peek/none', '/var/peek']) {
      const outcome = await sessions.run(file, 'sim01', { path, state: 'hard', group: 'operator' });
      expect(outcome.status).toBe('failed');
      expect(outcome.msg).toBe('src is required for creating new hardlinks');
    }
    expect(hostDigest(fleet, 'sim01')).toBe(before);
  });
});
