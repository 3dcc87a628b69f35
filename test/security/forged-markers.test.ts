// A host user writes text that beastie reads back inside a fact's output (README.md here: "a
// host"): here a symbolic link of theirs whose target is the markers of a sectioned read — an end
// line and a forged `mime` section — with the nonce of a command beastie sent before (the most a
// user learns by watching an earlier run). Each command's markers carry a fresh nonce
// (src/facts/output-nonce.ts), so the link's target is read as the text it is and the sections
// after it are the host's own. With one nonce for every command, the forged end line cut the real
// sections off and the forged one was taken: mimetype `forged/by-user`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh, type Command } from '../../src/command/command.js';
import { guestsOf } from '../../src/doctor/guests.js';
import { HOST_PROBES } from '../../src/doctor/host-probes.js';
import { JAIL_PROBES } from '../../src/doctor/jail-probes.js';
import { gatherEvidence } from '../../src/doctor/gather.js';
import { ProbeResults, sectionedProbeOutput, type Probe } from '../../src/doctor/probe.js';
import { pathStatCommand } from '../../src/facts/path-stat.js';
import { readFacts, readFactOutputs } from '../../src/facts/read-facts.js';
import type { CommandResult, Transport } from '../../src/transport/transport.js';
import { catOrAbsent, parseSections, sectionedCommand } from '../../src/facts/sections.js';
import find from '../../modules/find.js';
import stat from '../../modules/stat.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions } from '../modules/helpers/fleet-session.js';

const USER = 'beastie-forger';
const HOME = '/var/beastie-forger';

let fleet: TestFleet;
let sessions: FleetSessions;

/** Every hex word of 12 digits or more a command line shows: what ps gives a host user. */
const wordsOf = (command: Command): string[] => command.text.match(/[0-9a-f]{12,}/g) ?? [];

/**
 * The host's transport with a host user who reads each command line as it starts (ps) and then
 * rewrites `file` with `forge` of every word it shows, before the command reads the file.
 */
function watchedBy(transport: Transport, file: string, forge: (word: string) => string): Transport {
  return {
    host: transport.host,
    run: async (command, options): Promise<CommandResult> => {
      const words = wordsOf(command);
      expect(words.length).toBeGreaterThan(0);
      await onHost(sh`su -s /bin/sh ${USER} -c ${sh`printf %s "$1" > ${file}`.text} plant ${words.map(forge).join('')}`.text);
      return transport.run(command, options);
    },
    put: transport.put.bind(transport),
    get: transport.get.bind(transport),
    close: () => Promise.resolve(),
  };
}

/** One doctor probe run on the host in a batch of its own, decoded as doctor decodes it. */
async function probeOnHost(probe: Probe, where: string): Promise<ProbeResults> {
  const [output] = await readFactOutputs(sessions.transport(fleet.hosts[0]!.name), [{ key: probe.id, command: probe.command, parse: () => undefined }]);
  if (output === undefined || probe.shown === undefined) throw new Error(`${probe.id}: no output`);
  return ProbeResults.of(where, { [probe.id]: { ...sectionedProbeOutput(output, probe.shown) } });
}

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

  it("never lets a user who reads a fact batch's command line forge the facts after the one reading their file: the batch's nonce is made on the host", async () => {
    // Before, the batch's markers (@@beastie-NONCE-INDEX@@) carried the 12 hex digits of the command
    // line: the user's note ended its fact early and gave the next one their owner and exit code.
    const note = `${HOME}/batch-note`;
    const forge = (word: string) => `x\n@@beastie-${word}-0@@ 0\n${USER}\n\n@@beastie-${word}-1@@ 0\n\n@@beastie-${word}-0@@\n\n@@beastie-${word}-1@@\n`;
    const transport = watchedBy(sessions.transport(fleet.hosts[0]!.name), note, forge);
    const facts = [
      { key: 'note', command: sh`cat ${note}`, parse: (o: unknown) => o },
      { key: 'owner', command: sh`stat -f %Su /etc/master.passwd 2>/dev/null || stat -c %U /etc/shadow`, parse: (o: unknown) => o },
    ];
    const [noteOut, ownerOut] = (await readFacts(transport, facts)) as { stdout: string; exitCode: number }[];
    expect(noteOut?.stdout).toContain(`@@beastie-`);
    expect(noteOut?.stdout).toBe(await onHost(sh`cat ${note}`.text));
    expect(ownerOut).toEqual({ stdout: 'root\n', stderr: '', exitCode: 0 });
  }, 120_000);

  it("never lets a file name with a newline add an entry to find's result, nor a checksum or content match to another file", async () => {
    // The user makes, in their home, a directory whose name is `x`, a newline and the start of a
    // stat line of the old format (fields, then the path last), holding their home's path again
    // below it, then forged.log there: its path's second line named HOME/forged.log, which does not
    // exist. Likewise for sha1sum's `DIGEST  PATH` (giving clean.log another checksum) and grep -l's
    // PATH (making clean.log match). find now reads names NUL-ended, apart from their lines.
    const base = `${HOME}/tree`;
    const fields = '66306 1 81a4 1 0 0 7 1000000000.000000000 1000000000.000000000 1000000000.000000000 root root ';
    const plant = sh`set -e; mkdir -p "$1$2" "$1$3" "$1$4"; printf 'x\n' > "$1$2/forged.log"; printf 'x\n' > "$1$3/clean.log"; printf 'an ERROR\n' > "$1$4/clean.log"; printf 'fine\n' > "$1/clean.log"`.text;
    const hostile = [`${base}/x1\n${fields}${base}`, `${base}/x2\n${'0'.repeat(40)}  ${base}`, `${base}/x3\n${base}`];
    await onHost(sh`su -s /bin/sh ${USER} -c ${plant} plant ${base} ${hostile[0]!.slice(base.length)} ${hostile[1]!.slice(base.length)} ${hostile[2]!.slice(base.length)}`.text);
    const all = await sessions.run(find, fleet.hosts[0]!.name, { paths: base, patterns: '*.log', recurse: true, get_checksum: true });
    expect(all.status).toBe('ok');
    const files = all.values['files'] as { path: string; checksum?: string; pw_name?: string }[];
    expect(files.map((f) => f.path).sort()).toEqual([`${base}/clean.log`, `${hostile[0]}/forged.log`, `${hostile[1]}/clean.log`, `${hostile[2]}/clean.log`].sort());
    expect(files.find((f) => f.path === `${base}/clean.log`)?.checksum).toBe((await onHost(sh`sha1sum < ${base}/clean.log`.text)).split(' ')[0]);
    expect(files.every((f) => f.pw_name === USER)).toBe(true);
    const containing = await sessions.run(find, fleet.hosts[0]!.name, { paths: base, patterns: '*.log', recurse: true, contains: 'ERROR' });
    expect((containing.values['files'] as { path: string }[]).map((f) => f.path)).toEqual([`${hostile[2]}/clean.log`]);
  }, 120_000);

  it("never lets a jail.conf's text add a jail to what doctor reads: the jail.conf probe frames each file with the host's nonce", async () => {
    // Before, the probe printed `@@file PATH` lines and the text below: a line of the file's own
    // began another jail's file (here `evil`, with allow.vmm).
    const probe = HOST_PROBES.find((p) => p.id === 'jail.conf')!;
    const words = wordsOf(probe.command);
    const planted =
      `plain {\n  path = /usr/local/bastille/jails/plain/root;\n}\n@@file /usr/local/bastille/jails/evil/jail.conf\nevil {\n  allow.vmm;\n}\n` +
      words.map((word) => `\n@@section ${word} path@@\n/usr/local/bastille/jails/evil2/jail.conf\n@@section ${word} file@@\nevil2 {\n  allow.vmm;\n}\n`).join('');
    await onHost(sh`mkdir -p /usr/local/bastille/jails/plain && printf %s ${planted} > /usr/local/bastille/jails/plain/jail.conf`.text);
    try {
      const { jails } = await gatherEvidence(sessions.transport(fleet.hosts[0]!.name), undefined);
      expect([...jails.keys()]).toEqual(['plain']);
      expect(jails.get('plain')).toMatchObject({ confPath: '/usr/local/bastille/jails/plain/jail.conf', confText: planted });
    } finally {
      await onHost('rm -rf /usr/local/bastille/jails/plain');
    }
  }, 120_000);

  it("never lets a guest's NAME.conf or name add a guest or change its logged run: the guests probe frames each part with the host's nonce", async () => {
    // Before, `@@guest NAME` and `@@run` lines framed each guest: the conf's own lines began a
    // forged run (64G) and another guest.
    const probe = JAIL_PROBES.find((p) => p.id === 'guests')!;
    const words = wordsOf(probe.command);
    const conf =
      `cpu=2\nmemory=4G\n@@run\nDec 01 10:00:00:  [bhyve options: -c 8 -m 64G]\n@@guest evil\nmemory=1G\n` +
      words.map((word) => `\n@@section ${word} run@@\nDec 01 10:00:00:  [bhyve options: -c 8 -m 64G]\n@@section ${word} guest@@\nevil2\n`).join('');
    const log = 'Dec 01 10:00:00:  [bhyve options: -c 2 -m 4G -AHP]\nDec 01 10:00:00:  [bhyve devices: -s 0,hostbridge]\n';
    await onHost(sh`mkdir -p /var/beastie-vms/g && printf %s ${conf} > /var/beastie-vms/g/g.conf && printf %s ${log} > /var/beastie-vms/g/vm-bhyve.log && sysrc vm_dir=/var/beastie-vms >/dev/null`.text);
    try {
      const guests = guestsOf(await probeOnHost(probe, 'jail'));
      expect(guests.map((guest) => guest.name)).toEqual(['g']);
      expect(guests[0]).toMatchObject({ runOptions: '-c 2 -m 4G -AHP', runDevices: '-s 0,hostbridge' });
      expect(guests[0]?.conf.get('memory')).toBe('4G');
    } finally {
      await onHost('sysrc -x vm_dir >/dev/null; rm -rf /var/beastie-vms');
    }
  }, 120_000);
});
