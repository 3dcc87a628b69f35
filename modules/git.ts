// git: ansible.builtin.git with the git client the host has (FreeBSD's base system has none:
// `pkg install git` puts it in /usr/local/bin). Follows lib/ansible/modules/git.py: the current
// revision is `git rev-parse HEAD`, local modifications are `git status --porcelain` lines other
// than untracked files (an error unless force), the wanted revision is the remote's HEAD, branch
// or (dereferenced) tag from `git ls-remote`, else the version as a SHA; a missing checkout is
// cloned (`--depth`, `--branch` for a branch or tag with depth or single_branch, `--single-branch`), an existing one (update: yes)
// fetched and switched (checkout --force, reset --hard REMOTE/BRANCH for branches); before/after
// are the revisions. Everything is read in one command, the change is one command.
import { z } from 'zod';
import { joinCommands, sh, type Command } from '../src/command/command.js';
import { defineFact } from '../src/facts/fact.js';
import { parseSections, sectionedCommand, sectionStatus, withStatus } from '../src/facts/sections.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';

/** A ref, SHA or remote name: never an option to git (no leading `-`), no spaces. */
const REF = z.string().min(1).regex(/^[^\s-][^\s]*$/, 'a branch, tag or SHA (no spaces, no leading -)');

const params = withAliases(
  {
    repo: z.string().min(1).regex(/^[^-]/, 'a repository URL or path, not an option').describe('The repository: URL, scp-like user@host:path, or a path on the host.'),
    dest: z.string().regex(/^\//, 'an absolute path on the host').describe('Where the checkout goes (absolute path).'),
    version: REF.default('HEAD').describe("What to check out: HEAD (the remote's default branch), a branch, a tag or a SHA."),
    force: z.boolean().default(false).describe('Discard local modifications (git reset --hard) instead of failing on them.'),
    depth: z.number().int().positive().optional().describe('Shallow clone/fetch with this many commits of history.'),
    update: z.boolean().default(true).describe('Fetch and switch an existing checkout; no: leave it as it is.'),
    remote: REF.default('origin').describe('The name of the remote.'),
    accept_hostkey: z.boolean().default(false).describe('Add -o StrictHostKeyChecking=no to ssh, as Ansible does.'),
    key_file: z.string().regex(/^\//).optional().describe('The ssh private key on the host (ssh -i).'),
    executable: z.string().regex(/^\//).optional().describe('The git to use (default: git on PATH).'),
    single_branch: z.boolean().default(false).describe('Clone only the history of the wanted branch or tag (git clone --single-branch); an existing checkout is fetched as without it.'),
  },
  { repo: ['name'] },
);

type Params = z.output<typeof params>;

/** What the one read tells: the git client, the checkout, the remote's refs. */
export interface GitState {
  /** The git found, or undefined with the PATH searched. */
  readonly git: string | undefined;
  readonly path: string;
  readonly isRepo: boolean;
  readonly head: string | undefined;
  readonly branch: string | undefined;
  readonly localMods: boolean;
  readonly remoteUrl: string | undefined;
  /** ref name → SHA from ls-remote, or the error text when it failed. */
  readonly refs: ReadonlyMap<string, string> | { readonly error: string };
}

/** The environment git runs with: no prompts (no tty), ssh options as Ansible's GIT_SSH wrapper sets them. */
function gitEnv(p: Params): Command {
  const ssh = ['ssh', ...(p.accept_hostkey ? ['-o', 'StrictHostKeyChecking=no'] : []), ...(p.key_file === undefined ? [] : ['-i', p.key_file])];
  return ssh.length > 1 ? sh`GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND=${ssh.join(' ')}` : sh`GIT_TERMINAL_PROMPT=0`;
}

const gitOf = (p: Params): string => p.executable ?? 'git';

/** The read: which git, the checkout's HEAD/branch/status/remote URL, and ls-remote of the repo. */
export function gitStateFact(p: Params) {
  const git = gitOf(p);
  const env = gitEnv(p);
  return defineFact(
    `git:${p.dest}:${p.repo}:${git}:${p.remote}`,
    sectionedCommand([
      ['git', sh`command -v ${git} || printf 'PATH=%s\n' "$PATH"`],
      ['repo', sh`test -f ${`${p.dest}/.git/config`} && echo yes`],
      ['head', sh`${env} ${git} -C ${p.dest} rev-parse HEAD`],
      ['branch', sh`${env} ${git} -C ${p.dest} symbolic-ref -q --short HEAD`],
      ['status', sh`${env} ${git} -C ${p.dest} status --porcelain`],
      ['url', sh`${env} ${git} -C ${p.dest} config --get ${`remote.${p.remote}.url`}`],
      ['remote', withStatus(sh`${env} ${git} ls-remote -- ${p.repo} 2>&1`)],
    ]),
    (output): GitState => parseGitState(parseSections(output.stdout)),
  );
}

/** The sections of the read → GitState. */
export function parseGitState(sections: ReadonlyMap<string, string>): GitState {
  const line = (name: string) => {
    const text = (sections.get(name) ?? '').trim();
    return text === '' ? undefined : text;
  };
  const found = line('git');
  // The remote's own output (a hostile server's too) is the section; its status is the frame's.
  const body = sections.get('remote') ?? '';
  let refs: GitState['refs'];
  if (sectionStatus(sections, 'remote') === 0) {
    const map = new Map<string, string>();
    for (const row of body.split('\n')) {
      const [sha, ref] = row.split('\t');
      if (sha !== undefined && ref !== undefined && /^[0-9a-f]{7,}$/.test(sha)) map.set(ref, sha);
    }
    refs = map;
  } else refs = { error: body.trim() };
  return {
    git: found === undefined || found.startsWith('PATH=') ? undefined : found,
    path: found?.startsWith('PATH=') === true ? found.slice('PATH='.length) : '',
    isRepo: line('repo') === 'yes',
    head: line('head'),
    branch: line('branch'),
    // has_local_mods: untracked files (`??`) do not count
    localMods: (sections.get('status') ?? '').split('\n').some((row) => row.trim() !== '' && !row.startsWith('??')),
    remoteUrl: line('url'),
    refs,
  };
}

/** What the version names on the remote (get_remote_head); the version itself when it is a SHA. */
export type Wanted = { readonly kind: 'head' | 'branch' | 'tag' | 'sha'; readonly sha: string; readonly branch?: string } | { readonly error: string };

export function wantedRevision(p: Params, state: GitState, cloning: boolean): Wanted {
  if ('error' in state.refs) return { error: state.refs.error === '' ? `Could not determine remote revision for ${p.version}` : state.refs.error };
  const refs = state.refs;
  const missing = { error: `Could not determine remote revision for ${p.version}` };
  if (p.version === 'HEAD') {
    if (cloning) {
      const sha = refs.get('HEAD');
      const branch = [...refs].find(([ref, value]) => ref.startsWith('refs/heads/') && value === sha)?.[0].slice('refs/heads/'.length);
      return sha === undefined ? missing : branch === undefined ? { kind: 'head', sha } : { kind: 'head', sha, branch };
    }
    const sha = state.branch === undefined ? undefined : refs.get(`refs/heads/${state.branch}`);
    return sha === undefined || state.branch === undefined ? missing : { kind: 'head', sha, branch: state.branch };
  }
  const branch = refs.get(`refs/heads/${p.version}`);
  if (branch !== undefined) return { kind: 'branch', sha: branch, branch: p.version };
  const tag = refs.get(`refs/tags/${p.version}^{}`) ?? refs.get(`refs/tags/${p.version}`);
  if (tag !== undefined) return { kind: 'tag', sha: tag };
  return { kind: 'sha', sha: p.version };
}

/** switch_version: checkout --force, and for a branch reset --hard to the remote's. */
function switchCommands(p: Params, git: string, wanted: Exclude<Wanted, { error: string }>): Command[] {
  const at = (command: Command) => sh`${gitEnv(p)} ${git} -C ${p.dest} ${command}`;
  if (wanted.kind === 'head' || wanted.kind === 'branch') {
    const branch = wanted.branch ?? p.version;
    return [at(sh`checkout --force ${branch}`), at(sh`reset --hard ${`${p.remote}/${branch}`} --`)];
  }
  return [at(sh`checkout --force ${p.version}`)];
}

/** The one command of a change: clone or fetch, switch, then print the revision now (registered as after). */
export function changeCommand(p: Params, state: GitState, wanted: Exclude<Wanted, { error: string }>): Command {
  const git = state.git ?? gitOf(p);
  const env = gitEnv(p);
  const depth = p.depth === undefined ? [] : [`--depth=${p.depth}`];
  const steps: Command[] = [];
  if (!state.isRepo) {
    // git.py's clone: --branch with depth or single_branch for a branch or tag; --single-branch after it.
    const branchOrTag = wanted.kind === 'branch' || wanted.kind === 'tag';
    const branch = (p.depth !== undefined || p.single_branch) && branchOrTag ? ['--branch', p.version] : [];
    const single = p.single_branch ? ['--single-branch'] : [];
    steps.push(sh`${env} ${git} clone --origin ${p.remote} ${[...depth, ...branch, ...single]} -- ${p.repo} ${p.dest}`);
    if (wanted.kind !== 'head') steps.push(...switchCommands(p, git, wanted));
  } else {
    const at = (command: Command) => sh`${env} ${git} -C ${p.dest} ${command}`;
    if (state.localMods) steps.push(at(sh`reset --hard HEAD`));
    if (state.remoteUrl !== p.repo) steps.push(at(sh`remote set-url ${p.remote} ${p.repo}`));
    const refspecs = [`+refs/heads/*:refs/remotes/${p.remote}/*`, '+refs/tags/*:refs/tags/*'];
    steps.push(at(sh`fetch ${[...depth, ...(p.force ? ['--force'] : [])]} ${p.remote} ${refspecs}`));
    steps.push(...switchCommands(p, git, wanted));
  }
  return joinCommands([...steps, sh`${git} -C ${p.dest} rev-parse HEAD`], '&&');
}

const sameRevision = (have: string | undefined, want: string) => have !== undefined && (have === want || (want.length >= 7 && have.startsWith(want)));

/** The plan: fail as git.py does, leave an up-to-date or update: no checkout, else one change step. */
export function planGit(p: Params, state: GitState): Plan {
  if (state.git === undefined) return { steps: [], failure: `Failed to find required executable "${gitOf(p)}" in paths: ${state.path}` };
  if (state.isRepo && !p.update) {
    return { steps: [{ kind: 'noop', reason: `${p.dest} is a checkout (update: no)` }], values: { before: state.head ?? null, after: state.head ?? null } };
  }
  const before = state.isRepo ? (state.head ?? null) : null;
  if (state.isRepo && state.localMods && !p.force) {
    return { steps: [], failure: `Local modifications exist in the destination: ${p.dest} (force=no).`, values: { before } };
  }
  const wanted = wantedRevision(p, state, !state.isRepo);
  if ('error' in wanted) return { steps: [], failure: wanted.error, values: { before } };
  const urlChanged = state.isRepo && state.remoteUrl !== undefined && state.remoteUrl !== p.repo;
  const values = { before, after: wanted.sha, ...(state.isRepo ? { remote_url_changed: urlChanged } : {}) };
  if (state.isRepo && sameRevision(state.head, wanted.sha) && !urlChanged && !state.localMods) {
    return { steps: [{ kind: 'noop', reason: `${p.dest} is at ${wanted.sha}` }], values };
  }
  const summary = state.isRepo ? `update ${p.dest} to ${p.version} (${wanted.sha.slice(0, 12)})` : `clone ${p.repo} into ${p.dest} at ${p.version}`;
  return {
    steps: [{ kind: 'change', summary, actions: [{ kind: 'run', command: changeCommand(p, state, wanted) }], diff: { header: p.dest, before: `${before ?? '(absent)'}\n`, after: `${wanted.sha}\n` } }],
    values: { ...values, ...(state.localMods ? { msg: `Local modifications exist in the destination: ${p.dest}` } : {}) },
  };
}

export default defineModule({
  name: 'git',
  summary: 'Clone or update a git checkout (ansible.builtin.git), with the git client installed on the host',
  description:
    "ansible.builtin.git: reads the checkout's revision (`git rev-parse HEAD`), local modifications (`git status " +
    "--porcelain`, untracked files ignored) and the remote's refs (`git ls-remote`) in one command; version is HEAD (the " +
    "remote's default branch, or the checked-out branch's remote head), a branch, a tag (dereferenced) or a SHA. A " +
    'missing dest is cloned (`--origin REMOTE`, `--depth`, with depth `--branch` for a branch or tag), an existing ' +
    'checkout is fetched (`+refs/heads/*`, `+refs/tags/*`; `--force` with force) and switched (`checkout --force`, ' +
    '`reset --hard REMOTE/BRANCH` for a branch); local modifications fail unless force (then `reset --hard HEAD`); ' +
    "update: no leaves an existing checkout. Registers before/after (the revisions; before is null for a clone) and " +
    'remote_url_changed. FreeBSD has no git in its base system: without one (`pkg install git`, or executable) the task ' +
    "fails with Ansible's \"Failed to find required executable\" message. Not supported (refused at load): bare, clone: no, " +
    'refspec, recursive/track_submodules, reference, verify_commit, archive, separate_git_dir, umask, ssh_opts. single_branch adds ' +
    '`--single-branch` (and `--branch VERSION` for a branch or tag) to the clone, as git.py does.',
  params,
  example: `- name: Check out the site at its release tag
  git:
    repo: https://git.example.org/site.git
    dest: /usr/local/www/site
    version: v1.4.2`,
  needs: (p) => [gitStateFact(p)],
  async observe(host, p) {
    const [state] = await host.facts(gitStateFact(p));
    return state;
  },
  plan({ params: p, facts }) {
    return planGit(p, facts);
  },
  register({ results }) {
    // The change command's last line is the revision reached: Ansible's after.
    const last = results.at(-1)?.stdout.trim().split('\n').at(-1);
    return last !== undefined && /^[0-9a-f]{40,64}$/.test(last) ? { after: last } : {};
  },
});
