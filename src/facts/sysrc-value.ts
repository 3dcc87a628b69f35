// One rc.conf-style variable as sysrc reads it (docs/freebsd/sysrc.md): its value — which sysrc also
// takes from /etc/defaults/rc.conf, even with -f — and whether the file itself assigns it.
import { sh, type Command } from '../command/command.js';
import { quoteShellWord } from '../command/quote.js';
import { defineFact, fileSubject, type Fact, type FactOutput, type ReadTogether } from './fact.js';

/** A variable's value as `sysrc -n` prints it, and whether the file assigns it. */
export interface SysrcValue {
  /** undefined when sysrc says `unknown variable` (rc 1). An empty string is a set variable. */
  readonly value: string | undefined;
  /** The file has a `NAME=` line of its own (what `sysrc -x` would delete). */
  readonly inFile: boolean;
}

/**
 * Line 1 `in-file`/`not-in-file`, line 2 `set`/`unset`, then the value, whose trailing newlines
 * are dropped as sysrc's own command substitution drops them.
 */
export function parseSysrcValue(output: FactOutput): SysrcValue {
  const [where = '', state = '', ...value] = output.stdout.split('\n');
  const text = value.join('\n').replace(/\n+$/, '');
  return { value: state === 'set' ? text : undefined, inFile: where === 'in-file' };
}

/** A name sysrc can look up and the together-read can write into its script as it is. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `NAME` in `path` (`sysrc -f PATH -n NAME`), or in rc.conf's rc_conf_files when no path is
 * given (`sysrc -n NAME`, how rc(8) itself sees it). NAME must be a shell variable name.
 */
export function sysrcValueFact(name: string, path?: string): Fact<SysrcValue> {
  const assignment = `^[[:space:]]*${name}=`;
  const where =
    path === undefined
      ? sh`echo not-in-file`
      : sh`if grep -q ${assignment} ${path} 2>/dev/null; then echo in-file; else echo not-in-file; fi`;
  const read = path === undefined ? sh`sysrc -n ${name}` : sh`sysrc -f ${path} -n ${name}`;
  const fact = defineFact(
    `sysrc:${path ?? 'rc_conf_files'}:${name}`,
    sh`${where}; if v=$(${read} 2>/dev/null); then printf 'set\\n%s\\n' "$v"; else echo unset; fi`,
    parseSysrcValue,
    // Without a path sysrc reads every file of rc_conf_files: say nothing, so any change forgets it.
    path === undefined ? undefined : [fileSubject(path)],
  );
  // rc_conf_files itself is looked up by sysrc in its own way (f_sysrc_get keeps the defaults' value).
  if (!SHELL_NAME.test(name) || name === 'rc_conf_files') return fact;
  return { ...fact, together: sysrcTogether(name, path) };
}

/**
 * Many variables of one file read as sysrc reads each (f_sysrc_get in usr.sbin/bsdconfig/share/
 * sysrc.subr, docs/freebsd/sysrc.md): in a shell with no environment (f_clean_env: not even PATH),
 * /etc/defaults/rc.conf sourced, rc_conf_files set to the file when one is given, source_rc_confs
 * (the host's own, from the defaults), then `echo "${NAME}"` — the same builtin echo sysrc prints
 * with. A variable is known when it is set (`${NAME?}`, sysrc's test for `unknown variable`). Only
 * the sourcing is shared: every sysrc run sources the files again for each variable, twice. The
 * names are plain shell names (SHELL_NAME), written into the script as they are; the file's own
 * assignments (what `grep -q '^[[:space:]]*NAME='` finds) are listed once with sed and passed in.
 * The batch's nonce, which the end markers carry, reaches the script on its stdin, never in argv.
 */
function sysrcTogether(name: string, path: string | undefined): ReadTogether {
  return {
    group: `sysrc:${path ?? 'rc_conf_files'}`,
    item: name,
    combine(items, frame) {
      const defaults = '/etc/defaults/rc.conf';
      const each = items.map((item, index) => {
        const where = path === undefined ? 'echo not-in-file' : `case "$1" in *"\n${item}\n"*) echo in-file;; *) echo not-in-file;; esac`;
        return `${where}; if [ "\${${item}+set}" ]; then echo set; echo "\${${item}}"; else echo unset; fi; ${frame.end(index, sh`"$beastie_frame_nonce"`).text}`;
      });
      const script = [
        // The batch's nonce comes on stdin, from the builtin printf: in no process's argv.
        'IFS= read -r beastie_frame_nonce',
        'unset PATH',
        `if [ -f ${defaults} ] && [ -r ${defaults} ]; then`,
        `  . ${defaults} >/dev/null 2>&1`,
        ...(path === undefined ? [] : [`  rc_conf_files=${quoteShellWord(path)}`]),
        '  source_rc_confs >/dev/null 2>&1',
        // sysrc finds no variable at all without the defaults (f_sysrc_get's sanity check).
        `else unset ${items.join(' ')}`,
        'fi',
        ...each,
      ].join('\n');
      const assigned: Command =
        path === undefined ? sh`''` : sh`"$(printf '\\n'; sed -n 's/^[[:space:]]*\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/\\1/p' ${path} 2>/dev/null; printf '\\n.')"`;
      return sh`printf '%s\\n' ${frame.nonce} | env -i /bin/sh -c ${script} sh ${assigned}`;
    },
  };
}
