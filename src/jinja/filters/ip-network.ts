// An IP address with a prefix, as netaddr 0.8's IPNetwork holds it (the value ansible.utils'
// ipaddr filters query): the address as written, its version and its prefix length; the address
// arithmetic and the inet_pton/inet_ntop text are src/net/ip-address.ts's. What is netaddr's own
// is here: IPNetwork reads a dotted quad strictly (inet_pton) and then as a partial address padded
// with zeros (`1.2.3` is 1.2.3.0); IPAddress alone reads IPv4 as inet_aton does (`1.2.3` is
// 1.2.0.3); the broadcast rule, the reserved blocks. No npm library fits: their IPv4 readers are
// inet_aton's (not IPNetwork's padding) and their IPv6 printers follow RFC 5952, which never
// prints ::a.b.c.d, so beastie's text would differ from Ansible's.

import {
  addressText, hostmaskOf, ipv4Strict, ipv6Value, lastOf, maxOf, networkOf, widthOf, type IpNetwork, type IpVersion,
} from '../../net/ip-address.js';

/** The last address; netaddr 0.8 gives an IPv4 /31 or /32 no broadcast (undefined). */
export function broadcastOf(net: IpNetwork): bigint | undefined {
  if (net.version === 4 && widthOf(4) - net.prefixlen <= 1) return undefined;
  return net.ip | hostmaskOf(net);
}

/** Python's int() of a text: optional sign and surrounding blanks, digits with single underscores. */
export function pythonInt(text: string): bigint | undefined {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (match === null) return undefined;
  const magnitude = BigInt((match[2] ?? '').replaceAll('_', ''));
  return match[1] === '-' ? -magnitude : magnitude;
}

/** What IPNetwork reads as IPv4: a dotted quad, else up to four int() parts padded with zeros. */
function ipv4Network(text: string): bigint | undefined {
  const strict = ipv4Strict(text);
  if (strict !== undefined || text.includes(':')) return strict;
  const parts = text.split('.').map(pythonInt);
  if (parts.length < 1 || parts.length > 4 || parts.some((part) => part === undefined)) return undefined;
  while (parts.length < 4) parts.push(0n);
  return ipv4Strict(parts.map(String).join('.'));
}

/** inet_aton (what IPAddress reads with netaddr's default flags): 1 to 4 C numbers, the last filling the rest. */
export function ipv4Aton(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const numbers: bigint[] = [];
  for (const part of parts) {
    let value: bigint;
    if (/^0[xX][0-9a-fA-F]*$/.test(part)) value = part.length === 2 ? 0n : BigInt(part);
    else if (/^0[0-7]*$/.test(part)) value = BigInt(`0o${part.slice(1) || '0'}`);
    else if (/^[1-9]\d*$/.test(part)) value = BigInt(part);
    else return undefined;
    numbers.push(value);
  }
  const last = numbers.pop() ?? 0n;
  const lastBits = BigInt(32 - 8 * numbers.length);
  if (numbers.some((part) => part > 255n) || last >= 1n << lastBits) return undefined;
  return numbers.reduce((value, part, index) => value | (part << BigInt(24 - 8 * index)), 0n) | last;
}

function isNetmask(value: bigint, version: IpVersion): boolean {
  const next = (value ^ maxOf(version)) + 1n;
  return (next & (next - 1n)) === 0n;
}

function isHostmask(value: bigint): boolean {
  const next = value + 1n;
  return (next & (next - 1n)) === 0n;
}

function bitCount(value: bigint): number {
  let count = 0;
  for (let rest = value; rest > 0n; rest >>= 1n) count += Number(rest & 1n);
  return count;
}

function parseAs(version: IpVersion, text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const ip = version === 4 ? ipv4Network(address) : ipv6Value(address);
  if (ip === undefined) return undefined;
  const width = widthOf(version);
  if (slash < 0) return { version, ip, prefixlen: width };
  const prefixText = text.slice(slash + 1);
  let prefix = pythonInt(prefixText);
  if (prefix === undefined) {
    // A netmask or a hostmask in place of the prefix length.
    const mask = version === 4 ? ipv4Strict(prefixText) : ipv6Value(prefixText);
    if (mask === undefined) return undefined;
    if (isNetmask(mask, version)) prefix = BigInt(bitCount(mask));
    else if (isHostmask(mask)) prefix = BigInt(width - bitCount(mask));
    else return undefined;
  }
  if (prefix < 0n || prefix > BigInt(width)) return undefined;
  return { version, ip, prefixlen: Number(prefix) };
}

/** netaddr.IPNetwork(text): IPv4 first, then IPv6; undefined where netaddr raises. */
export function parseNetwork(text: string): IpNetwork | undefined {
  return parseAs(4, text) ?? parseAs(6, text);
}

/** netaddr.IPAddress(text) with its default flags (inet_aton for IPv4). */
export function parseAddress(text: string): { readonly version: IpVersion; readonly ip: bigint } | undefined {
  const v4 = ipv4Aton(text);
  if (v4 !== undefined) return { version: 4, ip: v4 };
  const v6 = ipv6Value(text);
  return v6 === undefined ? undefined : { version: 6, ip: v6 };
}

/** IPAddress.reverse_dns: the octets (IPv4) or nibbles (IPv6) backwards under in-addr.arpa / ip6.arpa. */
export function reverseDns(value: bigint, version: IpVersion): string {
  if (version === 4) return `${addressText(value, 4).split('.').reverse().join('.')}.in-addr.arpa.`;
  return `${[...value.toString(16).padStart(32, '0')].reverse().join('.')}.ip6.arpa.`;
}

/** A range of addresses of one version: netaddr's IPNetwork and IPRange constants. */
interface Block {
  readonly version: IpVersion;
  readonly first: bigint;
  readonly last: bigint;
}

function block(text: string, lastText?: string): Block {
  const net = parseNetwork(text);
  if (net === undefined) throw new Error(`bad address block ${text}`);
  const last = lastText === undefined ? lastOf(net) : parseNetwork(lastText)?.ip;
  return { version: net.version, first: networkOf(net), last: last ?? lastOf(net) };
}

/** netaddr 0.8's ip/__init__.py constants (IPV4_PRIVATE, IPV6_PRIVATE, …). */
const PRIVATE: readonly Block[] = [
  block('10.0.0.0/8'), block('100.64.0.0/10'), block('172.16.0.0/12'), block('192.0.0.0/24'), block('192.168.0.0/16'),
  block('198.18.0.0/15'), block('239.0.0.0', '239.255.255.255'), block('fc00::/7'), block('fec0::/10'),
];
const LINK_LOCAL: readonly Block[] = [block('169.254.0.0/16'), block('fe80::/10')];
const MULTICAST: readonly Block[] = [block('224.0.0.0/4'), block('ff00::/8')];
const LOOPBACK_V4 = block('127.0.0.0/8');

/** `net in block` for an IPNetwork: every address of it inside, same version. */
function within(net: IpNetwork, blocks: readonly Block[]): boolean {
  const first = networkOf(net);
  const last = lastOf(net);
  return blocks.some((entry) => entry.version === net.version && first >= entry.first && last <= entry.last);
}

/** An address as a one-address network, to ask the same questions of it. */
export function hostOf(version: IpVersion, ip: bigint): IpNetwork {
  return { version, ip, prefixlen: widthOf(version) };
}

export const classify = {
  isPrivate: (net: IpNetwork): boolean => within(net, PRIVATE) || within(net, LINK_LOCAL),
  isLinkLocal: (net: IpNetwork): boolean => within(net, LINK_LOCAL),
  isMulticast: (net: IpNetwork): boolean => within(net, MULTICAST),
  /** IPAddress.is_loopback: 127/8, or exactly ::1. */
  isLoopback: (version: IpVersion, ip: bigint): boolean => (version === 4 ? within(hostOf(4, ip), [LOOPBACK_V4]) : ip === 1n),
  isNetmask,
  isHostmask,
};

/** `net in IPSet([other])`: net lies wholly inside other. */
export function networkWithin(net: IpNetwork, other: IpNetwork): boolean {
  return within(net, [{ version: other.version, first: networkOf(other), last: lastOf(other) }]);
}
