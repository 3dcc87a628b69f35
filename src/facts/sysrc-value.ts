// One rc.conf-style variable as sysrc reads it (docs/freebsd/sysrc.md): its value — which sysrc also
// takes from /etc/defaults/rc.conf, even with -f — and whether the file itself assigns it.
import { sh } from '../command/command.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from './fact.js';

/** A variable's value as `sysrc -n` prints it, and whether the file assigns it. */
export interface SysrcValue {
  /** undefined when sysrc says `unknown variable` (rc 1). An empty string is a set variable. */
  readonly value: string | undefined;
  /** The file has a `NAME=` line of its own (what `sysrc -x` would delete). */
  readonly inFile: boolean;
}

/** Line 1 `in-file`/`not-in-file`, line 2 `set`/`unset`, then the value. */
export function parseSysrcValue(output: FactOutput): SysrcValue {
  const [where = '', state = '', ...value] = output.stdout.split('\n');
  const text = value.join('\n').replace(/\n$/, '');
  return { value: state === 'set' ? text : undefined, inFile: where === 'in-file' };
}

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
  return defineFact(
    `sysrc:${path ?? 'rc_conf_files'}:${name}`,
    sh`${where}; if v=$(${read} 2>/dev/null); then printf 'set\\n%s\\n' "$v"; else echo unset; fi`,
    parseSysrcValue,
    // Without a path sysrc reads every file of rc_conf_files: say nothing, so any change forgets it.
    path === undefined ? undefined : [fileSubject(path)],
  );
}
