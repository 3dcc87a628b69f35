// The probes run inside each jail doctor examines, in one `jexec` per jail (all jails in the
// host's second round trip): what the jail itself sees — its securelevel, /dev, interfaces,
// rc.conf — and vm-bhyve's switches and guests (docs/freebsd/vm-bhyve.md).
import { sh } from '../command/command.js';
import { resolveVmDir } from '../facts/vm-bhyve-state.js';
import { fileProbe, sectionedProbe, showFiles, type Probe, type SectionList } from './probe.js';

/** One guest as the guests probe read it: its name, NAME.conf and the lines vm-bhyve logged of its latest run. */
export interface GuestFiles {
  readonly name: string;
  readonly conf: string;
  readonly run: string;
}

/** The guests probe's `guest`, `conf` and `run` sections, one guest each, in order. */
export function guestSections(sections: SectionList): GuestFiles[] {
  const guests: GuestFiles[] = [];
  let current: { name: string; conf: string; run: string } | undefined;
  for (const [section, text] of sections) {
    if (section === 'guest') {
      current = { name: text, conf: '', run: '' };
      guests.push(current);
    } else if (current !== undefined && (section === 'conf' || section === 'run')) current[section] = text;
  }
  return guests;
}

/** The guests probe's sections as a guest's files would be shown by head(1), with the log's lines. */
export function showGuests(sections: SectionList): string {
  return showFiles(guestSections(sections).flatMap((guest) => [[`${guest.name}/${guest.name}.conf`, guest.conf], [`${guest.name}/vm-bhyve.log (bhyve options and devices)`, guest.run]] as const));
}

/** Every jail probe; the ids are what checks ask for. */
export const JAIL_PROBES: readonly Probe[] = [
  { id: 'jail-securelevel', command: sh`sysctl -n kern.securelevel` },
  // the jail's own userland (a thin jail's is the release its fstab mounts), for jail-userland
  { id: 'jail-userland', command: sh`freebsd-version -u` },
  { id: 'jail-dev', command: sh`ls /dev` },
  { id: 'jail-ifconfig', command: sh`ifconfig -l` },
  fileProbe('jail-rc.conf', '/etc/rc.conf'),
  { id: 'vm-version', command: sh`command -v vm >/dev/null && vm version` },
  fileProbe('system.conf', sh`"$d/.config/system.conf"`, { before: resolveVmDir, onlyIf: sh`[ -n "$d" ]` }),
  { id: 'vm-list', command: sh`command -v vm >/dev/null && vm list` },
  // Each guest's NAME.conf and the bhyve command line vm-bhyve logged for its latest run, as three
  // sections (its name, then each text): neither a guest's files nor its name can start another.
  sectionedProbe(
    'guests',
    (frame) =>
      sh`${resolveVmDir}; if [ -n "$d" ]; then for c in "$d"/*/*.conf; do g=\${c%/*}; n=\${g##*/}; [ "$c" = "$g/$n.conf" ] || continue; ${frame.section('guest', sh`printf %s "$n"`)}; ${frame.section('conf', sh`cat "$c"`)}; ${frame.section('run', sh`grep -E 'bhyve (options|devices):' "$g/vm-bhyve.log" | tail -n 2`)}; done; fi`,
    sh`${resolveVmDir}; [ -n "$d" ] || exit 0; for c in "$d"/*/*.conf; do g=\${c%/*}; n=\${g##*/}; [ "$c" = "$g/$n.conf" ] || continue; cat "$c"; grep -E 'bhyve (options|devices):' "$g/vm-bhyve.log" 2>/dev/null | tail -n 2; done`,
    showGuests,
  ),
];
