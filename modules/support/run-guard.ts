// command's and shell's `creates`/`removes`: a file whose presence (or absence) says the command
// has already done its work, so it is not run again. Relative paths are taken from `chdir`.
import { posix } from 'node:path';
import type { Fact } from '../../src/facts/fact.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import { fileStatFact } from '../../src/facts/file-stat.js';
import type { HostContext } from '../../src/module-api/module.js';

/** The guard parameters as parsed. */
export interface GuardParams {
  readonly chdir?: string | undefined;
  readonly creates?: string | undefined;
  readonly removes?: string | undefined;
}

/** What the guard paths are on the host. */
export interface GuardFacts {
  readonly creates?: FileStat | undefined;
  readonly removes?: FileStat | undefined;
}

/** A guard path as the host resolves it. */
export function guardPath(path: string, chdir: string | undefined): string {
  return chdir === undefined ? path : posix.resolve(chdir, path);
}

/** The guard paths' stats, creates first: what command and shell declare they need. */
export function guardFacts(p: GuardParams): Fact<FileStat | undefined>[] {
  return [p.creates, p.removes].flatMap((path) => (path === undefined ? [] : [fileStatFact(guardPath(path, p.chdir))]));
}

/** Stat the guard paths in one round trip (none when there are no guards). */
export async function observeGuards(host: HostContext, p: GuardParams): Promise<GuardFacts> {
  const creates = p.creates === undefined ? undefined : guardPath(p.creates, p.chdir);
  const removes = p.removes === undefined ? undefined : guardPath(p.removes, p.chdir);
  const values = await host.facts(...guardFacts(p));
  return {
    creates: creates === undefined ? undefined : values[0],
    removes: removes === undefined ? undefined : values[creates === undefined ? 0 : 1],
  };
}

/** Why the command is not run (Ansible's wording), or undefined when it must run. */
export function guardReason(p: GuardParams, facts: GuardFacts): string | undefined {
  if (p.creates !== undefined && facts.creates !== undefined) return `skipped, since ${p.creates} exists`;
  if (p.removes !== undefined && facts.removes === undefined) return `skipped, since ${p.removes} does not exist`;
  return undefined;
}
