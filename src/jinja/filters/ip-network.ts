// An IP address with a prefix, as netaddr 0.8's IPNetwork holds it (the value ansible.utils'
// ipaddr filters query): the address as written, its version and its prefix length, with the
// address arithmetic on BigInt. Parsing and printing follow netaddr and the C library it calls:
// IPNetwork reads a dotted quad strictly (inet_pton) and then as a partial address padded with
// zeros (`1.2.3` is 1.2.3.0); IPAddress alone reads IPv4 as inet_aton does (`1.2.3` is 1.2.0.3);
// IPv6 prints as glibc's inet_ntop prints it (the first longest run of two or more zero groups
// becomes `::`; ::a.b.c.d and ::ffff:a.b.c.d keep the dotted quad). No npm library fits: their
// IPv4 readers are inet_aton's (not IPNetwork's padding) and their IPv6 printers follow RFC 5952,
// which never prints ::a.b.c.d, so beastie's text would differ from Ansible's.

export type IpVersion = 4 | 6;

export interface IpNetwork {
  readonly version: IpVersion;
  /** The address as written (`192.168.1.10` of `192.168.1.10/24`), not the network. */
  readonly ip: bigint;
  readonly prefixlen: number;
}

export function widthOf(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

export function maxOf(version: IpVersion): bigint {
  return (1n << BigInt(widthOf(version))) - 1n;
}

export function sizeOf(net: IpNetwork): bigint {
  return 1n << BigInt(widthOf(net.version) - net.prefixlen);
}

export function hostmaskOf(net: IpNetwork): bigint {
  return sizeOf(net) - 1n;
}

export function netmaskOf(net: IpNetwork): bigint {
  return maxOf(net.version) ^ hostmaskOf(net);
}

export function networkOf(net: IpNetwork): bigint {
  return net.ip & netmaskOf(net);
}

/** The last address; netaddr 0.8 gives an IPv4 /31 or /32 no broadcast (undefined). */
export function broadcastOf(net: IpNetwork): bigint | undefined {
  if (net.version === 4 && widthOf(4) - net.prefixlen <= 1) return undefined;
  return net.ip | hostmaskOf(net);
}

export function lastOf(net: IpNetwork): bigint {
  return net.ip | hostmaskOf(net);
}

/** Python's int() of a text: optional sign and surrounding blanks, digits with single underscores. */
export function pythonInt(text: string): bigint | undefined {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (match === null) return undefined;
  const magnitude = BigInt((match[2] ?? '').replaceAll('_', ''));
  return match[1] === '-' ? -magnitude : magnitude;
}

/** inet_pton(AF_INET): exactly four decimal parts of at most 255, no leading zeros. */
export function ipv4Strict(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
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

/** inet_pton(AF_INET6): hex groups of 1 to 4 digits, at most one `::`, an optional dotted quad last. */
export function ipv6Value(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string, last: boolean): bigint[] | undefined => {
    if (half === '') return [];
    const out: bigint[] = [];
    const groups = half.split(':');
    for (const [index, group] of groups.entries()) {
      if (last && index === groups.length - 1 && group.includes('.')) {
        const quad = ipv4Strict(group);
        if (quad === undefined) return undefined;
        out.push(quad >> 16n, quad & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) out.push(BigInt(`0x${group}`));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return undefined;
  const groups = [...head, ...Array<bigint>(8 - count).fill(0n), ...tail];
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
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

/** A dotted quad (netaddr and Python's ipaddress print IPv4 alike). */
export function ipv4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/**
 * glibc's inet_ntop(AF_INET6), as netaddr prints; without `dottedTail`, Python 3.11's
 * ipaddress (the same zero-run rule, but `::ffff:102:304`, not `::ffff:1.2.3.4`).
 */
export function ipv6Text(value: bigint, dottedTail = true): string {
  const words = Array.from({ length: 8 }, (_, index) => Number((value >> BigInt(112 - 16 * index)) & 0xffffn));
  let bestBase = -1;
  let bestLength = 0;
  for (let index = 0; index < 8; ) {
    if (words[index] !== 0) {
      index += 1;
      continue;
    }
    let end = index;
    while (end < 8 && words[end] === 0) end += 1;
    if (end - index > bestLength) {
      bestBase = index;
      bestLength = end - index;
    }
    index = end;
  }
  if (bestLength < 2) bestBase = -1;
  let out = '';
  for (let index = 0; index < 8; index += 1) {
    if (bestBase >= 0 && index >= bestBase && index < bestBase + bestLength) {
      if (index === bestBase) out += ':';
      continue;
    }
    if (index !== 0) out += ':';
    if (dottedTail && index === 6 && bestBase === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff))) {
      out += ipv4Text(value & 0xffffffffn);
      break;
    }
    out += (words[index] ?? 0).toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLength === 8) out += ':';
  return out;
}

/** str(IPAddress): the address in presentation form. */
export function addressText(value: bigint, version: IpVersion): string {
  return version === 4 ? ipv4Text(value) : ipv6Text(value);
}

/** str(IPNetwork): the address as written and the prefix length. */
export function networkText(net: IpNetwork): string {
  return `${addressText(net.ip, net.version)}/${net.prefixlen}`;
}

/** IPAddress.reverse_dns: the octets (IPv4) or nibbles (IPv6) backwards under in-addr.arpa / ip6.arpa. */
export function reverseDns(value: bigint, version: IpVersion): string {
  if (version === 4) return `${ipv4Text(value).split('.').reverse().join('.')}.in-addr.arpa.`;
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
