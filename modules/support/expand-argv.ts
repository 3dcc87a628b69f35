// The command module's expansion of its words, as ansible-core 2.14 does it: run_command
// (module_utils/basic.py, expand_user_and_vars=True) gives every argument, after shlex.split,
// os.path.expandvars (`$NAME` and `${NAME}` from the environment, NAME being \w+; unset left as
// written) and then os.path.expanduser (`~` or `~USER` at the start). It happens on the host, in
// the environment the program runs in (the login's or become user's, a jail's, the task's
// `environment:`), and only as data: each variable is read with printenv(1) with its name as an
// argument, a home directory from getent(1)'s passwd line, and the words are assembled in shell
// variables and run as "$@". No name, value or word is ever part of the shell source.
import { sh, type Command } from '../../src/command/command.js';

/** One piece of a word: text kept as it is, or a reference os.path.expandvars looks up. */
export type WordPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'var'; readonly name: string; readonly written: string };

/** posixpath.expandvars's pattern: `$` then \w+ (ASCII) or `{` anything but `}` `}`. */
const VARIABLE = /\$([A-Za-z0-9_]+|\{[^}]*\})/g;

/** A word cut as os.path.expandvars scans it: the references it would look up, and the text between. */
export function wordParts(word: string): WordPart[] {
  const parts: WordPart[] = [];
  let at = 0;
  for (const match of word.matchAll(VARIABLE)) {
    const index = match.index ?? 0;
    if (index > at) parts.push({ kind: 'text', text: word.slice(at, index) });
    const group = match[1] ?? '';
    const name = group.startsWith('{') && group.endsWith('}') ? group.slice(1, -1) : group;
    parts.push({ kind: 'var', name, written: match[0] });
    at = index + match[0].length;
  }
  if (at < word.length) parts.push({ kind: 'text', text: word.slice(at) });
  return parts;
}

/** Whether run_command would change the word: a variable reference, or a leading `~`. */
export function expandsOnHost(word: string): boolean {
  return word.startsWith('~') || wordParts(word).some((part) => part.kind === 'var');
}

/**
 * posixpath.expanduser on "$w", as shell data: `~` is $HOME (or, unset, the passwd home of `id -u`),
 * `~USER` USER's passwd home; trailing slashes of the home dropped, '' becomes /; an unknown user
 * leaves the word as it was.
 */
const EXPAND_USER: Command = shellText(`beastie_expanduser() {
  case $w in '~'*) ;; *) return 0;; esac
  n=\${w%%/*}; n=\${n#'~'}; r=\${w#'~'"$n"}
  if [ -z "$n" ] && [ -n "\${HOME+x}" ]; then h=$HOME
  elif [ -z "$n" ]; then h=$(getent passwd "$(id -u)" | awk -F: '{ print $6; f = 1; exit } END { exit !f }') || return 0
  else h=$(getent passwd "$n" | U=$n awk -F: '$1 == ENVIRON["U"] { print $6; f = 1; exit } END { exit !f }') || return 0
  fi
  while [ "\${h%/}" != "$h" ]; do h=\${h%/}; done
  w=$h$r; [ -n "$w" ] || w=/
}`);

/** A fixed piece of shell source (no value in it) as a command. */
function shellText(text: string): Command {
  return { text, display: text };
}

/** The commands that make "$w" one word, expanded as run_command expands it. */
function assembleWord(word: string): Command[] {
  const commands: Command[] = [sh`w=`];
  for (const part of wordParts(word)) {
    if (part.kind === 'text') commands.push(sh`w=\${w}${part.text}`);
    // printenv NAME prints the value and a newline, or fails when NAME is not in the environment.
    else commands.push(sh`if v=$(printenv -- ${part.name} && echo x); then v=\${v%x}; w=\${w}\${v%?}; else w=\${w}${part.written}; fi`);
  }
  commands.push(sh`beastie_expanduser`, sh`set -- "$@" "$w"`);
  return commands;
}

/**
 * Run `words` with each one expanded on the host as Ansible's command module expands it; words
 * that need nothing are passed as they are. The display is the words as written.
 */
export function expandedCommand(words: readonly string[]): Command {
  const plain = sh`${words}`;
  if (!words.some(expandsOnHost)) return plain;
  const build = words.flatMap((word) => (expandsOnHost(word) ? assembleWord(word) : [sh`set -- "$@" ${word}`]));
  const text = [EXPAND_USER, sh`set --`, ...build, sh`"$@"`].map((command) => command.text).join('\n');
  return { text, display: plain.display };
}

/**
 * Shell source that leaves `word` in $w expanded as a `type='path'` parameter is
 * (module_utils/common/validation.py check_type_path: os.path.expanduser(os.path.expandvars(value))),
 * on the host and only as data, as the words above are.
 */
export function expandedPathWord(word: string): Command {
  const parts = assembleWord(word).slice(0, -1);
  const text = [EXPAND_USER, ...parts].map((command) => command.text).join('\n');
  return { text, display: word };
}
