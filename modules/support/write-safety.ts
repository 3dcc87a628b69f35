// Ansible's `backup` and `validate` for the modules that write a file (lineinfile, blockinfile,
// copy, template): a timestamped copy of the old file before it is replaced (backup_local's
// `PATH.PID.YYYY-MM-DD@HH:MM:SS~`), and a validator run on the new bytes in a temporary file
// beside the destination, which replaces it only when the validator exits 0.
import { posix } from 'node:path';
import { z } from 'zod';
import { raw, sh, type Command } from '../../src/command/command.js';
import { quoteShellWord } from '../../src/command/quote.js';
import type { CommandResult } from '../../src/transport/transport.js';
import { splitArgv } from './argv.js';
import { formatMode } from './file-attributes.js';

/** A validate command: plain words (run without a shell, as Ansible's run_command does) with %s. */
const validateParam = z.string().superRefine((value, context) => {
  if (!value.includes('%s')) context.addIssue({ code: 'custom', message: `validate must contain %s: ${value}` });
  const split = splitArgv(value);
  if (split.kind === 'shell-syntax') context.addIssue({ code: 'custom', message: `'${split.character}' is shell syntax and validate runs no shell — quote it to pass it as a word` });
  if (split.kind === 'unterminated') context.addIssue({ code: 'custom', message: `unterminated ${split.quote} quote in validate` });
});

/** The parameters, shared by the four modules. */
export const writeSafetyParams = {
  backup: z.boolean().default(false).describe('Copy the old file to PATH.PID.YYYY-MM-DD@HH:MM:SS~ before replacing it (registered as backup_file).'),
  validate: validateParam.optional().describe('A command run on the new content before it replaces the file, %s being a temporary file beside it (`visudo -cf %s`); a non-zero exit fails the task and leaves the file as it was.'),
};

/** The parsed parameters. */
export interface WriteSafety {
  readonly backup?: boolean;
  readonly validate?: string | undefined;
}

/** The line the backup command prints, read back by {@link backupFileOf}. */
const BACKUP_LINE = /^backup_file=(.*)$/m;

/** `cp -p PATH PATH.PID.DATE~` (the PID is the shell's, as Ansible's is its module's), printing the name. */
export function backupCommand(path: string): Command {
  return sh`b=${path}${raw('.$$.$(date +%Y-%m-%d@%H:%M:%S)~')} && cp -p ${path} "$b" && printf 'backup_file=%s\\n' "$b"`;
}

/** The backup file a run made, for the registered result. */
export function backupFileOf(results: readonly CommandResult[]): string | undefined {
  for (const result of results) {
    const match = BACKUP_LINE.exec(result.stdout);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/** The validate command's words with every %s made the temporary file "$t". */
function validateText(validate: string): string {
  const split = splitArgv(validate);
  const words = split.kind === 'words' ? split.words : [];
  return words.map((word) => word.split('%s').map((piece) => (piece === '' ? '' : quoteShellWord(piece))).join('"$t"')).join(' ');
}

/** The attributes the new file gets before it is moved into place. */
export interface WriteAttributes {
  readonly mode: number | undefined;
  readonly owner: string | undefined;
  readonly group: string | undefined;
}

/**
 * The command that writes stdin to `path` through a validated temporary file: created
 * exclusively by mktemp (mode 0600) in the destination's directory, given its mode and owner,
 * validated, then renamed over `path`; removed on any failure.
 */
export function validatedWriteCommand(path: string, validate: string, attributes: WriteAttributes): Command {
  const dir = posix.dirname(path);
  const template = posix.join(dir, `.${posix.basename(path)}.XXXXXX`);
  // Without a wanted or current mode the file gets what the umask gives a new file.
  const mode = attributes.mode === undefined ? raw('"$(printf %o $((0666 & ~0$(umask))))"') : formatMode(attributes.mode);
  const spec = `${attributes.owner ?? ''}${attributes.group === undefined ? '' : `:${attributes.group}`}`;
  const chown = spec === '' ? sh`:` : sh`chown ${spec} "$t"`;
  const check = { text: validateText(validate), display: validate.replaceAll('%s', '"$t"') };
  return sh`t=$(mktemp ${template}) || exit 1
trap 'rm -f "$t"' EXIT
cat > "$t" && chmod ${mode} "$t" && ${chown} || exit 1
${check}
rc=$?
if [ "$rc" -ne 0 ]; then echo "failed to validate: rc:$rc" >&2; exit "$rc"; fi
mv -f "$t" ${path}`;
}
