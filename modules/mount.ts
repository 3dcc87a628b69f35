// mount: a file system's /etc/fstab line and whether it is mounted — ansible.posix.mount on FreeBSD:
// fstab(5) lines (spaces as \040), `mount PATH` / `umount PATH`, and `mount -p` to see what is
// mounted (/proc/mounts where mount has no -p: Linux, and the simulated fleet).
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { defineFact, type Fact } from '../src/facts/fact.js';
import { fileContentFact, type FileContent } from '../src/facts/file-content.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';
import { sha256 } from './support/diff-text.js';
import { planFileWrite } from './support/file-write.js';
import { writeSafetyParams } from './support/write-safety.js';
import { registerBackup } from './copy.js';
import { splitLinesKeepEnds } from './support/lines.js';

/** An fstab field: no tab or newline (the field and line separators); spaces are escaped. */
const field = z.string().regex(/^[^\t\n]+$/, 'an fstab field has no tab or line break');

const params = withAliases(
  {
    path: field.regex(/^\//, 'an absolute mount point').describe('The mount point.'),
    src: field.optional().describe('The device or file system (/dev/ada0p2, tmpfs, a directory for nullfs). Needed for present and mounted.'),
    fstype: field.optional().describe('ufs, zfs, nullfs, tmpfs, procfs, fdescfs… Needed for present and mounted.'),
    opts: field.default('rw').describe('Mount options, comma separated.'),
    dump: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^\d+$/)).default('0'),
    passno: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^\d+$/)).default('0'),
    state: z.enum(['mounted', 'unmounted', 'present', 'absent', 'absent_from_fstab']).describe('present/absent: the fstab line only; mounted: the line and mounted; unmounted: not mounted, the line kept; absent: neither; absent_from_fstab: the line removed only.'),
    fstab: z.string().min(1).default('/etc/fstab'),
    boot: z.boolean().default(true).describe('false adds noauto: not mounted at boot.'),
    backup: writeSafetyParams.backup,
  },
  { path: ['name'] },
).superRefine((p, context) => {
  if ((p.state === 'present' || p.state === 'mounted') && (p.src === undefined || p.fstype === undefined)) {
    context.addIssue({ code: 'custom', message: `state is ${p.state} but all of the following are missing: ${[p.src === undefined ? 'src' : '', p.fstype === undefined ? 'fstype' : ''].filter((x) => x !== '').join(', ')}` });
  }
});

type Params = z.output<typeof params>;

/** fstab's escape for spaces (and the backslash itself), as ansible.posix's _escape_fstab. */
export const escapeFstab = (value: string) => value.replace(/\\/g, '\\134').replace(/ /g, '\\040');
const unescape = (value: string) => value.replace(/\\040/g, ' ').replace(/\\134/g, '\\');

/** What is mounted where: mount points from `mount -p` (or /proc/mounts). */
export function mountedFact(): Fact<readonly string[]> {
  return defineFact('mounted', sh`mount -p 2>/dev/null || cat /proc/mounts`, (o) =>
    o.stdout.split('\n').map((line) => line.trim().split(/\s+/)[1]).filter((p): p is string => p !== undefined).map(unescape),
  );
}

/** The wanted fstab line. */
export function fstabLine(p: Params): string {
  const opts = p.boot || p.opts.split(',').includes('noauto') ? p.opts : `${p.opts},noauto`;
  return [p.src ?? '', p.path, p.fstype ?? '', opts, p.dump, p.passno].map(escapeFstab).join('\t') + '\n';
}

/** The fstab text with PATH's line set (present) or removed. */
export function editFstab(text: string, p: Params, present: boolean): string {
  const out: string[] = [];
  let seen = false;
  for (const line of splitLinesKeepEnds(text)) {
    const fields = line.trim().split(/\s+/);
    if (line.trim().startsWith('#') || fields.length < 2 || unescape(fields[1] ?? '') !== p.path) {
      out.push(line.endsWith('\n') ? line : `${line}\n`);
      continue;
    }
    if (!present || seen) continue;
    seen = true;
    // An equivalent line (other spacing) is kept as it is.
    const wanted = fstabLine(p);
    out.push(fields.join(' ') === wanted.trim().split('\t').join(' ') ? line : wanted);
  }
  if (present && !seen) out.push(fstabLine(p));
  return out.join('');
}

/** What mount reads: fstab and what is mounted. */
export interface MountFacts {
  readonly fstab: FileContent;
  readonly stat: FileStat | undefined;
  readonly mounted: readonly string[];
}

const mountFacts = (p: Params) => [fileContentFact(p.fstab), fileStatFact(p.fstab), mountedFact()] as const;

/** The fstab edit, then mount or umount. */
export function planMount(p: Params, facts: MountFacts): Plan {
  if (facts.fstab.kind === 'not-a-file') return { steps: [], failure: `${p.fstab} is not a regular file` };
  const before = facts.fstab.kind === 'file' ? facts.fstab.content : Buffer.alloc(0);
  const text = before.toString('utf8');
  const keepLine = p.state === 'present' || p.state === 'mounted';
  const dropLine = p.state === 'absent' || p.state === 'absent_from_fstab';
  const steps: Step[] = [];
  if (keepLine || dropLine) {
    const after = editFstab(text, p, keepLine);
    const current = { stat: facts.stat, sha256: facts.fstab.kind === 'file' ? sha256(before) : undefined, content: facts.fstab.kind === 'file' ? before : undefined };
    steps.push(...planFileWrite(p.fstab, current, Buffer.from(after), { backup: p.backup }, `${p.fstab}: ${keepLine ? `line for ${p.path}` : `remove ${p.path}`}`));
  }
  const isMounted = facts.mounted.includes(p.path);
  if (p.state === 'mounted' && !isMounted) {
    steps.push({ kind: 'change', summary: `mount ${p.path}`, actions: [{ kind: 'run', command: sh`mkdir -p ${p.path} && mount ${p.path}` }], diff: { header: `mounted ${p.path}`, before: 'no\n', after: 'yes\n' } });
  }
  if ((p.state === 'unmounted' || p.state === 'absent') && isMounted) {
    steps.push({ kind: 'change', summary: `unmount ${p.path}`, actions: [{ kind: 'run', command: sh`umount ${p.path}` }], diff: { header: `mounted ${p.path}`, before: 'yes\n', after: 'no\n' } });
  }
  if (steps.length === 0) steps.push({ kind: 'noop', reason: `${p.path} is not mounted` });
  const values = { name: p.path, src: p.src ?? null, fstype: p.fstype ?? null, opts: p.opts, dump: p.dump, passno: p.passno, fstab: p.fstab, boot: p.boot };
  return { steps, values };
}

export default defineModule({
  name: 'mount',
  summary: "A file system's /etc/fstab line, mounted or not (ansible.posix.mount)",
  description:
    'ansible.posix.mount on FreeBSD: the fstab(5) line for path (src, fstype, opts, dump, passno; spaces ' +
    'written as \\040; boot: false adds noauto) is written atomically when it differs; mounted then runs ' +
    '`mount PATH` (after mkdir -p) when `mount -p` does not list it, unmounted/absent run `umount PATH`. ' +
    'Registers name, src, fstype, opts, dump, passno, fstab, boot. Differences from Ansible: no remounted ' +
    'state and no remount when a mounted line changes (the new options apply at the next mount); absent keeps the mount point directory. backup copies the old fstab first (backup_file).',
  params,
  example: `- name: fdescfs for bash
  mount:
    path: /dev/fd
    src: fdesc
    fstype: fdescfs
    opts: rw
    state: mounted`,
  needs: (p) => mountFacts(p),
  async observe(host, p) {
    const [fstab, stat, mounted] = await host.facts(...mountFacts(p));
    return { fstab, stat, mounted };
  },
  plan({ params: p, facts }) {
    return planMount(p, facts);
  },
  register({ results }) {
    return registerBackup(results);
  },
  verify({ params: p, facts }) {
    const step = planMount(p, facts).steps.find((s) => s.kind === 'change');
    return step?.kind === 'change' ? `still needs: ${step.summary}` : undefined;
  },
});
