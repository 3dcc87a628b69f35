// How every transport writes a file on a host: one /bin/sh script, run as the writing user (the
// login user, or the become user), that receives the content on stdin (or reads a private upload)
// and renames it over the target. docs/file-writes.md says why each step is there.
//
// The script never acts on a path another user could swap between two steps:
// - the content is written in a fresh directory made by `mktemp -d` beside the target (mode 0700,
//   owned by the writer): nobody else can create, replace or link anything inside it;
// - the script `cd`s into that directory and checks that it is the one mktemp made (owned by the
//   writer, empty, 0700, inside the target's directory): a user who swapped it for a link before the
//   `cd` gets the write refused; after the `cd`, chmod and chown act on `./f` relative to the
//   directory the writer holds open, even if another user renames the directory away;
// - the final rename never follows a symbolic link planted at the target (GNU `mv -T`, BSD `mv -h`);
// - nothing names the directory outside the host's own process: no path is announced in /tmp.
// A truncated stream (the controller died mid-upload) is caught by the byte count and never
// renamed into place; a directory left by a writer that was killed is removed by the next write
// into the same directory: its name carries its writer's pid (`.beastie.PID.XXXXXXXXXX`, known
// the moment mktemp makes it, so no kill leaves one unnamed), and that pid no longer runs. Older
// beastie versions recorded the pid in a `pid` file inside; those are read too.
import { posix } from 'node:path';
import { raw, sh, type Command } from '../command/command.js';
import type { PutOptions } from './transport.js';

/** Prefix of the private directories; a later write removes stale ones of its own. */
export const TEMP_DIR_PREFIX = '.beastie.';

/** What to install where. */
export interface InstallFile {
  readonly path: string;
  readonly bytes: number;
  /** Octal mode such as 0o644; the target's current mode (or 0644) when absent. */
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  /** Read the content from this file (a private upload) instead of stdin. */
  readonly source?: string;
  /**
   * A check the new file must pass before it replaces the target (`validate:`), naming it `./f`:
   * it runs in the private directory, after mode and owner are set; a failure leaves the target
   * as it was and exits with the check's status after `failed to validate: rc:N` on stderr.
   */
  readonly validate?: Command;
}

/** What a transport's `put` installs: the content's size, and the mode, owner and group asked for (none that was not). */
export function putInstallFile(path: string, content: string | Buffer, options: Pick<PutOptions, 'mode' | 'owner' | 'group'>): InstallFile {
  return {
    path,
    bytes: Buffer.byteLength(content),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.owner === undefined ? {} : { owner: options.owner }),
    ...(options.group === undefined ? {} : { group: options.group }),
  };
}

/** Exit status of the script when the content arrived short (the stream was cut). */
export const INSTALL_TRUNCATED_EXIT = 96;

/**
 * Exit status of the script when its private directory was swapped between `mktemp` and `cd` (a
 * user who can write the target's directory renamed it away and planted something in its place).
 * Nothing was written anywhere: the write is refused rather than retried, since that user can win
 * every retry too.
 */
export const INSTALL_REFUSED_EXIT = 97;

/**
 * The lines that make the private directory `$t` in `$dir` (umask 077 set before) and enter it, or
 * refuse with INSTALL_REFUSED_EXIT when it was swapped before the `cd` (`$target` names the file
 * in the message). Afterwards the shell's working directory is `$t`, which only the writer can enter.
 * A relative `$target` and `$dir` are made absolute first: from inside `$t` they would name other
 * files (`cd -P -- .` is `$t` itself, so every relative write was refused as swapped).
 */
export const ENTER_PRIVATE_DIRECTORY = raw(`case $target in /*) ;; *) here=$(pwd -P) && target=$here/$target && dir=$here/$dir || exit 1 ;; esac
t=$(mktemp -d "$dir/${TEMP_DIR_PREFIX}$$.XXXXXXXXXX") || exit 1
cd -P -- "$t" 2>/dev/null && [ -O . ] && [ -z "$(ls -A)" ] && [ -n "$(find . -prune -perm 0700)" ] &&
  [ "$(cd -P .. && pwd -P)" = "$(cd -P -- "$dir" && pwd -P)" ] || {
  echo "beastie: $target: the private directory $t was replaced before it could be used (another user can write $dir); nothing was written" >&2
  exit ${INSTALL_REFUSED_EXIT}
}`);

/** GNU mv's -T or BSD mv's -h into `$nofollow`: a rename onto a link planted at the name replaces the link, never follows it into a directory. */
export const MV_NOFOLLOW = raw('if mv --version >/dev/null 2>&1; then nofollow=-T; else nofollow=-h; fi');

/** The script that installs one file; its display is `install PATH (N bytes)`. */
export function installFileCommand(file: InstallFile): Command {
  const dir = posix.dirname(file.path);
  const mode = file.mode === undefined ? undefined : `0${file.mode.toString(8)}`;
  const owner = file.owner === undefined && file.group === undefined ? undefined : `${file.owner ?? ''}${file.group === undefined ? '' : `:${file.group}`}`;
  const source = file.source === undefined ? raw('cat') : sh`cat -- ${file.source}`;
  const script = sh`umask 077
target=${file.path}
dir=${dir}
for s in "$dir"/${raw(TEMP_DIR_PREFIX)}*; do
  [ -d "$s" ] && [ ! -h "$s" ] && [ -O "$s" ] || continue
  p=\${s##*/${raw(TEMP_DIR_PREFIX)}}; p=\${p%%.*}
  case $p in ''|*[!0-9]*) p=$(cat "$s/pid" 2>/dev/null) || continue;; esac
  kill -0 "$p" 2>/dev/null || rm -rf -- "$s"
done
if [ -d "$target" ] && [ ! -h "$target" ]; then echo "beastie: $target is a directory" >&2; exit 1; fi
${ENTER_PRIVATE_DIRECTORY}
fail() { rc=$?; rm -f f; cd / && rmdir -- "$t" 2>/dev/null; exit $rc; }
${source} > f || fail
[ $(wc -c < f) -eq ${file.bytes} ] || { echo "beastie: $target: the content arrived short; the old file was left as it was" >&2; (exit ${INSTALL_TRUNCATED_EXIT}); fail; }
${mode === undefined ? raw('mode=$(stat -L -c %a -- "$target" 2>/dev/null || stat -L -f %Lp -- "$target" 2>/dev/null) || mode=644') : sh`mode=${mode}`}
chmod "$mode" f || fail
${owner === undefined ? raw(':') : sh`chown ${owner} f || fail`}
${file.validate === undefined ? raw(':') : sh`( ${file.validate} ); rc=$?; [ $rc -eq 0 ] || { echo "failed to validate: rc:$rc" >&2; (exit $rc); fail; }`}
${MV_NOFOLLOW}
mv -f $nofollow f "$target" || fail
cd / && rmdir -- "$t" 2>/dev/null
exit 0`;
  return { text: script.text, display: `install ${file.path} (${file.bytes} bytes)` };
}
