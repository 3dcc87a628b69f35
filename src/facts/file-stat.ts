// What a path is on the host — type, permission bits, owner, group, size, link target — read with
// FreeBSD's `stat -f`, or GNU `stat -c` where `stat -f` means something else (Linux, and the
// simulated fleet, whose stat is Debian's), never following links.
import { sh } from '../command/command.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from './fact.js';
import { pathOperand } from '../command/path-operand.js';

/** What kind of thing a path names. */
export type FileType = 'file' | 'directory' | 'link' | 'other';

/** A path that exists, as lstat(2) sees it. */
export interface FileStat {
  readonly type: FileType;
  /** Permission bits including setuid/setgid/sticky: 0o644, 0o4755. */
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
  readonly size: number;
  /** Where a symbolic link points, as readlink prints it. */
  readonly linkTarget?: string;
  /**
   * A link whose `mode` is its own, read by FreeBSD's `stat -f` (lstat(2)): FreeBSD links have a mode,
   * which lchmod(2) — `chmod -h` — sets and Ansible's set_mode_if_different changes with os.lchmod.
   * Absent where GNU stat read the link: Linux links have none (lstat says 0777 whatever is asked).
   */
  readonly ownMode?: true;
}

/** The file type from st_mode's S_IFMT bits. */
function typeOf(rawMode: number): FileType {
  switch (rawMode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'link';
    default:
      return 'other';
  }
}

/**
 * Parse `bsd OCTAL-MODE OWNER GROUP SIZE` (stat -f '%Op %Su %Sg %z') or `gnu HEX-MODE OWNER GROUP
 * SIZE` (stat -c '%f %U %G %s'), then an optional `link TARGET` line; `absent` when lstat failed.
 */
export function parseFileStat(output: FactOutput): FileStat | undefined {
  const [first = '', ...rest] = output.stdout.split('\n');
  const match = /^(bsd|gnu) ([0-9a-fA-F]+) (\S+) (\S+) (\d+)$/.exec(first.trim());
  if (match === null) return undefined;
  const [, flavour, modeText = '', owner = '', group = '', size = '0'] = match;
  const rawMode = parseInt(modeText, flavour === 'bsd' ? 8 : 16);
  const type = typeOf(rawMode);
  const linkLine = rest.find((line) => line.startsWith('link '));
  return {
    type,
    mode: rawMode & 0o7777,
    owner,
    group,
    size: Number(size),
    ...(type === 'link' && linkLine !== undefined ? { linkTarget: linkLine.slice('link '.length) } : {}),
    ...(type === 'link' && flavour === 'bsd' ? { ownMode: true as const } : {}),
  };
}

/** lstat of `path`; undefined when nothing is there. */
export function fileStatFact(path: string): Fact<FileStat | undefined> {
  return defineFact(
    `file-stat:${path}`,
    sh`if [ ! -e ${pathOperand(path)} ] && [ ! -L ${pathOperand(path)} ]; then echo absent; exit 0; fi
if s=$(stat -f '%Op %Su %Sg %z' ${pathOperand(path)} 2>/dev/null) && printf '%s\\n' "$s" | grep -Eqx '[0-7]+ [^ ]+ [^ ]+ [0-9]+'; then echo "bsd $s"; else printf 'gnu '; stat -c '%f %U %G %s' ${pathOperand(path)}; fi
if [ -L ${pathOperand(path)} ]; then printf 'link %s\\n' "$(readlink ${pathOperand(path)})"; fi`,
    parseFileStat,
    [fileSubject(path)],
  );
}
