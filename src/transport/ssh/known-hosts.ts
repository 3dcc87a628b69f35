// known_hosts files as OpenSSH reads them: plain and hashed (`|1|salt|hash`, HMAC-SHA1) host
// fields, `[host]:port` for non-22 ports, comma-separated patterns with `!` negation, several
// key types per host, and the @revoked / @cert-authority markers.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { matchesPatternList } from './ssh-config.js';

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  readonly file: string;
  /** 1-based line number, as OpenSSH's "Offending key in FILE:LINE". */
  readonly line: number;
  readonly marker: 'revoked' | 'cert-authority' | undefined;
  /** The host field: a `|1|…` hash or a comma-separated pattern list. */
  readonly hosts: string;
  readonly keyType: string;
  /** The key blob, base64 as written. */
  readonly key: string;
}

/** Reads every key line; malformed lines are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, key] = fields;
    if (hosts === undefined || keyType === undefined || key === undefined) return;
    entries.push({ file, line: index + 1, marker, hosts, keyType, key });
  });
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Does the entry's host field name `name` (a {@link knownHostName})? */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.hosts.startsWith('|1|')) {
    const [, , salt, hash] = entry.hosts.split('|');
    if (salt === undefined || hash === undefined) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  return matchesPatternList(name.toLowerCase(), entry.hosts.split(','));
}

/** The key type name inside an SSH public key blob (its first string). */
export function keyTypeOfBlob(blob: Buffer): string {
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('ascii');
}

/** `SHA256:…` as OpenSSH prints fingerprints. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** ED25519, ECDSA, RSA — the word OpenSSH uses in its messages. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  return keyType.toUpperCase();
}

/** The outcome of looking up a presented host key. */
export type HostKeyCheck =
  | { readonly status: 'known'; readonly entry: KnownHostEntry }
  | { readonly status: 'unknown' }
  | { readonly status: 'revoked'; readonly entry: KnownHostEntry }
  /** The host is known with another key (of this type, or only of other types). */
  | { readonly status: 'changed'; readonly entry: KnownHostEntry };

/** Looks `blob` up for `name` among `entries` (all files, in order). */
export function checkHostKey(entries: readonly KnownHostEntry[], name: string, blob: Buffer): HostKeyCheck {
  const keyType = keyTypeOfBlob(blob);
  const key = blob.toString('base64');
  const forHost = entries.filter((entry) => entry.marker !== 'cert-authority' && entryMatchesHost(entry, name));
  const revoked = forHost.find((entry) => entry.marker === 'revoked' && entry.key === key);
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  const known = plain.find((entry) => entry.keyType === keyType && entry.key === key);
  if (known) return { status: 'known', entry: known };
  // Same type, different key: changed. Only other types known: we asked for those types first
  // (see hostKeyAlgorithms), so a server that no longer has them has changed its keys too.
  const offending = plain.find((entry) => entry.keyType === keyType) ?? plain[0];
  return offending ? { status: 'changed', entry: offending } : { status: 'unknown' };
}

/** The key types known for `name`, to ask the server for those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const types = entries.filter((entry) => entry.marker === undefined && entryMatchesHost(entry, name)).map((entry) => entry.keyType);
  return [...new Set(types)];
}

/** A line to append: hashed like OpenSSH's HashKnownHosts when asked, else plain. */
export function knownHostsLine(name: string, blob: Buffer, hashed: boolean): string {
  let hosts = name;
  if (hashed) {
    const salt = randomBytes(20);
    hosts = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${hosts} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}`;
}
