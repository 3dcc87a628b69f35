// vm-bhyve's own state, read where vm-bhyve reads it (docs/freebsd/vm-bhyve.md): vm_enable and
// vm_dir from rc.conf, then $vm_dir/.config/system.conf and, for a guest, its NAME.conf,
// `vm list`, its logs and the ISO store. Runs on the host or, with `jail:`, inside the jail.
import { raw, sh, type Command } from '../command/command.js';
import { joinCommands } from '../command/command.js';
import { loggedRun } from '../freebsd/vm-bhyve-run.js';
import { defineFact, type Fact } from './fact.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand, type SectionSource } from './sections.js';

/**
 * Sets $v to rc.conf's vm_dir and $d to the directory vm-bhyve uses, resolving `zfs:pool/dataset`
 * to its mountpoint as vm-bhyve does. A fact runs it once, before its sections, which read $v and
 * $d: sysrc is a shell script that sources rc.conf (tens of ms on a host), and a guest's state
 * has a dozen sections that need the directory.
 */
export const resolveVmDir: Command = sh`v=$(sysrc -n vm_dir 2>/dev/null); d=$v; case "$v" in zfs:*) d=$(zfs get -H -o value mountpoint "\${v#zfs:}" 2>/dev/null);; esac`;

/** Where vm-bhyve is and whether it is set up. */
export interface VmBhyveBase {
  /** `vm version` line; undefined when vm-bhyve is not installed. */
  readonly version: string | undefined;
  readonly vmEnable: string | undefined;
  /** Resolved directory; undefined when vm_dir is unset. */
  readonly vmDir: string | undefined;
  /** Whether $vm_dir is a directory (vm never creates it: docs/freebsd/vm-bhyve.md). */
  readonly vmDirExists: boolean;
  /** Text of $vm_dir/.config/system.conf; undefined before `vm init`/first use. */
  readonly systemConf: string | undefined;
  /** The dataset of vm_dir="zfs:POOL/DATASET" (each guest is a dataset below it); else undefined. */
  readonly zfsDataset?: string;
}

/** The sections every vm-bhyve fact has; they read $v and $d ({@link vmBhyveCommand}). */
function baseSections(): (readonly [string, SectionSource])[] {
  return [
    ['version', sh`command -v vm >/dev/null && vm version`],
    ['vm_enable', sh`sysrc -n vm_enable 2>/dev/null`],
    ['vm_dir', sh`echo "$d"`],
    ['vm_dir_zfs', sh`case "$v" in zfs:*) echo "\${v#zfs:}";; esac`],
    ['vm_dir_exists', sh`[ -n "$d" ] && [ -d "$d" ] && echo yes`],
    ['system.conf', catOrAbsent(sh`"$d/.config/system.conf"`, { onlyIf: sh`[ -n "$d" ]` })],
  ];
}

/** A sectioned command whose sections may read $v, $d and whatever `prelude` sets: those run once, first. */
function vmBhyveCommand(sections: readonly (readonly [string, SectionSource])[], ...prelude: Command[]): Command {
  return joinCommands([resolveVmDir, ...prelude, sectionedCommand(sections)], ';');
}

function parseBase(sections: ReadonlyMap<string, string>): VmBhyveBase {
  const line = (name: string) => {
    const text = (sections.get(name) ?? '').trim();
    return text === '' ? undefined : text;
  };
  const zfsDataset = line('vm_dir_zfs');
  return {
    version: line('version'),
    vmEnable: line('vm_enable'),
    vmDir: line('vm_dir'),
    vmDirExists: line('vm_dir_exists') === 'yes',
    systemConf: fileSection(sections, 'system.conf'),
    ...(zfsDataset === undefined ? {} : { zfsDataset }),
  };
}

/** vm-bhyve's base state plus whether the bridge of switch `name` exists now. */
export interface VmSwitchState extends VmBhyveBase {
  readonly bridgeExists: boolean;
}

/** State for vm_switch: the base, and `ifconfig vm-NAME` (missing after a reboot until `vm init`). */
export function vmSwitchStateFact(name: string): Fact<VmSwitchState> {
  return defineFact(
    `vm-switch:${name}`,
    vmBhyveCommand([...baseSections(), ['bridge', sh`ifconfig ${`vm-${name}`} >/dev/null 2>&1 && echo yes`]]),
    (output) => {
      const sections = parseSections(output.stdout);
      return { ...parseBase(sections), bridgeExists: (sections.get('bridge') ?? '').trim() === 'yes' };
    },
  );
}

/** vm-bhyve's base state plus one guest's files, its run state and its logs. */
export interface VmGuestState extends VmBhyveBase {
  /** Text of NAME/NAME.conf in its datastore; undefined when the guest does not exist. */
  readonly guestConf: string | undefined;
  /** The guest's directory (undefined when the datastore is unknown). */
  readonly guestDir: string | undefined;
  /** STATE column of `vm list` for the guest: `Stopped`, `Running (1234)`, `Bootloader (1234)`… */
  readonly listState: string | undefined;
  /** Whether $vm_dir/.iso/ISO exists, for the iso asked for. */
  readonly isoPresent: boolean;
  /** beastie's marker that the guest's one-time install was started. */
  readonly installed: boolean;
  /** Last lines of vm-bhyve.log and bhyve.log, to explain a guest that did not start. */
  readonly vmLogTail: string;
  readonly bhyveLogTail: string;
  /** The bhyve options and devices vm-bhyve logged for the latest run (what a running guest has). */
  readonly runOptions?: string;
  readonly runDevices?: string;
}

/** The marker file vm_guest leaves once it has launched the guest's install. */
export const installMarker = '.beastie-installed';

/**
 * Sets $g to the directory that holds guests of `datastore`: $vm_dir ($d) for `default`, else the
 * datastore's `path_NAME` from system.conf (zfs: resolved), as vm-bhyve's datastore::get does.
 */
function resolveGuestParent(datastore: string): Command {
  if (datastore === 'default') return sh`g="$d"`;
  return joinCommands(
    [
      sh`g=$(grep ${`^path_${datastore}=`} "$d/.config/system.conf" 2>/dev/null | head -n 1 | cut -d= -f2- | tr -d '"')`,
      sh`case "$g" in zfs:*) g=$(zfs get -H -o value mountpoint "\${g#zfs:}" 2>/dev/null);; esac`,
    ],
    ';',
  );
}

/** State for vm_guest `name` in `datastore`, with the ISO file name it may need. */
export function vmGuestStateFact(name: string, isoFile: string, datastore = 'default'): Fact<VmGuestState> {
  const inGuest = <S extends SectionSource>(file: string, command: (path: Command) => S): S => command(sh`"$g/"${name}/${raw(file)}`);
  return defineFact(
    `vm-guest:${datastore}:${name}:${isoFile}`,
    vmBhyveCommand(
      [
        ...baseSections(),
        ['guest.conf', inGuest(`${name}.conf`, (path) => catOrAbsent(path))],
        ['list', sh`vm list | awk -v n=${name} '$1 == n'`],
        ['iso', sh`[ -n ${isoFile} ] && [ -f "$d/.iso/"${isoFile} ] && echo yes`],
        ['guest_dir', sh`[ -n "$g" ] && echo "$g/"${name}`],
        ['installed', inGuest(installMarker, (path) => sh`[ -f ${path} ] && echo yes`)],
        ['vm-bhyve.log', inGuest('vm-bhyve.log', (path) => sh`tail -n 8 ${path}`)],
        ['bhyve.log', inGuest('bhyve.log', (path) => sh`tail -n 8 ${path}`)],
        ['run', inGuest('vm-bhyve.log', (path) => sh`grep -E 'bhyve (options|devices):' ${path} 2>/dev/null | tail -n 2`)],
      ],
      resolveGuestParent(datastore),
    ),
    (output) => {
      const sections = parseSections(output.stdout);
      // The AUTO column may be two words (`Yes [1]`), so take STATE from the end of the row.
      const row = (sections.get('list') ?? '').trim();
      const state = /(Stopped|Running \(\d+\)|Bootloader \(\d+\)|Locked \([^)]*\))\s*$/.exec(row)?.[1] ?? '';
      const run = loggedRun(sections.get('run') ?? '');
      return {
        ...parseBase(sections),
        guestConf: fileSection(sections, 'guest.conf'),
        guestDir: (sections.get('guest_dir') ?? '').trim() || undefined,
        listState: state === '' ? undefined : state,
        isoPresent: (sections.get('iso') ?? '').trim() === 'yes',
        installed: (sections.get('installed') ?? '').trim() === 'yes',
        vmLogTail: sections.get('vm-bhyve.log') ?? '',
        bhyveLogTail: sections.get('bhyve.log') ?? '',
        ...(run.runOptions === undefined ? {} : { runOptions: run.runOptions }),
        ...(run.runDevices === undefined ? {} : { runDevices: run.runDevices }),
      };
    },
  );
}
