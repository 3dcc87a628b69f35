// Python's ipaddress module (3.11, as Debian's python3 ships it) as far as ansible.utils' tests
// use it (plugins/plugin_utils/base/ipaddress_utils.py): ip_address and ip_network (strict: no
// host bits set) of a text, and the address classes. Unlike netaddr (src/jinja/filters/
// ip-network.ts) it reads only full dotted quads, takes an IPv6 scope (`fe80::1%em0`), and an
// IPv4 prefix may be a netmask or hostmask while an IPv6 prefix is digits only.
import { hostmaskOf, ipv4Strict, ipv6Value, maxOf, widthOf, type IpVersion } from '../net/ip-address.js';

export interface PyAddress {
  readonly version: IpVersion;
  readonly ip: bigint;
}

export interface PyNetwork {
  readonly version: IpVersion;
  readonly network: bigint;
  readonly prefixlen: number;
}

/** The hostmask of `version`/`prefixlen` (src/net/ip-address.ts's arithmetic; the address part plays no role). */
const hostmask = (version: IpVersion, prefixlen: number): bigint => hostmaskOf({ version, ip: 0n, prefixlen });

function v6Address(text: string): bigint | undefined {
  const percent = text.indexOf('%');
  if (percent >= 0) {
    const scope = text.slice(percent + 1);
    if (scope === '' || scope.includes('%')) return undefined;
  }
  return ipv6Value(percent >= 0 ? text.slice(0, percent) : text);
}

/** ipaddress.ip_address(text). */
export function pyAddress(text: string): PyAddress | undefined {
  if (text.includes('/')) return undefined;
  const v4 = ipv4Strict(text);
  if (v4 !== undefined) return { version: 4, ip: v4 };
  const v6 = v6Address(text);
  return v6 === undefined ? undefined : { version: 6, ip: v6 };
}

/** _prefix_from_ip_int: the prefix of a netmask (leading ones), else undefined. */
function prefixOfMask(mask: bigint, version: IpVersion): number | undefined {
  const bits = widthOf(version);
  let zeros = 0;
  while (zeros < bits && ((mask >> BigInt(zeros)) & 1n) === 0n) zeros += 1;
  const prefixlen = bits - zeros;
  return mask >> BigInt(zeros) === (1n << BigInt(prefixlen)) - 1n ? prefixlen : undefined;
}

/** _make_netmask: ASCII digits up to the width; for IPv4 also a netmask, then a hostmask. */
function prefixOf(text: string, version: IpVersion): number | undefined {
  if (/^[0-9]+$/.test(text)) {
    const prefixlen = Number(text);
    return prefixlen <= widthOf(version) ? prefixlen : undefined;
  }
  if (version === 6) return undefined;
  const mask = ipv4Strict(text);
  if (mask === undefined) return undefined;
  return prefixOfMask(mask, 4) ?? prefixOfMask(mask ^ maxOf(4), 4);
}

function networkAs(version: IpVersion, text: string): PyNetwork | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const address = parts[0] ?? '';
  const ip = version === 4 ? ipv4Strict(address) : v6Address(address);
  if (ip === undefined) return undefined;
  const prefixlen = parts.length === 2 ? prefixOf(parts[1] ?? '', version) : widthOf(version);
  if (prefixlen === undefined) return undefined;
  // strict=True: an address with host bits set is not a network.
  if ((ip & hostmask(version, prefixlen)) !== 0n) return undefined;
  return { version, network: ip, prefixlen };
}

/** ipaddress.ip_network(text) (strict). */
export function pyNetwork(text: string): PyNetwork | undefined {
  return networkAs(4, text) ?? networkAs(6, text);
}

export function broadcastOf(net: PyNetwork): bigint {
  return net.network | hostmask(net.version, net.prefixlen);
}

/** The hostmask and netmask of a network, as integers. */
export function masksOf(net: PyNetwork): { readonly hostmask: bigint; readonly netmask: bigint } {
  const host = hostmask(net.version, net.prefixlen);
  return { hostmask: host, netmask: maxOf(net.version) ^ host };
}

/** ansible.utils' _is_subnet_of: same version, a's range inside b's. */
export function isSubnetOf(a: PyNetwork, b: PyNetwork): boolean {
  return a.version === b.version && b.network <= a.network && broadcastOf(b) >= broadcastOf(a);
}

function block(text: string): PyNetwork {
  const net = pyNetwork(text);
  if (net === undefined) throw new Error(`bad address block ${text}`);
  return net;
}

/** Each list of blocks parsed on its first use: parsing them all at import cost every command's start-up. */
const parsedBlocks = new Map<readonly string[], readonly PyNetwork[]>();

function inside(address: PyAddress, list: readonly string[]): boolean {
  let blocks = parsedBlocks.get(list);
  if (blocks === undefined) {
    blocks = list.map(block);
    parsedBlocks.set(list, blocks);
  }
  return blocks.some((net) => net.version === address.version && address.ip >= net.network && address.ip <= broadcastOf(net));
}

/** _IPv4Constants and _IPv6Constants of Python 3.11's ipaddress.py (the IANA special registries). */
const PRIVATE = [
  '0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.0.170/31', '192.0.2.0/24', '192.168.0.0/16',
  '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '255.255.255.255/32',
  '::1/128', '::/128', '::ffff:0:0/96', '64:ff9b:1::/48', '100::/64', '2001::/23', '2001:db8::/32', '2002::/16', 'fc00::/7', 'fe80::/10',
];
const PRIVATE_EXCEPTIONS = ['192.0.0.9/32', '192.0.0.10/32', '2001:1::1/128', '2001:1::2/128', '2001:3::/32', '2001:4:112::/48', '2001:20::/28', '2001:30::/28'];
const SHARED = ['100.64.0.0/10'];
const RESERVED = [
  '240.0.0.0/4', '::/8', '100::/8', '200::/7', '400::/6', '800::/5', '1000::/4', '4000::/3', '6000::/3', '8000::/3', 'a000::/3', 'c000::/3', 'e000::/4',
  'f000::/5', 'f800::/6', 'fe00::/9',
];
const MULTICAST = ['224.0.0.0/4', 'ff00::/8'];
const LOOPBACK_V4 = ['127.0.0.0/8'];

/** IPv6Address.ipv4_mapped: ::ffff:a.b.c.d. */
export function ipv4Mapped(address: PyAddress): PyAddress | undefined {
  return address.version === 6 && address.ip >> 32n === 0xffffn ? { version: 4, ip: address.ip & 0xffffffffn } : undefined;
}

function isPrivate(address: PyAddress): boolean {
  const mapped = ipv4Mapped(address);
  if (mapped !== undefined) return isPrivate(mapped);
  return inside(address, PRIVATE) && !inside(address, PRIVATE_EXCEPTIONS);
}

export const addressClass = {
  isPrivate,
  /** is_global: not private, and for IPv4 not the shared 100.64.0.0/10 either. */
  isGlobal: (address: PyAddress): boolean => (address.version === 4 && inside(address, SHARED) ? false : !isPrivate(address)),
  isReserved: (address: PyAddress): boolean => inside(address, RESERVED),
  isMulticast: (address: PyAddress): boolean => inside(address, MULTICAST),
  isLoopback: (address: PyAddress): boolean => (address.version === 4 ? inside(address, LOOPBACK_V4) : address.ip === 1n),
  isUnspecified: (address: PyAddress): boolean => address.ip === 0n,
  /** IPv6Address.sixtofour: inside 2002::/16. */
  isSixToFour: (address: PyAddress): boolean => address.version === 6 && address.ip >> 112n === 0x2002n,
  /** IPv6Address.teredo: inside 2001::/32. */
  isTeredo: (address: PyAddress): boolean => address.version === 6 && address.ip >> 96n === 0x20010000n,
};

/** str(IPv4Address(n)): the same dotted quad as netaddr's. */
export { ipv4Text } from '../net/ip-address.js';
