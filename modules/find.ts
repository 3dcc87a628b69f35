// find: the files under some paths that match name patterns, age, size, type and content —
// Ansible's find, as one find(1) walk on the host whose entries are stat'ed in bulk (stat -f, or
// GNU stat -c), filtered on the controller as Ansible's find does. Never changed.
import { z } from 'zod';
import { joinCommands, raw, sh, type Command } from '../src/command/command.js';
import { defineFact, type Fact } from '../src/facts/fact.js';
import type { PathStatRecord } from '../src/facts/path-stat.js';
import { namesThenLines, parseNamesThenLines } from '../src/facts/names-then-lines.js';
import { parseSections, sectionFrame } from '../src/facts/sections.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { statInfo } from './stat.js';
import { fnmatch } from '../src/text/fnmatch.js';
import { pathOperand } from '../src/command/path-operand.js';

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : v.split(',').map((x) => x.trim()).filter((x) => x !== '')));
/** Ansible's age: a number with an optional unit s m h d w, negative for "at most". */
const age = z.string().regex(/^-?\d+[smhdw]?$/, 'an age such as 2d, -1w or 3600').transform((v) => {
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[v.slice(-1)] ?? 1;
  return parseInt(v, 10) * unit;
});
/** Ansible's size: a number with an optional unit b k m g t (powers of 1024), negative for "at most". */
const size = z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^-?\d+[bkmgt]?$/, 'a size such as 10m or -1k')).transform((v) => {
  const unit = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[v.slice(-1)] ?? 1;
  return parseInt(v, 10) * unit;
});

/** A directory to search: one line of text (the walk's output is read line by line). */
const searchPath = z.string().regex(/^[^\n]+$/, 'a path on one line');

/**
 * `path` as find(1)'s operand: FreeBSD usr.bin/find/main.c ends the list of paths at the first
 * argument that starts with '-' or is '!' or '(' (POSIX), so such a relative path is walked as
 * `./PATH`, and the names found are given back under PATH, as Ansible's os.walk names them.
 */
function operand(path: string): string {
  return path === '!' || path === '(' ? `./${path}` : pathOperand(path);
}

/** A name the walk of `path` printed, under `path` as written. */
function asWritten(path: string, name: string): string {
  const walked = operand(path);
  return walked !== path && name.startsWith(walked) ? path + name.slice(walked.length) : name;
}

const params = withAliases(
  {
    paths: list.pipe(z.array(searchPath).min(1)).describe('The directories to search.'),
    patterns: list.default([]).describe('Shell globs (or regular expressions with use_regex) the base name must match; any one.'),
    excludes: list.optional().describe('Patterns whose matches are left out.'),
    contains: z.string().optional().describe('A regular expression (extended, as grep -E) a regular file\'s content must match.'),
    file_type: z.enum(['file', 'directory', 'link', 'any']).default('file'),
    recurse: z.boolean().default(false).describe('Descend into subdirectories.'),
    depth: z.number().int().positive().optional().describe('With recurse: at most this many levels.'),
    age: age.optional().describe('At least this old (negative: at most), by age_stamp.'),
    age_stamp: z.enum(['atime', 'mtime', 'ctime']).default('mtime'),
    size: size.optional().describe('At least this big (negative: at most); regular files.'),
    hidden: z.boolean().default(false).describe('Include names starting with a dot.'),
    follow: z.boolean().default(false).describe('Follow symbolic links (find -L).'),
    get_checksum: z.boolean().default(false).describe('Add the sha1 checksum of each regular file.'),
    use_regex: z.boolean().default(false).describe('patterns and excludes are regular expressions (matched at the start of the name, as Python\'s re.match).'),
  },
  { paths: ['name', 'path'], patterns: ['pattern'], excludes: ['exclude'] },
);

type Params = z.output<typeof params>;

// One line of fields per entry, without its name: a name may hold a newline, and a name made of a
// newline and a whole line of fields would add an entry the directory does not hold. The names
// come apart, each ended by a NUL (which no name holds), in the order of the lines.
const BSD = '%d %i %p %l %u %g %z %Fa %Fm %Fc %Su %Sg';
const GNU = '%d %i %f %h %u %g %s %.9X %.9Y %.9Z %U %G';

/** The walk of one path: find(1) options from the params alone. */
function walk(path: string, p: Params, action: Command): Command {
  const depth = !p.recurse ? raw(' -maxdepth 1') : p.depth === undefined ? raw('') : raw(` -maxdepth ${p.depth}`);
  return sh`find ${raw(p.follow ? '-L ' : '')}${path} -mindepth 1${depth} ${action}`;
}

/**
 * The one command: host time, stat lines per path, and the checksum and contains lists, as sections
 * of one frame. A path that is not a directory prints a section `missing N` instead of `stat N`:
 * its absence is said by the frame's own markers, which nothing the host prints can forge.
 */
export function findCommand(p: Params): Command {
  const frame = sectionFrame();
  const parts: Command[] = [frame.open, frame.section('now', sh`date +%s`)];
  p.paths.forEach((written, index) => {
    const path = operand(written);
    const stat = (format: string, fields: string) => {
      const command = `stat ${p.follow ? '-L ' : ''}${format} '${fields}' --`;
      return sh`-exec sh -c ${namesThenLines(`${command} "$@"`, `${command} "$f"`)} sh {} +`;
    };
    const statWalk = sh`if stat -f %z / 2>/dev/null | grep -Eqx '[0-9]+'; then ${walk(path, p, stat('-f', BSD))}; else ${walk(path, p, stat('-c', GNU))}; fi`;
    parts.push(sh`if [ -d ${path} ]; then ${frame.section(`stat ${index}`, statWalk)}; else ${frame.section(`missing ${index}`, sh`:`)}; fi`);
    // sha1 -q prints the digest alone (FreeBSD sbin/md5); GNU's sha1sum, which escapes odd names, reads each file on stdin.
    const sha1 = namesThenLines('sha1 -q -- "$@"', 'sha1 -q -- "$f"');
    const sha1sum = namesThenLines('false', 'h=$(sha1sum < "$f") && printf \'%s\\n\' "${h%% *}"');
    if (p.get_checksum) parts.push(frame.section(`sha1 ${index}`, sh`if command -v sha1 >/dev/null 2>&1; then ${walk(path, p, sh`-type f -exec sh -c ${sha1} sh {} +`)}; else ${walk(path, p, sh`-type f -exec sh -c ${sha1sum} sh {} +`)}; fi`));
    // grep --null ends each name it lists with a NUL (FreeBSD usr.bin/grep, GNU grep alike).
    if (p.contains !== undefined) parts.push(frame.section(`contains ${index}`, walk(path, p, sh`-type f -exec grep -El --null -e ${p.contains} {} +`)));
  });
  parts.push(frame.close);
  return joinCommands(parts, ';');
}

/** What the walk found. */
export interface FindFacts {
  readonly now: number;
  readonly entries: readonly { readonly path: string; readonly stat: PathStatRecord }[];
  readonly missing: readonly string[];
  readonly checksums: ReadonlyMap<string, string>;
  readonly containing: ReadonlySet<string>;
}

/** One entry: its name and its line of fields (format BSD or GNU above); undefined for `-` (a failed stat). */
function parseEntry(path: string, line: string): { path: string; stat: PathStatRecord } | undefined {
  const match = /^(\d+) (\d+) ([0-9a-f]+) (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\S+) (\S+)$/.exec(line);
  if (match === null) return undefined;
  const [, dev, inode, mode = '0', nlink, uid, gid, bytes, atime, mtime, ctime, owner = '', group = ''] = match;
  // BSD's %p is octal with the type bits (at least 5 digits), GNU's %f hex (at most 4).
  const rawMode = parseInt(mode, mode.length <= 4 ? 16 : 8);
  return { path, stat: { dev: Number(dev), inode: Number(inode), rawMode, nlink: Number(nlink), uid: Number(uid), gid: Number(gid), size: Number(bytes), atime: Number(atime), mtime: Number(mtime), ctime: Number(ctime), blocks: 0, blockSize: 0, rdev: 0, owner, group } };
}

/** Parse the sectioned output. BSD modes are octal (6 digits), GNU's hex (at most 4). */
export function parseFind(stdout: string, p: Params): FindFacts {
  const sections = parseSections(stdout);
  const entries: { path: string; stat: PathStatRecord }[] = [];
  const missing: string[] = [];
  const checksums = new Map<string, string>();
  const containing = new Set<string>();
  p.paths.forEach((path, index) => {
    if (sections.has(`missing ${index}`)) {
      missing.push(path);
      return;
    }
    for (const [name, line] of parseNamesThenLines(sections.get(`stat ${index}`) ?? '')) {
      const entry = parseEntry(asWritten(path, name), line);
      if (entry !== undefined) entries.push(entry);
    }
    for (const [name, line] of parseNamesThenLines(sections.get(`sha1 ${index}`) ?? '')) if (/^[0-9a-f]{40}$/.test(line)) checksums.set(asWritten(path, name), line);
    for (const name of (sections.get(`contains ${index}`) ?? '').split('\0')) if (name !== '') containing.add(asWritten(path, name));
  });
  return { now: Number((sections.get('now') ?? '0').trim()), entries, missing, checksums, containing };
}

/** Ansible's pfilter: any pattern matches the base name and no exclude does. */
function nameMatches(name: string, p: Params): boolean {
  const match = (pattern: string) => (p.use_regex ? new RegExp(`^(?:${pattern})`).test(name) : fnmatch(name, pattern));
  const included = p.patterns.length === 0 || p.patterns.some(match);
  return included && !(p.excludes ?? []).some(match);
}

/** Ansible's find main(): filter the entries and build `files`. */
export function planFind(p: Params, facts: FindFacts): Plan {
  const files: Record<string, unknown>[] = [];
  for (const { path, stat } of facts.entries) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (!p.hidden && name.startsWith('.')) continue;
    const type = stat.rawMode & 0o170000;
    const kind = type === 0o040000 ? 'directory' : type === 0o100000 ? 'file' : type === 0o120000 ? 'link' : 'other';
    if (p.file_type !== 'any' && p.file_type !== kind) continue;
    if (!nameMatches(name, p)) continue;
    if (p.age !== undefined) {
      const elapsed = facts.now - stat[p.age_stamp];
      if (p.age >= 0 ? elapsed < p.age : elapsed > -p.age) continue;
    }
    if (kind === 'file' && p.size !== undefined && (p.size >= 0 ? stat.size < p.size : stat.size > -p.size)) continue;
    if (kind === 'file' && p.contains !== undefined && !facts.containing.has(path)) continue;
    const checksum = facts.checksums.get(path);
    files.push({ path, ...statInfo(stat), ...(checksum === undefined ? {} : { checksum }) });
  }
  const msg = facts.missing.map((path) => `${path} was skipped as it does not seem to be a valid directory or it cannot be accessed\n`).join('');
  const values = { files, matched: files.length, examined: facts.entries.length, skipped_paths: Object.fromEntries(facts.missing.map((path) => [path, `${path} was skipped as it does not seem to be a valid directory or it cannot be accessed`])), msg: msg === '' ? 'All paths examined' : msg };
  return { steps: [{ kind: 'noop', reason: `${files.length} of ${facts.entries.length} entries match` }], values };
}

/** The walk as a fact, from the params alone. */
export function findFact(p: Params): Fact<FindFacts> {
  return defineFact(`find:${JSON.stringify(p)}`, findCommand(p), (o) => parseFind(o.stdout, p));
}

export default defineModule({
  name: 'find',
  summary: 'List the files under paths that match patterns, age, size, type or content',
  description:
    "Ansible's find: one find(1) walk per path (-mindepth 1, -maxdepth 1 unless recurse, or depth; -L with " +
    'follow) stats every entry in bulk; the controller keeps those whose base name matches patterns (globs, or ' +
    'regular expressions with use_regex) and not excludes, of file_type, old enough (age, by age_stamp), big ' +
    'enough (size) and, for files, whose content matches contains (grep -E on the host). Names starting with a ' +
    'dot only with hidden. Registers files (each with path and stat\'s keys, and checksum with get_checksum), ' +
    'matched, examined, skipped_paths and msg. Never changed. Differences from Ansible: contains is an extended ' +
    'regular expression for grep -E, not Python\'s; no read_whole_file, mode or encoding.',
  params,
  example: `- name: Old guest logs
  find:
    paths: /vms
    patterns: "vm-bhyve.log*"
    recurse: true
    age: 4w
  register: old_logs`,
  needs: (p) => [findFact(p)],
  async observe(host, p) {
    const [found] = await host.facts(findFact(p));
    return found;
  },
  plan({ params: p, facts }) {
    return planFind(p, facts);
  },
});
