// group: a local group present with the wanted gid, or absent — Ansible's group module as its
// FreeBsdGroup class does it, with pw groupadd / groupmod / groupdel.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { ACCOUNT_NAME, groupDbFact, type GroupEntry } from '../src/facts/accounts.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

const params = z.strictObject({
  name: z.string().regex(ACCOUNT_NAME, 'a group name: letters, digits, _ . - (not starting with - or .)'),
  gid: z.number().int().nonnegative().optional().describe('The group id (pw -g).'),
  state: z.enum(['present', 'absent']).default('present'),
  non_unique: z.boolean().default(false).describe('Allow a gid another group has (pw -o).'),
  system: z.boolean().default(false).describe("Accepted for Ansible playbooks: on FreeBSD Ansible's group module ignores it too."),
  local: z.boolean().optional().describe('Accepted for Ansible playbooks: pw always edits /etc/group.'),
  force: z.boolean().default(false).describe('state absent: accepted for Ansible playbooks; pw groupdel needs no force.'),
});

type Params = z.output<typeof params>;

/** Compare /etc/group with the parameters. */
export function planGroup(p: Params, groups: readonly GroupEntry[]): Plan {
  const current = groups.find((g) => g.name === p.name);
  const values = (gid: number | undefined) => ({ name: p.name, state: p.state, system: p.system, ...(gid === undefined ? {} : { gid }) });
  const header = `group ${p.name}`;
  if (p.state === 'absent') {
    if (current === undefined) return { steps: [{ kind: 'noop', reason: `group ${p.name} does not exist` }], values: { name: p.name, state: 'absent' } };
    return {
      steps: [{ kind: 'change', summary: `remove group ${p.name}`, actions: [{ kind: 'run', command: sh`pw groupdel -n ${p.name}` }], diff: { header, before: `gid: ${current.gid}\n`, after: '' } }],
      values: { name: p.name, state: 'absent' },
    };
  }
  const o = p.non_unique ? sh` -o` : sh``;
  if (current === undefined) {
    if (p.gid !== undefined && !p.non_unique && groups.some((g) => g.gid === p.gid)) return { steps: [], failure: `gid ${p.gid} is already used by group ${groups.find((g) => g.gid === p.gid)?.name ?? '?'}`, values: values(p.gid) };
    const command = p.gid === undefined ? sh`pw groupadd -n ${p.name}` : sh`pw groupadd -n ${p.name} -g ${p.gid}${o}`;
    return { steps: [{ kind: 'change', summary: `create group ${p.name}`, actions: [{ kind: 'run', command }, { kind: 'run', command: sh`pw groupshow -n ${p.name}` }], diff: { header, before: '', after: p.gid === undefined ? 'present\n' : `gid: ${p.gid}\n` } }], values: values(p.gid) };
  }
  if (p.gid === undefined || p.gid === current.gid) return { steps: [{ kind: 'noop', reason: `group ${p.name} has gid ${current.gid}` }], values: values(current.gid) };
  return {
    steps: [{ kind: 'change', summary: `group ${p.name}: gid ${current.gid} → ${p.gid}`, actions: [{ kind: 'run', command: sh`pw groupmod -n ${p.name} -g ${p.gid}${o}` }], diff: { header, before: `gid: ${current.gid}\n`, after: `gid: ${p.gid}\n` } }],
    values: values(p.gid),
  };
}

export default defineModule({
  name: 'group',
  summary: 'A local group present with the wanted gid, or absent (pw)',
  description:
    "Ansible's group module as it works on FreeBSD: pw groupadd / groupmod / groupdel, run only when " +
    '/etc/group differs. Registers name, state, gid and system. Members are managed with the user ' +
    "module's groups. Differences from Ansible: `system` and `local` are accepted and ignored, as " +
    "Ansible's FreeBSD implementation does; gid_min/gid_max are not supported.",
  params,
  example: `- name: The vm operators group
  group:
    name: vmops
    gid: 2001`,
  needs: () => [groupDbFact()],
  async observe(host) {
    const [groups] = await host.facts(groupDbFact());
    return groups;
  },
  plan({ params: p, facts }) {
    return planGroup(p, facts);
  },
  register({ results }) {
    // pw groupshow's line: NAME:*:GID:MEMBERS.
    const gid = results.at(-1)?.stdout.split(':')[2];
    return gid !== undefined && /^\d+$/.test(gid) ? { gid: Number(gid) } : {};
  },
  verify({ params: p, facts }) {
    const step = planGroup(p, facts).steps.find((s) => s.kind === 'change');
    return step?.kind === 'change' ? `pw exited 0 but group ${p.name} still needs: ${step.summary}` : undefined;
  },
});
