// A fact is a named unit of observation (STYLE.md principle 2): one read-only shell command
// and a pure parser of what it printed. Many facts are read in one round trip.
import type { Command } from '../command/command.js';

/** What one fact's command printed, split out of a batched round trip. */
export interface FactOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** One observation of a host: a read-only command and a pure parser. */
export interface Fact<T> {
  /** Unique per host and argument, used as the cache key: `sysrc:/etc/rc.conf:vm_enable`. */
  readonly key: string;
  /** Read-only: must change nothing on the host. */
  readonly command: Command;
  /**
   * What the command reads, as subjects (`file:/etc/rc.conf`), so a change invalidates only the
   * facts it can affect (see {@link affectedBy}). Undefined: it may read anything, so any change
   * forgets it.
   */
  readonly reads?: readonly Subject[];
  /**
   * A program's recorded run rather than an observation (src/facts/recorded-run.ts): used once, by
   * the task it was read ahead for (FactCache.take), and never carried into another batch.
   */
  readonly oneShot?: true;
  parse(output: FactOutput): T;
}

/**
 * A thing on a host that a fact reads and a change writes: `file:PATH` (the file or directory and
 * everything below it). Other kinds name themselves the same way (`kld:vmm`, `jail:NAME`); a
 * change that cannot say what it writes forgets every fact.
 */
export type Subject = `${string}:${string}`;

/** `file:PATH` for a path on the host. */
export function fileSubject(path: string): Subject {
  return `file:${path.length > 1 ? path.replace(/\/+$/, '') : path}`;
}

/** Whether writing `written` can change what a fact reading `read` sees: the same subject, or one below the other. */
function overlaps(read: Subject, written: Subject): boolean {
  if (read === written) return true;
  const [readKind] = read.split(':', 1);
  const [writtenKind] = written.split(':', 1);
  if (readKind !== 'file' || writtenKind !== 'file') return false;
  return read.startsWith(`${written}/`) || written.startsWith(`${read}/`);
}

/** Whether a change that writes `writes` (undefined: anything) can affect `fact`. */
export function affectedBy(fact: Pick<Fact<unknown>, 'reads'>, writes: readonly Subject[] | undefined): boolean {
  if (writes === undefined || fact.reads === undefined) return true;
  return fact.reads.some((read) => writes.some((written) => overlaps(read, written)));
}

/** The parsed values of a tuple of facts, in the same order. */
export type FactValues<F extends readonly Fact<unknown>[]> = { -readonly [K in keyof F]: F[K] extends Fact<infer T> ? T : never };

/** Declare a fact with its key, command, parser and — when it can say — what it reads. */
export function defineFact<T>(key: string, command: Command, parse: (output: FactOutput) => T, reads?: readonly Subject[]): Fact<T> {
  return reads === undefined ? { key, command, parse } : { key, command, parse, reads };
}
