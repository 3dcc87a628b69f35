// command and shell creates/removes as glob patterns (ansible-core 2.14 modules/command.py:
// glob.glob after os.chdir(chdir)) on the simulated FreeBSD fleet over the real SSH transport: the
// match is made by the host's /bin/sh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import command from '../../modules/command.js';
import shell from '../../modules/shell.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
}, 180_000);
afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
});

describe('creates/removes globs on the fleet', () => {
  it('creates skips once a file matches the pattern; removes runs only while one does', async () => {
    const ran = await sessions.run(command, 'sim01', { cmd: 'touch /usr/local/etc/glob-a.conf', creates: '/usr/local/etc/glob-*.conf' });
    expect(ran.status, ran.msg).toBe('changed');
    const again = await sessions.run(command, 'sim01', { cmd: 'touch /usr/local/etc/glob-b.conf', creates: '/usr/local/etc/glob-*.conf' });
    expect(again).toMatchObject({ status: 'ok', values: { stdout: 'skipped, since /usr/local/etc/glob-*.conf exists' } });
    expect((await fleet.ssh('sim01', 'test -e /usr/local/etc/glob-b.conf')).exitCode).toBe(1);
    const removed = await sessions.run(shell, 'sim01', { cmd: 'rm glob-*.conf', chdir: '/usr/local/etc', removes: 'glob-?.conf' });
    expect(removed.status, removed.msg).toBe('changed');
    const gone = await sessions.run(shell, 'sim01', { cmd: 'rm glob-*.conf', chdir: '/usr/local/etc', removes: 'glob-?.conf' });
    expect(gone).toMatchObject({ status: 'ok', values: { stdout: 'skipped, since glob-?.conf does not exist' } });
  });
});
