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
  /**
   * Facts of one kind that one command reads more cheaply together than apart: sysrc's values of
   * one file are one sourcing of rc.conf, not one sysrc run each (src/facts/sysrc-value.ts). A
   * batch reads the facts of one `group` with the command `combine` makes of their `item`s.
   */
  readonly together?: ReadTogether;
  parse(output: FactOutput): T;
}

/** How a fact is read together with the others of its group (see {@link Fact.together}). */
export interface ReadTogether {
  /** Facts of the same group are read by one command: `sysrc:/etc/rc.conf`. */
  readonly group: string;
  /** What this fact reads within the group, as `combine` takes it: a variable's name. */
  readonly item: string;
  /**
   * The one command for the group's `items`, in order: for each, it prints what that fact's own
   * command would have printed (stdout and stderr) and then runs `frame.end(index, nonce)`, which
   * prints the batch's markers after item `index` with its exit code (`$?`). `frame.nonce` is the
   * shell word holding the batch's nonce where the command starts; `end` takes the word that holds
   * it where the end runs (a script the command starts must get it on stdin from the builtin printf,
   * never as an argument: argv is what ps shows every host user).
   */
  combine(items: readonly string[], frame: BatchFrame): Command;
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

/** What a together-group's command needs of the batch it runs in (see {@link ReadTogether.combine}). */
export interface BatchFrame {
  /** The shell word holding the batch's nonce. */
  readonly nonce: Command;
  /** The command that ends item `index`'s output, taking the nonce from the word `nonce`. */
  end(index: number, nonce: Command): Command;
}
