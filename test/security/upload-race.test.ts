// A hostile local user on the host races every file write (README.md here: "a host user"). The
// user owns the directory a file is written into (a `copy` with `owner:` into a user's home) and
// runs a loop that turns every entry beastie creates there into a symbolic link to a root-only
// file, and copies whatever it can read of beastie's files in /tmp. Root must never change that
// file's owner, mode or content, and a file meant for one user must never be readable by another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/command/command.js';
import type { Transport } from '../../src/transport/transport.js';
import copy from '../../modules/copy.js';
import lineinfile from '../../modules/lineinfile.js';
import openssl_csr from '../../modules/openssl_csr.js';
import openssl_dhparam from '../../modules/openssl_dhparam.js';
import openssl_privatekey from '../../modules/openssl_privatekey.js';
import file from '../../modules/file.js';
import get_url from '../../modules/get_url.js';
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

/** How the install script refuses a write whose private directory was swapped (install-file.ts). */
const REFUSED = /failed \(exit 97\): [\s\S]*beastie: \S+: the private directory \S+ was replaced before it could be used \(another user can write \/var\/beastie-racer\); nothing was written$/;

/**
 * One write the racer may defeat: it owns the directory, so it can always rename the private
 * directory away before the script enters it. Then the write must be refused with REFUSED, and
 * nothing else may fail. Returns whether the file was written.
 */
async function putRaced(path: string, content: string, options: Parameters<Transport['put']>[2]): Promise<boolean> {
  try {
    await host.put(path, content, options);
    return true;
  } catch (error) {
    expect((error as Error).message).toMatch(REFUSED);
    return false;
  }
}

describe('file writes against a racing host user', () => {
  it('never changes a root file through a link planted in the user-owned target directory', async () => {
    const before = await victim();
    expect(before).toBe('600 root\nroot only\n');
    const last = new Map<string, string>();
    for (let i = 0; i < 8; i += 1) {
      if (await putRaced(`${HOME}/authorized_keys`, `key ${i}\n`, { mode: 0o644, owner: RACER })) last.set('authorized_keys', `key ${i}\n`);
      if (await putRaced(`${HOME}/profile`, `profile ${i}\n`, { mode: 0o644, owner: RACER, become: { method: 'sudo' } })) last.set('profile', `profile ${i}\n`);
      expect(await victim()).toBe(before);
    }
    // Every write the racer did not defeat installed its content, with the mode and owner asked for.
    for (const [name, content] of last) {
      expect(await onHost(`stat -c '%a %U' ${HOME}/${name}; cat ${HOME}/${name}`)).toBe(`644 ${RACER}\n${content}`);
    }
  }, 300_000);

  it('refuses the write when the private directory is swapped for a link to a directory the user owns', async () => {
    // The racer winning every time, made deterministic: a `mktemp` found first on root's PATH
    // (/usr/local/sbin, this host's own) lets the racer swap the directory it just made for a link
    // to a directory of the racer's, holding links named like the script's files, before the script
    // enters it. Without the check after `cd`, root wrote the file and its pid through those links
    // into the victim and chmod/chown'ed it to the racer.
    const trap = `${HOME}/trap`;
    const swap = sh`mv "$1" "$1.swapped" && ln -s ${trap} "$1"`.text;
    const wrapper = [
      '#!/bin/sh',
      't=$(/usr/bin/mktemp "$@") || exit 1',
      sh`case $t in ${HOME}/.beastie.*) su -s /bin/sh ${RACER} -c ${swap} swap "$t";; esac`.text,
      'echo "$t"',
    ].join('\n');
    await onHost(
      sh`su -s /bin/sh ${RACER} -c ${sh`mkdir -p ${trap} && ln -sf ${VICTIM} ${trap}/f && ln -sf ${VICTIM} ${trap}/pid`.text} && `.text +
        sh`printf '%s\n' ${wrapper} > /usr/local/sbin/mktemp && chmod 0755 /usr/local/sbin/mktemp`.text,
    );
    try {
      const before = await victim();
      for (const become of [undefined, { method: 'sudo' as const }]) {
        const outcome = await host.put(`${HOME}/trapped`, 'through the trap\n', { mode: 0o644, owner: RACER, ...(become === undefined ? {} : { become }) }).then(
          () => 'written',
          (error: unknown) => (error as Error).message,
        );
        expect(await victim()).toBe(before);
        expect(outcome).toMatch(REFUSED);
      }
      expect(await onHost(`ls -A ${trap}; test -e ${HOME}/trapped || echo absent`)).toBe('f\npid\nabsent\n');
    } finally {
      await onHost('rm -f /usr/local/sbin/mktemp');
    }
  }, 120_000);

  it('copy with validate never writes, chmods or chowns a root file through a link swapped for its temporary file', async () => {
    // The racer winning the window after mktemp, made deterministic as above: what mktemp just made
    // in the racer's home is swapped for a link (a file for a link to the victim, a directory for a
    // link to the racer's trap holding `f` → victim). Before, `validate:` wrote through its own
    // `mktemp DIR/.NAME.XXXXXX` beside the target and then ran `cat > "$t"`, chmod and chown by that
    // name: root wrote the new content into the victim and gave it to the racer.
    const trap = `${HOME}/vtrap`;
    const swap = sh`if [ -d "$1" ]; then to=${trap}; else to=${VICTIM}; fi; mv "$1" "$1.swapped" && ln -s "$to" "$1"`.text;
    const wrapper = [
      '#!/bin/sh',
      't=$(/usr/bin/mktemp "$@") || exit 1',
      sh`case $t in ${HOME}/.*) su -s /bin/sh ${RACER} -c ${swap} swap "$t";; esac`.text,
      'echo "$t"',
    ].join('\n');
    await onHost(
      sh`su -s /bin/sh ${RACER} -c ${sh`mkdir -p ${trap} && ln -sf ${VICTIM} ${trap}/f`.text} && `.text +
        sh`printf '%s\n' ${wrapper} > /usr/local/sbin/mktemp && chmod 0755 /usr/local/sbin/mktemp`.text,
    );
    try {
      const before = await victim();
      for (const validate of ['sh -n %s', 'test -s %s']) {
        const outcome = await sessions.run(copy, fleet.hosts[0]!.name, { dest: `${HOME}/validated.sh`, content: 'echo validated\n', mode: '0644', owner: RACER, validate });
        expect(await victim()).toBe(before);
        expect(outcome.status).toBe('failed');
        expect(outcome.msg).toMatch(/the private directory \S+ was replaced before it could be used/);
      }
      expect(await onHost(`test -e ${HOME}/validated.sh || echo absent`)).toBe('absent\n');
    } finally {
      await onHost(`rm -f /usr/local/sbin/mktemp; rm -rf ${trap}`);
    }
  }, 120_000);

  it('copy with validate never changes a root file while the user links every new entry of the directory in a loop', async () => {
    // No shim: the file's racing loop (RACE_LOOP) runs all along, turning every dot entry beastie
    // makes in the user's home into a link to the victim.
    const before = await victim();
    let written = 0;
    for (let i = 0; i < 8 || (written === 0 && i < 32); i += 1) {
      const content = `echo run ${i}\n`;
      const outcome = await sessions.run(copy, fleet.hosts[0]!.name, { dest: `${HOME}/looped.sh`, content, mode: '0640', owner: RACER, validate: 'sh -n %s' });
      expect(await victim()).toBe(before);
      if (outcome.status === 'failed') expect(outcome.msg).toMatch(/the private directory \S+ was replaced before it could be used/);
      else {
        written += 1;
        expect(await onHost(`stat -c '%a %U' ${HOME}/looped.sh; cat ${HOME}/looped.sh`)).toBe(`640 ${RACER}\n${content}`);
      }
    }
    expect(written).toBeGreaterThan(0);
  }, 300_000);

  it('get_url never downloads into, nor chmods, a root file through a link swapped for its temporary file', async () => {
    // The same mktemp shim as for validate: what mktemp just made in the racer's home is swapped for
    // a link (a file for one to the victim, a directory for one to the racer's trap holding `f` →
    // victim). Before, get_url ran `fetch -o "$t"` and `chmod 0644 "$t"` on its own
    // `mktemp DIR/.get_url.XXXXXXXXXX` beside the target: root wrote the download into the victim.
    const trap = `${HOME}/gtrap`;
    const swap = sh`if [ -d "$1" ]; then to=${trap}; else to=${VICTIM}; fi; mv "$1" "$1.swapped" && ln -s "$to" "$1"`.text;
    const wrapper = [
      '#!/bin/sh',
      't=$(/usr/bin/mktemp "$@") || exit 1',
      sh`case $t in ${HOME}/.*) su -s /bin/sh ${RACER} -c ${swap} swap "$t";; esac`.text,
      'echo "$t"',
    ].join('\n');
    await onHost(
      sh`su -s /bin/sh ${RACER} -c ${sh`mkdir -p ${trap} && ln -sf ${VICTIM} ${trap}/f`.text} && `.text +
        sh`printf '%s\n' ${wrapper} > /usr/local/sbin/mktemp && chmod 0755 /usr/local/sbin/mktemp`.text,
    );
    // The victim by size and its first bytes: a download written into it is 98 MB.
    const small = () => onHost(sh`stat -c '%a %U %s' ${VICTIM}; head -c 64 ${VICTIM}`.text);
    try {
      const before = await small();
      expect(before).toBe('600 root 10\nroot only\n');
      const url = 'https://download.freebsd.org/releases/ISO-IMAGES/14.1/FreeBSD-14.1-RELEASE-amd64-bootonly.iso.xz';
      const outcome = await sessions.run(get_url, fleet.hosts[0]!.name, { url, dest: `${HOME}/image.iso.xz`, mode: '0644', owner: RACER });
      expect(await small()).toBe(before);
      expect(outcome.status).toBe('failed');
      expect(outcome.msg).toMatch(/the private directory \S+ was replaced before it could be used/);
      expect(await onHost(`test -e ${HOME}/image.iso.xz || echo absent`)).toBe('absent\n');
    } finally {
      await onHost(`rm -f /usr/local/sbin/mktemp; rm -rf ${trap}`);
    }
  }, 120_000);

  it('openssl_privatekey, openssl_dhparam and openssl_csr never write through a link swapped for their temporary file', async () => {
    // The same mktemp shim: what mktemp just made in the racer's home becomes a link, a file to a
    // file the racer can read (or to the victim), a directory to the racer's trap holding such links
    // as `f`. Before, both wrote with `openssl … -out "$t"` (and chmod/chown "$t") on their own
    // `mktemp DIR/.beastie-key.XXXXXX` beside the target: root wrote the new private key into the
    // racer's file, and the DH parameters into the victim.
    const trap = `${HOME}/otrap`;
    const stolen = `${HOME}/stolen`;
    const swap = sh`case $1 in *key*) to=${stolen};; *) to=${VICTIM};; esac; [ -d "$1" ] && to=${trap}; mv "$1" "$1.swapped" && ln -s "$to" "$1"`.text;
    const wrapper = [
      '#!/bin/sh',
      't=$(/usr/bin/mktemp "$@") || exit 1',
      sh`case $t in ${HOME}/.*) su -s /bin/sh ${RACER} -c ${swap} swap "$t";; esac`.text,
      'echo "$t"',
    ].join('\n');
    await onHost(
      sh`su -s /bin/sh ${RACER} -c ${sh`mkdir -p ${trap} && : > ${stolen} && chmod 0666 ${stolen} && ln -sf ${stolen} ${trap}/f`.text} && `.text +
        sh`printf '%s\n' ${wrapper} > /usr/local/sbin/mktemp && chmod 0755 /usr/local/sbin/mktemp`.text,
    );
    try {
      const before = await victim();
      const key = await sessions.run(openssl_privatekey, fleet.hosts[0]!.name, { path: `${HOME}/host.key`, type: 'ECC', curve: 'secp256r1' });
      expect(await onHost(`wc -c < ${stolen}`)).toBe('0\n');
      expect(key.status).toBe('failed');
      expect(key.msg).toMatch(/the private directory \S+ was replaced before it could be used/);
      const dh = await sessions.run(openssl_dhparam, fleet.hosts[0]!.name, { path: `${HOME}/dh.pem`, size: 512 });
      expect(await victim()).toBe(before);
      expect(dh.status).toBe('failed');
      await onHost('openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out /etc/beastie-csr.key 2>/dev/null');
      const csr = await sessions.run(openssl_csr, fleet.hosts[0]!.name, { path: `${HOME}/req.csr`, privatekey_path: '/etc/beastie-csr.key', common_name: 'racer.example.org' });
      expect(await victim()).toBe(before);
      expect(csr.status).toBe('failed');
      expect(await onHost(`test -e ${HOME}/host.key || test -e ${HOME}/dh.pem || test -e ${HOME}/req.csr || echo absent`)).toBe('absent\n');
    } finally {
      await onHost(`rm -f /usr/local/sbin/mktemp /etc/beastie-csr.key; rm -rf ${trap} ${stolen}`);
    }
  }, 120_000);

  it('backup never copies the old file through a link planted at the name it will take', async () => {
    // The backup's name is PATH.PID.DATE~ beside the target (Ansible's backup_local), which a user
    // who owns the directory can guess: the writing shell's pid follows the last one, the date is
    // the second. Made deterministic: a `cp` first on root's PATH lets the racer plant a link to the
    // victim at the name for the caller's pid and this second (and the one before) just before
    // the copy runs. Before, `cp -p PATH NAME` followed it: root overwrote the victim with the old
    // content of the user's file (which that user wrote) and gave it that file's owner and mode.
    // A directory of the racer's that the file's racing loop leaves alone (it renames dot entries of HOME).
    const own = '/var/beastie-bk';
    const target = `${own}/bk.conf`;
    // The plant leaves a mark, so the test knows the race was run, not missed.
    const plant = sh`for s in "$2" "$3"; do ln -s ${VICTIM} "$1.$4.$s~" 2>/dev/null; done; : > "$1.planted"`.text;
    const wrapper = [
      '#!/bin/sh',
      'src=; for a in "$@"; do case $a in -*) ;; *) src=$a; break;; esac; done',
      sh`case $src in ${target}) su -s /bin/sh ${RACER} -c ${plant} plant "$src" "$(date +%Y-%m-%d@%H:%M:%S)" "$(date -d '1 second ago' +%Y-%m-%d@%H:%M:%S)" "$PPID";; esac`.text,
      'exec /bin/cp "$@"',
    ].join('\n');
    await onHost(
      sh`rm -rf ${own} && mkdir -m 0755 ${own} && chown ${RACER} ${own} && `.text +
        sh`su -s /bin/sh ${RACER} -c ${sh`printf 'line=1\\nowned by the racer\\n' > ${target} && chmod 0644 ${target}`.text} && `.text +
        sh`printf '%s\n' ${wrapper} > /usr/local/sbin/cp && chmod 0755 /usr/local/sbin/cp`.text,
    );
    try {
      const before = await victim();
      const outcome = await sessions.run(lineinfile, fleet.hosts[0]!.name, { path: target, regexp: '^line=', line: 'line=2', backup: true });
      expect(await onHost(sh`test -e ${`${target}.planted`} && echo planted`.text)).toBe('planted\n');
      expect(await victim()).toBe(before);
      expect(outcome.status, outcome.msg).toBe('changed');
      const backup = String(outcome.values['backup']);
      expect(backup).toMatch(new RegExp(`^${target}\\.\\d+\\.\\d{4}-\\d\\d-\\d\\d@\\d\\d:\\d\\d:\\d\\d~$`));
      // The racer's link at that very name was there (it was replaced, not followed) and the backup is the old file.
      expect(await onHost(sh`test -h ${backup} && echo link; cat ${backup}; cat ${target}`.text)).toBe('line=1\nowned by the racer\nline=2\nowned by the racer\n');
    } finally {
      await onHost(sh`rm -f /usr/local/sbin/cp; rm -rf ${own}`.text);
    }
  }, 120_000);

  it('an attribute change never follows a link the user swaps in for the file in a loop (copy with the same content, file with follow: false)', async () => {
    // The file's bytes are already right, so copy only sets its mode, and file its mode and owner,
    // by name, a round trip after reading it. The user, in a loop for the whole test, swaps the file
    // for a link to the victim and back, each swap one rename (a hard link keeps the file meanwhile),
    // so the name is never missing; a file root replaced is taken back as the user's own. Before,
    // `chmod MODE PATH` and `chown OWNER PATH` followed the link when a swap fell between the read
    // and the change: the victim's mode and owner became the task's.
    const dir = '/var/beastie-attr';
    const target = `${dir}/conf`;
    await onHost(sh`rm -rf ${dir} && mkdir -m 0755 ${dir} && printf 'same\n' > ${target} && chown -R ${RACER} ${dir}`.text);
    const flip = sh`cd ${dir} || exit 1
while :; do
  if [ ! -h conf ] && [ ! -O conf ]; then printf 'same\n' > new && mv -f new conf; fi
  ln -f conf keep 2>/dev/null || continue
  ln -sf ${VICTIM} l && mv -f l conf
  mv -f keep conf
done`.text;
    const flipper = (await onHost(`setsid su -s /bin/sh ${RACER} -c ${sh`${flip}`.text} </dev/null >/dev/null 2>&1 & echo $!`)).trim();
    try {
      const before = await victim();
      let changed = 0;
      for (let i = 0; i < 32 || (changed === 0 && i < 64); i += 1) {
        const mode = i % 2 === 0 ? '0640' : '0604';
        const outcome =
          i % 4 === 3
            ? await sessions.run(file, fleet.hosts[0]!.name, { path: target, follow: false, mode, owner: OTHER })
            : await sessions.run(copy, fleet.hosts[0]!.name, { dest: target, content: 'same\n', mode });
        if (outcome.status === 'changed') changed += 1;
        expect(await victim()).toBe(before);
      }
      expect(changed).toBeGreaterThan(0);
    } finally {
      await onHost(`kill -9 -- -${flipper} 2>/dev/null; true`);
      await onHost(sh`i=0; until rm -rf ${dir} 2>/dev/null; do i=$((i + 1)); [ $i -lt 100 ] || exit 1; sleep 0.1; done`.text);
    }
  }, 300_000);

  it('file recurse never follows a link swapped into the user-owned tree while root walks it', async () => {
    // The racer winning each window, made deterministic: a `find` first on root's PATH (/usr/local/sbin,
    // this host's own) puts a directory before the rest of PATH whose `chown` and `chmod` let the racer
    // swap what they were handed just before the real tool runs — chown: the entry's directory for a
    // link to a root-only directory holding an `f`; chmod: the file for a link to the victim. With the
    // old `find … -exec chown -h / chmod {} +` root chowned /etc/beastie-vd/f to the racer and made the
    // victim 0700; with -execdir and chmod -h both act on the entry they were meant for.
    const tree = '/var/beastie-tree';
    const vault = '/etc/beastie-vd';
    const shims = '/var/beastie-shims';
    const fileSwap = sh`mv "$1" "$1.moved" && ln -s ${VICTIM} "$1"`.text;
    const dirSwap = sh`mv "$1" "$1.moved" && ln -s ${vault} "$1"`.text;
    const wrapper = [
      '#!/bin/sh',
      'tool=${0##*/}',
      'for a in "$@"; do',
      '  [ -f "$a" ] && [ ! -h "$a" ] || continue',
      '  case $a in /*) ;; *) a=$(pwd -P)/${a#./} ;; esac',
      '  d=$(cd -P "${a%/*}" && pwd -P)',
      sh`  case $tool:$d in chown:${tree}/sub) su -s /bin/sh ${RACER} -c ${dirSwap} swap "$d" ;; chmod:*) su -s /bin/sh ${RACER} -c ${fileSwap} swap "$a" ;; esac`.text,
      'done',
      sh`PATH=\${PATH#${shims}:} exec "$tool" "$@"`.text,
    ].join('\n');
    const finder = ['#!/bin/sh', sh`PATH=${shims}:$PATH exec /usr/bin/find "$@"`.text].join('\n');
    await onHost(
      sh`rm -rf ${tree} ${vault} ${shims} && mkdir -m 0700 ${vault} && printf 'root only\n' > ${vault}/f && chmod 0600 ${vault}/f && `.text +
        sh`mkdir -p ${tree}/sub && echo x > ${tree}/sub/f && chmod 0644 ${tree}/sub/f && chown ${RACER} ${tree} ${tree}/sub && `.text +
        sh`mkdir -p ${shims} && printf '%s\n' ${wrapper} > ${shims}/chown && chmod 0755 ${shims}/chown && ln -s chown ${shims}/chmod && `.text +
        sh`printf '%s\n' ${finder} > /usr/local/sbin/find && chmod 0755 /usr/local/sbin/find`.text,
    );
    try {
      const before = await victim();
      await sessions.run(file, fleet.hosts[0]!.name, { path: tree, state: 'directory', recurse: true, owner: RACER, mode: '0700' });
      expect(await victim()).toBe(before);
      expect(await onHost(sh`stat -c '%a %U' ${vault}/f; cat ${vault}/f`.text)).toBe('600 root\nroot only\n');
      // The swaps did happen, and what was handed over before each swap got the change.
      expect(await onHost(sh`readlink ${tree}/sub ${tree}/sub.moved/f; stat -c '%a %U' ${tree}/sub.moved ${tree}/sub.moved/f.moved`.text)).toBe(
        `${vault}\n${VICTIM}\n700 ${RACER}\n644 ${RACER}\n`,
      );
    } finally {
      await onHost(sh`rm -f /usr/local/sbin/find; rm -rf ${shims} ${tree} ${vault}`.text);
    }
  }, 120_000);

  it('file recurse never changes a root file while the user flips the tree\'s entries for links in a loop', async () => {
    // The same race without a shim: the user, in a loop for the whole test, turns the tree's file
    // into a link to the victim and its subdirectory into a link to a root-only directory, and back.
    // A walk may fail when an entry vanishes under it; it must never change what a link points to.
    const tree = '/var/beastie-flip';
    const vault = '/etc/beastie-vf';
    await onHost(
      sh`rm -rf ${tree} ${vault} && mkdir -m 0700 ${vault} && printf 'root only\n' > ${vault}/f && chmod 0600 ${vault}/f && `.text +
        sh`mkdir -p ${tree}/sub && echo x > ${tree}/sub/f && echo y > ${tree}/g && chown -R ${RACER} ${tree}`.text,
    );
    const flip = `
while :; do
  mv -f ${tree}/g ${tree}/g.moved 2>/dev/null && ln -s ${VICTIM} ${tree}/g 2>/dev/null
  mv -f ${tree}/sub ${tree}/sub.moved 2>/dev/null && ln -s ${vault} ${tree}/sub 2>/dev/null
  rm -f ${tree}/g ${tree}/sub 2>/dev/null
  mv -f ${tree}/g.moved ${tree}/g 2>/dev/null
  mv -f ${tree}/sub.moved ${tree}/sub 2>/dev/null
done`;
    const flipper = (await onHost(`setsid su -s /bin/sh ${RACER} -c ${sh`${flip}`.text} </dev/null >/dev/null 2>&1 & echo $!`)).trim();
    try {
      const before = await victim();
      let done = 0;
      // At least 8 walks, and on until one got through: under load the loop can make every one of
      // the first walks fail on a vanished entry (seen in a full run), which proves nothing.
      for (let i = 0; i < 8 || (done === 0 && i < 64); i += 1) {
        const outcome = await sessions.run(file, fleet.hosts[0]!.name, { path: tree, state: 'directory', recurse: true, owner: RACER, mode: i % 2 === 0 ? '0700' : '0755' });
        if (outcome.status !== 'failed') done += 1;
        expect(await victim()).toBe(before);
        expect(await onHost(sh`stat -c '%a %U' ${vault} ${vault}/f; cat ${vault}/f`.text)).toBe('700 root\n600 root\nroot only\n');
      }
      // The loop raced real walks, not only refusals: some of them got through.
      expect(done).toBeGreaterThan(0);
    } finally {
      await onHost(`kill -9 -- -${flipper} 2>/dev/null; true`);
      // A flip already under way may still land after the kill is sent: remove until nothing is left.
      await onHost(sh`i=0; until rm -rf ${tree} ${vault} 2>/dev/null; do i=$((i + 1)); [ $i -lt 100 ] || exit 1; sleep 0.1; done`.text);
    }
  }, 300_000);

  it('removes what a writer killed right after mktemp left, at the next write into that directory', async () => {
    const dir = '/var/beastie-killed';
    // A `mktemp` first on root's PATH kills the install script the moment its private directory
    // exists: before its name was recorded anywhere, such a kill left an empty directory for good.
    const wrapper = ['#!/bin/sh', 't=$(/usr/bin/mktemp "$@") || exit 1', sh`case $t in ${dir}/.beastie.*) kill -KILL $PPID;; esac`.text, 'echo "$t"'].join('\n');
    await onHost(sh`mkdir -p ${dir} && printf '%s\n' ${wrapper} > /usr/local/sbin/mktemp && chmod 0755 /usr/local/sbin/mktemp`.text);
    try {
      await expect(host.put(`${dir}/file`, 'first\n', { mode: 0o644 })).rejects.toThrow();
    } finally {
      await onHost('rm -f /usr/local/sbin/mktemp');
    }
    expect(await onHost(`ls -A ${dir}`)).toMatch(/^\.beastie\.\S+\n$/);
    await host.put(`${dir}/file`, 'second\n', { mode: 0o644 });
    expect(await onHost(`ls -A ${dir}; cat ${dir}/file`)).toBe('file\nsecond\n');
  }, 120_000);

  it('never lets another user read a file written for a become user while it uploads', async () => {
    await onHost(`mkdir -p /var/beastie-other && chown ${OTHER} /var/beastie-other && chmod 0700 /var/beastie-other`);
    for (let i = 0; i < 10; i += 1) {
      await host.put('/var/beastie-other/secret', `${SECRET}\n`, { mode: 0o600, become: { method: 'sudo', user: OTHER } });
    }
    expect(await onHost(`cat /var/beastie-other/secret; stat -c '%a %U' /var/beastie-other/secret`)).toBe(`${SECRET}\n600 ${OTHER}\n`);
    expect(await onHost(`cat ${LOOT} 2>/dev/null; true`)).not.toContain(SECRET);
  }, 300_000);
});
