// The probes run inside each jail doctor examines, in one `jexec` per jail (all jails in the
// host's second round trip): what the jail itself sees — its securelevel, /dev, interfaces,
// rc.conf — and vm-bhyve's switches and guests (docs/freebsd/vm-bhyve.md).
import { sh } from '../command/command.js';
import { resolveVmDir } from '../facts/vm-bhyve-state.js';
import { fileProbe, type Probe } from './probe.js';

/** Every jail probe; the ids are what checks ask for. */
export const JAIL_PROBES: readonly Probe[] = [
  { id: 'jail-securelevel', command: sh`sysctl -n kern.securelevel` },
  { id: 'jail-dev', command: sh`ls /dev` },
  { id: 'jail-ifconfig', command: sh`ifconfig -l` },
  fileProbe('jail-rc.conf', '/etc/rc.conf'),
  { id: 'vm-version', command: sh`command -v vm >/dev/null && vm version` },
  fileProbe('system.conf', sh`"$d/.config/system.conf"`, { before: resolveVmDir, onlyIf: sh`[ -n "$d" ]` }),
  { id: 'vm-list', command: sh`command -v vm >/dev/null && vm list` },
  // Each guest's NAME.conf and the bhyve command line vm-bhyve logged for its latest run.
  {
    id: 'guests',
    command: sh`${resolveVmDir}; [ -n "$d" ] || exit 0; for c in "$d"/*/*.conf; do g=\${c%/*}; n=\${g##*/}; [ "$c" = "$g/$n.conf" ] || continue; echo "@@guest $n"; cat "$c"; echo "@@run"; grep -E 'bhyve (options|devices):' "$g/vm-bhyve.log" 2>/dev/null | tail -n 2; done`,
  },
];
