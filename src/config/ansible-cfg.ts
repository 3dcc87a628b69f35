// ansible.cfg found as Ansible finds it (lib/ansible/config/manager.py find_ini_config_file, see
// docs/ansible-config.md) and read with the rules of Python's configparser as Ansible uses it:
// `[section]` headers, `key = value` or `key: value`, keys case-insensitive, `#`/`;` comment
// lines, inline comments only after `;` preceded by whitespace, indented lines continuing the
// previous value, no `%` interpolation (Ansible reads with raw=True), a duplicate section or key
// an error as configparser's strict mode makes it.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '../errors.js';

/** One `key = value` entry with where it is. */
export interface IniEntry {
  readonly value: string;
  readonly line: number;
}

/** A read ansible.cfg: sections of lower-cased keys. */
export interface AnsibleCfg {
  readonly path: string;
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, IniEntry>>;
}

/** Where to look; injectable so tests do not depend on the machine's /etc or home. */
export interface CfgSearch {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string | undefined;
  /** /etc/ansible/ansible.cfg in real use. */
  readonly systemPath: string;
}

/** The file Ansible would use, and a warning when ./ansible.cfg was skipped. */
export interface CfgLocation {
  readonly path: string | undefined;
  readonly warnings: readonly string[];
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** First found wins: $ANSIBLE_CONFIG (a directory means DIR/ansible.cfg), ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg. */
export function findAnsibleCfg(search: CfgSearch): CfgLocation {
  const candidates: string[] = [];
  const fromEnv = search.env['ANSIBLE_CONFIG'];
  let envPath: string | undefined;
  if (fromEnv !== undefined) {
    envPath = resolve(search.cwd, expandUser(fromEnv, search.home));
    if (existsSync(envPath) && statSync(envPath).isDirectory()) envPath = join(envPath, 'ansible.cfg');
    candidates.push(envPath);
  }
  let skippedCwd = false;
  const cwdCfg = join(search.cwd, 'ansible.cfg');
  try {
    // A world-writable directory lets anyone plant an ansible.cfg there: Ansible skips it.
    if ((statSync(search.cwd).mode & 0o002) !== 0) skippedCwd = existsSync(cwdCfg);
    else candidates.push(cwdCfg);
  } catch {
    // An unreadable working directory is simply not a config source.
  }
  if (search.home !== undefined) candidates.push(join(search.home, '.ansible.cfg'));
  candidates.push(search.systemPath);
  const path = candidates.find(readable);
  const warnings =
    skippedCwd && path !== envPath
      ? [`beastie is being run in a world writable directory (${search.cwd}), ignoring it as an ansible.cfg source`]
      : [];
  return { path, warnings };
}

/** `~` and `~/x` as the home directory, as Ansible's unfrackpath expands them. */
export function expandUser(path: string, home: string | undefined): string {
  if (home === undefined) return path;
  return path === '~' || path.startsWith('~/') ? home + path.slice(1) : path;
}

/** Parse ansible.cfg text; a line configparser would refuse is an InvalidInputError at file:line. */
export function parseAnsibleCfg(text: string, path: string): AnsibleCfg {
  const sections = new Map<string, Map<string, IniEntry>>();
  let section: Map<string, IniEntry> | undefined;
  let last: { key: string; entry: IniEntry; lines: string[] } | undefined;
  const wrong = (line: number, message: string, fix: string) => new InvalidInputError(message, { source: { file: path, line, column: 1 }, fix });
  const finish = () => {
    if (last !== undefined && section !== undefined) section.set(last.key, { value: last.lines.join('\n').trim(), line: last.entry.line });
    last = undefined;
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const number = index + 1;
    const stripped = raw.trim();
    if (stripped === '' || stripped.startsWith('#') || stripped.startsWith(';')) {
      // An empty line ends a multi-line value; a comment line inside one is skipped.
      if (stripped === '') finish();
      return;
    }
    const text = withoutInlineComment(raw);
    if (/^\s/.test(raw) && last !== undefined) {
      last.lines.push(text.trim());
      return;
    }
    finish();
    const header = /^\[([^\]]+)\]/.exec(text.trim());
    if (header?.[1] !== undefined) {
      const name = header[1];
      if (sections.has(name)) throw wrong(number, `section [${name}] is given twice in ${path}`, 'merge the two sections into one');
      section = new Map();
      sections.set(name, section);
      return;
    }
    if (section === undefined) throw wrong(number, `${path} has a setting before any [section] header`, 'put settings under a header such as [defaults]');
    const match = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(text.trim());
    if (match?.[1] === undefined) throw wrong(number, `cannot read line ${number} of ${path}: '${stripped}'`, 'write `key = value`');
    const key = match[1].toLowerCase();
    if (section.has(key)) throw wrong(number, `key '${key}' is given twice in the same section of ${path}`, 'keep one of them');
    last = { key, entry: { value: '', line: number }, lines: [match[2] ?? ''] };
  });
  finish();
  return { path, sections };
}

/** configparser's inline_comment_prefixes=(';',): a `;` after whitespace starts a comment. */
function withoutInlineComment(line: string): string {
  const at = line.search(/\s;/);
  return at === -1 ? line : line.slice(0, at);
}

/** Find and read the ansible.cfg Ansible would use; undefined when there is none. */
export function loadAnsibleCfg(search: CfgSearch): { readonly cfg: AnsibleCfg | undefined; readonly warnings: readonly string[] } {
  const location = findAnsibleCfg(search);
  if (location.path === undefined) return { cfg: undefined, warnings: location.warnings };
  let text: string;
  try {
    text = readFileSync(location.path, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read ${location.path}: ${(error as Error).message}`, { fix: 'make the file readable, or point ANSIBLE_CONFIG elsewhere' });
  }
  return { cfg: parseAnsibleCfg(text, location.path), warnings: location.warnings };
}
