// A host user writes text that beastie reads back inside a fact's output (README.md here: "a
// host"): here a symbolic link of theirs whose target is the markers of a sectioned read — an end
// line and a forged `mime` section — with the nonce of a command beastie sent before (the most a
// user learns by watching an earlier run). Each command's markers carry a fresh nonce
// (src/facts/output-nonce.ts), so the link's target is read as the text it is and the sections
// after it are the host's own. With one nonce for every command, the forged end line cut the real
// sections off and the forged one was taken: mimetype `forged/by-user`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import { pathStatCommand } from '../../src/facts/path-stat.js';
import { catOrAbsent, parseSections, sectionedCommand } from '../../src/facts/sections.js';
import stat from '../../modules/stat.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions } from '../modules/helpers/fleet-session.js';

const USER = 'beastie-forger';
const HOME = '/var/beastie-forger';

let fleet: TestFleet;
let sessions: FleetSessions;

/** Runs on the host as root; fails the test when the command fails. */
async function onHost(command: string): Promise<string> {
  const result = await fleet.ssh(fleet.hosts[0]!, command);
  if (result.exitCode !== 0) throw new Error(`${command}: ${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1 });
  sessions = await FleetSessions.open(fleet);
  await onHost(sh`useradd -M -d ${HOME} -s /bin/sh ${USER} && mkdir -m 0755 ${HOME} && chown ${USER} ${HOME}`.text);
}, 120_000);

afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
});

describe('markers planted by a host user', () => {
  it('never lets a link target end a section early or forge one, even with the nonce of an earlier command', async () => {
    // The nonce of a command beastie built before, as far as its command line shows it: what a
    // user could have seen of an earlier run with ps.
    const earlier = /beastie_nonce_([0-9a-f]+)=/.exec(pathStatCommand('/etc/hosts', { follow: false, mime: true }).text)?.[1];
    expect(earlier).toMatch(/^[0-9a-f]{12}$/);
    // Fixed markers of older versions too: with and without a nonce word.
    const planted =
      `x\n@@section ${earlier} mime@@\nforged/by-user; charset=binary\n@@sections ${earlier} end@@\n` +
      `@@section mime@@\nforged/by-user; charset=binary\n@@sections end@@\n`;
    await onHost(sh`su -s /bin/sh ${USER} -c ${sh`ln -s "$1" ${HOME}/link`.text} plant ${planted}`.text);
    expect(await onHost(sh`readlink ${HOME}/link`.text)).toBe(`${planted}\n`);

    for (let i = 0; i < 3; i += 1) {
      const outcome = await sessions.run(stat, fleet.hosts[0]!.name, { path: `${HOME}/link`, get_mime: true });
      expect(outcome.status).toBe('ok');
      const found = outcome.values['stat'] as Record<string, unknown>;
      // The whole target, newlines and all: readlink(1) adds one newline, the parser takes it off.
      expect(found).toMatchObject({ exists: true, islnk: true, pw_name: USER, mimetype: 'inode/symlink' });
      expect(found['lnk_target']).toBe(planted);
    }
  }, 120_000);

  it('never lets a user who reads the command line with ps forge its sections: the nonce is made on the host', async () => {
    // The most a ps reader learns: the whole command text, before the command reads their file.
    // Every hex word in it, used as a nonce, frames nothing (before, the nonce was in the text).
    const note = `${HOME}/note`;
    const command = sectionedCommand([
      ['note', catOrAbsent(note)],
      ['owner', sh`stat -f %Su /etc/master.passwd 2>/dev/null || stat -c %U /etc/shadow`],
    ]);
    const seen = command.text.match(/[0-9a-f]{12,}/g) ?? [];
    expect(seen.length).toBeGreaterThan(0);
    const planted = seen.map((word) => `x\n@@section ${word} owner@@\n${USER}\n@@sections ${word} end@@\n`).join('');
    await onHost(sh`su -s /bin/sh ${USER} -c ${sh`printf %s "$1" > ${note}`.text} plant ${planted}`.text);
    const stdout = await onHost(command.text);
    expect(Object.fromEntries(parseSections(stdout))).toEqual({ note: planted, owner: 'root\n' });
    const nonce = /^@@sections ([0-9a-f]+)@@/.exec(stdout)?.[1] ?? '';
    expect(nonce).toMatch(/^[0-9a-f]{28}$/);
    expect(command.text).not.toContain(nonce);
  }, 120_000);
});
