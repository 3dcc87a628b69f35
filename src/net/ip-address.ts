// IPv4 and IPv6 addresses as numbers (BigInt) and back, and the prefix arithmetic on them: what
// the host's facts (ifconfig's addresses and netmasks, src/facts/network-facts.ts) and the ipaddr
// filters (src/jinja/filters/ip-network.ts, netaddr's reading on top of this) both compute. Text is
// read as inet_pton reads it and printed as glibc's inet_ntop prints it (the first longest run of
// two or more zero groups becomes `::`; ::a.b.c.d and ::ffff:a.b.c.d keep the dotted quad).

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

export function lastOf(net: IpNetwork): bigint {
  return net.ip | hostmaskOf(net);
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
