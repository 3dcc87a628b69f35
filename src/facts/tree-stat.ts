// Every path below a directory with its type, permission bits, owner and group — what file's
// `recurse` compares — from one find(1) walk whose entries are stat'ed in bulk: FreeBSD's
// `stat -f`, or GNU `stat -c` where `stat -f` means something else (as file-stat.ts). Links are
// listed, not followed. A name containing a newline cannot be told apart and is left out.
import { sh } from '../command/command.js';
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

/** Parse `bsd`/`gnu` then one `MODE OWNER GROUP PATH` line per entry (octal or hex st_mode). */
export function parseTreeStat(output: FactOutput): TreeEntry[] | undefined {
  const [flavour, ...lines] = output.stdout.split('\n');
  if (flavour !== 'bsd' && flavour !== 'gnu') return undefined;
  return lines.flatMap((line) => {
    const match = /^([0-9a-fA-F]+) (\S+) (\S+) (.+)$/.exec(line);
    if (match === null) return [];
    const rawMode = parseInt(match[1] ?? '0', flavour === 'bsd' ? 8 : 16);
    return [{ path: match[4] ?? '', type: typeOf(rawMode), mode: rawMode & 0o7777, owner: match[2] ?? '', group: match[3] ?? '' }];
  });
}

/** The entries below `path` (not `path` itself); undefined when it is not a directory. */
export function treeStatFact(path: string): Fact<TreeEntry[] | undefined> {
  return defineFact(
    `tree-stat:${path}`,
    sh`if [ ! -d ${path} ]; then exit 0; fi
if stat -f %z / 2>/dev/null | grep -Eqx '[0-9]+'; then echo bsd; find ${path} -mindepth 1 -exec stat -f '%Op %Su %Sg %N' {} +; else echo gnu; find ${path} -mindepth 1 -exec stat -c '%f %U %G %n' {} +; fi`,
    parseTreeStat,
    [fileSubject(path)],
  );
}
