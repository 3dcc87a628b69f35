// SHA-512 and SHA-256 crypt ($6$ / $5$), written from Ulrich Drepper's published specification
// "Unix crypt using SHA-256 and SHA-512": the hash FreeBSD's pw(8) `-H 0` and master.passwd take.
import { createHash, hash } from 'node:crypto';
import { JinjaRenderError } from '../errors.js';

const itoa64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The spec's byte order of the final encoding, as (b2, b1, b0) triples. */
const order512: readonly (readonly [number, number, number])[] = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
  [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];
const order256: readonly (readonly [number, number, number])[] = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29],
];

function encode24(b2: number, b1: number, b0: number, chars: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < chars; i++) {
    out += itoa64[w & 0x3f] ?? '';
    w >>>= 6;
  }
  return out;
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

/** crypt(3) of `password` with `salt` (at most 16 characters) and `rounds` (1000–999999999, default 5000). */
export function shaCrypt(algorithm: 'sha512' | 'sha256', password: string, salt: string, rounds: number | undefined): string {
  if (rounds !== undefined && (rounds < 1000 || rounds > 999_999_999)) throw new JinjaRenderError(`rounds must be between 1000 and 999999999, got ${rounds}`);
  if (/[$:\n]/.test(salt)) throw new JinjaRenderError('a crypt salt cannot contain $, : or a newline');
  const digest = (...parts: Buffer[]): Buffer => {
    const hash = createHash(algorithm);
    for (const part of parts) hash.update(part);
    return hash.digest();
  };
  const key = Buffer.from(password, 'utf8');
  const saltBytes = Buffer.from(salt.slice(0, 16), 'utf8');
  const b = digest(key, saltBytes, key);
  const a = createHash(algorithm);
  a.update(key);
  a.update(saltBytes);
  a.update(repeatTo(b, key.length));
  for (let n = key.length; n > 0; n >>= 1) a.update(n & 1 ? b : key);
  let current: Buffer = a.digest();
  const dp = createHash(algorithm);
  for (let i = 0; i < key.length; i++) dp.update(key);
  const p = repeatTo(dp.digest(), key.length);
  const ds = createHash(algorithm);
  for (let i = 0; i < 16 + (current[0] ?? 0); i++) ds.update(saltBytes);
  const s = repeatTo(ds.digest(), saltBytes.length);
  const total = rounds ?? 5000;
  // passlib's default rounds (656,000 for SHA-512) make this loop the cost: one-shot hash() of
  // one concatenated buffer is about twice as fast as a createHash() object per round.
  for (let i = 0; i < total; i++) {
    const parts: Buffer[] = [i & 1 ? p : current];
    if (i % 3 !== 0) parts.push(s);
    if (i % 7 !== 0) parts.push(p);
    parts.push(i & 1 ? current : p);
    current = hash(algorithm, Buffer.concat(parts), 'buffer');
  }
  let encoded = '';
  const at = (i: number): number => current[i] ?? 0;
  for (const [x, y, z] of algorithm === 'sha512' ? order512 : order256) encoded += encode24(at(x), at(y), at(z), 4);
  encoded += algorithm === 'sha512' ? encode24(0, 0, at(63), 2) : encode24(0, at(31), at(30), 3);
  const prefix = algorithm === 'sha512' ? '$6$' : '$5$';
  // As passlib writes it: the default 5000 rounds stay implicit.
  return `${prefix}${rounds === undefined || rounds === 5000 ? '' : `rounds=${rounds}$`}${salt.slice(0, 16)}$${encoded}`;
}

/**
 * MD5 crypt ($1$), Poul-Henning Kamp's algorithm as FreeBSD's lib/libcrypt/crypt-md5.c computes it
 * (and passlib's md5_crypt): the salt's first 8 characters up to a '$', 1000 rounds of MD5 over
 * the password, the salt and the previous digest, the digest encoded in crypt's base 64.
 */
export function md5Crypt(password: string, saltText: string): string {
  const pw = Buffer.from(password, 'utf8');
  const salt = Buffer.from(saltText.replace(/^\$1\$/, '').split('$')[0] ?? '', 'utf8').subarray(0, 8);
  const md5 = (...parts: Buffer[]): Buffer => {
    const h = createHash('md5');
    for (const part of parts) h.update(part);
    return h.digest();
  };
  const alt = md5(pw, salt, pw);
  const first: Buffer[] = [pw, Buffer.from('$1$'), salt];
  for (let left = pw.length; left > 0; left -= 16) first.push(alt.subarray(0, Math.min(16, left)));
  for (let i = pw.length; i > 0; i >>= 1) first.push(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let final = md5(...first);
  for (let i = 0; i < 1000; i++) {
    const parts: Buffer[] = [i & 1 ? pw : final];
    if (i % 3) parts.push(salt);
    if (i % 7) parts.push(pw);
    parts.push(i & 1 ? final : pw);
    final = md5(...parts);
  }
  const b = (i: number): number => final[i] as number;
  const groups = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]] as const;
  const encoded = groups.map(([x, y, z]) => encode24(b(x), b(y), b(z), 4)).join('') + encode24(0, 0, b(11), 2);
  return `$1$${salt.toString('utf8')}$${encoded}`;
}
