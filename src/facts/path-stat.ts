// Everything Ansible's stat module reports about a path, in one command: FreeBSD's `stat -f` (or
// GNU `stat -c` where `stat -f` means something else: Linux and the simulated fleet, whose stat is
// Debian's), access(2) through test -r/-w/-x, the link's target and real path, a digest, and
// file(1)'s MIME type.
import { pathOperand } from '../command/path-operand.js';
import { raw, sh, type Command } from '../command/command.js';
import { DIGEST_LENGTHS, type DigestAlgorithm } from './file-checksum.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { parseSections, sectionedCommand } from './sections.js';

/** What to read besides the stat(2) fields. */
export interface PathStatOptions {
  /** stat(2) instead of lstat(2). */
  readonly follow: boolean;
  /** The digest to compute for a readable regular file; undefined = none. */
  readonly checksum?: DigestAlgorithm;
  /** Run file(1) -b -i. */
  readonly mime: boolean;
}

/** The stat(2) fields, as numbers, plus the owner and group names. */
export interface PathStatRecord {
  readonly dev: number;
  readonly inode: number;
  /** st_mode including the file type bits. */
  readonly rawMode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
  readonly blocks: number;
  readonly blockSize: number;
  readonly rdev: number;
  readonly owner: string;
  readonly group: string;
  /** st_flags (FreeBSD only). */
  readonly flags?: number;
  /** st_birthtime (FreeBSD only). */
  readonly birthtime?: number;
}

/** A path as stat sees it, or nothing there. */
export type PathStat =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly stat: PathStatRecord;
      readonly readable: boolean;
      readonly writeable: boolean;
      readonly executable: boolean;
      /** readlink(1) of a link that was not followed. */
      readonly linkTarget?: string;
      /** realpath(1) of a link that was not followed. */
      readonly linkSource?: string;
      readonly checksum?: string;
      /** file -b -i: `text/plain; charset=us-ascii`. */
      readonly mime?: string;
    };

// FreeBSD stat(1): %p is st_mode in octal, %F times are seconds.nanoseconds, %f st_flags.
const BSD_FORMAT = '%d %i %p %l %u %g %z %Fa %Fm %Fc %b %k %r %Su %Sg %f %FB';
const BSD_LINE = '[0-9]+ [0-9]+ [0-7]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9.]+ [0-9.]+ [0-9.]+ [0-9]+ [0-9]+ [0-9]+ [^ ]+ [^ ]+ [0-9]+ -?[0-9.]+';
// GNU stat(1): %f is st_mode in hex.
const GNU_FORMAT = '%d %i %f %h %u %g %s %.9X %.9Y %.9Z %b %o %r %U %G';

/** The one read-only command: a sectioned report of the path. */
export function pathStatCommand(written: string, options: PathStatOptions): Command {
  const path = pathOperand(written);
  const L = raw(options.follow ? '-L ' : '');
  const exists = options.follow ? sh`[ -e ${path} ]` : sh`{ [ -e ${path} ] || [ -L ${path} ]; }`;
  const sections: [string, Command][] = [
    [
      'stat',
      sh`if s=$(stat ${L}-f ${BSD_FORMAT} ${path} 2>/dev/null) && printf '%s\\n' "$s" | grep -Eqx ${BSD_LINE}; then echo "bsd $s"; else printf 'gnu '; stat ${L}-c ${GNU_FORMAT} ${path}; fi`,
    ],
    ['access', sh`a=; [ -r ${path} ] && a="\${a}r"; [ -w ${path} ] && a="\${a}w"; [ -x ${path} ] && a="\${a}x"; echo "a$a"`],
  ];
  // Two sections: a link's target may hold newlines (any byte but NUL), so its lines say nothing.
  if (!options.follow) sections.push(['link', sh`if [ -L ${path} ]; then readlink ${path}; fi`], ['source', sh`if [ -L ${path} ]; then realpath ${path}; fi`]);
  if (options.checksum !== undefined) {
    // The algorithm comes from a closed list, so it is a trusted literal in the command.
    const tool = raw(options.checksum);
    // Without follow, a link is not a regular file: no checksum, as Ansible's lstat-based isreg.
    const regular = options.follow ? sh`[ -f ${path} ]` : sh`[ -f ${path} ] && [ ! -L ${path} ]`;
    sections.push(['checksum', sh`if ${regular} && [ -r ${path} ]; then if command -v ${tool} >/dev/null 2>&1; then ${tool} -q ${path}; else ${tool}sum < ${path}; fi; fi`]);
  }
  if (options.mime) sections.push(['mime', sh`file -b -i ${raw(options.follow ? '-L ' : '')}${path}`]);
  return sh`if ! ${exists}; then echo absent; exit 0; fi
${sectionedCommand(sections)}`;
}

/** A number field; NaN-safe (0 when unparsable, which a validated line never is). */
function num(text: string | undefined, radix = 10): number {
  if (text === undefined) return 0;
  const value = radix === 10 ? Number(text) : parseInt(text, radix);
  return Number.isFinite(value) ? value : 0;
}

/** Parse the `bsd …` or `gnu …` line. */
export function parseStatLine(line: string): PathStatRecord | undefined {
  const [flavour, ...f] = line.trim().split(' ');
  if (flavour === 'bsd' && f.length === 17) {
    return {
      dev: num(f[0]), inode: num(f[1]), rawMode: num(f[2], 8), nlink: num(f[3]), uid: num(f[4]), gid: num(f[5]), size: num(f[6]),
      atime: num(f[7]), mtime: num(f[8]), ctime: num(f[9]), blocks: num(f[10]), blockSize: num(f[11]), rdev: num(f[12]),
      owner: f[13] ?? '', group: f[14] ?? '', flags: num(f[15]), birthtime: num(f[16]),
    };
  }
  if (flavour === 'gnu' && f.length === 15) {
    return {
      dev: num(f[0]), inode: num(f[1]), rawMode: num(f[2], 16), nlink: num(f[3]), uid: num(f[4]), gid: num(f[5]), size: num(f[6]),
      atime: num(f[7]), mtime: num(f[8]), ctime: num(f[9]), blocks: num(f[10]), blockSize: num(f[11]), rdev: num(f[12]),
      owner: f[13] ?? '', group: f[14] ?? '',
    };
  }
  return undefined;
}

/** Parse the sectioned report; a path whose stat line cannot be read counts as absent. */
export function parsePathStat(output: FactOutput, options: PathStatOptions): PathStat {
  if (output.stdout.trim() === 'absent') return { exists: false };
  const sections = parseSections(output.stdout);
  const stat = parseStatLine((sections.get('stat') ?? '').split('\n')[0] ?? '');
  if (stat === undefined) return { exists: false };
  const access = (sections.get('access') ?? '').trim();
  // readlink(1) and realpath(1) end what they print with one newline of their own.
  const linkTarget = (sections.get('link') ?? '').replace(/\n$/, '');
  const linkSource = (sections.get('source') ?? '').replace(/\n$/, '');
  const digest = (sections.get('checksum') ?? '').trim().split(/\s/)[0] ?? '';
  const checksumLength = options.checksum === undefined ? 0 : DIGEST_LENGTHS[options.checksum];
  const mime = (sections.get('mime') ?? '').trim();
  return {
    exists: true,
    stat,
    readable: access.includes('r'),
    writeable: access.includes('w'),
    executable: access.includes('x'),
    ...(linkTarget ? { linkTarget, ...(linkSource ? { linkSource } : {}) } : {}),
    ...(checksumLength > 0 && new RegExp(`^[0-9a-fA-F]{${checksumLength}}$`).test(digest) ? { checksum: digest.toLowerCase() } : {}),
    ...(mime !== '' ? { mime } : {}),
  };
}

/** Everything about `path` the stat module reports. */
export function pathStatFact(path: string, options: PathStatOptions): Fact<PathStat> {
  return defineFact(
    `path-stat:${options.follow ? 'L' : 'l'}:${options.checksum ?? '-'}:${options.mime ? 'm' : '-'}:${path}`,
    pathStatCommand(path, options),
    (output) => parsePathStat(output, options),
  );
}
