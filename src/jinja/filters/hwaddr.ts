// ansible.utils' MAC address filters (plugins/filter/hwaddr.py, macaddr.py, slaac.py and the
// hwaddr queries of plugin_utils/base/ipaddr_utils.py, ansible.utils 2.x) on netaddr 0.8's EUI:
// which texts are an EUI-48 or EUI-64 (netaddr/strategy/eui48.py, eui64.py: the separators and
// group sizes they take, or a plain integer), the dialects the queries print in, and the SLAAC
// address (EUI.ipv6: the network plus the modified EUI-64 of RFC 4291).
import { JinjaRenderError } from '../errors.js';
import { argStr } from './plugin-argspec.js';
import { argument, hostNetwork } from './ipaddr.js';
import { addressText, maxOf, networkOf } from '../../net/ip-address.js';
import { pythonInt } from './ip-network.js';
import type { Filter } from '../registry.js';

interface Eui {
  readonly width: 48 | 64;
  readonly value: bigint;
}

/** Python's `$` without MULTILINE: the end, or just before a final newline. */
const end = '\\n?$';
const group = (digits: string, count: number, separator: string): RegExp => new RegExp(`^${Array<string>(count).fill(`([0-9A-F]${digits})`).join(separator)}${end}`, 'i');

/** netaddr's RE_MAC_FORMATS and RE_EUI64_FORMATS, in the order it tries them. */
const formats: Readonly<Record<48 | 64, readonly RegExp[]>> = {
  48: [
    group('{1,2}', 6, ':'), group('{1,2}', 6, '-'), group('{1,4}', 3, ':'), group('{1,4}', 3, '-'), group('{1,4}', 3, '\\.'),
    group('{5,6}', 2, '-'), group('{5,6}', 2, ':'), new RegExp(`^([0-9A-F]{12})${end}`, 'i'), new RegExp(`^([0-9A-F]{11})${end}`, 'i'),
  ],
  64: [
    group('{1,2}', 8, ':'), group('{1,2}', 8, '-'), group('{1,4}', 4, ':'), group('{1,4}', 4, '-'), group('{1,4}', 4, '\\.'),
    new RegExp(`^([0-9A-F]{16})${end}`, 'i'),
  ],
};

/** str_to_int of one width: the groups of the first format that matches, each its share of the bits. */
function fromText(text: string, width: 48 | 64): bigint | undefined {
  for (const format of formats[width]) {
    const match = format.exec(text);
    if (match === null) continue;
    const words = match.slice(1);
    const bits = BigInt(width / words.length);
    return words.reduce((value, word) => (value << bits) | BigInt(`0x${word}`), 0n);
  }
  return undefined;
}

/** netaddr.EUI(text): EUI-48 text, an integer up to 2**48-1, EUI-64 text, an integer up to 2**64-1. */
export function parseEui(text: string): Eui | undefined {
  const number = pythonInt(text);
  for (const width of [48, 64] as const) {
    const value = fromText(text, width);
    if (value !== undefined) return { width, value };
    if (number !== undefined && number >= 0n && number <= (1n << BigInt(width)) - 1n) return { width, value: number };
  }
  return undefined;
}

/** A netaddr mac_* dialect: bits per word, words, separator, and the word's printf format. */
interface Dialect {
  readonly wordBits: number;
  readonly words: number;
  readonly separator: string;
  readonly digits: number;
  readonly upper: boolean;
}

const dialects: Readonly<Record<string, Dialect>> = {
  bare: { wordBits: 48, words: 1, separator: '', digits: 12, upper: true },
  cisco: { wordBits: 16, words: 3, separator: '.', digits: 4, upper: false },
  eui48: { wordBits: 8, words: 6, separator: '-', digits: 2, upper: true },
  // ipaddr_utils' mac_linux: mac_unix with two digits a word.
  linux: { wordBits: 8, words: 6, separator: ':', digits: 2, upper: false },
  pgsql: { wordBits: 24, words: 2, separator: ':', digits: 6, upper: false },
  unix: { wordBits: 8, words: 6, separator: ':', digits: 1, upper: false },
};
const dialectOf: Readonly<Record<string, string>> = {
  bare: 'bare', cisco: 'cisco', eui48: 'eui48', win: 'eui48', linux: 'linux', pgsql: 'pgsql', postgresql: 'pgsql', psql: 'pgsql', unix: 'unix',
};

/** str(EUI) in a MAC dialect; an EUI-64 whose value does not fit 48 bits fails, as netaddr's int_to_words does. */
function format(eui: Eui, dialect: Dialect): string {
  if (eui.value >= 1n << BigInt(dialect.wordBits * dialect.words)) throw new JinjaRenderError(`integer out of bounds: '0x${eui.value.toString(16)}'!`);
  const mask = (1n << BigInt(dialect.wordBits)) - 1n;
  const words = Array.from({ length: dialect.words }, (_, i) => (eui.value >> BigInt(dialect.wordBits * (dialect.words - 1 - i))) & mask);
  return words.map((word) => {
    const hex = word.toString(16).padStart(dialect.digits, '0');
    return dialect.upper ? hex.toUpperCase() : hex;
  }).join(dialect.separator);
}

/** ipaddr_utils.hwaddr(value, query, alias). */
function hwaddr(value: string | null, query: string, alias: string): unknown {
  const eui = value === null ? undefined : parseEui(value);
  if (eui === undefined && query !== '' && query !== 'bool') throw new JinjaRenderError(`${alias}: not a hardware address: ${value ?? 'None'}`);
  if (query === '') return eui === undefined ? null : value;
  if (query === 'bool') return eui === undefined ? null : true;
  if (eui === undefined) return null;
  if (query === 'int') return eui.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(eui.value) : eui.value;
  const dialect = Object.hasOwn(dialectOf, query) ? dialects[dialectOf[query] ?? ''] : undefined;
  if (dialect === undefined) throw new JinjaRenderError(`${alias}: unknown filter type: ${query}`, 'the hwaddr queries are bare, bool, int, cisco, eui48, linux, pgsql, postgresql, psql, unix and win');
  return format(eui, dialect);
}

/** EUI.modified_eui64: an EUI-48 widened with ff:fe in the middle, then the universal/local bit flipped. */
function modifiedEui64(eui: Eui): bigint {
  const wide = eui.width === 48 ? ((eui.value >> 24n) << 40n) | 0xfffe000000n | (eui.value & 0xffffffn) : eui.value;
  return wide ^ 0x0200000000000000n;
}

/** slaac: the address SLAAC gives the MAC address `query` in the IPv6 network `value`; False otherwise. */
function slaac(value: string | null, query: string): string | false {
  const net = hostNetwork(value);
  if (net === undefined || net.version !== 6 || query === '') return false;
  // hwaddr(query) gives back the text when it is a hardware address, and EUI() reads it again.
  const eui = parseEui(query);
  if (eui === undefined) return false;
  const address = networkOf(net) + modifiedEui64(eui);
  if (address > maxOf(6)) throw new JinjaRenderError(`${address} is not a valid IPv6 address`);
  return addressText(address, 6);
}

function textArgument(value: unknown, fallback: string): string {
  return value === undefined ? fallback : (argStr(value) ?? 'None');
}

export const hwaddrFilters: Readonly<Record<string, Filter>> = {
  hwaddr: { fn: (value, call) => hwaddr(argStr(value), textArgument(argument(call, 0, 'query'), ''), textArgument(argument(call, 1, 'alias'), 'hwaddr')) },
  macaddr: { fn: (value, call) => hwaddr(argStr(value), textArgument(argument(call, 0, 'query'), ''), 'macaddr') },
  slaac: { fn: (value, call) => slaac(argStr(value), textArgument(argument(call, 0, 'query'), '')) },
};
