// Splitting `host:port` and recognising IP addresses the way Ansible's parse_address does
// (lib/ansible/parsing/utils/addresses.py), so inventories written for Ansible mean the same here.

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const I6 = String.raw`(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const I4 = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w under re.UNICODE: letters, digits and underscore of any script.
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${ALNUM_RANGE})(?:[\p{L}\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const IPV4 = new RegExp(String.raw`^(?:${I4}\.){3}${I4}$`, 'iu');
// Ansible's regex binds ^ and $ to its first and last alternatives only; we anchor all of them.
const IPV6 = new RegExp(
  '^(?:' +
    [
      String.raw`(?:${I6}:){7}${I6}`,
      String.raw`(?:${I6}:){1,6}:`,
      String.raw`(?:${I6}:)(?::${I6}){1,6}`,
      String.raw`(?:${I6}:){2}(?::${I6}){1,5}`,
      String.raw`(?:${I6}:){3}(?::${I6}){1,4}`,
      String.raw`(?:${I6}:){4}(?::${I6}){1,3}`,
      String.raw`(?:${I6}:){5}(?::${I6}){1,2}`,
      String.raw`(?:${I6}:){6}(?::${I6})`,
      String.raw`:(?::${I6}){1,6}`,
      String.raw`${I6}?::`,
      String.raw`(?:0:){6}(?:${I6}\.){3}${I6}`,
      String.raw`::(?:ffff:)?(?:${I6}\.){3}${I6}`,
      String.raw`(?:0:){5}ffff:(?:${I6}\.){3}${I6}`,
    ].join('|') +
    ')$',
  'iu',
);
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');
const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/u;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/u;

/** A host identifier and the port written after it, if any. */
export interface HostAndPort {
  readonly host: string;
  readonly port: number | undefined;
}

/** True for an IPv4 or IPv6 address (ranges allowed), which has no short name. */
export function isIpAddress(name: string): boolean {
  return IPV4.test(name) || IPV6.test(name);
}

/**
 * `bhyve01.lab:2222` → host and port; `[::1]:22` → bracketed address and port; undefined when what
 * remains is not a host name or IP address (ranges such as `bhyve[01:20]` allowed).
 */
export function parseAddress(text: string): HostAndPort | undefined {
  let host = text;
  let port: number | undefined;
  for (const pattern of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = pattern.exec(host);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      host = m[1];
      port = Number.parseInt(m[2], 10);
    }
  }
  if (IPV4.test(host) || IPV6.test(host) || HOSTNAME.test(host)) return { host, port };
  return undefined;
}

/**
 * An inventory host key split into host and port. Text that is not a valid host name or address
 * is kept whole with no port, as Ansible does when parse_address fails.
 */
export function splitHostPort(text: string): HostAndPort {
  return parseAddress(text) ?? { host: text, port: undefined };
}
