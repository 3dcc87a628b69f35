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
  parse(output: FactOutput): T;
}

/** The parsed values of a tuple of facts, in the same order. */
export type FactValues<F extends readonly Fact<unknown>[]> = { -readonly [K in keyof F]: F[K] extends Fact<infer T> ? T : never };

/** Declare a fact with its key, command and parser. */
export function defineFact<T>(key: string, command: Command, parse: (output: FactOutput) => T): Fact<T> {
  return { key, command, parse };
}
