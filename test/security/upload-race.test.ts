// A hostile local user on the host races every file write (README.md here: "a host user"). The
// user owns the directory a file is written into (a `copy` with `owner:` into a user's home) and
// runs a loop that turns every entry beastie creates there into a symbolic link to a root-only
// file, and copies whatever it can read of beastie's files in /tmp. Root must never change that
// file's owner, mode or content, and a file meant for one user must never be readable by another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import type { Transport } from '../../src/transport/transport.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions } from '../modules/helpers/fleet-session.js';

const RACER = 'beastie-racer';
const OTHER = 'beastie-other';
const HOME = '/var/beastie-racer';
const VICTIM = '/etc/beastie-victim';
const LOOT = `${HOME}/loot`;
const SECRET = 'only-for-beastie-other';

let fleet: TestFleet;
let sessions: FleetSessions;
let host: Transport;
let racerPid = '';

/** Runs on the host as root; fails the test when the command fails. */
async function onHost(command: string): Promise<string> {
  const result = await fleet.ssh(fleet.hosts[0]!, command);
  if (result.exitCode !== 0) throw new Error(`${command}: ${result.stderr}`);
  return result.stdout;
}

// The loop the hostile user runs: link every entry beastie makes beside the target (and inside
// any directory it can enter there) to the victim, and copy anything of beastie's it can read.
const RACE_LOOP = `
while :; do
  for f in ${HOME}/.[!.]* ${HOME}/.[!.]*/*; do
    case $f in *.moved) continue;; esac
    [ -h "$f" ] && continue
    mv -f "$f" "$f.moved" 2>/dev/null && ln -s ${VICTIM} "$f" 2>/dev/null
  done
  for f in /tmp/.beastie* /tmp/.beastie*/*; do
    [ -f "$f" ] && cat "$f" >> ${LOOT} 2>/dev/null
  done
done`;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1 });
  sessions = await FleetSessions.open(fleet);
  host = sessions.transport(fleet.hosts[0]!.name);
  await onHost(
    `useradd -M -d ${HOME} -s /bin/sh ${RACER} && useradd -M -d /nonexistent -s /bin/sh ${OTHER} && ` +
      `mkdir -m 0755 ${HOME} && chown ${RACER} ${HOME} && ` +
      `printf 'root only\\n' > ${VICTIM} && chmod 0600 ${VICTIM}`,
  );
  // `su` runs the loop as the unprivileged user, in a session of its own (setsid) so that its
  // whole process group can be stopped by id.
  racerPid = (await onHost(`setsid su -s /bin/sh ${RACER} -c ${sh`${RACE_LOOP}`.text} </dev/null >/dev/null 2>&1 & echo $!`)).trim();
}, 120_000);

afterAll(async () => {
  if (racerPid !== '') await fleet?.ssh(fleet.hosts[0]!, `kill -9 -- -${racerPid} 2>/dev/null; true`);
  await sessions?.close();
  await fleet?.down();
});

/** The victim as root sees it: mode, owner, content. */
async function victim(): Promise<string> {
  return onHost(`stat -c '%a %U' ${VICTIM} && cat ${VICTIM}`);
}

describe('file writes against a racing host user', () => {
  it('never changes a root file through a link planted in the user-owned target directory', async () => {
    const before = await victim();
    expect(before).toBe('600 root\nroot only\n');
    const rounds = 8;
    for (let i = 0; i < rounds; i += 1) {
      await host.put(`${HOME}/authorized_keys`, `key ${i}\n`, { mode: 0o644, owner: RACER });
      await host.put(`${HOME}/profile`, `profile ${i}\n`, { mode: 0o644, owner: RACER, become: { method: 'sudo' } });
    }
    expect(await victim()).toBe(before);
    expect(await onHost(`stat -c '%a %U' ${HOME}/authorized_keys ${HOME}/profile; cat ${HOME}/authorized_keys ${HOME}/profile`)).toBe(
      `644 ${RACER}\n644 ${RACER}\nkey ${rounds - 1}\nprofile ${rounds - 1}\n`,
    );
  }, 300_000);

  it('never lets another user read a file written for a become user while it uploads', async () => {
    await onHost(`mkdir -p /var/beastie-other && chown ${OTHER} /var/beastie-other && chmod 0700 /var/beastie-other`);
    for (let i = 0; i < 10; i += 1) {
      await host.put('/var/beastie-other/secret', `${SECRET}\n`, { mode: 0o600, become: { method: 'sudo', user: OTHER } });
    }
    expect(await onHost(`cat /var/beastie-other/secret; stat -c '%a %U' /var/beastie-other/secret`)).toBe(`${SECRET}\n600 ${OTHER}\n`);
    expect(await onHost(`cat ${LOOT} 2>/dev/null; true`)).not.toContain(SECRET);
  }, 300_000);
});
