// Ansible's FreeBSD mount and device facts (ansible/ansible lib/ansible/module_utils/facts/
// hardware/freebsd.py): ansible_mounts is /etc/fstab's entries, each with the size of the file
// system holding its mount point (Ansible: statvfs; here POSIX `df -P -k`, which gives sizes in
// KiB but no block or inode counts); ansible_devices is /dev's disks and their slices/partitions,
// matched by get_device_facts' two patterns. One sectioned command, read in the gather round trip.
import { sh } from '../command/command.js';
import { defineFact, type FactOutput } from './fact.js';
import { parseSectionList, parseSections, sectionedCommand, sectionFrame } from './sections.js';

/** One ansible_mounts entry. */
export interface MountFacts {
  readonly mount: string;
  readonly device: string;
  readonly fstype: string;
  readonly options: string;
  readonly size_total?: number;
  readonly size_available?: number;
}

/** What the storage read gives. */
export interface StorageFacts {
  readonly mounts: readonly MountFacts[];
  readonly devices: Readonly<Record<string, string[]>>;
}

/**
 * One section per mount point (src/facts/sections.ts), holding `df -P -k MOUNT`'s data row (nothing
 * when df failed). The row's last line is taken: a file system name with line breaks (a mount's
 * source is its mounter's text) ends before the numbers, which df prints last.
 */
export function parseDfRows(text: string): Map<string, { total: number; available: number }> {
  const sizes = new Map<string, { total: number; available: number }>();
  for (const [mount, rows] of parseSectionList(text)) {
    for (const line of rows.split('\n').reverse()) {
      // Filesystem 1024-blocks Used Available Capacity Mounted-on (the name may hold spaces: count from the end)
      const fields = line.trim().split(/\s+/);
      const capacity = fields.findIndex((field, index) => index > 0 && /^\d+%$/.test(field));
      if (capacity < 3) continue;
      const total = Number(fields[capacity - 3]);
      const available = Number(fields[capacity - 1]);
      if (Number.isFinite(total) && Number.isFinite(available)) sizes.set(mount, { total: total * 1024, available: available * 1024 });
      break;
    }
  }
  return sizes;
}

/** Each fstab mount point's df row, as a frame of its own inside the storage read's `df` section. */
function dfRowsCommand() {
  const frame = sectionFrame();
  return sh`${frame.open}; awk '!/^#/ && NF >= 2 { print $2 }' /etc/fstab | while IFS= read -r m; do ${frame.section(sh`"$m"`, sh`df -P -k "$m" | tail -n +2`)}; done; ${frame.close}`;
}

/** get_mount_facts: every fstab line that is not a comment or blank, with its size when df could read it. */
export function parseMounts(fstab: string, df: string): MountFacts[] {
  const sizes = parseDfRows(df);
  const mounts: MountFacts[] = [];
  for (const line of fstab.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const [device = '', mount = '', fstype = '', options = ''] = line.trim().split(/\s+/);
    const size = sizes.get(mount);
    mounts.push(size === undefined ? { mount, device, fstype, options } : { mount, device, fstype, options, size_total: size.total, size_available: size.available });
  }
  return mounts;
}

const DRIVE = /^((?:ada?|da|a?cd|amrd|idad|ipsd|md|mfid|mlxd|twed|vtbd)\d+)/;
const SLICE = /^((?:ada?|a?cd|amrd|da|idad|ipsd|md|mfid|mlxd|twed|vtbd)\d+[ps]\d+\w*)/;

/** get_device_facts over `ls /dev`'s sorted names: disk → its slices and partitions. */
export function parseDevices(listing: string): Record<string, string[]> {
  const devices: Record<string, string[]> = {};
  for (const name of listing.split('\n').map((n) => n.trim()).filter((n) => n !== '').sort()) {
    const drive = DRIVE.exec(name)?.[1];
    if (drive === undefined) continue;
    devices[drive] ??= [];
    const slice = SLICE.exec(name)?.[1];
    if (slice !== undefined) devices[drive].push(slice);
  }
  return devices;
}

/** The sectioned output → mounts and devices; undefined when /etc/fstab cannot be read and /dev is not listed. */
export function parseStorage(output: FactOutput): StorageFacts | undefined {
  const sections = parseSections(output.stdout);
  const fstab = sections.get('fstab');
  const dev = sections.get('dev');
  if (fstab === undefined && dev === undefined) return undefined;
  return { mounts: parseMounts(fstab ?? '', sections.get('df') ?? ''), devices: parseDevices(dev ?? '') };
}

/** The storage read: fstab, each of its mount points' df row, and /dev's names. */
export const storageFact = defineFact(
  'gather:storage',
  sectionedCommand([
    ['fstab', sh`cat /etc/fstab`],
    ['df', dfRowsCommand()],
    ['dev', sh`ls /dev`],
  ]),
  parseStorage,
);

/** ansible_mounts and ansible_devices. */
export function storageVariables(storage: StorageFacts | undefined): Record<string, unknown> {
  return storage === undefined ? {} : { ansible_mounts: storage.mounts, ansible_devices: storage.devices };
}
