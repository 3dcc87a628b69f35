// What an archive on the host holds, entry by entry (unarchive with remote_src): it is extracted by
// the host's tar(1) into a private mktemp directory (0700), each entry's type, mtime and SHA-256 are
// printed, and the directory is removed before the command ends. Only the options every tar shares
// (`-x -f -C --exclude`; FreeBSD's libarchive tar and GNU tar both detect the compression) are used.
import { raw, sh, type Command, type ShellValue } from '../command/command.js';
import { exitedText } from '../text/exit-text.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from './fact.js';

/** One entry of an archive, relative to where it is extracted (`etc/rc.conf`, no leading `./`). */
export interface ArchiveEntry {
  readonly path: string;
  readonly type: 'file' | 'directory' | 'link' | 'other';
  /** Seconds since the epoch. */
  readonly mtime?: number;
  readonly sha256?: string;
}

/** The archive's entries, or why they could not be read. */
export type ArchiveManifest = { readonly kind: 'entries'; readonly entries: readonly ArchiveEntry[] } | { readonly kind: 'missing' } | { readonly kind: 'unreadable'; readonly message: string };

/** `--exclude PATTERN` for each pattern (both tars take it), as words to quote. */
export function excludeWords(exclude: readonly string[]): string[] {
  return exclude.flatMap((pattern) => ['--exclude', pattern]);
}

/**
 * A walk of the current directory printing `TYPE MTIME SHA256 PATH` lines (`-` where not known).
 * The mtime comes from FreeBSD's `stat -f %m`, or GNU `stat -c %Y` where stat is GNU's.
 */
const PRINT_ENTRIES = raw(
  'find . ! -name . | while IFS= read -r p; do ' +
    'm=$(stat -f %m "$p" 2>/dev/null | grep -x "[0-9][0-9]*") || m=$(stat -c %Y "$p"); ' +
    'if [ -L "$p" ]; then echo "l $m - $p"; elif [ -d "$p" ]; then echo "d $m - $p"; ' +
    'elif [ -f "$p" ]; then if command -v sha256 >/dev/null 2>&1; then d=$(sha256 -q "$p"); else d=$(sha256sum < "$p"); d=${d%% *}; fi; echo "f $m $d $p"; ' +
    'else echo "o $m - $p"; fi; done',
);

/**
 * Extract the archive `src` into the directory `dir` (a shell word, possibly `"$t"`): a zip file
 * (starts with `PK`) by unzip(1), which FreeBSD's base system has, anything else by tar(1).
 */
export function extractCommand(src: ShellValue, dir: ShellValue, exclude: readonly string[], keepNewer = false): Command {
  const zipExclude = exclude.length === 0 ? raw('') : sh`-x ${[...exclude]} `;
  // unzip -u and tar --keep-newer-files both leave a file that is newer than the archive's copy.
  const words = [...excludeWords(exclude), ...(keepNewer ? ['--keep-newer-files'] : [])];
  return sh`if [ "$(head -c 2 ${src})" = PK ]; then unzip -q -o ${raw(keepNewer ? '-u ' : '')}${src} ${zipExclude}-d ${dir}; else tar -xf ${src} -C ${dir} ${words}; fi`;
}

/** The one read-only command (exit 3: no such archive; 4: tar could not read it). */
export function archiveManifestCommand(src: string, exclude: readonly string[]): Command {
  return sh`[ -f ${src} ] || exit 3
t=$(mktemp -d "\${TMPDIR:-/tmp}/beastie-unarchive.XXXXXXXX") || exit 1
if ! { ${extractCommand(src, raw('"$t"'), exclude)}; } >&2; then rm -rf "$t"; exit 4; fi
(cd "$t" && ${PRINT_ENTRIES}); rc=$?; rm -rf "$t"; exit $rc`;
}

/** Parse `f 1733100000 <sha256> ./etc/x` lines. */
export function parseArchiveEntries(stdout: string): ArchiveEntry[] {
  const types = { f: 'file', d: 'directory', l: 'link', o: 'other' } as const;
  return stdout.split('\n').flatMap((line) => {
    const match = /^([fdlo]) ([0-9]+|-) ([0-9a-f]{64}|-) \.\/(.+)$/.exec(line);
    if (match === null) return [];
    const type = types[(match[1] ?? 'o') as keyof typeof types];
    const mtime = match[2] === '-' ? undefined : Number(match[2]);
    const sha256 = match[3] === '-' ? undefined : match[3];
    return [{ path: match[4] ?? '', type, ...(mtime === undefined ? {} : { mtime }), ...(sha256 === undefined ? {} : { sha256 }) }];
  });
}

/** Parse the command's output. */
export function parseArchiveManifest(output: FactOutput): ArchiveManifest {
  if (output.exitCode === 3) return { kind: 'missing' };
  // Without stderr, the exit code alone: stdout holds the walk's entries, not an explanation.
  if (output.exitCode !== 0) return { kind: 'unreadable', message: output.stderr.trim() || exitedText('tar', { ...output, stdout: '' }) };
  return { kind: 'entries', entries: parseArchiveEntries(output.stdout).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

/** The entries of the archive `src` on the host, with `exclude` patterns left out as tar leaves them. */
export function archiveManifestFact(src: string, exclude: readonly string[]): Fact<ArchiveManifest> {
  return defineFact(`archive-manifest:${JSON.stringify(exclude)}:${src}`, archiveManifestCommand(src, exclude), parseArchiveManifest, [fileSubject(src)]);
}
