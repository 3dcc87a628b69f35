// ansible_local: the *.fact files of a fact_path (default /etc/ansible/facts.d), read as
// ansible-core 2.14's module_utils/facts/system/local.py reads them: in sorted order, an executable
// one (owner execute bit, after following links) is run and its stdout read, any other is read as
// a file; the text is JSON, else INI read as Python's configparser reads it, else an error text
// in place of the fact. One /bin/sh command of base tools (find, od, cat); every file name, output
// and error travels as data in nonce-framed sections (sections.ts), never as shell source.
import { sh, type Command } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';
import { parseSectionList, sectionFrame } from './sections.js';
import { pyRepr } from '../jinja/values.js';

/** Ansible's default fact_path. */
export const FACT_PATH = '/etc/ansible/facts.d';

/** The one read of `factPath`: for each *.fact, its hex-encoded name and what reading it gave. */
export function localFactsCommand(factPath: string): Command {
  const frame = sectionFrame();
  // Section names are `KIND:HEXNAME`: a file name may hold any byte but / and NUL.
  const each = sh`n=$(printf '%s' "\${f##*/}" | od -An -v -tx1 | tr -d ' \\n')
x=$(find -L "$f" -prune -perm -0100 2>/dev/null)
if [ ! -e "$f" ]; then
${frame.section(sh`"missing:$n"`, sh`:`)}
elif [ -d "$f" ]; then
${frame.section(sh`"dir\${x:+-x}:$n"`, sh`:`)}
elif [ ! -f "$f" ]; then
  :
elif [ -n "$x" ]; then
${frame.section(sh`"out:$n"`, sh`{ e=$("$f" </dev/null 2>&1 1>&3 3>&-; r=$?; printf x; exit "$r"); rc=$?; } 3>&1`)}
${frame.section(sh`"rc:$n"`, sh`printf '%s' "$rc"`)}
${frame.section(sh`"err:$n"`, sh`printf '%s' "\${e%x}"`)}
else
${frame.section(sh`"file:$n"`, sh`cat -- "$f"`)}
fi`;
  return sh`d=${factPath}
${frame.open}
if [ -d "$d" ]; then for f in "$d"/*.fact; do
  [ -e "$f" ] || [ -L "$f" ] || continue
${each}
done; fi
${frame.close}`;
}

/** What one *.fact gave, before it is read as JSON or INI. */
type Entry = { kind: 'file' | 'out'; text: string; rc?: number; err?: string } | { kind: 'missing' | 'dir' | 'dir-x' };

/**
 * What local.py makes of a fact_path: ansible_local; or the setup module fails (a directory named
 * *.fact that its owner may execute: run_command's OSError is fail_json); or the collector raised
 * (a configparser interpolation error escapes local.py's handlers) and ansible_local is left out.
 */
export type LocalFacts =
  | { readonly kind: 'read'; readonly local: Record<string, unknown> }
  | { readonly kind: 'failed'; readonly msg: string; readonly cmd: string }
  | { readonly kind: 'raised'; readonly error: string };

/** A section name's hex back to the file name (UTF-8). */
function unhex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('utf8');
}

/** Parse {@link localFactsCommand}'s output into ansible_local, as local.py builds it. */
export function parseLocalFacts(output: FactOutput, factPath: string = FACT_PATH): LocalFacts {
  const entries = new Map<string, Entry>();
  for (const [section, text] of parseSectionList(output.stdout)) {
    const [kind = '', hex = ''] = section.split(':');
    const name = unhex(hex);
    const entry = entries.get(name);
    if (kind === 'missing' || kind === 'dir' || kind === 'dir-x') entries.set(name, { kind });
    else if (kind === 'file' || kind === 'out') entries.set(name, { kind, text });
    else if (kind === 'rc' && entry?.kind === 'out') entry.rc = Number(text);
    else if (kind === 'err' && entry?.kind === 'out') entry.err = text;
  }
  // glob.glob(fact_path + '/*.fact') names each file under the path as written, without its trailing slashes.
  const dir = factPath.length > 1 ? factPath.replace(/\/+$/, '') : factPath;
  const local: Record<string, unknown> = {};
  for (const [name, entry] of entries) {
    const fn = `${dir}/${name}`;
    const base = name.replaceAll('.fact', '');
    if (entry.kind === 'missing') local[base] = `Could not stat fact (${fn}): [Errno 2] No such file or directory: ${pyRepr(fn)}`;
    else if (entry.kind === 'dir-x') return { kind: 'failed', msg: `[Errno 13] Permission denied: b${pyRepr(fn)}`, cmd: fn };
    // get_file_content of a directory fails, and its default '' reads as INI without sections.
    else if (entry.kind === 'dir') local[base] = {};
    else if (entry.kind === 'out' && entry.rc !== 0) local[base] = `Failure executing fact script (${fn}), rc: ${String(entry.rc ?? '')}, err: ${entry.err ?? ''}`;
    else if (entry.kind === 'file' || entry.kind === 'out') {
      const fact = readLocalFact(entry.text, fn);
      if (fact.kind === 'raised') return fact;
      local[base] = fact.value;
    }
  }
  return { kind: 'read', local };
}

/** ansible_local read from `factPath` (local.py: {} when the path does not exist). */
export function localFactsFact(factPath: string): Fact<LocalFacts> {
  // A script may read anything, so the fact is tied to no single file subject.
  return defineFact(`local-facts:${factPath}`, localFactsCommand(factPath), (output) => parseLocalFacts(output, factPath));
}

/** A configparser error: the fact becomes local.py's message for it. */
class IniError extends Error {}

/**
 * A facts.d file's text as local.py reads it: json.loads, else configparser (full-line # and ;
 * comments, = or : delimiters, lower-cased option names, indented continuation lines, DEFAULT
 * options in every section, strict: a repeated section or option is an error), its values got with
 * BasicInterpolation (%% and %(name)s), else local.py's error text naming the file. An
 * interpolation error is raised inside local.py's `except ValueError:` handler, which its sibling
 * `except Exception` does not catch: the whole collector stops ('raised').
 */
export function readLocalFact(text: string, fn: string): { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'raised'; readonly error: string } {
  try {
    return { kind: 'value', value: JSON.parse(text) };
  } catch {
    // not JSON: INI below
  }
  let parsed: { sections: Map<string, Map<string, string[]>>; defaults: Map<string, string[]> };
  try {
    parsed = readIni(text);
  } catch (error) {
    if (error instanceof IniError) return { kind: 'value', value: `error loading facts as JSON or ini - please check content: ${fn}` };
    throw error;
  }
  const fact: Record<string, Record<string, string>> = {};
  try {
    for (const [name, options] of parsed.sections) {
      // cp.options(): the section's own options, then DEFAULT's others; cp.get() prefers the section's.
      const merged = new Map([...options, ...[...parsed.defaults].filter(([key]) => !options.has(key))]);
      const values = new Map([...merged].map(([key, lines]) => [key, lines.join('\n').trimEnd()]));
      fact[name] = Object.fromEntries([...values].map(([key, raw]) => [key, interpolate({ values, section: name, option: key, raw }, raw, 1)]));
    }
  } catch (error) {
    if (error instanceof IniError) return { kind: 'raised', error: error.message };
    throw error;
  }
  return { kind: 'value', value: fact };
}

/** {@link readLocalFact}'s value, or the text of what was raised: for one file read alone. */
export function parseLocalFact(text: string, fn = ''): unknown {
  const fact = readLocalFact(text, fn);
  return fact.kind === 'value' ? fact.value : fact.error;
}

/** configparser's RawConfigParser._read with its defaults, keeping each value's lines. */
function readIni(text: string): { sections: Map<string, Map<string, string[]>>; defaults: Map<string, string[]> } {
  const sections = new Map<string, Map<string, string[]>>();
  const defaults = new Map<string, string[]>();
  const added = new Set<string>();
  let current: Map<string, string[]> | undefined;
  let sectionName = '';
  let option: string | undefined;
  let indentLevel = 0;
  let failed = false;
  // StringIO iterates lines keeping their ends; a last line may lack one.
  for (const line of text.split(/(?<=\n)/)) {
    const stripped = line.trim();
    const comment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = comment ? '' : stripped;
    if (value === '') {
      // empty_lines_in_values: an empty line (not a comment) belongs to the value being read.
      if (!comment && current !== undefined && option !== undefined) current.get(option)?.push('');
      continue;
    }
    const indent = /\S/.exec(line)?.index ?? 0;
    if (current !== undefined && option !== undefined && indent > indentLevel) {
      current.get(option)?.push(value);
      continue;
    }
    indentLevel = indent;
    const header = /^\[(.+)\]/.exec(value);
    if (header?.[1] !== undefined) {
      sectionName = header[1];
      const existing = sections.get(sectionName);
      if (existing !== undefined) {
        if (added.has(sectionName)) throw new IniError(`While reading from '<???>' [line ?]: section '${sectionName}' already exists`);
        current = existing;
      } else if (sectionName === 'DEFAULT') current = defaults;
      else {
        current = new Map();
        sections.set(sectionName, current);
      }
      added.add(sectionName);
      option = undefined;
      continue;
    }
    if (current === undefined) throw new IniError('File contains no section headers.');
    const pair = /^(.*?)\s*([=:])\s*(.*)$/.exec(value);
    if (pair === null || pair[1] === '') {
      // A ParsingError is collected and raised once the whole file is read.
      failed = true;
      continue;
    }
    option = (pair[1] ?? '').trimEnd().toLowerCase();
    const key = `${sectionName}\u0000${option}`;
    if (added.has(key)) throw new IniError(`option '${option}' in section '${sectionName}' already exists`);
    added.add(key);
    current.set(option, [(pair[3] ?? '').trim()]);
  }
  if (failed) throw new IniError('Source contains parsing errors');
  return { sections, defaults };
}

/** Where a value is being interpolated, for configparser's error texts. */
interface Interpolating {
  readonly values: ReadonlyMap<string, string>;
  readonly section: string;
  readonly option: string;
  readonly raw: string;
}

/** BasicInterpolation._interpolate_some: %% is %, %(name)s the option's value (recursively, at most 10 deep). */
function interpolate(at: Interpolating, value: string, depth: number): string {
  const where = `option ${pyRepr(at.option)} in section ${pyRepr(at.section)}`;
  if (depth > 10) throw new IniError(`Recursion limit exceeded in value substitution: ${where} contains an interpolation key which cannot be substituted in 10 steps. Raw value: ${pyRepr(at.raw)}`);
  let out = '';
  let rest = value;
  while (rest !== '') {
    const percent = rest.indexOf('%');
    if (percent < 0) return out + rest;
    out += rest.slice(0, percent);
    rest = rest.slice(percent);
    const next = rest[1];
    if (next === '%') {
      out += '%';
      rest = rest.slice(2);
    } else if (next === '(') {
      const match = /^%\(([^)]+)\)s/.exec(rest);
      if (match?.[1] === undefined) throw new IniError(`bad interpolation variable reference ${pyRepr(rest)}`);
      const name = match[1].toLowerCase();
      const referenced = at.values.get(name);
      if (referenced === undefined) throw new IniError(`Bad value substitution: ${where} contains an interpolation key ${pyRepr(name)} which is not a valid option name. Raw value: ${pyRepr(at.raw)}`);
      // The nested call names the referenced option, as _interpolate_some's recursion does.
      out += referenced.includes('%') ? interpolate({ ...at, option: name, raw: referenced }, referenced, depth + 1) : referenced;
      rest = rest.slice(match[0].length);
    } else throw new IniError(`'%' must be followed by '%' or '(', found: ${pyRepr(rest)}`);
  }
  return out;
}
