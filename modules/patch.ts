// patch: ansible.posix.patch on FreeBSD's own BSD patch (usr.bin/patch). "Already applied" is a
// reversed dry run (-C -R) that succeeds, as in the Ansible module; the patch is applied (or, with
// state: absent, reverted) only when the dry run in that direction applies every hunk, so a patch
// that fits neither way fails before any file is written.
import { z } from 'zod';
import { baseDirectory, patchCommand, patchStateFact, type PatchInput, type PatchState, type PatchTarget } from '../src/facts/patch-state.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { readLocalSource } from './support/local-source.js';

const params = withAliases(
  {
    src: z.string().min(1).describe('The patch file: on the controller (looked up as copy\'s src: role and playbook files/), or with remote_src on the host.'),
    dest: z.string().min(1).optional().describe('The one file to patch (patch\'s origfile operand); names in the patch are used otherwise.'),
    basedir: z.string().min(1).optional().describe('The directory the patch is applied in (patch -d); default: dest\'s directory.'),
    strip: z.number().int().min(0).default(0).describe('patch -p: leading path components stripped from the names in the patch.'),
    remote_src: z.boolean().default(false).describe('src is a file on the host (patch -i), not on the controller.'),
    backup: z.boolean().default(false).describe('Keep numbered backups of the patched files (patch -b -V numbered).'),
    binary: z.boolean().default(false).describe('Accepted: BSD patch has no --binary and never rewrites CRLF line endings, which is what binary: true asks of GNU patch.'),
    ignore_whitespace: z.boolean().default(false).describe('Match the patch\'s context ignoring whitespace changes (patch -l).'),
    state: z.enum(['present', 'absent']).default('present').describe('present applies the patch, absent reverts it (patch -R).'),
  },
  { src: ['patchfile'], dest: ['originalfile'] },
).superRefine((p, context) => {
  // required_one_of=[['dest', 'basedir']], with AnsibleModule's message.
  if (p.dest === undefined && p.basedir === undefined) context.addIssue({ code: 'custom', message: 'one of the following is required: dest, basedir' });
});

type Params = z.output<typeof params>;

/** The patch facts and the patch input they were read with (undefined: the controller file is missing). */
export interface PatchFacts {
  readonly input: PatchInput | { readonly kind: 'missing'; readonly message: string };
  readonly state: PatchState | undefined;
}

/** BSD patch's -d, -p, -l and origfile from the task. */
export function targetOf(p: Params): PatchTarget {
  return { basedir: baseDirectory(p.basedir, p.dest), strip: p.strip, dest: p.dest, ignoreWhitespace: p.ignore_whitespace };
}

/** Read the controller's patch file as Ansible's patch action finds it (the `files` search path). */
async function controllerInput(p: Params, vars: Readonly<Record<string, unknown>>): Promise<PatchFacts['input']> {
  const source = await readLocalSource(p.src, vars, 'files');
  return source.kind === 'found' ? { kind: 'text', text: source.content.toString('utf8') } : source;
}

/** What must happen, from the two dry runs: nothing, apply, revert, or fail with the rejected hunks. */
export function planPatch(p: Params, facts: PatchFacts): Plan {
  const { input, state } = facts;
  if (input.kind === 'missing') return { steps: [], failure: input.message };
  if (state === undefined) return { steps: [], failure: 'internal: the patch state was not read' };
  // The module's own preconditions and messages (plugins/modules/patch.py main()).
  if (!state.srcReadable) return { steps: [], failure: `src ${p.src} doesn't exist or not readable` };
  if (p.dest !== undefined && !state.destWritable) return { steps: [], failure: `dest ${p.dest} doesn't exist or not writable` };
  if (p.basedir !== undefined && !state.basedirExists) return { steps: [], failure: `basedir ${p.basedir} doesn't exist` };
  const target = targetOf(p);
  const where = p.dest ?? target.basedir;
  const present = p.state === 'present';
  if (present ? state.reverse : state.forward) {
    return { steps: [{ kind: 'noop', reason: present ? `the patch is already applied in ${where} (a reversed dry run succeeds)` : `the patch is not applied in ${where} (a forward dry run succeeds)` }] };
  }
  if (!(present ? state.forward : state.reverse)) {
    const output = present ? state.forwardOutput : state.reverseOutput;
    return { steps: [], failure: `the patch does not ${present ? 'apply to' : 'revert from'} ${where} (dry run):\n${output}` };
  }
  const flags = ['-f', '-s', ...(present ? [] : ['-R']), ...(p.backup ? ['-b', '-V', 'numbered'] : [])];
  return {
    steps: [{ kind: 'change', summary: `${present ? 'apply' : 'revert'} ${p.src} in ${where}`, actions: [{ kind: 'run', command: patchCommand(input, target, flags) }] }],
  };
}

export default defineModule({
  name: 'patch',
  summary: 'Apply or revert a patch file with BSD patch',
  description:
    "ansible.posix.patch on FreeBSD's base /usr/bin/patch (BSD patch, usr.bin/patch). Two dry runs in one round trip (-C, and " +
    '-C -R) decide: the reversed one succeeding means the patch is applied (state: absent: the forward one means it is not), so ' +
    'a second run reports ok. The change runs patch -f -s (and -R to revert); a patch that applies in neither direction fails ' +
    "with patch's output before any file is written (Ansible's module would attempt it and fail). A controller src is looked " +
    'up as copy\'s and sent by here-document (nothing is left on the host); remote_src reads it with -i. strip is -p, basedir ' +
    '-d (default dest\'s directory), ignore_whitespace -l, backup -b -V numbered; binary is accepted (BSD patch has no ' +
    '--binary and leaves CRLF alone). Registers changed (and msg on failure), as Ansible does.',
  params,
  example: `- name: the site's index page
  ansible.posix.patch:
    src: index.html.patch
    dest: /usr/local/www/index.html`,
  needs: (p) => (p.remote_src ? [patchStateFact({ kind: 'remote', path: p.src }, targetOf(p))] : undefined),
  async observe(host, p): Promise<PatchFacts> {
    const input: PatchFacts['input'] = p.remote_src ? { kind: 'remote', path: p.src } : await controllerInput(p, host.vars);
    if (input.kind === 'missing') return { input, state: undefined };
    const [state] = await host.facts(patchStateFact(input, targetOf(p)));
    return { input, state };
  },
  plan({ params: p, facts }) {
    return planPatch(p, facts);
  },
});
