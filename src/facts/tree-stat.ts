// Every path below a directory with its type, permission bits, owner and group — what file's
// `recurse` compares — from one find(1) walk whose entries are stat'ed in bulk: FreeBSD's
// `stat -f`, or GNU `stat -c` where `stat -f` means something else (as file-stat.ts). Links are
// listed, not followed. Names are printed apart from the stat lines, each ended by a NUL
// (names-then-lines.ts), so a name holding a newline is read whole and cannot add an entry.
import { sh } from '../command/command.js';
import { namesThenLines, parseNamesThenLines } from './names-then-lines.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from './fact.js';
import type { FileType } from './file-stat.js';

/** One path below the directory. */
export interface TreeEntry {
  readonly path: string;
  readonly type: FileType;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
}

function typeOf(rawMode: number): FileType {
  const kind = rawMode & 0o170000;
  return kind === 0o100000 ? 'file' : kind === 0o040000 ? 'directory' : kind === 0o120000 ? 'link' : 'other';
}

/** Parse `bsd`/`gnu` then the names and their `MODE OWNER GROUP` lines (octal or hex st_mode). */
export function parseTreeStat(output: FactOutput): TreeEntry[] | undefined {
  const cut = output.stdout.indexOf('\n');
  const flavour = cut < 0 ? output.stdout : output.stdout.slice(0, cut);
  if (flavour !== 'bsd' && flavour !== 'gnu') return undefined;
  return parseNamesThenLines(cut < 0 ? '' : output.stdout.slice(cut + 1)).flatMap(([path, line]) => {
    const match = /^([0-9a-fA-F]+) (\S+) (\S+)$/.exec(line);
    if (match === null) return [];
    const rawMode = parseInt(match[1] ?? '0', flavour === 'bsd' ? 8 : 16);
    return [{ path, type: typeOf(rawMode), mode: rawMode & 0o7777, owner: match[2] ?? '', group: match[3] ?? '' }];
  });
}

/** The script find runs on each batch of names: stat with `flag` and `format`, which prints no name. */
function statNames(flag: string, format: string): string {
  const command = `stat ${flag} '${format}' --`;
  return namesThenLines(`${command} "$@"`, `${command} "$f"`);
}

/** The entries below `path` (not `path` itself); undefined when it is not a directory. */
export function treeStatFact(path: string): Fact<TreeEntry[] | undefined> {
  return defineFact(
    `tree-stat:${path}`,
    sh`if [ ! -d ${path} ]; then exit 0; fi
if stat -f %z / 2>/dev/null | grep -Eqx '[0-9]+'; then echo bsd; find ${path} -mindepth 1 -exec sh -c ${statNames('-f', '%Op %Su %Sg')} sh {} +; else echo gnu; find ${path} -mindepth 1 -exec sh -c ${statNames('-c', '%f %U %G')} sh {} +; fi`,
    parseTreeStat,
    [fileSubject(path)],
  );
}
