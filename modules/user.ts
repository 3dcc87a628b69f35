// user: a local account present with the wanted attributes, or absent — Ansible's user module as
// its FreeBsdUser class does it, with pw(8): useradd, usermod, userdel, lock/unlock. The password
// hash goes to `pw -H 0` on stdin, never on a command line, and is compared by its SHA-256 only.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { ACCOUNT_NAME, groupDbFact, userEntryFact, type GroupEntry, type UserEntry } from '../src/facts/accounts.js';
import type { Action, Plan, Step } from '../src/module-api/module.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule } from '../src/module-api/module.js';
import type { CommandResult } from '../src/transport/transport.js';

const name = z.string().regex(ACCOUNT_NAME, 'a user name: letters, digits, _ . - (not starting with - or .)');
const groupName = z.union([z.string().regex(ACCOUNT_NAME, 'a group name'), z.number().int().nonnegative().transform(String)]);
/** A pw field: no `:` (the field separator) and no newline. */
const field = (what: string) => z.string().regex(/^[^:\n]*$/, `${what} cannot contain ':' or a newline`);

const params = withAliases(
  {
    name: name.describe('The login name.'),
    state: z.enum(['present', 'absent']).default('present'),
    uid: z.number().int().nonnegative().optional().describe('The user id (pw -u).'),
    non_unique: z.boolean().default(false).describe('Allow a uid another user has (pw -o).'),
    group: groupName.optional().describe('The primary group, by name or gid (pw -g); new users otherwise get a group of their own name.'),
    groups: z
      .union([z.array(groupName), z.string()])
      .optional()
      .transform((value) => (value === undefined ? undefined : (Array.isArray(value) ? value : value.split(',')).map((g) => g.trim()).filter((g) => g !== '')))
      .describe("Supplementary groups (a list or 'a,b'); [] or '' removes every one unless append."),
    append: z.boolean().default(false).describe('Add to the supplementary groups instead of setting exactly them.'),
    comment: field('comment').optional().describe('The GECOS field (pw -c).'),
    home: field('home').optional().describe('The home directory (pw -d; default /home/NAME).'),
    create_home: z.boolean().default(true).describe('Create the home directory, from the skeleton (pw -m).'),
    move_home: z.boolean().default(false).describe('With a new home: let pw create it there (pw usermod -d … -m).'),
    skeleton: field('skeleton').optional().describe('Skeleton directory for a new home (pw -k; default /usr/share/skel).'),
    shell: field('shell').optional().describe('The login shell (pw -s).'),
    login_class: field('login_class').optional().describe('The login class (pw -L).'),
    password: field('password').optional().describe('The crypt(3) hash to set (as `openssl passwd -6` or the password_hash filter make it); sent on stdin to pw -H 0.'),
    update_password: z.enum(['always', 'on_create']).default('always').describe('always: set password when it differs; on_create: only for a new user.'),
    password_lock: z.boolean().optional().describe('Lock (pw lock) or unlock (pw unlock) the password.'),
    remove: z.boolean().default(false).describe('state absent: also remove the home directory (pw userdel -r).'),
    force: z.boolean().default(false).describe('state absent: accepted for Ansible playbooks; pw userdel needs no force.'),
    system: z.boolean().default(false).describe("Accepted for Ansible playbooks: on FreeBSD Ansible's user module ignores it too (pw has no system accounts)."),
    local: z.boolean().optional().describe('Accepted for Ansible playbooks: pw always edits the local files.'),
  },
  { name: ['user'], create_home: ['createhome'] },
);

type Params = z.output<typeof params>;

/** What user reads: the entry and the groups. */
export interface UserFacts {
  readonly entry: UserEntry | undefined;
  readonly groups: readonly GroupEntry[];
}

/** A group given by name or gid, as /etc/group names it. */
function findGroup(groups: readonly GroupEntry[], wanted: string): GroupEntry | undefined {
  return groups.find((g) => g.name === wanted) ?? (/^\d+$/.test(wanted) ? groups.find((g) => g.gid === Number(wanted)) : undefined);
}

/** The user's supplementary groups: those listing it as a member. */
export function memberOf(groups: readonly GroupEntry[], user: string): string[] {
  return groups.filter((g) => g.members.includes(user)).map((g) => g.name);
}

const hashOf = (password: string) => createHash('sha256').update(password).digest('hex');

/** The `pw usershow` that ends every change, so the registered result shows the account as it is. */
const show = (p: Params): Action => ({ kind: 'run', command: sh`pw usershow -n ${p.name} -7` });

/** Ansible's return values for the account as it will be. */
function resultValues(p: Params, entry: UserEntry | undefined, groups: readonly GroupEntry[]): Record<string, unknown> {
  const values: Record<string, unknown> = { name: p.name, state: p.state, append: p.append, move_home: p.move_home, system: p.system, create_home: p.create_home };
  if (p.state === 'absent') return { name: p.name, state: 'absent', force: p.force, remove: p.remove };
  if (p.groups !== undefined) values['groups'] = p.groups.join(',');
  if (p.password !== undefined) values['password'] = 'NOT_LOGGING_PASSWORD';
  if (entry !== undefined) {
    Object.assign(values, { uid: entry.uid, group: entry.gid, comment: entry.comment, home: entry.home, shell: entry.shell });
    if (p.groups === undefined) values['groups'] = memberOf(groups, p.name).join(',');
  }
  return values;
}

/** The wanted groups as names; the first unknown one fails the task, as Ansible does. */
function resolveGroups(p: Params, groups: readonly GroupEntry[]): { names: string[] } | { missing: string } {
  const names: string[] = [];
  for (const wanted of p.groups ?? []) {
    const found = findGroup(groups, wanted);
    if (found === undefined) return { missing: wanted };
    names.push(found.name);
  }
  return { names };
}

/** Compare the account with the parameters and plan pw's commands. */
export function planUser(p: Params, facts: UserFacts): Plan {
  const { entry, groups } = facts;
  const values = resultValues(p, entry, groups);
  if (p.state === 'absent') {
    if (entry === undefined) return { steps: [{ kind: 'noop', reason: `user ${p.name} does not exist` }], values };
    const command = p.remove ? sh`pw userdel -n ${p.name} -r` : sh`pw userdel -n ${p.name}`;
    return { steps: [{ kind: 'change', summary: `remove user ${p.name}${p.remove ? ' and its home' : ''}`, actions: [{ kind: 'run', command }], diff: { header: `user ${p.name}`, before: describeEntry(entry, groups), after: '' } }], values };
  }
  const primary = p.group === undefined ? undefined : findGroup(groups, p.group);
  if (p.group !== undefined && primary === undefined) return { steps: [], failure: `Group ${p.group} does not exist`, values };
  const wantedGroups = resolveGroups(p, groups);
  if ('missing' in wantedGroups) return { steps: [], failure: `Group ${wantedGroups.missing} does not exist`, values };
  const withPassword = (command: Command): Action =>
    p.password === undefined ? { kind: 'run', command } : { kind: 'run', command: sh`${command} -H 0`, stdin: `${p.password}\n` };

  if (entry === undefined) {
    const args: Command[] = [sh`pw useradd -n ${p.name}`];
    if (p.uid !== undefined) args.push(p.non_unique ? sh`-u ${p.uid} -o` : sh`-u ${p.uid}`);
    if (p.comment !== undefined) args.push(sh`-c ${p.comment}`);
    if (p.home !== undefined) args.push(sh`-d ${p.home}`);
    if (primary !== undefined) args.push(sh`-g ${primary.name}`);
    if (p.groups !== undefined && wantedGroups.names.length > 0) args.push(sh`-G ${wantedGroups.names.join(',')}`);
    if (p.create_home) args.push(p.skeleton === undefined ? sh`-m` : sh`-m -k ${p.skeleton}`);
    if (p.shell !== undefined) args.push(sh`-s ${p.shell}`);
    if (p.login_class !== undefined) args.push(sh`-L ${p.login_class}`);
    const actions: Action[] = [withPassword(joinWords(args))];
    if (p.password_lock === true) actions.push({ kind: 'run', command: sh`pw lock ${p.name}` });
    actions.push(show(p));
    return { steps: [{ kind: 'change', summary: `create user ${p.name}`, actions, diff: { header: `user ${p.name}`, before: '', after: describeWanted(p, wantedGroups.names) } }], values };
  }

  const changes: string[] = [];
  const args: Command[] = [];
  if (p.uid !== undefined && p.uid !== entry.uid) {
    changes.push(`uid ${entry.uid} → ${p.uid}`);
    args.push(p.non_unique ? sh`-u ${p.uid} -o` : sh`-u ${p.uid}`);
  }
  if (primary !== undefined && primary.gid !== entry.gid) {
    changes.push(`group ${entry.gid} → ${primary.name}`);
    args.push(sh`-g ${primary.name}`);
  }
  if (p.comment !== undefined && p.comment !== entry.comment) {
    changes.push(`comment '${entry.comment}' → '${p.comment}'`);
    args.push(sh`-c ${p.comment}`);
  }
  if (p.home !== undefined && p.home !== entry.home) {
    changes.push(`home ${entry.home} → ${p.home}`);
    args.push(p.move_home ? sh`-d ${p.home} -m` : sh`-d ${p.home}`);
  } else if (p.create_home && !entry.homeExists && !(p.home === undefined && entry.home === '/nonexistent')) {
    changes.push(`create home ${entry.home}`);
    args.push(sh`-m`);
  }
  if (p.shell !== undefined && p.shell !== entry.shell) {
    changes.push(`shell ${entry.shell} → ${p.shell}`);
    args.push(sh`-s ${p.shell}`);
  }
  if (p.login_class !== undefined && p.login_class !== entry.loginClass) {
    changes.push(`login class '${entry.loginClass}' → '${p.login_class}'`);
    args.push(sh`-L ${p.login_class}`);
  }
  const current = memberOf(groups, p.name).filter((g) => findGroup(groups, g)?.gid !== entry.gid);
  if (p.groups !== undefined) {
    const wanted = p.append ? [...new Set([...current, ...wantedGroups.names])] : [...new Set(wantedGroups.names)];
    const same = wanted.length === current.length && wanted.every((g) => current.includes(g));
    if (!same) {
      changes.push(`groups ${current.join(',') || '-'} → ${wanted.join(',') || '-'}`);
      args.push(sh`-G ${wanted.join(',')}`);
    }
  }
  const passwordChanges = p.password !== undefined && p.update_password === 'always' && hashOf(p.password) !== entry.passwordSha256;
  if (passwordChanges) changes.push('password');
  const actions: Action[] = [];
  if (args.length > 0 || passwordChanges) {
    const command = joinWords([sh`pw usermod -n ${p.name}`, ...args]);
    actions.push(passwordChanges ? withPassword(command) : { kind: 'run', command });
  }
  if (p.password_lock === true && !entry.locked) {
    changes.push('lock');
    actions.push({ kind: 'run', command: sh`pw lock ${p.name}` });
  }
  if (p.password_lock === false && entry.locked) {
    changes.push('unlock');
    actions.push({ kind: 'run', command: sh`pw unlock ${p.name}` });
  }
  if (actions.length === 0) return { steps: [{ kind: 'noop', reason: `user ${p.name} is as wanted` }], values };
  const step: Step = {
    kind: 'change',
    summary: `user ${p.name}: ${changes.join(', ')}`,
    actions: [...actions, show(p)],
    diff: { header: `user ${p.name}`, before: describeEntry(entry, groups), after: changes.map((c) => `${c}\n`).join('') },
  };
  return { steps: [step], values };
}

/** Words joined by spaces into one command. */
function joinWords(parts: readonly Command[]): Command {
  return { text: parts.map((c) => c.text).join(' '), display: parts.map((c) => c.display).join(' ') };
}

function describeEntry(entry: UserEntry, groups: readonly GroupEntry[]): string {
  return `uid: ${entry.uid}\ngid: ${entry.gid}\ncomment: ${entry.comment}\nhome: ${entry.home}\nshell: ${entry.shell}\ngroups: ${memberOf(groups, entry.name).join(',')}\n`;
}

function describeWanted(p: Params, groups: readonly string[]): string {
  const lines = [`name: ${p.name}`];
  if (p.uid !== undefined) lines.push(`uid: ${p.uid}`);
  if (p.group !== undefined) lines.push(`group: ${p.group}`);
  if (p.comment !== undefined) lines.push(`comment: ${p.comment}`);
  lines.push(`home: ${p.home ?? `/home/${p.name}`}`);
  if (p.shell !== undefined) lines.push(`shell: ${p.shell}`);
  if (groups.length > 0) lines.push(`groups: ${groups.join(',')}`);
  return lines.map((line) => `${line}\n`).join('');
}

/** The account as `pw usershow -7` printed it after the change (V7 passwd line). */
export function registerUser(results: readonly CommandResult[]): Record<string, unknown> {
  const line = results.at(-1)?.stdout.trim() ?? '';
  const fields = line.split(':');
  if (fields.length !== 7) return {};
  const [, , uid = '', gid = '', comment = '', home = '', shell = ''] = fields;
  return { uid: Number(uid), group: Number(gid), comment, home, shell };
}

export default defineModule({
  name: 'user',
  summary: 'A local user account present with the wanted attributes, or absent (pw)',
  description:
    "Ansible's user module as it works on FreeBSD: pw useradd/usermod/userdel, pw lock/unlock. Compares " +
    'uid, primary group, comment, home, shell, login class, supplementary groups (exactly, or added with ' +
    'append) and the password hash (by SHA-256; update_password: on_create sets it only for a new user) ' +
    'and runs pw only for what differs. The hash reaches pw on stdin (-H 0), never a command line. ' +
    'Registers name, state, uid, group (gid), groups, comment, home, shell, append, move_home, create_home, ' +
    "system, and password as NOT_LOGGING_PASSWORD. Differences from Ansible: no SSH key generation, " +
    'expires or password_expire_*; `system` is ignored on FreeBSD (as Ansible does); home directories are ' +
    'created by pw -m from /usr/share/skel.',
  params,
  example: `- name: An operator account
  user:
    name: ops
    comment: Operations
    groups: [wheel, operator]
    shell: /bin/sh
    password: "{{ ops_password_hash }}"`,
  needs: (p) => [userEntryFact(p.name), groupDbFact()],
  async observe(host, p) {
    const [entry, groups] = await host.facts(userEntryFact(p.name), groupDbFact());
    return { entry, groups };
  },
  plan({ params: p, facts }) {
    return planUser(p, facts);
  },
  register({ params: p, results }) {
    return p.state === 'present' ? registerUser(results) : {};
  },
  verify({ params: p, facts }) {
    const again = planUser({ ...p, password: undefined }, facts);
    if (again.failure !== undefined) return again.failure;
    const step = again.steps.find((s) => s.kind === 'change');
    return step?.kind === 'change' ? `pw exited 0 but user ${p.name} still needs: ${step.summary}` : undefined;
  },
});
