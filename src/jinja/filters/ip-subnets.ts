// ansible.utils' subnet filters (plugins/filter/ipsubnet.py, cidr_merge.py and ip4_hex.py of
// ansible.utils 2.x) on netaddr 0.8's semantics (ip-network.ts): ipsubnet counts, picks and
// locates subnets and supernets, cidr_merge merges or spans a list of networks as
// netaddr.cidr_merge / spanning_cidr do, ip4_hex writes an IPv4 address in hexadecimal.
import { JinjaRenderError } from '../errors.js';
import { argInt, argStr, argStrList } from './plugin-argspec.js';
import { argument, hostNetwork, intText } from './ipaddr.js';
import { lastOf, networkOf, networkText, sizeOf, widthOf, type IpNetwork, type IpVersion } from '../../net/ip-address.js';
import { parseNetwork, pythonInt } from './ip-network.js';
import type { Filter } from '../registry.js';

/** IPNetwork.cidr: the network address with the same prefix. */
function cidrOf(net: IpNetwork): IpNetwork {
  return { version: net.version, ip: networkOf(net), prefixlen: net.prefixlen };
}

/** ipsubnet(value, query, index): see the branches below, each as ipsubnet.py takes it. */
function ipsubnet(value: string | null, query: string, index: bigint | null): unknown {
  const found = hostNetwork(value);
  if (found === undefined) return false;
  const net = cidrOf(found);
  if (query === '') return networkText(net);
  const width = widthOf(net.version);
  const vtype = sizeOf(net) === 1n ? 'address' : 'network';
  if (/^\d+$/.test(query)) {
    const size = Number(query);
    if (size > width) return false;
    if (index === null) {
      if (vtype === 'address') {
        // value.supernet(size)[0]: the supernets from /size up to the address's own prefix, exclusive.
        if (size >= net.prefixlen) throw new JinjaRenderError('list index out of range');
        return networkText(cidrOf({ ...net, prefixlen: size }));
      }
      if (size < net.prefixlen) throw new JinjaRenderError(`Requested subnet size of ${size} is invalid`);
      return String(1n << BigInt(size - net.prefixlen));
    }
    if (vtype === 'address') {
      // ansible.utils' own bounds check, then Python's indexing of the supernet list.
      if (index > BigInt(width + 1) - index || index < BigInt(size - width)) return false;
      const count = BigInt(width - size);
      const at = index < 0n ? index + count : index;
      if (at < 0n || at >= count) throw new JinjaRenderError('list index out of range');
      return networkText(cidrOf({ ...net, prefixlen: size + Number(at) }));
    }
    // 2 ** (size - prefixlen) subnets; below the network's own prefix only index 0 gets through.
    const subnets = size >= net.prefixlen ? 1n << BigInt(size - net.prefixlen) : undefined;
    const at = index < 0n ? (subnets === undefined ? -1n : index + subnets) : index;
    if (at < 0n || (subnets === undefined ? at >= 1n : at >= subnets)) return false;
    // str(IPAddress(int)) picks the version by the integer's size, as ansible.utils writes it.
    const written = `${intText(net.ip + (at << BigInt(width - size)))}/${size}`;
    const subnet = parseNetwork(written);
    if (subnet === undefined) throw new JinjaRenderError(`invalid IPNetwork ${written}`);
    return networkText(subnet);
  }
  // The position of the value's network within a larger one, counting from 1.
  const outer = hostNetwork(query);
  if (outer === undefined) throw new JinjaRenderError(`You must pass a valid subnet or IP address; ${query} is invalid`);
  const shift = width - outer.prefixlen;
  if (shift < 0) throw new JinjaRenderError('negative shift count');
  if (net.ip >> BigInt(shift) !== outer.ip >> BigInt(shift)) throw new JinjaRenderError(`${networkText(net)} is not in the subnet ${networkText(cidrOf(outer))}`);
  if (net.prefixlen < outer.prefixlen) throw new JinjaRenderError("unsupported operand type(s) for <<: 'float' and 'int'");
  const hostBits = BigInt(width - net.prefixlen);
  const position = (net.ip & (((1n << BigInt(net.prefixlen - outer.prefixlen)) - 1n) << hostBits)) >> hostBits;
  return String(position + 1n);
}

/** An address range as netaddr's cidr_merge keeps it: the network as given while it merges with nothing. */
interface Span {
  readonly version: IpVersion;
  readonly first: bigint;
  readonly last: bigint;
  readonly original?: IpNetwork;
}

/** iprange_to_cidrs: the fewest aligned networks that cover first..last exactly, lowest first. */
function rangeToCidrs(version: IpVersion, first: bigint, last: bigint): IpNetwork[] {
  const width = widthOf(version);
  const out: IpNetwork[] = [];
  for (let start = first; start <= last; ) {
    let bits = 0;
    while (bits < width && (start & ((1n << BigInt(bits + 1)) - 1n)) === 0n && start + (1n << BigInt(bits + 1)) - 1n <= last) bits += 1;
    out.push({ version, ip: start, prefixlen: width - bits });
    start += 1n << BigInt(bits);
  }
  return out;
}

function readNetwork(text: string | null): IpNetwork {
  const net = text === null ? undefined : parseNetwork(text);
  if (net === undefined) throw new JinjaRenderError(`cidr_merge: error in netaddr:\ninvalid IPNetwork ${text ?? 'None'}`);
  return net;
}

/** netaddr.cidr_merge: sort by (version, last, first), merge overlapping or adjacent ranges from the end. */
function cidrMerge(items: readonly (string | null)[]): string[] {
  const spans: Span[] = items.map(readNetwork).map((net) => ({ version: net.version, first: networkOf(net), last: lastOf(net), original: net }));
  const order = (a: Span, b: Span): number => a.version - b.version || (a.last < b.last ? -1 : a.last > b.last ? 1 : 0) || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
  spans.sort(order);
  for (let i = spans.length - 1; i > 0; i -= 1) {
    const high = spans[i] as Span;
    const low = spans[i - 1] as Span;
    if (high.version === low.version && high.first - 1n <= low.last) {
      spans[i - 1] = { version: high.version, last: high.last, first: low.first < high.first ? low.first : high.first };
      spans.splice(i, 1);
    }
  }
  return spans.flatMap((span) => (span.original === undefined ? rangeToCidrs(span.version, span.first, span.last) : [span.original]).map(networkText));
}

/** IPNetwork.sort_key: version, network address, prefix length, host bits. */
function sortKey(net: IpNetwork): readonly bigint[] {
  return [BigInt(net.version), networkOf(net), BigInt(net.prefixlen - 1), net.ip - networkOf(net)];
}

function less(a: IpNetwork, b: IpNetwork): boolean {
  const [x, y] = [sortKey(a), sortKey(b)];
  for (let i = 0; i < x.length; i += 1) if (x[i] !== y[i]) return (x[i] ?? 0n) < (y[i] ?? 0n);
  return false;
}

/** netaddr.spanning_cidr: the smallest network holding the lowest and the highest of the list. */
function spanningCidr(items: readonly (string | null)[]): string {
  const nets = items.map(readNetwork);
  const [a, b] = nets as [IpNetwork, IpNetwork];
  let low = less(a, b) ? a : b;
  let high = less(a, b) ? b : a;
  for (const net of nets.slice(2)) {
    if (less(net, low)) low = net;
    if (less(high, net)) high = net;
  }
  if (low.version !== high.version) throw new JinjaRenderError('cidr_merge: error in netaddr:\nIP sequence cannot contain both IPv4 and IPv6!');
  const width = widthOf(high.version);
  let ip = lastOf(high);
  let prefixlen = high.prefixlen;
  while (prefixlen > 0 && ip > networkOf(low)) {
    prefixlen -= 1;
    ip &= -(1n << BigInt(width - prefixlen));
  }
  return networkText({ version: low.version, ip, prefixlen });
}

function cidrMergeFilter(value: unknown, action: string | null): unknown {
  const items = argStrList('cidr_merge', 'value', value);
  if (items === null) throw new JinjaRenderError('cidr_merge: expected iterable, got None');
  if (action === 'merge') return cidrMerge(items);
  if (action === 'span') {
    if (items.length === 0) return null;
    return items.length === 1 ? networkText(readNetwork(items[0] ?? null)) : spanningCidr(items);
  }
  throw new JinjaRenderError(`cidr_merge: invalid action '${action ?? 'None'}'`, "give cidr_merge the action 'merge' or 'span'");
}

/** ip4_hex: the first four dot-separated integers as two hex digits each (Python's format(n, '02x')). */
function ip4Hex(value: string | null, delimiter: string): string {
  if (value === null) throw new JinjaRenderError("ip4_hex: missing required arguments: arg");
  const numbers = value.split('.').map((part) => {
    const number = pythonInt(part);
    if (number === undefined) throw new JinjaRenderError(`invalid literal for int() with base 10: '${part}'`);
    return number;
  });
  if (numbers.length < 4) throw new JinjaRenderError('Replacement index 3 out of range for positional args tuple');
  return numbers.slice(0, 4).map((n) => (n < 0n ? `-${(-n).toString(16)}` : n.toString(16).padStart(2, '0'))).join(delimiter);
}

function textArgument(value: unknown, fallback: string): string {
  return value === undefined ? fallback : (argStr(value) ?? 'None');
}

export const subnetFilters: Readonly<Record<string, Filter>> = {
  ipsubnet: {
    fn: (value, call) => ipsubnet(argStr(value), argStr(argument(call, 0, 'query')) ?? '', argInt('ipsubnet', 'index', argument(call, 1, 'index'))),
  },
  cidr_merge: {
    fn: (value, call) => {
      const action = argument(call, 0, 'action');
      return cidrMergeFilter(value, action === undefined ? 'merge' : argStr(action));
    },
  },
  ip4_hex: { fn: (value, call) => ip4Hex(argStr(value), textArgument(argument(call, 0, 'delimiter'), '')) },
};
