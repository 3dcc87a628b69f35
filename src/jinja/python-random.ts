// Python's random.Random (CPython 3.11: Modules/_randommodule.c's MT19937 and its seeding,
// Lib/random.py's seed, _randbelow_with_getrandbits, randrange, choice, shuffle), so that a seeded
// `random` / `shuffle` filter or `password` lookup picks what Ansible picks for the same seed —
// `59 | random(seed=inventory_hostname)`, a cron minute per host, stays the minute Ansible chose.
// Unseeded, the system's generator (SystemRandom in Python; no sequence to match).
import { createHash, randomInt } from 'node:crypto';

const N = 624;
const M = 397;

/** A source of integers below n: randbelow(n) for 0 <= result < n, n >= 1. */
export interface PyRandom {
  randbelow(n: number | bigint): number | bigint;
}

class MersenneTwister implements PyRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(key: readonly number[]) {
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      mt[i] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] as number;
      mt[i] = (((mt[i] as number) ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private uint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      const twist = (a: number, b: number, c: number): number => {
        const y = ((a & 0x80000000) | (b & 0x7fffffff)) >>> 0;
        return (c ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      };
      let kk = 0;
      for (; kk < N - M; kk++) mt[kk] = twist(mt[kk] as number, mt[kk + 1] as number, mt[kk + M] as number);
      for (; kk < N - 1; kk++) mt[kk] = twist(mt[kk] as number, mt[kk + 1] as number, mt[kk + (M - N)] as number);
      mt[N - 1] = twist(mt[N - 1] as number, mt[0] as number, mt[M - 1] as number);
      this.mti = 0;
    }
    let y = mt[this.mti++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** getrandbits(k), k >= 1: 32-bit words from the least significant, the last one shifted down. */
  private getrandbits(k: number): number | bigint {
    if (k <= 32) return this.uint32() >>> (32 - k);
    let result = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let word = this.uint32();
      if (left < 32) word >>>= 32 - left;
      result |= BigInt(word) << shift;
      shift += 32n;
    }
    return result;
  }

  randbelow(n: number | bigint): number | bigint {
    const big = typeof n === 'bigint' || n > 2 ** 32;
    const limit = BigInt(n);
    const k = limit.toString(2).length;
    for (;;) {
      const r = this.getrandbits(k);
      if (BigInt(r) < limit) return big ? BigInt(r) : Number(r);
    }
  }
}

/** The seed's key words: random.seed(a, version=2) — text as int.from_bytes(a + sha512(a)), an int's absolute value. */
function seedKey(seed: string | number | bigint | boolean): number[] {
  let value: bigint;
  if (typeof seed === 'string') {
    const bytes = Buffer.from(seed, 'utf8');
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    value = BigInt(`0x${all.toString('hex')}`);
  } else {
    value = BigInt(typeof seed === 'boolean' ? Number(seed) : seed);
  }
  if (value < 0n) value = -value;
  const key: number[] = [];
  for (; value > 0n; value >>= 32n) key.push(Number(value & 0xffffffffn));
  return key.length === 0 ? [0] : key;
}

const systemRandom: PyRandom = {
  randbelow(n) {
    if (typeof n === 'number' && n <= 2 ** 48 - 1) return randomInt(0, n);
    const limit = BigInt(n);
    const bytes = Math.ceil(limit.toString(2).length / 8) + 8;
    const r = BigInt(`0x${Buffer.from(Array.from({ length: bytes }, () => randomInt(0, 256))).toString('hex')}`) % limit;
    return typeof n === 'number' ? Number(r) : r;
  },
};

/** random.Random(seed) for a text, an int or a bool seed; SystemRandom for none. */
export function pyRandom(seed: string | number | bigint | boolean | undefined): PyRandom {
  if (seed === undefined) return systemRandom;
  if (typeof seed === 'number' && !Number.isInteger(seed)) throw new Error('a float seed is not supported: give a text or an integer');
  return new MersenneTwister(seedKey(seed));
}

/** random.shuffle(x) in place. */
export function pyShuffle<T>(random: PyRandom, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Number(random.randbelow(i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
