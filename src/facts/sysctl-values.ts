// Many sysctl values read by ONE `sysctl NAME…`: sysctl(8) prints each name in turn as
// `NAME: VALUE` (a subtree's name: every leaf below it), and for a name it does not know says
// `sysctl: unknown oid 'NAME'` on stderr and goes on (sbin/sysctl/sysctl.c main, parse and
// show_var; docs/freebsd/host.md). Split by name, the output gives back what `sysctl [-n] NAME`
// alone would have printed, so one process replaces one per name on a real host too.
import { sh, type Command } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** `sysctl A B C`: every name at once, each printed `NAME: VALUE`. */
export function sysctlValuesCommand(names: readonly string[]): Command {
  return sh`sysctl ${names}`;
}

/** Whether a `NAME: VALUE` line belongs to `name` (the leaf itself or a leaf below it). */
const belongsTo = (line: string, name: string) => line.startsWith(`${name}: `) || line.startsWith(`${name}.`);

/**
 * What `sysctl NAME` (or, with `valueOnly`, `sysctl -n NAME`) alone would have printed, for `name`
 * out of one {@link sysctlValuesCommand}'s output: its own lines, its own complaint, exit 1 when
 * it printed nothing.
 */
export function sysctlValueOutput(output: Pick<FactOutput, 'stdout' | 'stderr'>, name: string, valueOnly: boolean): FactOutput {
  const own = output.stdout.split('\n').filter((line) => line !== '' && belongsTo(line, name));
  const unknown = output.stderr.split('\n').filter((line) => line !== '' && line.includes(`'${name}'`));
  const stdout = own.map((line) => (valueOnly ? line.slice(name.length + 2) : line)).join('\n');
  return { stdout: stdout === '' ? '' : `${stdout}\n`, stderr: unknown.length === 0 ? '' : `${unknown.join('\n')}\n`, exitCode: own.length === 0 ? 1 : 0 };
}

/** Values read from sysctl: the names, and a parser of what `sysctl -n NAMES…` alone prints. */
export interface SysctlRead<T> {
  readonly names: readonly string[];
  parse(output: FactOutput): T;
}

/** What `sysctl -n A B…` alone prints: each name's value in turn; the exit status counts the names it could not read (sysctl.c main). */
function valuesOnly(output: Pick<FactOutput, 'stdout' | 'stderr'>, names: readonly string[]): FactOutput {
  const each = names.map((name) => sysctlValueOutput(output, name, true));
  return { stdout: each.map((o) => o.stdout).join(''), stderr: each.map((o) => o.stderr).join(''), exitCode: each.filter((o) => o.exitCode !== 0).length };
}

/** One fact reading every read's names in one `sysctl`; its value holds each read's parsed value under the read's key. */
export function sysctlFact<R extends Record<string, SysctlRead<unknown>>>(key: string, reads: R): Fact<{ -readonly [K in keyof R]: ReturnType<R[K]['parse']> }> {
  const names = [...new Set(Object.values(reads).flatMap((read) => read.names))];
  return defineFact(key, sysctlValuesCommand(names), (output) => {
    const values: Record<string, unknown> = {};
    for (const [variable, read] of Object.entries(reads)) values[variable] = read.parse(valuesOnly(output, read.names));
    return values as { -readonly [K in keyof R]: ReturnType<R[K]['parse']> };
  });
}
