// Facts are cached per host per run and forgotten whenever the host may have changed.
import type { RunOptions, Transport } from '../transport/transport.js';
import { affectedBy, type Fact, type FactValues, type Subject } from './fact.js';
import { readFacts } from './read-facts.js';

/** One host's fact cache: reads only what is not cached, in one round trip. */
export class FactCache {
  private readonly values = new Map<string, { readonly fact: Fact<unknown>; readonly value: unknown }>();
  /** Round trips made, for the benchmark's channels-per-task figure. */
  roundTrips = 0;

  constructor(
    private readonly transport: Transport,
    private readonly options: RunOptions = {},
  ) {}

  /** The values of `facts`, in order; the missing ones are read together. */
  async read<const F extends readonly Fact<unknown>[]>(...facts: F): Promise<FactValues<F>> {
    const missing = facts.filter((fact, index) => !this.values.has(fact.key) && facts.findIndex((f) => f.key === fact.key) === index);
    if (missing.length > 0) {
      this.roundTrips++;
      const parsed = await readFacts(this.transport, missing, this.options);
      missing.forEach((fact, index) => this.values.set(fact.key, { fact, value: parsed[index] }));
    }
    return facts.map((fact) => this.values.get(fact.key)?.value) as FactValues<F>;
  }

  /** Forget what a change that wrote `writes` can affect; everything when it cannot say (undefined). */
  invalidate(writes?: readonly Subject[]): void {
    if (writes === undefined) {
      this.values.clear();
      return;
    }
    for (const [key, { fact }] of this.values) if (affectedBy(fact, writes)) this.values.delete(key);
  }
}
