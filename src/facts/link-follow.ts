// Where a symbolic link leads, as Ansible's file module follows it (follow: true): the link's real
// path, as Python's os.path.realpath gives it, and what lstat(2) finds there. ansible-core 2.14
// module_utils/basic.py load_file_common_arguments: `if params.get('follow', False) and
// os.path.islink(b_path): b_path = os.path.realpath(b_path)`; modules/file.py ensure_file_attributes
// and ensure_directory then work on that path. realpath(1) (FreeBSD's /bin/realpath, realpath(3))
// resolves an existing target; a dangling link's target is resolved as Python's non-strict
// realpath does it: the link chain is read with readlink(1) and the last name is joined to the
// real path of its directory. Read-only: realpath, readlink, dirname, basename, stat, test.
import { raw, sh, type Command } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { parseFileStat, type FileStat } from './file-stat.js';
import { parseSections, sectionedCommand } from './sections.js';
import { pathOperand } from '../command/path-operand.js';

/** A link's real path and what is there (undefined: nothing, the link dangles). */
export interface FollowedLink {
  readonly real: string;
  readonly stat: FileStat | undefined;
}

/** lstat of the shell word `operand` in file-stat.ts's lines, without leaving the shell. */
function lstatLines(operand: Command): Command {
  return sh`if [ ! -e ${operand} ] && [ ! -L ${operand} ]; then echo absent; elif s=$(stat -f '%Op %Su %Sg %z' ${operand} 2>/dev/null) && printf '%s\\n' "$s" | grep -Eqx '[0-7]+ [^ ]+ [^ ]+ [0-9]+'; then echo "bsd $s"; else printf 'gnu '; stat -c '%f %U %G %s' ${operand}; fi`;
}

/**
 * The real path of the link at `path` into `$beastie_real`. 40 links at most (Linux's and
 * FreeBSD's MAXSYMLINKS are 40 and 32): a loop leaves the last name reached, which is a link.
 */
function realPath(path: string): Command {
  return sh`beastie_real=$(realpath ${path} 2>/dev/null) || { p=${path}; n=0; while [ -L "$p" ] && [ "$n" -lt 40 ]; do t=$(readlink "$p"); case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac; n=$((n + 1)); done; b=$(basename "$p"); if d=$(realpath "$(dirname "$p")" 2>/dev/null); then case $d in /) beastie_real=/$b ;; *) beastie_real=$d/$b ;; esac; else beastie_real=$p; fi; }; printf '%s' "$beastie_real"`;
}

/** The command: `notlink` when path is no symbolic link, else sections `real` and `stat`. */
export function linkFollowCommand(path: string): Command {
  const real = sh`${raw('"$beastie_real"')}`;
  return sh`if [ ! -L ${pathOperand(path)} ]; then echo notlink; else ${sectionedCommand([
    ['real', realPath(pathOperand(path))],
    ['stat', sh`${lstatLines(real)}; if [ -L ${real} ]; then printf 'link %s\\n' "$(readlink ${real})"; fi`],
  ])}; fi`;
}

/** Parse the command's output; undefined when the path is not a link (or the output is cut). */
export function parseLinkFollow(output: FactOutput): FollowedLink | undefined {
  if (output.stdout.trim() === 'notlink') return undefined;
  const sections = parseSections(output.stdout);
  const real = sections.get('real');
  const stat = sections.get('stat');
  if (real === undefined || real === '' || stat === undefined) return undefined;
  return { real, stat: parseFileStat({ ...output, stdout: stat }) };
}

/** Where the link at `path` leads; undefined when `path` is not a symbolic link. */
export function linkFollowFact(path: string): Fact<FollowedLink | undefined> {
  // The target may be anywhere, so any change may move it: no reads, every change forgets it.
  return defineFact(`link-follow:${path}`, linkFollowCommand(path), parseLinkFollow);
}

