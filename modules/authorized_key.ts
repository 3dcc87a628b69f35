// authorized_key (ansible.posix): SSH keys in a user's authorized_keys file. The file is read,
// rewritten as Ansible's module rewrites it (modules/support/authorized-keys.ts) and written
// atomically, mode 0600 and owned by the user, only when a key is added, changed or removed.
import { posix } from 'node:path';
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { groupDbFact, userEntryFact, type GroupEntry, type UserEntry } from '../src/facts/accounts.js';
import type { Fact } from '../src/facts/fact.js';
import { fileChecksumFact } from '../src/facts/file-checksum.js';
import { fileContentFact, type FileContent } from '../src/facts/file-content.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { pathStatFact } from '../src/facts/path-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Action, type Plan } from '../src/module-api/module.js';
import { enforceKeys } from './support/authorized-keys.js';
import { formatMode } from './support/file-attributes.js';
import { planFileWrite } from './support/file-write.js';

const params = withAliases(
  {
    user: z.string().min(1).describe('The user whose authorized_keys file is managed.'),
    key: z.string().min(1).describe('One or more keys, one a line (`ssh-ed25519 AAAA… comment`), or an http(s) URL to read them from (fetched by the controller).'),
    path: z.string().min(1).optional().describe('Another authorized_keys file (default: ~USER/.ssh/authorized_keys).'),
    manage_dir: z.boolean().default(true).describe("Create the file's directory (mode 0700, owned by the user) and keep it so."),
    state: z.enum(['present', 'absent']).default('present').describe('Whether the keys are in the file.'),
    key_options: z.string().optional().describe('sshd options for each key (`from="10.0.0.1",no-pty`).'),
    exclusive: z.boolean().default(false).describe('Remove every other key from the file.'),
    comment: z.string().optional().describe("A comment that replaces each key's own."),
    validate_certs: z.boolean().default(true).describe("Verify the URL's TLS certificate (the controller's fetch always does)."),
    follow: z.boolean().default(false).describe('When the file is a symbolic link, write the file it points to (otherwise the link is replaced by a file).'),
  },
  {},
);

type Params = z.output<typeof params>;

/** What the plan compares: the user, the file and its directory. */
export interface AuthorizedKeyFacts {
  readonly user: UserEntry | undefined;
  readonly groups: readonly GroupEntry[];
  /** The file written (after following a link with follow). */
  readonly keyfile: string;
  readonly stat: FileStat | undefined;
  readonly sha256: string | undefined;
  readonly content: FileContent;
  /** The keys, after reading a URL. */
  readonly keys: string;
  /** Why the URL could not be read. */
  readonly keyError?: string;
}

/** The file: `path`, or ~USER/.ssh/authorized_keys. */
export function keyfilePath(p: Params, user: UserEntry | undefined): string | undefined {
  if (p.path !== undefined) return p.path;
  return user === undefined ? undefined : posix.join(user.home, '.ssh', 'authorized_keys');
}

/** The facts read about `keyfile`. */
function fileFacts(keyfile: string): Fact<unknown>[] {
  return [fileStatFact(keyfile), fileChecksumFact(keyfile), fileContentFact(keyfile)];
}

/** What is read in the first round trip. */
export function authorizedKeyFacts(p: Params): Fact<unknown>[] {
  return [userEntryFact(p.user), groupDbFact(), ...(p.path === undefined ? [] : fileFacts(p.path))];
}

/** Keys from a URL, read by the controller (Ansible's module reads it from the host). */
async function readKeys(p: Params): Promise<{ keys: string; error?: string }> {
  if (!p.key.startsWith('http')) return { keys: p.key };
  try {
    const response = await fetch(p.key);
    if (response.status !== 200) return { keys: '', error: `Error getting key from: ${p.key}` };
    return { keys: await response.text() };
  } catch {
    return { keys: '', error: `Error getting key from: ${p.key}` };
  }
}

/** Ansible's result: the parameters, keyfile, and the file's attributes once it exists. */
function resultValues(p: Params, facts: AuthorizedKeyFacts, written: boolean, owner: string | undefined, group: string | undefined, size: number | undefined): Record<string, unknown> {
  const exists = written || facts.stat !== undefined;
  return {
    user: p.user,
    key: p.key,
    path: p.path ?? null,
    manage_dir: p.manage_dir,
    state: exists ? 'file' : p.state,
    key_options: p.key_options ?? null,
    exclusive: p.exclusive,
    comment: p.comment ?? null,
    validate_certs: p.validate_certs,
    follow: p.follow,
    keyfile: facts.keyfile,
    ...(exists && owner !== undefined ? { owner, uid: facts.user?.uid } : {}),
    ...(exists && group !== undefined ? { group, gid: facts.user?.gid } : {}),
    ...(exists ? { mode: written ? '0600' : formatMode(facts.stat?.mode ?? 0o600) } : {}),
    ...(size === undefined ? {} : { size }),
  };
}

/** Add or remove the keys as Ansible's enforce_state does; write only when it would. */
export function planAuthorizedKey(p: Params, facts: AuthorizedKeyFacts): Plan {
  if (facts.keyError !== undefined) return { steps: [], failure: facts.keyError };
  if (facts.user === undefined && p.path === undefined) return { steps: [], failure: `Failed to lookup user ${p.user}: "getpwnam(): name not found: '${p.user}'"` };
  if (facts.content.kind === 'not-a-file' && facts.stat?.type !== 'link') return { steps: [], failure: `${facts.keyfile} is not a regular file` };
  const existing = facts.content.kind === 'file' ? facts.content.content.toString('utf8') : '';
  const outcome = enforceKeys(existing, { keys: facts.keys, state: p.state, ...(p.key_options === undefined ? {} : { keyOptions: p.key_options }), ...(p.comment === undefined ? {} : { comment: p.comment }), exclusive: p.exclusive });
  if (outcome.kind === 'invalid') return { steps: [], failure: `invalid key specified: ${outcome.line}` };
  const group = facts.groups.find((g) => g.gid === facts.user?.gid)?.name;
  const owner = facts.user?.name ?? p.user;
  if (!outcome.write) {
    return { steps: [{ kind: 'noop', reason: `${facts.keyfile} has the keys ${p.state === 'present' ? 'in it' : 'removed'}` }], values: resultValues(p, facts, false, facts.stat?.owner, facts.stat?.group, facts.stat?.size) };
  }
  const content = Buffer.from(outcome.content, 'utf8');
  const actions: Action[] = [];
  if (p.manage_dir) {
    // Ansible: mkdir 0700 when missing, then chown and chmod 0700 on every write.
    const dir = posix.dirname(facts.keyfile);
    const spec = group === undefined ? owner : `${owner}:${group}`;
    actions.push({ kind: 'run', command: sh`{ [ -d ${dir} ] || mkdir -m 0700 ${dir}; } && chown ${spec} ${dir} && chmod 0700 ${dir}` });
  }
  const current = { stat: facts.stat?.type === 'link' ? undefined : facts.stat, sha256: facts.sha256, content: facts.content.kind === 'file' ? facts.content.content : undefined };
  const steps = planFileWrite(facts.keyfile, current, content, { mode: 0o600, owner, group }, `${facts.stat === undefined ? 'create' : 'update'} ${facts.keyfile}`);
  const withDir = steps.map((step) => (step.kind === 'change' ? { ...step, actions: [...actions, ...step.actions] } : step));
  return { steps: withDir, values: resultValues(p, facts, true, owner, group, content.length) };
}

export default defineModule({
  name: 'authorized_key',
  summary: "Add or remove SSH keys in a user's authorized_keys file",
  description:
    "ansible.posix.authorized_key: the file (path, or ~USER/.ssh/authorized_keys) is parsed and rewritten " +
    "as Ansible's module does — keys matched by their base64 blob, key_options and comment compared, other " +
    'lines kept, exclusive removes the rest — and written atomically (mode 0600, owned by the user) only when ' +
    'that changes something; manage_dir creates and keeps the directory 0700. Registers the parameters, ' +
    'keyfile and the file\'s owner/group/mode/size; --diff shows the file. Difference: a key URL is fetched by ' +
    'the controller, not the host.',
  params,
  example: `- name: Let the deploy key in
  authorized_key:
    user: deploy
    key: "{{ lookup('file', 'files/deploy.pub') }}"
    exclusive: true`,
  needs: (p) => authorizedKeyFacts(p),
  async observe(host, p): Promise<AuthorizedKeyFacts> {
    const [user, groups, ...rest] = (await host.facts(...authorizedKeyFacts(p))) as [UserEntry | undefined, GroupEntry[], ...unknown[]];
    const { keys, error } = await readKeys(p);
    let keyfile = keyfilePath(p, user);
    const keyError = error === undefined ? {} : { keyError: error };
    if (keyfile === undefined) return { user, groups, keyfile: p.path ?? '', stat: undefined, sha256: undefined, content: { kind: 'absent' }, keys, ...keyError };
    let [stat, sha256, content] = (p.path === undefined ? await host.facts(...fileFacts(keyfile)) : rest) as [FileStat | undefined, string | undefined, FileContent];
    if (p.follow && stat?.type === 'link') {
      const [link] = await host.facts(pathStatFact(keyfile, { follow: false, mime: false }));
      if (link.exists && link.linkSource !== undefined) {
        keyfile = link.linkSource;
        [stat, sha256, content] = (await host.facts(...fileFacts(keyfile))) as [FileStat | undefined, string | undefined, FileContent];
      }
    }
    return { user, groups, keyfile, stat, sha256, content, keys, ...keyError };
  },
  plan({ params: p, facts }) {
    return planAuthorizedKey(p, facts);
  },
});
