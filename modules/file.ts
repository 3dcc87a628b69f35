// file: a path is a file, a directory, a symbolic link, or absent, with the wanted mode and owner.
import { z } from 'zod';
import { joinCommands, raw, sh, type Command } from '../src/command/command.js';
import { defineFact, fileSubject, type Fact } from '../src/facts/fact.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { linkFollowFact, type FollowedLink } from '../src/facts/link-follow.js';
import { pathStatFact, type PathStat } from '../src/facts/path-stat.js';
import { treeStatFact, type TreeEntry } from '../src/facts/tree-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';
import { attributeCommands, attributeDifferences, withAttributesNotes, fileAttributeParams, formatMode, resolveMode } from './support/file-attributes.js';
import { pathOperand } from '../src/command/path-operand.js';
import { stillNotAsWanted } from '../src/module-api/changes-left.js';

const params = withAliases(
  {
    path: z.string().min(1).describe('The path on the host.'),
    state: z
      .enum(['file', 'directory', 'absent', 'touch', 'link', 'hard'])
      .optional()
      .describe('file: must exist (only attributes change); directory: mkdir -p; absent: rm -rf; touch: create when missing; link: symbolic link to src; hard: hard link to src. Default: what the path is now, else file.'),
    src: z.string().optional().describe('Target of the link (state link or hard).'),
    force: z.boolean().default(false).describe('state link/hard: replace a file (or an empty directory, link) at path.'),
    recurse: z.boolean().default(false).describe('state directory: set mode/owner/group on everything below path too (links: owner only).'),
    follow: z
      .boolean()
      .default(true)
      .describe("A symbolic link at path: mode/owner/group (and state file/directory/touch) act on its target, at the link's real path, as Ansible's file (default true there too); false: on the link itself (chown -h, and chmod -h where links have a mode: FreeBSD)."),
    modification_time: z.string().optional().describe("'now', 'preserve', or a time in modification_time_format (touch -m -t)."),
    modification_time_format: z.string().default('%Y%m%d%H%M.%S').describe('strptime format of modification_time (%Y %y %m %d %H %M %S).'),
    access_time: z.string().optional().describe("'now', 'preserve', or a time in access_time_format (touch -a -t)."),
    access_time_format: z.string().default('%Y%m%d%H%M.%S').describe('strptime format of access_time.'),
    _diff_peek: z
      .boolean()
      .optional()
      .describe("Internal, as Ansible's action plugins pass it (plugins/action/__init__.py _get_diff_data): change nothing, return appears_binary (a NUL byte in the first 8192) and the path's state, mode, owner, group, uid, gid and size."),
    ...fileAttributeParams,
  },
  { path: ['dest', 'name'] },
).superRefine((p, context) => {
    // state link or hard without src updates an existing link (ensure_symlink keeps its target;
    // ensure_hardlink, 2.14, accepts a path that is already a hard link); only a new one needs src, which the plan says.
    if (p.src !== undefined && p.state !== 'link' && p.state !== 'hard') context.addIssue({ code: 'custom', path: ['src'], message: 'src is only for state link or hard' });
    // Without state the path's own decides, when the task runs (modules/file.py): see planState.
    if (p.recurse && p.state !== undefined && p.state !== 'directory') context.addIssue({ code: 'custom', path: ['recurse'], message: "recurse option requires state to be 'directory'" });
    for (const [key, format] of [['modification_time', p.modification_time_format], ['access_time', p.access_time_format]] as const) {
      const text = p[key];
      if (text === undefined || text === 'now' || text === 'preserve') continue;
      const parsed = parseTime(text, format);
      if (typeof parsed === 'string') context.addIssue({ code: 'custom', path: [key], message: `Error while obtaining timestamp for time ${text} using format ${format}: ${parsed}` });
    }
  });

/** The fields of a time written in a strptime format; a string says why it does not match. */
export function parseTime(text: string, format: string): { readonly stamp: string; readonly iso: string } | string {
  const fields: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  let pattern = '';
  const order: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const char = format[i] ?? '';
    if (char !== '%') {
      pattern += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const directive = format[++i] ?? '';
    if (directive === '%') pattern += '%';
    else if (directive === 'Y') (pattern += '(\\d{4})'), order.push('Y');
    else if ('ymdHMS'.includes(directive) && directive !== '') (pattern += '(\\d{1,2})'), order.push(directive);
    else return `the format directive %${directive} is not supported by beastie`;
  }
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (match === null) return `time data '${text}' does not match format '${format}'`;
  order.forEach((directive, index) => {
    const value = Number(match[index + 1]);
    if (directive === 'y') fields['Y'] = value < 69 ? 2000 + value : 1900 + value;
    else fields[directive] = value;
  });
  const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, '0');
  const { Y, m, d, H, M, S } = fields;
  if ((m ?? 0) < 1 || (m ?? 0) > 12 || (d ?? 0) < 1 || (d ?? 0) > 31 || (H ?? 0) > 23 || (M ?? 0) > 59 || (S ?? 0) > 61) return `time data '${text}' does not match format '${format}'`;
  return { stamp: `${pad(Y, 4)}${pad(m)}${pad(d)}${pad(H)}${pad(M)}.${pad(S)}`, iso: `${pad(Y, 4)}-${pad(m)}-${pad(d)} ${pad(H)}:${pad(M)}:${pad(S)}` };
}

/** The seconds since the epoch of a local time on the host (its own time zone, as Ansible's time.mktime). */
export function localTimeFact(time: { readonly stamp: string; readonly iso: string }): Fact<number | undefined> {
  return defineFact(
    `local-time:${time.stamp}`,
    sh`date -j -f %Y%m%d%H%M.%S ${time.stamp} +%s 2>/dev/null || date -d ${time.iso} +%s`,
    (output) => (/^-?\d+$/.test(output.stdout.trim()) ? Number(output.stdout.trim()) : undefined),
    [],
  );
}

type Params = z.output<typeof params>;

/** What file reads besides the path's lstat, when the parameters need it. */
export interface FileDetails {
  /** stat(2) fields of path: times (access/modification_time, links followed) and inode (state hard). */
  readonly detail?: PathStat;
  /** follow and a symbolic link at path: its real path and what is there. */
  readonly followed?: FollowedLink;
  /** src of a hard link. */
  readonly src?: PathStat;
  /** Everything below path (recurse). */
  readonly tree?: readonly TreeEntry[] | undefined;
  /** The epoch of each given time text, as the host's clock reads it. */
  readonly times?: Readonly<Record<string, number | undefined>>;
}

/** A time to set: a text the host converts, or now. */
function wantedTime(text: string | undefined, format: string): { readonly stamp: string; readonly iso: string } | 'now' | undefined {
  // Ansible's default: preserve, except touch, where beastie also preserves (README: touch stays idempotent).
  if (text === undefined || text === 'preserve') return undefined;
  if (text === 'now') return 'now';
  const parsed = parseTime(text, format);
  return typeof parsed === 'string' ? undefined : parsed;
}

/**
 * The stat(2) read of path: without following for state hard (its inode), else through a link, as
 * Ansible's update_timestamp_for_file reads and sets times with os.stat/os.utime, which follow links.
 */
function detailOptions(p: Params): { readonly follow: boolean; readonly mime: false } {
  return { follow: p.state !== 'hard', mime: false };
}

/** Whether the plan may act through a link at path (follow, and a state that reads it). */
function followsLink(p: Params): boolean {
  return p.follow && p.state !== 'absent' && p.state !== 'hard';
}

/** Every fact planFile reads, from the params alone. */
function fileFacts(p: Params) {
  const facts: Fact<unknown>[] = [fileStatFact(p.path)];
  const times = [wantedTime(p.modification_time, p.modification_time_format), wantedTime(p.access_time, p.access_time_format)];
  if (followsLink(p)) facts.push(linkFollowFact(p.path));
  if (p.state === 'hard' || times.some((t) => t !== undefined)) facts.push(pathStatFact(p.path, detailOptions(p)));
  if (p.state === 'hard' && p.src !== undefined) facts.push(pathStatFact(p.src, { follow: true, mime: false }));
  if (p.recurse) facts.push(treeStatFact(p.path));
  for (const time of times) if (time !== undefined && time !== 'now') facts.push(localTimeFact(time));
  return facts;
}

/** The path's state as diff text. */
function describe(stat: FileStat | undefined): string {
  if (stat === undefined) return 'state: absent\n';
  const state = stat.type === 'link' ? `link -> ${stat.linkTarget ?? '?'}` : stat.type;
  return `state: ${state}\nmode: ${formatMode(stat.mode)}\nowner: ${stat.owner}\ngroup: ${stat.group}\n`;
}

/** The wanted state as diff text. */
function describeWanted(p: Params, state: string, stat: FileStat | undefined): string {
  const mode = p.mode === undefined ? stat?.mode : resolveMode(p.mode, stat?.mode, state === 'directory');
  const lines = [`state: ${state}`];
  if (state !== 'absent') {
    if (mode !== undefined) lines.push(`mode: ${formatMode(mode)}`);
    if (p.owner ?? stat?.owner) lines.push(`owner: ${p.owner ?? stat?.owner ?? ''}`);
    if (p.group ?? stat?.group) lines.push(`group: ${p.group ?? stat?.group ?? ''}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** The steps that bring the path to the wanted state. */
export function planFile(p: Params, stat: FileStat | undefined, details: FileDetails = {}): Plan {
  const plan = planState(p, stat, details);
  if (plan.failure !== undefined || p.state === 'absent') return plan;
  // A followed link: the tree below is its target's (modules/file.py ensure_directory: realpath, then recursive_set_attributes).
  const followed = p.follow && stat?.type === 'link' ? details.followed : undefined;
  const tree = followed === undefined ? recurseSteps(p, stat, details) : recurseSteps({ ...p, path: followed.real }, followed.stat, details);
  const times = timeSteps(p, stat, details);
  if (typeof times === 'string') return { steps: [], failure: times };
  const extra = [...tree, ...times];
  return extra.length === 0 ? plan : { ...plan, steps: [...plan.steps, ...extra] };
}

/**
 * recurse: the attributes of everything below path, by find(1) — chmod resolves a symbolic mode per entry.
 * The tree may belong to a host user who swaps a file for a symbolic link while root walks it, so no name
 * handed to chown or chmod may lead outside the tree: -execdir runs them in the entry's own directory
 * (find checks each directory it enters) on a name without a slash, and -h acts on that name itself, never
 * on what a link swapped in after find's look points to (docs/file-writes.md, "file recurse").
 */
function recurseSteps(p: Params, stat: FileStat | undefined, details: FileDetails): Step[] {
  if (!p.recurse || stat?.type !== 'directory' || details.tree === undefined) return [];
  const owners = details.tree.filter((e) => (p.owner !== undefined && e.owner !== p.owner) || (p.group !== undefined && e.group !== p.group));
  const modes = p.mode === undefined ? [] : details.tree.filter((e) => e.type !== 'link' && e.mode !== resolveMode(p.mode ?? 0, e.mode, e.type === 'directory'));
  if (owners.length === 0 && modes.length === 0) return [];
  const commands: Command[] = [];
  // Checked before anything changes, so a host that cannot is refused whole, not half done.
  const noFollow = modes.length > 0 ? sh`${chmodNoFollow(p.path)}; ` : sh``;
  if (owners.length > 0) commands.push(sh`${noFollow}find ${pathOperand(p.path)} -mindepth 1 -execdir chown -h ${`${p.owner ?? ''}${p.group === undefined ? '' : `:${p.group}`}`} {} +`);
  if (modes.length > 0 && p.mode !== undefined) {
    const mode = typeof p.mode === 'number' ? formatMode(p.mode) : p.mode.symbolic;
    commands.push(sh`${noFollow}find ${pathOperand(p.path)} -mindepth 1 ! -type l -execdir chmod "$nofollow" ${mode} {} +`);
  }
  const count = new Set([...owners, ...modes].map((e) => e.path)).size;
  return [{ kind: 'change', summary: `${p.path}: attributes of ${count} ${count === 1 ? 'entry' : 'entries'} below it`, actions: commands.map((command) => ({ kind: 'run' as const, command })) }];
}

/**
 * Sets `nofollow` to this host's chmod option that changes a link itself, never its target:
 * FreeBSD's -h; GNU chmod's --no-dereference (coreutils 9.5 and later, which --help lists). A chmod
 * with neither (GNU coreutils before 9.5: a Linux controller on the local connection) would change
 * the target of a link swapped in for the last component, so the change is refused with the reason.
 */
function chmodNoFollow(path: string): Command {
  const refusal = `file: recurse with mode refused below ${path}: this host's chmod cannot leave a symbolic link's target alone (no -h or --no-dereference: GNU coreutils before 9.5), so a file swapped for a link while the tree is walked would have its target's mode changed (docs/file-writes.md, "file recurse")`;
  return sh`if [ "$(uname -s)" = FreeBSD ]; then nofollow=-h; elif chmod --help 2>/dev/null | grep -q -e --no-dereference; then nofollow=--no-dereference; else echo ${refusal} >&2; exit 1; fi`;
}

/** access_time / modification_time: touch -a/-m, with -t for a given time. */
function timeSteps(p: Params, stat: FileStat | undefined, details: FileDetails): Step[] | string {
  const steps: Step[] = [];
  const current = details.detail?.exists === true ? details.detail.stat : undefined;
  for (const [flag, text, format, now] of [['-m', p.modification_time, p.modification_time_format, current?.mtime], ['-a', p.access_time, p.access_time_format, current?.atime]] as const) {
    const time = wantedTime(text, format);
    if (time === undefined) continue;
    // os.utime follows a link, whatever follow says; touch(1) does too (without -h). A dangling one: os.stat fails.
    if (stat?.type === 'link' && current === undefined) return `Error while updating modification or access time: ${p.path} is a symbolic link to nothing`;
    const name = flag === '-m' ? 'modification time' : 'access time';
    if (time === 'now') {
      steps.push({ kind: 'change', summary: `${p.path}: ${name} now`, actions: [{ kind: 'run', command: sh`touch ${flag} ${pathOperand(p.path)}` }] });
      continue;
    }
    const wanted = details.times?.[time.stamp];
    if (wanted === undefined) return [{ kind: 'change', summary: `${p.path}: ${name} (the host could not read ${text})`, actions: [{ kind: 'run', command: sh`touch ${flag} -t ${time.stamp} ${pathOperand(p.path)}` }] }];
    if (now === wanted) continue;
    steps.push({ kind: 'change', summary: `${p.path}: ${name} ${text}`, actions: [{ kind: 'run', command: sh`touch ${flag} -t ${time.stamp} ${pathOperand(p.path)}` }] });
  }
  return steps;
}

/** The state and the path's own attributes. */
function planState(p: Params, stat: FileStat | undefined, details: FileDetails): Plan {
  // modules/file.py: no state is the path's present one, or directory with recurse, else file.
  const state = p.state ?? (stat === undefined ? (p.recurse ? 'directory' : 'file') : stat.type === 'directory' ? 'directory' : stat.type === 'link' ? 'link' : 'file');
  if (p.recurse && state !== 'directory') return { steps: [], failure: "recurse option requires state to be 'directory'" };
  const change = (summary: string, commands: Command[], wanted: string, header = p.path, current = stat): Step => ({
    kind: 'change',
    summary,
    actions: commands.map((command) => ({ kind: 'run' as const, command })),
    diff: { header, before: describe(current), after: wanted },
  });
  const attributesAt = (path: string, current: FileStat | undefined, isLink = false): Step => {
    // A link's own mode counts where it has one (FreeBSD, ownMode), as set_mode_if_different's os.lchmod there.
    const differences = attributeDifferences(current, p).filter((d) => !(isLink && d.startsWith('mode') && current?.ownMode !== true));
    if (differences.length === 0) return { kind: 'noop', reason: `${path} is a ${current?.type ?? 'missing path'} as wanted` };
    return change(`${path}: ${differences.join(', ')}`, attributeCommands(path, current, p, isLink), describeWanted(p, current?.type ?? state, current), path, current);
  };
  const attributes = (current: FileStat | undefined, isLink = false): Step => attributesAt(p.path, current, isLink);
  // follow (modules/file.py, load_file_common_arguments): a link's attributes are its target's, at its real path.
  const followed = followsLink(p) && stat?.type === 'link' ? details.followed : undefined;
  const lost: Plan | undefined = followsLink(p) && stat?.type === 'link' && followed === undefined ? { steps: [], failure: `${p.path} is a symbolic link whose real path could not be read` } : undefined;

  if (state === 'hard') return planHard(p, stat, details, change, attributes);
  if (lost !== undefined && (state !== 'link' || (stat?.type === 'link' && stat.linkTarget === (p.src ?? stat.linkTarget)))) return lost;
  switch (state) {
    case 'absent':
      if (stat === undefined) return { steps: [{ kind: 'noop', reason: `${p.path} is absent` }] };
      return { steps: [change(`remove ${p.path}`, [sh`rm -rf ${pathOperand(p.path)}`], 'state: absent\n')] };
    case 'file':
      if (followed !== undefined) {
        // ensure_file_attributes: prev_state = get_state(realpath); anything but file or hard: 'file (%s) is %s, cannot continue'.
        if (followed.stat?.type === 'file' || followed.stat?.type === 'other') return { steps: [attributesAt(followed.real, followed.stat)] };
        return { steps: [], failure: `file (${followed.real}) is ${followed.stat?.type ?? 'absent'}, cannot continue` };
      }
      if (stat === undefined) return { steps: [], failure: `file ${p.path} is absent, cannot continue — use state: touch to create it` };
      if (stat.type !== 'file') return { steps: [], failure: `${p.path} is a ${stat.type}, not a file` };
      return { steps: [attributes(stat)] };
    case 'directory':
      if (followed !== undefined) {
        // ensure_directory: the real path is created when absent ('%s already exists as a %s' otherwise).
        if (followed.stat === undefined) {
          return { steps: [change(`create directory ${followed.real} (${p.path} leads there)`, [sh`mkdir -p ${followed.real}`, ...attributeCommands(followed.real, undefined, p, false, true)], describeWanted(p, 'directory', undefined), followed.real, undefined)] };
        }
        if (followed.stat.type !== 'directory') return { steps: [], failure: `${followed.real} already exists as a ${followed.stat.type}` };
        return { steps: [attributesAt(followed.real, followed.stat)] };
      }
      if (stat === undefined) {
        return { steps: [change(`create directory ${p.path}`, [sh`mkdir -p ${pathOperand(p.path)}`, ...attributeCommands(p.path, undefined, p)], describeWanted(p, 'directory', undefined))] };
      }
      if (stat.type !== 'directory') return { steps: [], failure: `${p.path} already exists as a ${stat.type}, not a directory` };
      return { steps: [attributes(stat)] };
    case 'touch':
      // Times are preserved (Ansible's modification_time/access_time: preserve), so a second run changes nothing.
      if (stat === undefined) {
        return { steps: [change(`create ${p.path}`, [sh`touch ${pathOperand(p.path)}`, ...attributeCommands(p.path, undefined, p)], describeWanted(p, 'file', undefined))] };
      }
      if (followed !== undefined) {
        // execute_touch: the attributes are set at the real path; a dangling link there fails (os.lstat / os.utime).
        if (followed.stat === undefined) return { steps: [], failure: `Error while touching ${p.path}: it is a symbolic link to ${followed.real}, which does not exist` };
        return { steps: [attributesAt(followed.real, followed.stat)] };
      }
      // follow: false and a link there: execute_touch sets the link's own attributes (lchown, and lchmod on FreeBSD).
      return { steps: [attributes(stat, stat.type === 'link')] };
    case 'link': {
      // No src (no state, or state: link) and a link at path: ensure_symlink with src None keeps the
      // link's own target; anything else at path, or nothing, needs src (modules/file.py 2.14).
      if (p.src === undefined && stat?.type !== 'link') return { steps: [], failure: 'src is required for creating new symlinks' };
      const src = p.src ?? stat?.linkTarget ?? '';
      if (stat?.type === 'link' && stat.linkTarget === src) {
        if (followed === undefined) return { steps: [attributes(stat, true)] };
        if (followed.stat !== undefined) return { steps: [attributesAt(followed.real, followed.stat)] };
        return { steps: [{ kind: 'noop', reason: `${p.path} is a link to ${src} as wanted` }], notes: ['Cannot set fs attributes on a non-existent symlink target. follow should be set to False to avoid this.'] };
      }
      if (stat !== undefined && stat.type !== 'link' && !p.force) {
        return { steps: [], failure: `refusing to convert ${p.path} from a ${stat.type} to a symlink — set force: true to replace it` };
      }
      const replace = stat === undefined ? [] : stat.type === 'link' ? [] : [stat.type === 'directory' ? sh`rmdir ${pathOperand(p.path)}` : sh`rm -f ${pathOperand(p.path)}`];
      return {
        steps: [
          change(
            `link ${p.path} -> ${src}`,
            [...replace, sh`ln -sfn ${raw(src.startsWith('-') ? '-- ' : '')}${src} ${pathOperand(p.path)}`, ...newLinkAttributes(p)],
            `state: link -> ${src}\n`,
          ),
        ],
      };
    }
  }
}

/**
 * The attributes of a link just made: with follow, its target's when there is one (chown and chmod
 * without -h follow the link; Ansible warns and sets none when the target is missing); without,
 * the link's own owner (chown -h) and, on FreeBSD, its own mode (chmod -h: lchmod(2), as
 * set_mode_if_different's os.lchmod there; Linux links have no mode and GNU chmod no -h).
 */
function newLinkAttributes(p: Params): Command[] {
  if (!p.follow) {
    const commands = attributeCommands(p.path, undefined, { owner: p.owner, group: p.group }, true);
    if (p.mode !== undefined) commands.push(sh`if [ "$(uname -s)" = FreeBSD ]; then chmod -h ${typeof p.mode === 'number' ? formatMode(p.mode) : p.mode.symbolic} ${pathOperand(p.path)}; fi`);
    return commands;
  }
  const commands = attributeCommands(p.path, undefined, { owner: p.owner, group: p.group }, false, false, true);
  if (p.mode !== undefined) commands.push(sh`chmod ${typeof p.mode === 'number' ? formatMode(p.mode) : p.mode.symbolic} ${pathOperand(p.path)}`);
  return commands.length === 0 ? [] : [sh`if [ -e ${pathOperand(p.path)} ]; then ${joinCommands(commands)}; fi`];
}

/** state hard, as Ansible's ensure_hardlink decides (its messages). */
function planHard(p: Params, stat: FileStat | undefined, details: FileDetails, change: (summary: string, commands: Command[], wanted: string) => Step, attributes: (current: FileStat | undefined) => Step): Plan {
  const here = details.detail?.exists === true ? details.detail.stat : undefined;
  if (p.src === undefined) {
    // ensure_hardlink 2.14: `prev_state != 'hard' and src is None` fails; get_state says hard for a
    // path that is neither a link nor a directory with st_nlink > 1, and then only its attributes are set.
    if (stat !== undefined && stat.type !== 'link' && stat.type !== 'directory' && (here?.nlink ?? 1) > 1) return { steps: [attributes(stat)] };
    return { steps: [], failure: 'src is required for creating new hardlinks' };
  }
  const src = p.src;
  if (details.src?.exists !== true) return { steps: [], failure: 'src does not exist' };
  const link = change(`hard link ${p.path} => ${src}`, [sh`ln -f ${pathOperand(src)} ${pathOperand(p.path)}`, ...attributeCommands(p.path, undefined, p)], `state: hard -> ${src}\n`);
  if (stat === undefined) return { steps: [link] };
  const same = here !== undefined && here.inode === details.src.stat.inode && here.dev === details.src.stat.dev;
  if (stat.type === 'link') return { steps: [link] };
  if (stat.type === 'directory') {
    if (same) return { steps: [] };
    return { steps: [], failure: 'Cannot link: different hard link exists at destination' };
  }
  if (same) return { steps: [attributes(stat)] };
  if (!p.force) return { steps: [], failure: (here?.nlink ?? 1) > 1 ? 'Cannot link, different hard link exists at destination' : 'Cannot link, file exists at destination' };
  return { steps: [link] };
}

/**
 * Whether the first 8192 bytes of path hold a NUL byte, as execute_diff_peek (modules/file.py 2.14)
 * reads them through open(): links followed, and a path that cannot be read (absent, a directory,
 * no permission) is text. Counted by wc(1) with and without tr -d of NUL, base tools alone.
 */
export function diffPeekFact(path: string): Fact<boolean> {
  return defineFact(
    `diff-peek:${path}`,
    sh`n=$(head -c 8192 ${pathOperand(path)} 2>/dev/null | wc -c); t=$(head -c 8192 ${pathOperand(path)} 2>/dev/null | tr -d '\\000' | wc -c); [ $n -eq $t ] && echo text || echo binary`,
    (output) => output.stdout.trim() === 'binary',
    [fileSubject(path)],
  );
}

/** What _diff_peek reads: the path's lstat, whether it exists through a link, and its first bytes. */
function diffPeekFacts(path: string) {
  return [pathStatFact(path, { follow: false, mime: false }), pathStatFact(path, { follow: true, mime: false }), diffPeekFact(path)] as const;
}

/**
 * _diff_peek's result: exit_json(path, changed=False, appears_binary) with what
 * AnsibleModule.add_path_info adds for a path that exists (os.path.exists, so through a link):
 * uid, gid, owner, group, mode and size from lstat, and state (link, directory, hard for
 * st_nlink > 1, file).
 */
export function planDiffPeek(path: string, lstat: PathStat, through: PathStat, appearsBinary: boolean): Plan {
  const info: Record<string, unknown> = {};
  if (lstat.exists && through.exists) {
    const { stat } = lstat;
    const type = stat.rawMode & 0o170000;
    const state = type === 0o120000 ? 'link' : type === 0o040000 ? 'directory' : through.stat.nlink > 1 ? 'hard' : 'file';
    Object.assign(info, { uid: stat.uid, gid: stat.gid, owner: stat.owner, group: stat.group, mode: `0${(stat.rawMode & 0o7777).toString(8).padStart(3, '0')}`, state, size: stat.size });
  }
  return { steps: [{ kind: 'noop', reason: `peeked at ${path}` }], values: { path, appears_binary: appearsBinary, ...info } };
}

export default defineModule({
  name: 'file',
  summary: 'Make a path a file, directory or symbolic link with the wanted mode and owner, or remove it',
  description:
    "Ansible's file. Reads the path with lstat (`stat -f` on FreeBSD, `stat -c` elsewhere) and acts only on a " +
    'difference: mkdir -p, rm -rf, touch, ln -sfn, ln -f (state hard, same inode = done), chmod, chown. recurse ' +
    '(state directory) walks the tree once with find(1) and, when an entry differs, runs chown -h / chmod -h ' +
    'through find -execdir, so a link a host user swaps in mid-walk is never followed (a symbolic mode is resolved per entry by chmod; ' +
    'where chmod has neither -h nor --no-dereference, GNU coreutils before 9.5, recurse with mode is refused before any change). access_time/modification_time: now, ' +
    'preserve, or a time in *_time_format, converted by the host\'s date(1) and set with touch -t. Differences ' +
    "from Ansible: touch leaves an existing file's times alone unless access_time/modification_time say now " +
    '(Ansible\'s touch defaults to now, so it always reports changed); no SELinux options; follow (default true) acts on a link\'s target at its real path, ' +
    'follow: false on the link itself with chown -h and, on FreeBSD, chmod -h (lchmod; Linux links have no mode) (docs/ansible-parameters.md, "file: follow"); a ' +
    'directory in the way of a link is replaced only when empty.',
  params,
  example: `- name: vm-bhyve's directory
  file:
    path: /vms
    state: directory
    mode: '0755'`,
  needs: (p) => (p._diff_peek === undefined ? fileFacts(p) : [...diffPeekFacts(p.path)]),
  async observe(host, p): Promise<{ readonly stat: FileStat | undefined; readonly details: FileDetails; readonly peek?: { readonly lstat: PathStat; readonly through: PathStat; readonly binary: boolean } }> {
    if (p._diff_peek !== undefined) {
      // modules/file.py main: the short-circuit for _diff_peek comes before any state is looked at.
      const [lstat, through, binary] = await host.facts(...diffPeekFacts(p.path));
      return { stat: undefined, details: {}, peek: { lstat, through, binary } };
    }
    const details: { detail?: PathStat; followed?: FollowedLink; src?: PathStat; tree?: TreeEntry[] | undefined; times?: Record<string, number | undefined> } = {};
    // One round trip for the path and where a link there leads.
    const [stat, followed] = followsLink(p) ? await host.facts(fileStatFact(p.path), linkFollowFact(p.path)) : [(await host.facts(fileStatFact(p.path)))[0], undefined];
    if (followed !== undefined) details.followed = followed;
    const times = [wantedTime(p.modification_time, p.modification_time_format), wantedTime(p.access_time, p.access_time_format)];
    if (p.state === 'hard' || times.some((t) => t !== undefined)) [details.detail] = await host.facts(pathStatFact(p.path, detailOptions(p)));
    if (p.state === 'hard' && p.src !== undefined) [details.src] = await host.facts(pathStatFact(p.src, { follow: true, mime: false }));
    // A followed link's tree is read at its real path, known only now: one more round trip, for a link alone.
    if (p.recurse) [details.tree] = await host.facts(treeStatFact(stat?.type === 'link' && details.followed !== undefined ? details.followed.real : p.path));
    for (const time of times) {
      if (time === undefined || time === 'now') continue;
      const [epoch] = await host.facts(localTimeFact(time));
      details.times = { ...details.times, [time.stamp]: epoch };
    }
    return { stat, details };
  },
  plan({ params: p, facts }) {
    if (facts.peek !== undefined) return planDiffPeek(p.path, facts.peek.lstat, facts.peek.through, facts.peek.binary);
    return withAttributesNotes(planFile(p, facts.stat, facts.details), p);
  },
  verify({ params: p, facts }) {
    // A time of 'now' is set again by every run: it cannot be checked afterwards.
    const settled = { ...p, ...(p.modification_time === 'now' ? { modification_time: undefined } : {}), ...(p.access_time === 'now' ? { access_time: undefined } : {}) };
    const again = planFile(settled, facts.stat, facts.details);
    return stillNotAsWanted(p.path, again);
  },
});
