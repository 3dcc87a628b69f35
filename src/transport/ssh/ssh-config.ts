// A small reader for ~/.ssh/config: `Host` blocks with patterns, first value wins. Our own rather
// than an npm package because beastie needs only matching and a handful of keywords, and OpenSSH's
// first-match rule is the part libraries most often get subtly different. `Match` blocks and
// `Include` are not followed; they are reported as ignored.
import { userInfo } from 'node:os';
import type { SshOption } from './ssh-option.js';

/** One `Keyword value` line with its line number. */
interface ConfigLine {
  readonly keyword: string;
  readonly value: string;
  readonly line: number;
}

/** A parsed config: the lines in file order, Host lines included. */
export interface SshConfig {
  readonly file: string;
  readonly lines: readonly ConfigLine[];
}

/** Parses config text; `Keyword value`, `Keyword=value`, quoted values, `#` comments. */
export function parseSshConfig(text: string, file: string): SshConfig {
  const lines: ConfigLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(trimmed);
    if (!match) throw new Error(`${file}:${index + 1}: cannot read '${trimmed}'`);
    let value = (match[2] ?? '').trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    lines.push({ keyword: match[1] ?? '', value, line: index + 1 });
  });
  return { file, lines };
}

/** OpenSSH's pattern match: `*` and `?` wildcards, case-insensitive. */
export function matchesPattern(name: string, pattern: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

/** A pattern list (`a b !c`, or comma-separated in known_hosts): a negated match vetoes. */
export function matchesPatternList(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchesPattern(name, pattern.slice(1))) return false;
    } else if (matchesPattern(name, pattern)) {
      matched = true;
    }
  }
  return matched;
}

/** `%h` host, `%p` port, `%r` remote user, `%u` local user, `%d` home, `%%`. */
function expandTokens(value: string, host: string): string {
  return value.replace(/%([%hnu])/g, (_all, token: string) => {
    if (token === '%') return '%';
    if (token === 'u') return userInfo().username;
    return host;
  });
}

/** The options that apply to `host` (the name given to ssh), in file order. */
export function sshConfigOptions(config: SshConfig, host: string): SshOption[] {
  const options: SshOption[] = [];
  let active = true;
  for (const line of config.lines) {
    const keyword = line.keyword.toLowerCase();
    const origin = `${config.file}:${line.line}`;
    if (keyword === 'host') {
      active = matchesPatternList(host, line.value.split(/\s+/));
      continue;
    }
    if (keyword === 'match') {
      active = false;
      options.push({ keyword: 'Match', value: line.value, origin });
      continue;
    }
    if (!active) continue;
    const value = keyword === 'hostname' || keyword === 'identityfile' || keyword === 'userknownhostsfile' ? expandTokens(line.value, host) : line.value;
    options.push({ keyword: line.keyword, value, origin });
  }
  return options;
}
