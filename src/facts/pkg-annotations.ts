// The annotations of installed packages, `pkg info -A NAME` (freebsd/pkg src/info.c): a
// `NAME-VERSION:` line, then one `\tTAG : VALUE` line per annotation. Absent packages have none.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { parseSectionList, sectionFrame } from './sections.js';

/** Package name → tag → value. */
export type PackageAnnotations = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** One section per installed package (src/facts/sections.ts), named NAME, holding what `pkg info -A NAME` printed. */
export function parsePkgAnnotations(output: FactOutput): PackageAnnotations {
  const result: Record<string, Record<string, string>> = {};
  for (const [name, text] of parseSectionList(output.stdout)) {
    const current: Record<string, string> = {};
    result[name] = current;
    for (const line of text.split('\n')) {
      // As Ansible's pkgng reads a tag: `^\s*TAG\s*:\s*(\w+)`.
      const tag = /^\s+(\S+)\s*:\s*(\w+)/.exec(line);
      if (tag?.[1] !== undefined && tag[2] !== undefined) current[tag[1]] = tag[2];
    }
  }
  return result;
}

/** The annotations of each of `names` that is installed. */
export function pkgAnnotationsFact(names: readonly string[], flags: readonly string[]): Fact<PackageAnnotations> {
  // An annotation's value is anyone's text (a package's, `pkg annotate`'s): framed, it cannot start another package.
  const frame = sectionFrame();
  return defineFact(
    `pkg-annotations:${flags.join(' ')}:${names.join(',')}`,
    sh`${frame.open}; for p in ${names}; do if pkg ${[...flags, 'info', '-e']} "$p" >/dev/null 2>&1 </dev/null; then ${frame.section(sh`"$p"`, sh`pkg ${[...flags, 'info', '-A']} "$p" </dev/null`)}; fi; done; ${frame.close}`,
    parsePkgAnnotations,
  );
}
