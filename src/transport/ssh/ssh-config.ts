// A small reader for ssh_config files (~/.ssh/config, then /etc/ssh/ssh_config): `Host` blocks
// with patterns, `Include` with wildcards, first value wins. Our own rather than an npm package
// because beastie needs only matching and a handful of keywords, and OpenSSH's first-match and
// Include-scoping rules are the parts libraries most often get subtly different. `Match` blocks
// are not evaluated; they are reported as ignored.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { expandHome, type SshOption } from './ssh-option.js';

/** One `Keyword value` line with its line number; an Include line carries the files it read. */
interface ConfigLine {
  readonly keyword: string;
  readonly value: string;
  readonly line: number;
  readonly included?: readonly SshConfig[];
}

/** A parsed config: the lines in file order, Host lines included. */
export interface SshConfig {
  readonly file: string;
  readonly lines: readonly ConfigLine[];
}

/** OpenSSH's limit on nested Include. */
const MAX_INCLUDE_DEPTH = 16;

/** Files an Include pattern names: `*` and `?` in the last path component, sorted like glob(3). */
function includeFiles(pattern: string, relativeTo: string): string[] {
  const path = isAbsolute(expandHome(pattern)) ? expandHome(pattern) : join(relativeTo, pattern);
  const dir = dirname(path);
  const base = path.slice(dir.length + 1);
  if (!/[*?]/.test(base)) return existsSync(path) ? [path] : [];
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && matchesPattern(name, base))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Reads a config file and the files it includes (relative names are under `includeDir`:
 * ~/.ssh for the user's file, /etc/ssh for the system's). A missing file is an empty config.
 */
export function loadSshConfig(file: string, includeDir: string, depth = 0): SshConfig {
  if (!existsSync(file)) return { file, lines: [] };
  const config = parseSshConfig(readFileSync(file, 'utf8'), file);
  const lines = config.lines.map((line) => {
    if (line.keyword.toLowerCase() !== 'include') return line;
    if (depth >= MAX_INCLUDE_DEPTH) throw new Error(`${file}:${line.line}: Include nested more than ${MAX_INCLUDE_DEPTH} deep`);
    const included = line.value
      .split(/\s+/)
      .flatMap((pattern) => includeFiles(pattern, includeDir))
      .map((path) => loadSshConfig(path, includeDir, depth + 1));
    return { ...line, included };
  });
  return { file, lines };
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

/** `%h` and `%n` the host as given, `%u` local user, `%d` local home, `%%`. */
function expandTokens(value: string, host: string): string {
  return value.replace(/%([%hnud])/g, (_all, token: string) => {
    if (token === '%') return '%';
    if (token === 'u') return userInfo().username;
    if (token === 'd') return homedir();
    return host;
  });
}

/**
 * The options that apply to `host` (the name given to ssh), in file order. An included file
 * starts in the including block's state, and its Host lines do not change the including file's.
 */
export function sshConfigOptions(config: SshConfig, host: string, startActive = true): SshOption[] {
  const options: SshOption[] = [];
  let active = startActive;
  for (const line of config.lines) {
    const keyword = line.keyword.toLowerCase();
    const origin = `${config.file}:${line.line}`;
    if (keyword === 'include') {
      if (active) for (const included of line.included ?? []) options.push(...sshConfigOptions(included, host, true));
      continue;
    }
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
