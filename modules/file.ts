// file: a path is a file, a directory, a symbolic link, or absent, with the wanted mode and owner.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';
import { attributeCommands, attributeDifferences, fileAttributeParams, formatMode, resolveMode } from './support/file-attributes.js';

const params = withAliases(
  {
    path: z.string().min(1).describe('The path on the host.'),
    state: z
      .enum(['file', 'directory', 'absent', 'touch', 'link'])
      .optional()
      .describe('file: must exist (only attributes change); directory: mkdir -p; absent: rm -rf; touch: create when missing; link: symbolic link to src. Default: what the path is now, else file.'),
    src: z.string().optional().describe('Target of the link (state link).'),
    force: z.boolean().default(false).describe('state link: replace a file or empty directory at path.'),
    ...fileAttributeParams,
  },
  { path: ['dest', 'name'] },
).superRefine((p, context) => {
    if (p.state === 'link' && p.src === undefined) context.addIssue({ code: 'custom', path: ['src'], message: 'state link needs src' });
    if (p.src !== undefined && p.state !== 'link') context.addIssue({ code: 'custom', path: ['src'], message: 'src is only for state link' });
  });

type Params = z.output<typeof params>;

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
export function planFile(p: Params, stat: FileStat | undefined): Plan {
  const state = p.state ?? (stat === undefined ? 'file' : stat.type === 'directory' ? 'directory' : stat.type === 'link' ? 'link' : 'file');
  const change = (summary: string, commands: Command[], wanted: string): Step => ({
    kind: 'change',
    summary,
    actions: commands.map((command) => ({ kind: 'run' as const, command })),
    diff: { header: p.path, before: describe(stat), after: wanted },
  });
  const attributes = (current: FileStat | undefined, isLink = false): Step => {
    const differences = attributeDifferences(current, p).filter((d) => !(isLink && d.startsWith('mode')));
    if (differences.length === 0) return { kind: 'noop', reason: `${p.path} is a ${current?.type ?? 'missing path'} as wanted` };
    return change(`${p.path}: ${differences.join(', ')}`, attributeCommands(p.path, current, p, isLink), describeWanted(p, current?.type ?? state, current));
  };

  switch (state) {
    case 'absent':
      if (stat === undefined) return { steps: [{ kind: 'noop', reason: `${p.path} is absent` }] };
      return { steps: [change(`remove ${p.path}`, [sh`rm -rf ${p.path}`], 'state: absent\n')] };
    case 'file':
      if (stat === undefined) return { steps: [], failure: `file ${p.path} is absent, cannot continue — use state: touch to create it` };
      if (stat.type !== 'file') return { steps: [], failure: `${p.path} is a ${stat.type}, not a file` };
      return { steps: [attributes(stat)] };
    case 'directory':
      if (stat === undefined) {
        return { steps: [change(`create directory ${p.path}`, [sh`mkdir -p ${p.path}`, ...attributeCommands(p.path, undefined, p)], describeWanted(p, 'directory', undefined))] };
      }
      if (stat.type !== 'directory') return { steps: [], failure: `${p.path} already exists as a ${stat.type}, not a directory` };
      return { steps: [attributes(stat)] };
    case 'touch':
      // Times are preserved (Ansible's modification_time/access_time: preserve), so a second run changes nothing.
      if (stat === undefined) {
        return { steps: [change(`create ${p.path}`, [sh`touch ${p.path}`, ...attributeCommands(p.path, undefined, p)], describeWanted(p, 'file', undefined))] };
      }
      return { steps: [attributes(stat)] };
    case 'link': {
      const src = p.src ?? '';
      if (stat?.type === 'link' && stat.linkTarget === src) return { steps: [attributes(stat, true)] };
      if (stat !== undefined && stat.type !== 'link' && !p.force) {
        return { steps: [], failure: `refusing to convert ${p.path} from a ${stat.type} to a symlink — set force: true to replace it` };
      }
      const replace = stat === undefined ? [] : stat.type === 'link' ? [] : [stat.type === 'directory' ? sh`rmdir ${p.path}` : sh`rm -f ${p.path}`];
      return {
        steps: [
          change(
            `link ${p.path} -> ${src}`,
            [...replace, sh`ln -sfn ${src} ${p.path}`, ...attributeCommands(p.path, undefined, { owner: p.owner, group: p.group }, true)],
            `state: link -> ${src}\n`,
          ),
        ],
      };
    }
  }
}

export default defineModule({
  name: 'file',
  summary: 'Make a path a file, directory or symbolic link with the wanted mode and owner, or remove it',
  description:
    "Ansible's file. Reads the path with lstat (`stat -f` on FreeBSD, `stat -c` elsewhere) and acts only on a " +
    'difference: mkdir -p, rm -rf, touch, ln -sfn, chmod, chown. Differences from Ansible: touch creates a ' +
    'missing file but leaves an existing one\'s times alone (as with modification_time/access_time: ' +
    'preserve), so it is idempotent; no recurse, hard links or SELinux options; a directory ' +
    'in the way of a link is replaced only when empty.',
  params,
  example: `- name: vm-bhyve's directory
  file:
    path: /vms
    state: directory
    mode: '0755'`,
  needs: (p) => [fileStatFact(p.path)],
  async observe(host, p) {
    const [stat] = await host.facts(fileStatFact(p.path));
    return stat;
  },
  plan({ params: p, facts }) {
    return planFile(p, facts);
  },
  verify({ params: p, facts }) {
    const again = planFile(p, facts);
    if (again.failure !== undefined) return again.failure;
    const left = again.steps.flatMap((s) => (s.kind === 'change' ? [s.summary] : []));
    return left.length === 0 ? undefined : `${p.path} is still not as wanted: ${left.join('; ')}`;
  },
});
