// Host patterns, evaluated as Ansible's InventoryManager does (lib/ansible/inventory/manager.py):
// `all`/`*`, group and host names, globs (`*`, `?`, `[...]`), `~regex`, unions (`a:b`, `a,b`),
// intersections (`a:&b`) and exclusions (`a:!b`), subscripts (`web[0]`, `web[1:3]`), and --limit.
import { InvalidInputError } from '../errors.js';
import type { Inventory, InventoryHost } from './types.js';
import { hostsOfGroup } from './group-tree.js';
import { parseAddress } from './host-address.js';
import { implicitLocalhost, isLocalhostName } from './implicit-localhost.js';
import { fnmatchSource } from '../text/fnmatch.js';

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/su;

/**
 * Splits `a,b` (or, when there is no comma, `a:b` — unless the whole text is a `host:port` or an
 * IPv6 address) into single patterns, whitespace trimmed (split_host_pattern).
 */
export function splitHostPattern(pattern: string | readonly string[]): string[] {
  if (typeof pattern !== 'string') return pattern.flatMap((p) => splitHostPattern(p));
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern)) parts = [pattern];
  else {
    const word = /(?:[^\s:[\]]|\[[^\]]*\])+/gu;
    parts = pattern.match(word) ?? [];
    // A `[` or `]` the split could not pair would be dropped silently, and `~[(` would become `~`,
    // a regular expression that matches every host.
    if (/[^\s:]/u.test(pattern.replace(word, ''))) {
      throw new InvalidInputError(`host pattern '${pattern}' does not parse: an unpaired [ or ]`, {
        fix: "close the bracket (web[0:3]), or separate patterns with ',' when a ~regex holds ':' or brackets",
      });
    }
  }
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * The hosts a pattern selects, in Ansible's order: plain patterns first in the order written
 * (each adding hosts not yet selected), then every `&` intersection, then every `!` exclusion.
 * With `limit` (the --limit patterns, see limit.ts), only hosts the limit also selects remain.
 * A pattern that matches nothing selects nothing; the caller decides whether to warn.
 */
export function selectHosts(
  inventory: Inventory,
  pattern: string | readonly string[],
  limit?: readonly string[],
): InventoryHost[] {
  const matcher = new PatternMatcher(inventory);
  let hosts = matcher.evaluate(splitHostPattern(pattern));
  if (limit !== undefined) {
    const allowed = new Set(matcher.evaluate(limit.flatMap((p) => splitHostPattern(p))).map((h) => h.name));
    hosts = hosts.filter((h) => allowed.has(h.name));
  }
  return hosts;
}

/** Regular patterns, then `&`, then `!`; `all` first when only `&`/`!` were given (order_patterns). */
function orderPatterns(patterns: readonly string[]): string[] {
  const regular = patterns.filter((p) => p !== '' && p[0] !== '!' && p[0] !== '&');
  const intersect = patterns.filter((p) => p[0] === '&');
  const exclude = patterns.filter((p) => p[0] === '!');
  return [...(regular.length > 0 ? regular : ['all']), ...intersect, ...exclude];
}

/** Evaluates patterns against one inventory; the implicit localhost is created once per matcher. */
class PatternMatcher {
  private localhost: InventoryHost | undefined;

  constructor(private readonly inventory: Inventory) {}

  evaluate(patterns: readonly string[]): InventoryHost[] {
    let hosts: InventoryHost[] = [];
    for (const p of orderPatterns(patterns)) {
      const direct = this.inventory.hosts.get(p);
      if (direct) {
        if (!hosts.some((h) => h.name === direct.name)) hosts.push(direct);
        continue;
      }
      const that = this.matchOne(p);
      const names = new Set(that.map((h) => h.name));
      if (p[0] === '!') hosts = hosts.filter((h) => !names.has(h.name));
      else if (p[0] === '&') hosts = hosts.filter((h) => names.has(h.name));
      else {
        const existing = new Set(hosts.map((h) => h.name));
        hosts.push(...that.filter((h) => !existing.has(h.name)));
      }
    }
    return hosts;
  }

  /** One pattern without its `&`/`!`, with an optional subscript. */
  private matchOne(prefixed: string): InventoryHost[] {
    const pattern = prefixed[0] === '&' || prefixed[0] === '!' ? prefixed.slice(1) : prefixed;
    const { expr, subscript } = splitSubscript(pattern);
    const hosts = this.enumerate(expr);
    if (subscript === undefined || hosts.length === 0) return hosts;
    const [start, end] = subscript;
    const at = (i: number): number => (i < 0 ? hosts.length + i : i);
    if (end === undefined || end === 0) {
      const host = hosts[at(start)];
      if (!host) {
        throw new InvalidInputError(`no hosts matched the subscripted pattern '${pattern}'`, {
          fix: `the pattern selects ${hosts.length} host(s); use an index from 0 to ${hosts.length - 1}`,
        });
      }
      return [host];
    }
    const last = end === -1 ? hosts.length - 1 : end;
    return hosts.slice(at(start), last + 1);
  }

  /** Hosts of every group the pattern names, then hosts it names directly (_enumerate_matches). */
  private enumerate(pattern: string): InventoryHost[] {
    const test = compilePattern(pattern);
    const found = new Map<string, InventoryHost>();
    const groups = [...this.inventory.groups.keys()].filter(test);
    for (const group of groups) {
      for (const name of hostsOfGroup(this.inventory, group)) {
        const host = this.inventory.hosts.get(name);
        if (host) found.set(name, host);
      }
    }
    if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/u.test(pattern)) {
      for (const host of this.inventory.hosts.values()) if (test(host.name)) found.set(host.name, host);
    }
    if (found.size === 0 && isLocalhostName(pattern)) {
      this.localhost ??= implicitLocalhost(pattern);
      return [this.localhost];
    }
    return [...found.values()];
  }
}

/** `web[1:3]` → `web` and (1, 3); a `~regex` never has a subscript. */
function splitSubscript(pattern: string): { expr: string; subscript: [number, number | undefined] | undefined } {
  if (pattern[0] === '~') return { expr: pattern, subscript: undefined };
  const m = SUBSCRIPT.exec(pattern);
  if (!m?.[1]) return { expr: pattern, subscript: undefined };
  if (m[2] !== undefined) return { expr: m[1], subscript: [Number(m[2]), undefined] };
  return { expr: m[1], subscript: [Number(m[3]), m[5] ? Number(m[5]) : -1] };
}

/** A name test: `~regex` matched from the start, otherwise a shell glob matched whole. */
function compilePattern(pattern: string): (name: string) => boolean {
  let re: RegExp;
  try {
    re = pattern[0] === '~' ? new RegExp(pattern.slice(1), 'y') : new RegExp(`^(?:${fnmatchSource(pattern)})$`, 's');
  } catch (error) {
    throw new InvalidInputError(`invalid host pattern '${pattern}': ${(error as Error).message}`, {
      fix: 'fix the regular expression after ~, or drop the ~ to use a glob',
      cause: error,
    });
  }
  return (name) => {
    re.lastIndex = 0;
    return re.test(name);
  };
}
