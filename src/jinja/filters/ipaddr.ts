// ansible.utils' ipaddr filter family (plugins/plugin_utils/base/ipaddr_utils.py and
// plugins/filter/ipaddr.py, ipv4.py, ipv6.py, ipwrap.py, ipmath.py of ansible.utils 2.x), on
// netaddr 0.8's semantics (ip-network.ts). ipaddr(value, query) returns what the query asks of
// an address or network, False when the value is not one, and for a list the truthy answers.
// Registered under the short names and as ansible.utils.* and ansible.netcommon.* (the names
// Ansible routes to ansible.utils).
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { isTuple, pyStr, typeName, Undefined, type CallArgs } from '../values.js';
import { argInt, argStr, argStrList } from './plugin-argspec.js';
import { addressText, hostmaskOf, lastOf, maxOf, netmaskOf, networkOf, networkText, sizeOf, type IpNetwork, type IpVersion } from '../../net/ip-address.js';
import { broadcastOf, classify, hostOf, networkWithin, parseAddress, parseNetwork, reverseDns } from './ip-network.js';

type VType = 'address' | 'network';

/** A Python int: a number where it is exact, else a BigInt (printed whole; JSON-copied as a float). */
function pyInt(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function text(net: IpNetwork, value: bigint): string {
  return addressText(value, net.version);
}

/**
 * str(netaddr.IPAddress(n)) of a bare integer, as the usable-range and peer queries print: the
 * version comes from the size of n (an IPv6 address below 2**32 prints as IPv4, as in Ansible).
 */
export function intText(value: bigint): string {
  if (value < 0n || value > maxOf(6)) throw new JinjaRenderError(`failed to detect a valid IP address from ${value}`);
  return addressText(value, value <= maxOf(4) ? 4 : 6);
}

/** _first_last: the usable range (both addresses of a /31 or /127). */
function usable(net: IpNetwork): [bigint, bigint] | undefined {
  const size = sizeOf(net);
  const first = networkOf(net);
  const last = lastOf(net);
  if (size === 2n) return [first, last];
  if (size > 1n) return [first + 1n, last - 1n];
  return undefined;
}

function networkOnly(vtype: VType): void {
  if (vtype === 'address') throw new JinjaRenderError('Not a network address', 'give a network (address/prefix) to this ipaddr query');
}

function ipQuery(net: IpNetwork): string | null {
  if (sizeOf(net) === 1n) return text(net, net.ip);
  if (net.ip !== networkOf(net) || broadcastOf(net) === undefined) return text(net, net.ip);
  if (net.version === 6) return text(net, net.ip);
  return null;
}

function addressPrefixQuery(net: IpNetwork): string | false {
  if (sizeOf(net) > 2n && (net.ip === networkOf(net) || net.ip === broadcastOf(net))) return false;
  return networkText(net);
}

function sixToFourQuery(net: IpNetwork, vtype: VType, value: string): string | false {
  if (net.version === 4) {
    if (sizeOf(net) > 1n && net.ip === networkOf(net)) return false;
    const host = hostOf(4, net.ip);
    if (!isPublic(host) && !classify.isPrivate(host)) return false;
    const octets = text(net, net.ip).split('.').map((octet) => Number(octet).toString(16).padStart(2, '0'));
    return `2002:${octets[0]}${octets[1]}:${octets[2]}${octets[3]}::1/48`;
  }
  const relay = parseNetwork('2002::/16');
  if (relay === undefined) return false;
  if (vtype === 'address' && networkWithin(net, relay)) return value;
  if (vtype === 'network' && net.ip !== networkOf(net) && networkWithin(hostOf(6, net.ip), relay)) return value;
  return false;
}

function isPublic(net: IpNetwork): boolean {
  const host = hostOf(net.version, net.ip);
  return !classify.isMulticast(host) && !classify.isPrivate(host) && !classify.isLoopback(net.version, net.ip)
    && !classify.isNetmask(net.ip, net.version) && !classify.isHostmask(net.ip);
}

function peerQuery(net: IpNetwork, vtype: VType): string {
  networkOnly(vtype);
  const size = sizeOf(net);
  if (size === 2n) return intText(net.ip ^ 1n);
  if (size === 4n) {
    if (net.ip % 4n === 0n) throw new JinjaRenderError('Network address of /30 has no peer');
    if (net.ip % 4n === 3n) throw new JinjaRenderError('Broadcast address of /30 has no peer');
    return intText(net.ip ^ 3n);
  }
  throw new JinjaRenderError('Not a point-to-point network');
}

function stepQuery(net: IpNetwork, vtype: VType, step: bigint): string | null {
  networkOnly(vtype);
  const range = usable(net);
  if (range === undefined) return null;
  const next = net.ip + step;
  intText(next);
  return next >= range[0] && next <= range[1] ? intText(next) : null;
}

function missingValue(name: string): never {
  throw new JinjaRenderError(`${name}() missing 1 required positional argument: 'value'`, "write ipaddr('ipv4') or ipaddr('ipv6'): ansible.utils' v4 and v6 queries fail");
}

/** What a query answers; `value` is the text the filter was given (returned by the yes/no queries). */
type Query = (net: IpNetwork, vtype: VType, value: string) => unknown;

const queries: Readonly<Record<string, Query>> = {
  '': (net, vtype) => (vtype === 'address' ? text(net, net.ip) : networkText(net)),
  '6to4': sixToFourQuery,
  address: ipQuery,
  'address/prefix': addressPrefixQuery,
  bool: () => true,
  broadcast: (net) => (sizeOf(net) > 2n ? text(net, broadcastOf(net) ?? 0n) : null),
  cidr: (net) => networkText(net),
  first_usable: (net, vtype) => {
    networkOnly(vtype);
    const size = sizeOf(net);
    return size === 2n ? intText(networkOf(net)) : size > 1n ? intText(networkOf(net) + 1n) : null;
  },
  gateway: addressPrefixQuery,
  gw: addressPrefixQuery,
  host: (net) => (sizeOf(net) === 1n ? networkText(net) : net.ip !== networkOf(net) || broadcastOf(net) === undefined ? networkText(net) : null),
  'host/prefix': addressPrefixQuery,
  hostmask: (net) => text(net, hostmaskOf(net)),
  hostnet: addressPrefixQuery,
  int: (net, vtype) => (vtype === 'address' ? pyInt(net.ip) : `${net.ip}/${net.prefixlen}`),
  ip: ipQuery,
  'ip/prefix': (net) => (sizeOf(net) === 2n || (sizeOf(net) > 1n && net.ip !== networkOf(net)) ? networkText(net) : null),
  ip_netmask: (net) => (sizeOf(net) === 2n || (sizeOf(net) > 1n && net.ip !== networkOf(net)) ? `${text(net, net.ip)} ${text(net, netmaskOf(net))}` : null),
  ipv4: (net, _vtype, value) => {
    if (net.version === 4) return value;
    // IPNetwork.ipv4(): an IPv4-compatible or -mapped address, its prefix less 96.
    const mapped = net.ip > 0xffffffffn && net.ip <= 0xffffffffffffn;
    if ((net.ip > 0xffffffffn && !mapped) || net.prefixlen < 96) return false;
    return `${addressText(mapped ? net.ip - 0xffff00000000n : net.ip, 4)}/${net.prefixlen - 96}`;
  },
  ipv6: (net, _vtype, value) => (net.version === 4 ? `${addressText(net.ip + 0xffff00000000n, 6)}/${net.prefixlen + 96}` : value),
  last_usable: (net, vtype) => {
    networkOnly(vtype);
    const range = usable(net);
    return range === undefined ? null : intText(range[1]);
  },
  'link-local': (net, _vtype, value) => (classify.isLinkLocal(hostOf(net.version, net.ip)) ? value : null),
  lo: (net, _vtype, value) => (classify.isLoopback(net.version, net.ip) ? value : null),
  loopback: (net, _vtype, value) => (classify.isLoopback(net.version, net.ip) ? value : null),
  multicast: (net, _vtype, value) => (classify.isMulticast(net) ? value : null),
  net: (net) => (sizeOf(net) > 1n && net.ip === networkOf(net) ? `${text(net, networkOf(net))}/${net.prefixlen}` : null),
  next_usable: (net, vtype) => stepQuery(net, vtype, 1n),
  netmask: (net) => text(net, netmaskOf(net)),
  network: (net) => text(net, networkOf(net)),
  network_id: (net) => text(net, networkOf(net)),
  'network/prefix': (net) => `${text(net, networkOf(net))}/${net.prefixlen}`,
  network_netmask: (net) => `${text(net, networkOf(net))} ${text(net, netmaskOf(net))}`,
  network_wildcard: (net) => `${text(net, networkOf(net))} ${text(net, hostmaskOf(net))}`,
  peer: peerQuery,
  prefix: (net) => net.prefixlen,
  previous_usable: (net, vtype) => stepQuery(net, vtype, -1n),
  private: (net, _vtype, value) => (classify.isPrivate(net) ? value : null),
  public: (net, _vtype, value) => (isPublic(net) ? value : null),
  range_usable: (net, vtype) => {
    networkOnly(vtype);
    const range = usable(net);
    return range === undefined ? null : `${intText(range[0])}-${intText(range[1])}`;
  },
  revdns: (net) => reverseDns(net.ip, net.version),
  router: addressPrefixQuery,
  size: (net) => pyInt(sizeOf(net)),
  size_usable: (net) => {
    const size = sizeOf(net);
    return size === 1n ? 0 : size === 2n ? 2 : pyInt(size - 2n);
  },
  subnet: (net) => `${text(net, networkOf(net))}/${net.prefixlen}`,
  type: (net) => (sizeOf(net) === 1n || net.ip !== networkOf(net) ? 'address' : 'network'),
  unicast: (net, _vtype, value) => (classify.isMulticast(net) ? null : value),
  // ipaddr_utils maps v4 and v6 to the ipv4 / ipv6 queries but passes them no value: Ansible fails.
  v4: () => missingValue('_ipv4_query'),
  v6: () => missingValue('_ipv6_query'),
  version: (net) => net.version,
  wildcard: (net) => text(net, hostmaskOf(net)),
  wrap: (net, vtype, value) => {
    if (net.version === 4) return value;
    return vtype === 'address' ? `[${text(net, net.ip)}]` : `[${text(net, net.ip)}]/${net.prefixlen}`;
  },
};

/** Python's truthiness of what a query answered, for the list form's filtering. */
export function answered(result: unknown): boolean {
  return !(result === null || result === false || result === '' || result === 0 || (Array.isArray(result) && result.length === 0));
}

/** The value as ipaddr reads it: an int (its digits), else IPNetwork's text, else `address-int/prefix`. */
function readValue(value: unknown, version: IpVersion | 0): { net: IpNetwork; vtype: VType; value: string } | undefined {
  const written = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
  if (typeof written !== 'string') return undefined;
  if (/^\d+$/.test(written)) {
    const number = BigInt(written);
    const as = (v: IpVersion): IpNetwork | undefined => (number <= maxOf(v) ? hostOf(v, number) : undefined);
    const net = (version === 6 ? undefined : as(4)) ?? as(6);
    return net === undefined ? undefined : { net, vtype: 'address', value: networkText(net) };
  }
  const parsed = parseNetwork(written);
  if (parsed !== undefined) return { net: parsed, vtype: written.split('/').length === 2 ? 'network' : 'address', value: written };
  const parts = written.split('/');
  const address = parts.length === 2 ? /^\s*[+-]?\d+\s*$/.exec(parts[0] ?? '') : null;
  const prefix = parts.length === 2 ? /^\s*[+-]?\d+\s*$/.exec(parts[1] ?? '') : null;
  if (address === null || prefix === null) return undefined;
  const ip = BigInt(address[0].trim());
  const prefixlen = Number(prefix[0].trim());
  for (const v of [4, 6] as const) {
    if (ip >= 0n && ip <= maxOf(v) && prefixlen >= 0 && prefixlen <= (v === 4 ? 32 : 128)) {
      const net = { version: v, ip, prefixlen };
      return { net, vtype: 'network', value: networkText(net) };
    }
  }
  return undefined;
}

/** ipaddr_utils.ipaddr(value, query, version, alias). */
export function ipaddr(value: unknown, query: string, version: IpVersion | 0, alias: string): unknown {
  if (Array.isArray(value)) return value.map((item) => ipaddr(item, query, version, 'ipaddr')).filter(answered);
  if (value === null || value === undefined || value === true || value === false || value === 0 || value === '') return false;
  const read = readValue(value, version);
  if (read === undefined) return false;
  const { net, vtype } = read;
  let lookup: IpNetwork | undefined;
  if (query !== '' && !Object.hasOwn(queries, query) && !/^\d+$/.test(query) && answered(ipaddr(query, 'network', 0, 'ipaddr'))) lookup = parseNetwork(query);
  if (version !== 0 && net.version !== version) return false;
  if (lookup !== undefined) return networkWithin(net, lookup) ? read.value : null;
  const answer = Object.hasOwn(queries, query) ? queries[query] : undefined;
  if (answer !== undefined) return answer(net, vtype, read.value);
  // A number: the address that far into the network (from its end when negative).
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(query) && !/^\s*[+-]?(inf|infinity|nan)\s*$/i.test(query)) {
    throw new JinjaRenderError(`${alias}: unknown filter type: ${query}`, 'see the ipaddr filter documentation of ansible.utils for the queries');
  }
  if (sizeOf(net) === 1n) return vtype === 'address' ? text(net, net.ip) : networkText(net);
  const index = /^\s*[+-]?\d+\s*$/.test(query) ? BigInt(query.trim()) : undefined;
  if (index === undefined) return false;
  const target = index >= 0n ? networkOf(net) + index : lastOf(net) + index + 1n;
  if (target < networkOf(net) || target > lastOf(net)) return false;
  return `${text(net, target)}/${net.prefixlen}`;
}

/** The plugin wrappers' type check of the value: a string, a list or an int (bool included). */
export function checkValue(value: unknown, filter: string, allowed: readonly string[]): void {
  if (value instanceof Undefined) value.fail();
  const kind = typeof value === 'bigint' ? 'int' : Array.isArray(value) && isTuple(value) ? 'tuple' : typeName(value);
  if (!allowed.includes(kind)) throw new JinjaRenderError(`Unrecognized type <class '${kind}'> for ${filter} filter <value>`);
}

/** The argument at `index`, else the keyword `name`; an explicit none stays null (it is not the default). */
export function argument(call: CallArgs, index: number, name: string): unknown {
  return index < call.args.length ? call.args[index] : call.kwargs[name];
}

function queryOf(call: CallArgs): string {
  const query = argument(call, 0, 'query');
  return query === undefined || query === null ? '' : pyStr(query);
}

/** ipwrap: IPv6 addresses and networks in brackets, anything else as given. */
function ipwrap(value: unknown): unknown {
  const wrapOne = (item: unknown): unknown => {
    const answer = ipaddr(item, '', 0, 'ipwrap');
    return answered(answer) ? ipaddr(answer, 'wrap', 0, 'ipaddr') : item;
  };
  try {
    if (Array.isArray(value)) return value.map((item) => (answered(ipaddr(item, '', 0, 'ipwrap')) ? ipaddr(item, 'wrap', 0, 'ipaddr') : item));
    return wrapOne(value);
  } catch {
    // ipwrap gives back what it was given when ipaddr fails on it.
    return value;
  }
}

/** ipmath: the address (of an address or address/prefix) plus an integer. */
function ipmath(value: unknown, amount: unknown): string {
  const textValue = pyStr(value);
  const read = textValue.includes('/') ? parseNetwork(textValue) : parseAddress(textValue);
  if (read === undefined) throw new JinjaRenderError(`You must pass a valid IP address; ${textValue} is invalid`);
  // The argspec's `amount: type: int` turns text such as '5' into a number first.
  const step = argInt('ipmath', 'amount', amount);
  if (step === null) throw new JinjaRenderError(`You must pass an integer for arithmetic; ${pyStr(amount)} is not a valid integer`);
  const result = read.ip + step;
  if (result < 0n || result > maxOf(read.version)) throw new JinjaRenderError('result outside valid IP address boundary!');
  return addressText(result, read.version);
}

/** The network `ipaddr(value, 'cidr' or 'subnet')` names, as next_nth_usable and nthhost read it; undefined where they give False. */
export function hostNetwork(value: unknown): IpNetwork | undefined {
  try {
    const vtype = ipaddr(value, 'type', 0, 'ipaddr');
    if (vtype !== 'address' && vtype !== 'network') return undefined;
    const written = ipaddr(value, vtype === 'address' ? 'cidr' : 'subnet', 0, 'ipaddr');
    return typeof written === 'string' ? parseNetwork(written) : undefined;
  } catch {
    return undefined;
  }
}

/** next_nth_usable / previous_nth_usable: the address `offset` away, when it is a usable one. */
function nthUsable(value: unknown, offset: unknown, sign: 1n | -1n): string | false | null {
  const net = hostNetwork(value);
  if (net === undefined) return false;
  // The filter's argument spec makes an int of digits given as text.
  const step = typeof offset === 'number' && Number.isInteger(offset) ? BigInt(offset) : typeof offset === 'string' && /^\s*[+-]?\d+\s*$/.test(offset) ? BigInt(offset.trim()) : undefined;
  if (step === undefined) throw new JinjaRenderError('Must pass in an integer');
  const range = usable(net);
  if (range === undefined) return null;
  const target = net.ip + sign * step;
  intText(target);
  return target >= range[0] && target <= range[1] ? intText(target) : null;
}

/** nthhost: the nth address of the network (from its end when negative). */
function nthhost(value: unknown, query: unknown): string | false {
  const net = hostNetwork(value);
  // The argument spec makes the query text, so 0 is '0' and asks for the first address.
  const written = query === undefined || query === null ? '' : pyStr(query);
  if (net === undefined || written === '') return false;
  const nth = /^\s*[+-]?\d+\s*$/.test(written) ? BigInt(written.trim()) : undefined;
  if (nth === undefined || sizeOf(net) <= nth) return false;
  const target = nth >= 0n ? networkOf(net) + nth : lastOf(net) + nth + 1n;
  if (target < networkOf(net)) throw new JinjaRenderError('index out range for address range size!');
  return text(net, target);
}

/** _address_normalizer: an address or network as its subnet text, else False. */
function normalized(value: unknown): unknown {
  try {
    const vtype = ipaddr(value, 'type', 0, 'ipaddr');
    return vtype === 'address' || vtype === 'network' ? ipaddr(value, 'subnet', 0, 'ipaddr') : false;
  } catch {
    return false;
  }
}

/** A Python int (False and True are 0 and 1) for network_in_*'s comparisons. */
function asInteger(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'boolean') return value ? 1n : 0n;
  throw new JinjaRenderError(`'<=' not supported between instances of '${typeName(value)}' and 'int'`);
}

/** `ipaddr(ipaddr(x, query) or ipaddr(x, 'address'), 'int')`: the ranges' ends as network_in_* and reduce_on_network take them. */
function endOf(x: unknown, query: string): bigint {
  const first = ipaddr(x, query, 0, 'ipaddr');
  return asInteger(ipaddr(answered(first) ? first : ipaddr(x, 'address', 0, 'ipaddr'), 'int', 0, 'ipaddr'));
}

/** The first and last address (as integers) of `x`'s usable range, or of its whole network. */
function rangeOf(x: unknown, usableOnly: boolean): readonly [bigint, bigint] {
  return [endOf(x, usableOnly ? 'first_usable' : 'network'), endOf(x, usableOnly ? 'last_usable' : 'broadcast')];
}

/** Whether the range `inner` lies wholly inside `outer`. */
function rangeWithin([outerFirst, outerLast]: readonly [bigint, bigint], [innerFirst, innerLast]: readonly [bigint, bigint]): boolean {
  return outerFirst <= innerFirst && innerFirst <= outerLast && outerFirst <= innerLast && innerLast <= outerLast;
}

/** network_in_usable / network_in_network: every address of `test` within `value`'s usable (or whole) range. */
function networkIn(value: unknown, test: unknown, usableOnly: boolean): boolean {
  const outer = rangeOf(normalized(value), usableOnly);
  return rangeWithin(outer, rangeOf(normalized(test), false));
}

/** reduce_on_network: the addresses (or networks) of `value` wholly inside `network`, as the argument spec made them (text). */
function reduceOnNetwork(value: unknown, network: unknown): (string | null)[] {
  const addresses = argStrList('reduce_on_network', 'value', value);
  if (addresses === null) throw new JinjaRenderError('missing required arguments: value');
  const outer = rangeOf(normalized(argStr(network)), false);
  return addresses.filter((address) => rangeWithin(outer, rangeOf(normalized(address), false)));
}

const family: Readonly<Record<string, Filter>> = {
  next_nth_usable: { fn: (value, call) => nthUsable(value, argument(call, 0, 'offset'), 1n) },
  previous_nth_usable: { fn: (value, call) => nthUsable(value, argument(call, 0, 'offset'), -1n) },
  nthhost: { fn: (value, call) => nthhost(value, argument(call, 0, 'query')) },
  network_in_usable: { fn: (value, call) => networkIn(value, argument(call, 0, 'test'), true) },
  network_in_network: { fn: (value, call) => networkIn(value, argument(call, 0, 'test'), false) },
  reduce_on_network: { fn: (value, call) => reduceOnNetwork(value, argument(call, 0, 'network')) },
  ipaddr: {
    fn: (value, call) => {
      checkValue(value, 'ipaddr', ['str', 'list', 'int', 'bool']);
      const version = argument(call, 1, 'version');
      const alias = argument(call, 2, 'alias');
      const wanted = version === 4 || version === 6 ? version : 0;
      return ipaddr(value, queryOf(call), wanted, alias === undefined ? 'ipaddr' : pyStr(alias));
    },
  },
  ipv4: {
    fn: (value, call) => {
      checkValue(value, 'ipv4', ['str', 'list', 'int', 'bool']);
      return ipaddr(value, queryOf(call), 4, 'ipv4');
    },
  },
  ipv6: {
    fn: (value, call) => {
      checkValue(value, 'ipv6', ['str', 'list', 'int', 'bool']);
      return ipaddr(value, queryOf(call), 6, 'ipv6');
    },
  },
  ipwrap: {
    fn: (value) => {
      checkValue(value, 'ipwrap', ['str', 'list', 'bool']);
      return ipwrap(value);
    },
  },
  ipmath: {
    fn: (value, call) => {
      if (value instanceof Undefined) value.fail();
      return ipmath(value, argument(call, 0, 'amount'));
    },
  },
};

/**
 * A table of ansible.utils filters under the names Ansible 2.14 finds them by: ansible.utils.X,
 * ansible.netcommon.X (netcommon's routing to ansible.utils) and the short name (ansible-core's
 * builtin routing to netcommon), less the names whose routing is missing or broken there
 * (`unrouted`: no short macaddr; netcommon sends ip4_hex to a missing ansible.utils.ipv4_hex).
 */
export function underCollectionNames(table: Readonly<Record<string, Filter>>, unrouted: { short?: readonly string[]; netcommon?: readonly string[] } = {}): Record<string, Filter> {
  return Object.fromEntries(
    Object.entries(table).flatMap(([name, filter]) => [
      ...(unrouted.short?.includes(name) === true ? [] : [[name, filter]]),
      [`ansible.utils.${name}`, filter],
      ...(unrouted.netcommon?.includes(name) === true ? [] : [[`ansible.netcommon.${name}`, filter]]),
    ]),
  );
}

export const ipaddrFilters: Readonly<Record<string, Filter>> = underCollectionNames(family);
