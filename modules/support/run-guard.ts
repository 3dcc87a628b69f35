// command's and shell's `creates`/`removes`: a path or glob pattern whose match (or lack of one) says
// the command has already done its work, so it is not run again. As ansible-core 2.14's
// modules/command.py: `glob.glob(creates)` after `os.chdir(chdir)`, so a relative pattern is matched in
// chdir; glob.glob of a pattern without magic is os.path.lexists, so a dangling link counts.
// The match is made on the host by /bin/sh's own pathname expansion of a variable holding the
// pattern (IFS empty: no field splitting), so the pattern is data: it is only ever a quoted argument
// or a variable's content, never shell source.
import { posix } from 'node:path';
import { sh } from '../../src/command/command.js';
import type { Fact } from '../../src/facts/fact.js';
import { defineFact, fileSubject } from '../../src/facts/fact.js';
import { expandedPathWord, expandsOnHost } from './expand-argv.js';
import type { HostContext } from '../../src/module-api/module.js';

/** The guard parameters as parsed. */
export interface GuardParams {
  readonly chdir?: string | undefined;
  readonly creates?: string | undefined;
  readonly removes?: string | undefined;
}

/** A pattern matched something on the host. */
export interface GuardMatch {
  readonly matched: true;
}

/** What the guard patterns match on the host: absent when nothing matched. */
export interface GuardFacts {
  readonly creates?: GuardMatch | undefined;
  readonly removes?: GuardMatch | undefined;
}

/** A guard pattern as the host resolves it: relative ones are taken in an absolute chdir. */
export function guardPath(path: string, chdir: string | undefined): string {
  return chdir === undefined || path.startsWith('/') || !chdir.startsWith('/') || expandsOnHost(chdir) ? path : posix.join(chdir, path);
}

/** The part of a pattern before its first component holding a glob character: what it reads. */
export function patternBase(pattern: string): string {
  const parts = pattern.split('/');
  const magic = parts.findIndex((part) => /[*?[]/.test(part));
  if (magic === -1) return pattern;
  const base = parts.slice(0, magic).join('/');
  return base === '' ? (pattern.startsWith('/') ? '/' : '.') : base;
}

/** Parse the guard command's output: `match` or `none`. */
export function parseGuardMatch(stdout: string): GuardMatch | undefined {
  return stdout.trim() === 'match' ? { matched: true } : undefined;
}

/**
 * Whether `pattern` matches anything, as Python's glob.glob after os.chdir(chdir). A chdir that is
 * not absolute is entered on the host (cd), so it is taken from the login directory as there.
 */
export function guardMatchFact(pattern: string, chdir: string | undefined, glob = true): Fact<GuardMatch | undefined> {
  const path = guardPath(pattern, chdir);
  // chdir, creates and removes are type='path': $NAME and ~ expanded on the host first (not script's).
  const enter = chdir === undefined || path.startsWith('/') ? sh``
    : glob && expandsOnHost(chdir) ? sh`${expandedPathWord(chdir)}
cd "$w" 2>/dev/null || { echo none; exit 0; }\n`
    : sh`cd ${chdir} 2>/dev/null || { echo none; exit 0; }\n`;
  const assign = glob && expandsOnHost(path) ? sh`${expandedPathWord(path)}
p=$w` : sh`p=${path}`;
  // script's action tests the literal path with `test -e` (plugins/action/script.py _remote_file_exists).
  const test = glob ? sh`${assign}
IFS=''
for f in $p; do if [ -e "$f" ] || [ -L "$f" ]; then echo match; exit 0; fi; done
echo none` : sh`if [ -e ${path} ]; then echo match; else echo none; fi`;
  return defineFact(
    `guard-match:${glob ? 'glob' : 'literal'}:${chdir ?? ''}:${path}`,
    sh`${enter}${test}`,
    (output) => parseGuardMatch(output.stdout),
    [fileSubject(glob ? patternBase(path) : path)],
  );
}

/** The guard patterns' matches, creates first: what command and shell declare they need. */
export function guardFacts(p: GuardParams, glob = true): Fact<GuardMatch | undefined>[] {
  return [p.creates, p.removes].flatMap((path) => (path === undefined ? [] : [guardMatchFact(path, p.chdir, glob)]));
}

/** Match the guard patterns in one round trip (none when there are no guards). */
export async function observeGuards(host: HostContext, p: GuardParams, glob = true): Promise<GuardFacts> {
  const values = await host.facts(...guardFacts(p, glob));
  return {
    creates: p.creates === undefined ? undefined : values[0],
    removes: p.removes === undefined ? undefined : values[p.creates === undefined ? 0 : 1],
  };
}

/** Why the command is not run (Ansible's wording), or undefined when it must run. */
export function guardReason(p: GuardParams, facts: GuardFacts): string | undefined {
  if (p.creates !== undefined && facts.creates !== undefined) return `skipped, since ${p.creates} exists`;
  if (p.removes !== undefined && facts.removes === undefined) return `skipped, since ${p.removes} does not exist`;
  return undefined;
}
