// Ansible's FreeBSD network facts (ansible/ansible lib/ansible/module_utils/facts/network/
// generic_bsd.py, which network/freebsd.py uses unchanged): `ifconfig -a` parsed line by line
// into one dictionary per interface, `route -n get default` (and `-inet6 default`) for the
// default route, the route's interface merged into default_ipv4 / default_ipv6 as Ansible
// merges it. One sectioned command, read in the gather round trip.
import { sh } from '../command/command.js';
import { addressText, ipv4Strict, maxOf, netmaskOf } from '../net/ip-address.js';
import { defineFact, type FactOutput } from './fact.js';
import { parseSections, sectionedCommand } from './sections.js';

/** One IPv4 address as generic_bsd.py's parse_inet_line shapes it. */
export interface Ipv4Address {
  readonly address: string;
  readonly netmask: string;
  readonly network: string;
  readonly broadcast: string;
}

/** One IPv6 address as parse_inet6_line shapes it. */
export interface Ipv6Address {
  readonly address: string;
  readonly prefix?: string;
  readonly scope?: string;
}

/** One interface's facts (ansible_em0): device, flags, mtu, addresses, type, media… */
export type InterfaceFacts = Record<string, unknown> & { device: string; ipv4: Ipv4Address[]; ipv6: Ipv6Address[] };

/** What the network read gives: the interfaces (in ifconfig's order), the addresses, the defaults. */
export interface NetworkFacts {
  readonly interfaces: Record<string, InterfaceFacts>;
  readonly allIpv4: readonly string[];
  readonly allIpv6: readonly string[];
  readonly defaultIpv4: Record<string, unknown>;
  readonly defaultIpv6: Record<string, unknown>;
}

/** `flags=8843<UP,BROADCAST>` → ['UP', 'BROADCAST'] (get_options: nothing between the brackets → []). */
function options(word: string): string[] {
  const start = word.indexOf('<') + 1;
  const end = word.lastIndexOf('>');
  return start > 0 && end > start ? word.slice(start, end).split(',') : [];
}

/** parse_inet_line: address, netmask (hex, dotted or /LEN), network and broadcast (given or computed); undefined for what is not an address. */
function inetAddress(words: readonly string[]): Ipv4Address | undefined {
  const w = words[1] === 'alias' ? [words[0] ?? '', ...words.slice(2)] : [...words];
  let address = w[1] ?? '';
  let netmask: string | undefined;
  let broadcast: string | undefined;
  if (address.includes('/')) {
    const [ip = '', length = ''] = address.split('/');
    address = ip;
    if (!/^\d{1,2}$/.test(length) || Number(length) > 32) return undefined;
    netmask = addressText(netmaskOf({ version: 4, ip: 0n, prefixlen: Number(length) }), 4);
    if (w.length > 5) broadcast = w[3];
  } else {
    const at = w.indexOf('netmask');
    const raw = w[at >= 0 ? at + 1 : 3] ?? '';
    const hex = /^[0-9a-f]{8}$/.test(raw) ? `0x${raw}` : raw;
    netmask = /^0x[0-9a-fA-F]{1,8}$/.test(hex) ? addressText(BigInt(hex), 4) : hex;
  }
  const addressBits = ipv4Strict(address);
  const maskBits = ipv4Strict(netmask);
  if (addressBits === undefined || maskBits === undefined) return undefined;
  const network = addressText(addressBits & maskBits, 4);
  if (broadcast === undefined) {
    const at = w.indexOf('broadcast');
    broadcast = at >= 0 ? (w[at + 1] ?? '') : addressText(addressBits | (maskBits ^ maxOf(4)), 4);
  }
  return { address, netmask, network, broadcast };
}

function inet6Address(words: readonly string[]): Ipv6Address {
  const word = words[1] ?? '';
  if (word.includes('/')) {
    const [address = '', prefix = ''] = word.split('/');
    return words.length > 5 ? { address, prefix, scope: words[5] ?? '' } : { address, prefix };
  }
  const out: { address: string; prefix?: string; scope?: string } = { address: word };
  if (words.length >= 4 && words[2] === 'prefixlen') out.prefix = words[3] ?? '';
  if (words.length >= 6 && words[4] === 'scopeid') out.scope = words[5] ?? '';
  return out;
}

/** `ifconfig -a` → interfaces and the address lists, as get_interfaces_info + detect_type_media build them. */
export function parseIfconfig(text: string): Pick<NetworkFacts, 'interfaces' | 'allIpv4' | 'allIpv6'> {
  const interfaces: Record<string, InterfaceFacts> = {};
  const allIpv4: string[] = [];
  const allIpv6: string[] = [];
  let current: InterfaceFacts | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const words = line.trim().split(/\s+/);
    const first = words[0] ?? '';
    if (first === 'pass') continue;
    if (/^\S/.test(line) && words.length > 3) {
      const flags = options(words[1] ?? '');
      current = { device: first.slice(0, -1), ipv4: [], ipv6: [], type: flags.includes('LOOPBACK') ? 'loopback' : 'unknown', flags, macaddress: 'unknown' };
      // "Newer FreeBSD versions": NAME: flags=… metric N mtu M
      if (words.length >= 5) {
        current['metric'] = words[3];
        current['mtu'] = words[5];
      } else current['mtu'] = words[3];
      interfaces[current.device] = current;
      continue;
    }
    if (current === undefined) continue;
    if (first.startsWith('options=')) current['options'] = options(first);
    else if (first === 'nd6') current['options'] = options(words[1] ?? '');
    else if (first === 'ether') {
      current['macaddress'] = words[1];
      current['type'] = 'ether';
    } else if (first === 'media:') {
      current['media'] = words[1];
      if (words.length > 2) current['media_select'] = words[2];
      if (words.length > 3) current['media_type'] = (words[3] ?? '').slice(1);
      if (words.length > 4) current['media_options'] = options(words[4] ?? '');
    } else if (first === 'status:') current['status'] = words[1];
    else if (first === 'lladdr') current['lladdr'] = words[1];
    else if (first === 'inet') {
      const address = inetAddress(words);
      if (address === undefined) continue;
      if (!address.address.startsWith('127.')) allIpv4.push(address.address);
      current.ipv4.push(address);
    } else if (first === 'inet6') {
      const address = inet6Address(words);
      if (!['::1', '::1/128', 'fe80::1%lo0'].includes(address.address)) allIpv6.push(address.address);
      current.ipv6.push(address);
    } else if (first === 'tunnel') current['type'] = 'tunnel';
  }
  for (const facts of Object.values(interfaces)) {
    if (typeof facts['media'] === 'string' && facts['media'].toLowerCase().includes('ether')) facts['type'] = 'ether';
  }
  return { interfaces, allIpv4, allIpv6 };
}

/** `route -n get default` → {interface, gateway} (get_default_interfaces; empty when there is no route). */
export function parseRouteGet(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const words = line.trim().split(': ');
    if (words.length < 2) continue;
    if (words[0] === 'interface') out['interface'] = words[1] ?? '';
    if (words[0] === 'gateway') out['gateway'] = words[1] ?? '';
    if (words[0] === 'if address' || words[0] === 'local addr') out['address'] = words[1] ?? '';
  }
  return out;
}

/** merge_default_interface: the route's interface's values (not its address lists), then its first (or matching) address. */
export function mergeDefault(defaults: Record<string, string>, interfaces: Readonly<Record<string, InterfaceFacts>>, family: 'ipv4' | 'ipv6'): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  const name = defaults['interface'];
  const info = name === undefined ? undefined : interfaces[name];
  if (info === undefined) return merged;
  for (const [key, value] of Object.entries(info)) if (key !== 'ipv4' && key !== 'ipv6') merged[key] = value;
  const addresses: readonly (Ipv4Address | Ipv6Address)[] = info[family];
  const matching = addresses.filter((a) => a.address === defaults['address']);
  const chosen = (matching.length > 0 ? matching : addresses)[0];
  if (chosen !== undefined) Object.assign(merged, chosen);
  return merged;
}

/** The sectioned output of the network read → Ansible's network facts; undefined when ifconfig failed (no such tool). */
export function parseNetwork(output: FactOutput): NetworkFacts | undefined {
  const sections = parseSections(output.stdout);
  const ifconfig = sections.get('ifconfig') ?? '';
  if (ifconfig.trim() === '') return undefined;
  const { interfaces, allIpv4, allIpv6 } = parseIfconfig(ifconfig);
  return {
    interfaces,
    allIpv4,
    allIpv6,
    defaultIpv4: mergeDefault(parseRouteGet(sections.get('route4') ?? ''), interfaces, 'ipv4'),
    defaultIpv6: mergeDefault(parseRouteGet(sections.get('route6') ?? ''), interfaces, 'ipv6'),
  };
}

/** The network read: ifconfig -a and both default routes, in one command. */
export const networkFact = defineFact(
  'gather:network',
  sectionedCommand([
    ['ifconfig', sh`ifconfig -a`],
    ['route4', sh`route -n get default`],
    ['route6', sh`route -n get -inet6 default`],
  ]),
  parseNetwork,
);

/** The ansible_ variables of the network facts: interfaces, addresses, defaults, one per interface. */
export function networkVariables(network: NetworkFacts | undefined): Record<string, unknown> {
  if (network === undefined) return {};
  const vars: Record<string, unknown> = {
    ansible_interfaces: Object.keys(network.interfaces),
    ansible_all_ipv4_addresses: network.allIpv4,
    ansible_all_ipv6_addresses: network.allIpv6,
    ansible_default_ipv4: network.defaultIpv4,
    ansible_default_ipv6: network.defaultIpv6,
  };
  for (const [name, facts] of Object.entries(network.interfaces)) vars[`ansible_${name}`] = facts;
  return vars;
}
