// Ansible's `backup` and `validate` for the modules that write a file (lineinfile, blockinfile,
// copy, template): a timestamped copy of the old file before it is replaced (backup_local's
// `PATH.PID.YYYY-MM-DD@HH:MM:SS~`), and a validator run on the new bytes in the install script's
// private directory (src/transport/install-file.ts), which replace the file only when it exits 0.
import { posix } from 'node:path';
import { z } from 'zod';
import { raw, sh, type Command } from '../../src/command/command.js';
import { quoteShellWord } from '../../src/command/quote.js';
import type { CommandResult } from '../../src/transport/transport.js';
import { splitArgv } from './argv.js';
import { ENTER_PRIVATE_DIRECTORY, installFileCommand, MV_NOFOLLOW } from '../../src/transport/install-file.js';

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
  validate: validateParam.optional().describe('A command run on the new content before it replaces the file, %s being the new file (`./f`, run in a private directory beside it that only the writer can enter: `visudo -cf %s`); a non-zero exit fails the task and leaves the file as it was.'),
};

/** The parsed parameters. */
export interface WriteSafety {
  readonly backup?: boolean;
  readonly validate?: string | undefined;
}

/** The line the backup command prints, read back by {@link backupFileOf}. */
const BACKUP_LINE = /^backup_file=(.*)$/m;

/**
 * A copy of PATH (`cp -p`) as PATH.PID.DATE~ (the PID is the shell's, as Ansible's is its
 * module's), printing the name. The name is guessable, so a user who can write PATH's directory
 * can plant a link there first: the copy is made in the install script's private directory
 * (src/transport/install-file.ts) and renamed to the name, which replaces such a link instead of
 * following it. Before (issue 17), `cp -p PATH NAME` wrote through the link: root overwrote the
 * file it pointed to with PATH's content, owner and mode.
 */
export function backupCommand(path: string): Command {
  return sh`umask 077
target=${path}
dir=${posix.dirname(path)}
${ENTER_PRIVATE_DIRECTORY}
b=$target${raw('.$$.$(date +%Y-%m-%d@%H:%M:%S)~')}
${MV_NOFOLLOW}
cp -p -- "$target" b && mv -f $nofollow b "$b"; rc=$?
rm -f b; cd / && rmdir -- "$t" 2>/dev/null
[ $rc -eq 0 ] || exit $rc
printf 'backup_file=%s\\n' "$b"`;
}

/** The backup file a run made, for the registered result. */
export function backupFileOf(results: readonly CommandResult[]): string | undefined {
  for (const result of results) {
    const match = BACKUP_LINE.exec(result.stdout);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/**
 * The validate command's words with every %s made `./f`: the new file in the install script's
 * private directory, where the check runs (src/transport/install-file.ts), so no other user can
 * swap what it reads.
 */
function validateText(validate: string): string {
  const split = splitArgv(validate);
  const words = split.kind === 'words' ? split.words : [];
  return words.map((word) => word.split('%s').map((piece) => (piece === '' ? '' : quoteShellWord(piece))).join('./f')).join(' ');
}

/** The attributes the new file gets before it is moved into place. */
export interface WriteAttributes {
  readonly mode: number | undefined;
  readonly owner: string | undefined;
  readonly group: string | undefined;
}

/**
 * The command that writes stdin (`bytes` long) to `path` only if `validate` accepts it: the
 * install script every file write goes through (src/transport/install-file.ts: a fresh private
 * directory beside the target, mode and owner set there on the new file, renamed without following
 * a link), with the check run on the new file before the rename. Before (issue 17), this wrote a
 * `mktemp DIR/.NAME.XXXXXX` file beside the target and ran cat, chmod and chown by its name, which
 * a user who can write DIR could swap for a link to any file root then wrote and gave them.
 */
export function validatedWriteCommand(path: string, validate: string, attributes: WriteAttributes, bytes: number): Command {
  const check = { text: validateText(validate), display: validate.replaceAll('%s', './f') };
  const install = installFileCommand({
    path,
    bytes,
    ...(attributes.mode === undefined ? {} : { mode: attributes.mode }),
    ...(attributes.owner === undefined ? {} : { owner: attributes.owner }),
    ...(attributes.group === undefined ? {} : { group: attributes.group }),
    validate: check,
  });
  return { text: install.text, display: `${install.display}, validated by ${check.display}` };
}
