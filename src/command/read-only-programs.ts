// The base-system programs whose run, in the argument forms allowed here, changes nothing on the
// host: a `command:` task running one of them may be run ahead, in the play's first command, and
// its recorded result used at the task's turn when nothing changed on the host in between
// (src/runner/read-ahead.ts). Each form is read from the program's FreeBSD source; what each
// program reads and why it is safe is written in docs/freebsd/read-only-programs.md. Anything not
// matched exactly runs at its turn, as before: the list only ever saves a round trip.

/** One program: its base-system path, and whether a list of arguments is a form that only reads. */
interface ReadOnlyProgram {
  readonly path: string;
  readOnly(args: readonly string[]): boolean;
}

/**
 * Options as getopt(3) takes them: each argument a `-` followed by letters of `flags`, or of
 * `withValue` followed by its value (attached, or the next argument). Returns the operands after
 * the options (after `--` too), or undefined for anything getopt would not take as written.
 */
function operandsAfterOptions(args: readonly string[], flags: string, withValue = ''): string[] | undefined {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') return args.slice(index + 1);
    if (!arg.startsWith('-') || arg === '-') return args.slice(index);
    for (let at = 1; at < arg.length; at++) {
      const letter = arg[at] ?? '';
      if (withValue.includes(letter)) {
        if (at === arg.length - 1) {
          if (index + 1 >= args.length) return undefined;
          index++;
        }
        break;
      }
      if (!flags.includes(letter)) return undefined;
    }
  }
  return [];
}

const PROGRAMS: Readonly<Record<string, ReadOnlyProgram>> = {
  // sbin/kldstat/kldstat.c: getopt "i:m:n:qv", only the query system calls (kldnext, kldstat, kldfind, modfind,
  // modstat); -i/-n/-m take a value; no operands.
  kldstat: { path: '/sbin/kldstat', readOnly: (args) => operandsAfterOptions(args, 'qv', 'imn')?.length === 0 },
  // usr.bin/uname/uname.c: getopt "abiKmnoprsUv", values from sysctl reads; no operands.
  uname: { path: '/usr/bin/uname', readOnly: (args) => operandsAfterOptions(args, 'abiKmnoprsUv')?.length === 0 },
  // bin/freebsd-version/freebsd-version.sh.in: -k reads loader.conf and the kernel file (what -qs),
  // -r is `sysctl -n kern.osrelease`, -u a constant. -j runs jexec in a jail: not allowed here.
  'freebsd-version': { path: '/bin/freebsd-version', readOnly: (args) => operandsAfterOptions(args, 'kru')?.length === 0 },
  // sbin/sysctl/sysctl.c: `parse` sets a value only for a name with `=`, and -f sets from a file;
  // the flags below only choose how values are printed. At least one name (or -a).
  sysctl: {
    path: '/sbin/sysctl',
    readOnly: (args) => {
      const names = operandsAfterOptions(args, 'AabdehiNnoqxX');
      if (names === undefined) return false;
      return names.every((name) => name !== '' && !name.includes('=') && !name.startsWith('-')) && (names.length > 0 || args.some((arg) => /^-[^-]*[aAX]/.test(arg)));
    },
  },
};

/**
 * Whether running `words` (a program and its arguments, no shell) only reads the host: the
 * program named bare or by its base-system path, in a form its entry allows.
 */
export function isReadOnlyCommand(words: readonly string[]): boolean {
  const [program, ...args] = words;
  if (program === undefined) return false;
  const name = program.includes('/') ? program.slice(program.lastIndexOf('/') + 1) : program;
  const entry = Object.hasOwn(PROGRAMS, name) ? PROGRAMS[name] : undefined;
  if (entry === undefined) return false;
  if (program.includes('/') && program !== entry.path) return false;
  return entry.readOnly(args);
}
