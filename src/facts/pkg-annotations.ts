// The annotations of installed packages, `pkg info -A NAME` (freebsd/pkg src/info.c): a
// `NAME-VERSION:` line, then one `\tTAG : VALUE` line per annotation. Absent packages have none.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** Package name → tag → value. */
export type PackageAnnotations = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** `@@pkg NAME` headers, each followed by what `pkg info -A NAME` printed. */
export function parsePkgAnnotations(output: FactOutput): PackageAnnotations {
  const result: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of output.stdout.split('\n')) {
    const header = /^@@pkg (\S+)$/.exec(line);
    if (header?.[1] !== undefined) {
      current = {};
      result[header[1]] = current;
      continue;
    }
    // As Ansible's pkgng reads a tag: `^\s*TAG\s*:\s*(\w+)`.
    const tag = /^\s+(\S+)\s*:\s*(\w+)/.exec(line);
    if (current !== undefined && tag?.[1] !== undefined && tag[2] !== undefined) current[tag[1]] = tag[2];
  }
  return result;
}

/** The annotations of each of `names` that is installed. */
export function pkgAnnotationsFact(names: readonly string[], flags: readonly string[]): Fact<PackageAnnotations> {
  return defineFact(
    `pkg-annotations:${flags.join(' ')}:${names.join(',')}`,
    sh`for p in ${names}; do if pkg ${[...flags, 'info', '-e']} "$p" >/dev/null 2>&1 </dev/null; then echo "@@pkg $p"; pkg ${[...flags, 'info', '-A']} "$p" </dev/null; fi; done`,
    parsePkgAnnotations,
  );
}
