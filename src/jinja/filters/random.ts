// Random numbers for the random and shuffle filters and the password lookup: the system's
// generator, or with a seed a deterministic one (the same seed gives the same choice on every
// run, as Ansible's `seed=` promises; the numbers differ from Python's Mersenne Twister).
import { createHash, randomInt } from 'node:crypto';

/** A generator of floats in [0, 1). */
export function seededRandom(seed: string | undefined): () => number {
  if (seed === undefined) return () => randomInt(0, 2 ** 47) / 2 ** 47;
  const digest = createHash('sha256').update(seed).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  // sfc32: small, fast and well distributed for this use.
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
