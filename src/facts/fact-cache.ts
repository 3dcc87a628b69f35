// Facts are cached per host per run and forgotten whenever the host may have changed. The runner
// reads the facts of a play's tasks ahead (src/runner/read-ahead.ts); after a change, what the
// tasks still to come need is read again in the same command as the change itself.
import type { Command } from '../command/command.js';
import type { CommandResult, RunOptions, Transport } from '../transport/transport.js';
import { affectedBy, type Fact, type FactOutput, type FactValues, type Subject } from './fact.js';
import { BeastieError } from '../errors.js';
import { readFactOutputs, readFactsAfter } from './read-facts.js';
import { ChangeCount } from './change-count.js';

/** One host's fact cache: reads only what is not cached, in one round trip. */
export class FactCache {
  /** Each value with the run's change count when its read was sent (for one-shot values). */
  private readonly values = new Map<string, { readonly fact: Fact<unknown>; readonly value: unknown; readonly changesAt: number }>();
  /** The facts that tasks still to run declared, by task: read again after a change. */
  private readonly upcoming = new Map<object, readonly Fact<unknown>[]>();
  /** Round trips made, for the benchmark's channels-per-task figure. */
  roundTrips = 0;

  constructor(
    readonly transport: Transport,
    private readonly options: RunOptions = {},
    /** The changes on every host of the run (src/facts/change-count.ts); this host's own when not shared. */
    private readonly changes: ChangeCount = new ChangeCount(),
  ) {}

  /**
   * The values of `facts`, in order; the missing ones are read together — and with them, in the
   * same round trip, what the tasks still to come declared and is not cached (after a change).
   */
  async read<const F extends readonly Fact<unknown>[]>(...facts: F): Promise<FactValues<F>> {
    const missing = this.missing(facts);
    if (missing.length > 0) {
      this.roundTrips++;
      const extra = this.missing(this.expected()).filter((fact) => !missing.some((m) => m.key === fact.key));
      const changesAt = this.changes.value;
      const outputs = await readFactOutputs(this.transport, [...missing, ...extra], this.options);
      this.store(missing, outputs.slice(0, missing.length), true, changesAt);
      this.store(extra, outputs.slice(missing.length), false, changesAt);
    }
    return facts.map((fact) => this.values.get(fact.key)?.value) as FactValues<F>;
  }

  /**
   * Run `command` and then, in the same round trip, read the facts not cached among `facts`, then
   * run `last` if given (the host lock's early release). The command's result is its own (as if
   * it ran alone); a batch cut short (timeout, lost output) caches nothing. `lastRan` is told
   * whether `last` ran to a 0 exit.
   */
  async runThenRead(command: Command, options: RunOptions, facts: readonly Fact<unknown>[], last?: { readonly command: Command; lastRan(ran: boolean): void }): Promise<CommandResult> {
    const missing = this.missing(facts);
    this.roundTrips++;
    const changesAt = this.changes.value;
    const { lead, outputs, lastRan } = await readFactsAfter(this.transport, command, missing, { ...this.options, ...options }, last?.command);
    last?.lastRan(lastRan);
    if (outputs !== undefined) this.store(missing, outputs, false, changesAt);
    return lead;
  }

  /** Remember what a task still to run will read (its key: the task). */
  expect(task: object, facts: readonly Fact<unknown>[]): void {
    if (facts.length > 0) this.upcoming.set(task, [...(this.upcoming.get(task) ?? []), ...facts]);
  }

  /** The task runs now: its facts are no longer read ahead for it. */
  started(task: object): void {
    this.upcoming.delete(task);
  }

  /** What the tasks still to run declared, for the read that follows a change. */
  expected(): Fact<unknown>[] {
    return [...this.upcoming.values()].flat();
  }

  /**
   * A one-shot value (a recorded run) if it is cached and no host of the run changed since its read
   * was sent; forgotten as it is taken: it serves one task.
   */
  take<T>(fact: Fact<T>): T | undefined {
    const entry = this.values.get(fact.key);
    if (entry === undefined) return undefined;
    this.values.delete(fact.key);
    return entry.changesAt === this.changes.value ? (entry.value as T) : undefined;
  }

  /** A new batch: recorded runs left over from an earlier one (a task skipped, not reached) are dropped. */
  forgetOneShots(): void {
    for (const [key, { fact }] of this.values) if (fact.oneShot === true) this.values.delete(key);
  }

  /** Forget what a change that wrote `writes` can affect; everything when it cannot say (undefined). */
  invalidate(writes?: readonly Subject[]): void {
    this.changes.add();
    if (writes === undefined) {
      this.values.clear();
      return;
    }
    for (const [key, { fact }] of this.values) if (affectedBy(fact, writes)) this.values.delete(key);
  }

  /** `facts` not cached, each once. */
  private missing(facts: readonly Fact<unknown>[]): Fact<unknown>[] {
    const seen = new Set<string>();
    return facts.filter((fact) => {
      if (this.values.has(fact.key) || seen.has(fact.key)) return false;
      seen.add(fact.key);
      return true;
    });
  }

  /**
   * Parse and cache each output. A fact read for another task than the one asking (`strict`
   * false) that does not parse is left uncached: that task reads it again and fails with it.
   */
  private store(facts: readonly Fact<unknown>[], outputs: readonly FactOutput[], strict: boolean, changesAt: number): void {
    facts.forEach((fact, index) => {
      const output = outputs[index];
      if (output === undefined) {
        if (strict) throw new BeastieError('internal', `no output for fact ${fact.key}`);
        return;
      }
      try {
        this.values.set(fact.key, { fact, value: fact.parse(output), changesAt });
      } catch (error) {
        if (strict) throw error;
      }
    });
  }
}
