// unarchive: unpack a tar or zip archive into an existing directory on the host (Ansible's
// unarchive), with the base system's tar(1) and unzip(1). It changes only when an entry of the
// archive is missing from dest, differs in type or content, or lacks the wanted owner/group/mode:
// the archive's entries are read by extracting it into a private temporary directory (on the host
// for remote_src, on the controller otherwise) and compared with dest's files by SHA-256.
import { posix } from 'node:path';
import { z } from 'zod';
import { raw, sh, type Command } from '../src/command/command.js';
import { archiveManifestFact, extractCommand, type ArchiveEntry, type ArchiveManifest } from '../src/facts/archive-manifest.js';
import type { Fact } from '../src/facts/fact.js';
import { pathStatFact, type PathStat } from '../src/facts/path-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import type { CommandResult } from '../src/transport/transport.js';
import { fileAttributeParams, formatMode, resolveMode } from './support/file-attributes.js';
import { localArchiveManifest } from './support/local-archive.js';
import { readLocalSource } from './support/local-source.js';

const params = withAliases(
  {
    src: z.string().min(1).describe('The archive: a controller file (looked up in files/ as copy does), or with remote_src a file on the host.'),
    dest: z.string().min(1).describe('An existing directory on the host to unpack into.'),
    remote_src: z.boolean().default(false).describe('src is already on the host.'),
    creates: z.string().optional().describe('Do nothing when this path exists on the host.'),
    list_files: z.boolean().default(false).describe('Register the archive\'s entries as `files`.'),
    exclude: z.array(z.string()).default([]).describe('Entry names or patterns not to unpack (tar --exclude, unzip -x).'),
    keep_newer: z.boolean().default(false).describe('Leave files in dest that are newer than the archive\'s copy (tar --keep-newer-files, unzip -u).'),
    decrypt: z.boolean().default(true).describe('Decrypt a Vault-encrypted src on the controller (accepted; see README: Vault).'),
    validate_certs: z.boolean().default(true).describe('Accepted for compatibility; src URLs are not fetched (use get_url first).'),
    io_buffer_size: z.number().int().positive().optional().describe('Accepted for compatibility; tar reads the archive itself.'),
    ...fileAttributeParams,
  },
  {},
).superRefine((p, context) => {
  if (/^[a-z]+:\/\//i.test(p.src)) context.addIssue({ code: 'custom', path: ['src'], message: 'src is a URL: download it with get_url first, then unarchive it with remote_src: true' });
});

type Params = z.output<typeof params>;

/** What the plan compares: the archive's entries and what dest holds at each. */
export interface UnarchiveFacts {
  readonly creates?: PathStat;
  readonly dest: PathStat;
  readonly archive: ArchiveManifest;
  /** The controller archive's bytes (to send), when src is on the controller and was found. */
  readonly content?: Buffer;
  /** Why the controller archive could not be read. */
  readonly missing?: string;
  /** dest/ENTRY per entry, in the archive's order. */
  readonly current: readonly PathStat[];
}

const noStat = { follow: false, mime: false } as const;
const destStat = (p: Params) => pathStatFact(p.dest, { follow: true, mime: false });
const entryStat = (p: Params, entry: ArchiveEntry) => pathStatFact(posix.join(p.dest, entry.path), { ...noStat, checksum: 'sha256' });

/** What is read in the first round trip: dest, the creates path and (remote_src) the archive. */
export function unarchiveFacts(p: Params): Fact<unknown>[] {
  return [destStat(p), ...(p.creates === undefined ? [] : [pathStatFact(p.creates, noStat)]), ...(p.remote_src ? [archiveManifestFact(p.src, p.exclude)] : [])];
}

/** Ansible's handler name for the archive, by its name. */
export function handlerName(src: string): string {
  if (/\.zip$/i.test(src)) return 'ZipArchive';
  if (/\.tar$/i.test(src)) return 'TarArchive';
  if (/\.(tar\.bz2|tbz2?)$/i.test(src)) return 'TarBzipArchive';
  if (/\.(tar\.xz|txz)$/i.test(src)) return 'TarXzArchive';
  if (/\.(tar\.zst|tzst)$/i.test(src)) return 'TarZstdArchive';
  return 'TgzArchive';
}

/** Why dest's copy of `entry` is not what unpacking would leave; undefined when it is. */
export function entryDifference(entry: ArchiveEntry, current: PathStat, p: Params): string | undefined {
  if (!current.exists) return `${entry.path} is missing`;
  const type = current.stat.rawMode & 0o170000;
  const kind = type === 0o040000 ? 'directory' : type === 0o100000 ? 'file' : type === 0o120000 ? 'link' : 'other';
  if (kind !== entry.type) return `${entry.path} is a ${kind}, the archive has a ${entry.type}`;
  const newer = p.keep_newer && entry.mtime !== undefined && current.stat.mtime >= entry.mtime;
  if (entry.type === 'file' && current.checksum !== entry.sha256 && !newer) return `${entry.path} differs`;
  if (p.owner !== undefined && current.stat.owner !== p.owner) return `${entry.path} is owned by ${current.stat.owner}`;
  if (p.group !== undefined && current.stat.group !== p.group) return `${entry.path} has group ${current.stat.group}`;
  if (p.mode !== undefined && entry.type !== 'link' && (current.stat.rawMode & 0o7777) !== resolveMode(p.mode, current.stat.rawMode & 0o7777, kind === 'directory')) return `${entry.path} has mode ${formatMode(current.stat.rawMode & 0o7777)}`;
  return undefined;
}

/** Unpack, then set owner/group/mode on every entry as Ansible does (links: owner only, chown -h). */
export function unpackCommand(p: Params, entries: readonly ArchiveEntry[]): Command {
  const paths = entries.map((e) => posix.join(p.dest, e.path));
  const attributes: Command[] = [];
  if ((p.owner !== undefined || p.group !== undefined) && paths.length > 0) attributes.push(sh`chown -h ${`${p.owner ?? ''}${p.group === undefined ? '' : `:${p.group}`}`} ${paths}`);
  const modePaths = entries.filter((e) => e.type !== 'link').map((e) => posix.join(p.dest, e.path));
  if (p.mode !== undefined && modePaths.length > 0) attributes.push(sh`chmod ${typeof p.mode === 'number' ? formatMode(p.mode) : p.mode.symbolic} ${modePaths}`); // chmod(1) resolves a symbolic mode per entry, as Ansible does
  const after = attributes.map((c) => ` && ${c.text}`).join('');
  if (p.remote_src) {
    const extract = extractCommand(p.src, p.dest, p.exclude, p.keep_newer);
    return { text: `${extract.text}${after}`, display: `unpack ${p.src} into ${p.dest}` };
  }
  // The controller's bytes arrive on stdin into a private file; tar does not detect compression on a pipe.
  const extract = extractCommand(raw('"$t"/archive'), p.dest, p.exclude, p.keep_newer);
  return {
    text: sh`t=$(mktemp -d "\${TMPDIR:-/tmp}/beastie-unarchive.XXXXXXXX") || exit 1; ( cat > "$t"/archive && ${extract}${raw(after)} ); rc=$?; rm -rf "$t"; exit $rc`.text,
    display: `unpack ${p.src} into ${p.dest}`,
  };
}

/** Ansible's result keys about dest (its stat) and the archive. */
function resultValues(p: Params, facts: UnarchiveFacts): Record<string, unknown> {
  const entries = facts.archive.kind === 'entries' ? facts.archive.entries : [];
  const dest = facts.dest.exists ? facts.dest.stat : undefined;
  return {
    dest: p.dest,
    src: p.src,
    handler: handlerName(p.src),
    state: 'directory',
    ...(dest === undefined ? {} : { uid: dest.uid, gid: dest.gid, owner: dest.owner, group: dest.group, mode: formatMode(dest.rawMode & 0o7777), size: dest.size }),
    ...(p.list_files ? { files: entries.map((e) => (e.type === 'directory' ? `${e.path}/` : e.path)) } : {}),
  };
}

/** Compare the archive with dest and unpack when some entry is not there as the archive has it. */
export function planUnarchive(p: Params, facts: UnarchiveFacts): Plan {
  if (p.creates !== undefined && facts.creates?.exists === true) return { steps: [{ kind: 'noop', reason: `skipped, since ${p.creates} exists` }] };
  if (!facts.dest.exists || (facts.dest.stat.rawMode & 0o170000) !== 0o040000) return { steps: [], failure: `Destination '${p.dest}' is not a directory` };
  if (facts.missing !== undefined) return { steps: [], failure: facts.missing };
  if (facts.archive.kind === 'missing') return { steps: [], failure: `Source '${p.src}' does not exist` };
  if (facts.archive.kind === 'unreadable') {
    return { steps: [], failure: `Failed to find handler for "${p.src}". Make sure the required command to extract the file is installed.\n${facts.archive.message}` };
  }
  const values = resultValues(p, facts);
  const { entries } = facts.archive;
  const differences = entries.flatMap((entry, i) => {
    const current = facts.current[i];
    const difference = current === undefined ? `${entry.path} is missing` : entryDifference(entry, current, p);
    return difference === undefined ? [] : [difference];
  });
  if (differences.length === 0) return { steps: [{ kind: 'noop', reason: `the ${entries.length} entries of ${p.src} are in ${p.dest}` }], values };
  const shown = differences.slice(0, 5).join(', ') + (differences.length > 5 ? `, and ${differences.length - 5} more` : '');
  return {
    steps: [{ kind: 'change', summary: `unpack ${p.src} into ${p.dest} (${shown})`, actions: [{ kind: 'run', command: unpackCommand(p, entries), ...(facts.content === undefined ? {} : { stdin: facts.content }) }] }],
    values,
  };
}

/** Ansible's extract_results, from the unpacking command. */
export function extractResults(results: readonly CommandResult[]): Record<string, unknown> {
  const last = results.at(-1);
  return last === undefined ? {} : { extract_results: { cmd: last.command, rc: last.exitCode, out: last.stdout, err: last.stderr } };
}

export default defineModule({
  name: 'unarchive',
  summary: 'Unpack a tar or zip archive into a directory on the host',
  description:
    "Ansible's unarchive with the base system's tools: tar(1) for tar archives (gzip, bzip2, xz, zstd: tar " +
    'detects the compression) and unzip(1) for zip files. src is a controller file (sent to the host on stdin ' +
    'into a private temporary file) or, with remote_src, a file on the host. dest must be an existing ' +
    'directory. Idempotent: the archive is extracted into a private temporary directory (on the host for ' +
    'remote_src, on the controller otherwise) and each entry is compared with dest by type and SHA-256 (and ' +
    'owner/group/mode when given); it unpacks only when one differs. creates, exclude, keep_newer, list_files ' +
    '(`files`), owner/group/mode (set on every entry, as Ansible does) as in Ansible. Registers dest, src, ' +
    'handler, state, uid, gid, owner, group, mode, size, files and extract_results. Differences: no src URLs ' +
    '(use get_url), no include or extra_opts (options of GNU tar, which FreeBSD does not have).',
  params,
  example: `- name: Unpack the site into the web root
  unarchive:
    src: site.tar.gz
    dest: /usr/local/www/site
    owner: www
    group: www`,
  needs: (p) => unarchiveFacts(p),
  async observe(host, p): Promise<UnarchiveFacts> {
    const first = (await host.facts(...unarchiveFacts(p))) as unknown[];
    const dest = first[0] as PathStat;
    const creates = p.creates === undefined ? undefined : (first[1] as PathStat);
    const base = { dest, ...(creates === undefined ? {} : { creates }), current: [] as PathStat[] };
    if (creates?.exists === true || !dest.exists) return { ...base, archive: { kind: 'entries', entries: [] } };
    let archive: ArchiveManifest;
    let content: Buffer | undefined;
    if (p.remote_src) archive = first.at(-1) as ArchiveManifest;
    else {
      const source = await readLocalSource(p.src, host.vars, 'files');
      if (source.kind === 'missing') return { ...base, archive: { kind: 'entries', entries: [] }, missing: source.message };
      content = source.content;
      archive = await localArchiveManifest(source.path, p.exclude);
    }
    if (archive.kind !== 'entries') return { ...base, archive };
    const current = await host.facts(...archive.entries.map((entry) => entryStat(p, entry)));
    return { ...base, archive, ...(content === undefined ? {} : { content }), current };
  },
  plan({ params: p, facts }) {
    return planUnarchive(p, facts);
  },
  // The entries are compared again after unpacking: tar's exit status alone does not say dest holds them.
  verify({ params: p, facts }) {
    const plan = planUnarchive(p, facts);
    if (plan.failure !== undefined) return plan.failure;
    const change = plan.steps.find((s) => s.kind === 'change');
    return change?.kind === 'change' ? `after unpacking, ${change.summary.replace(/^unpack .* \(/, '').replace(/\)$/, '')}` : undefined;
  },
  register({ results }) {
    return extractResults(results);
  },
});
