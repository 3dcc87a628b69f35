import { describe, expect, it } from 'vitest';
import git, { changeCommand, parseGitState, planGit, wantedRevision, type GitState } from '../../modules/git.js';

const p = (x: Record<string, unknown>) => git.params.parse({ repo: 'https://git.example.org/site.git', dest: '/usr/local/www/site', ...x });
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const T = 'c'.repeat(40);
const refs = new Map([['HEAD', A], ['refs/heads/main', A], ['refs/heads/dev', B], ['refs/tags/v1', 'd'.repeat(40)], ['refs/tags/v1^{}', T]]);
const fresh: GitState = { git: '/usr/local/bin/git', path: '', isRepo: false, head: undefined, branch: undefined, localMods: false, remoteUrl: undefined, refs };
const checkout: GitState = { ...fresh, isRepo: true, head: A, branch: 'main', remoteUrl: 'https://git.example.org/site.git' };

describe('git: parameters as ansible.builtin.git takes them', () => {
  it('takes name as repo, defaults version HEAD / remote origin / update yes, refuses options and relative dests', () => {
    expect(git.params.parse({ name: 'r', dest: '/d' })).toMatchObject({ repo: 'r', version: 'HEAD', remote: 'origin', update: true, force: false });
    expect(() => git.params.parse({ repo: 'r', dest: 'd' })).toThrow(/absolute/);
    expect(() => git.params.parse({ repo: '--upload-pack=x', dest: '/d' })).toThrow(/not an option/);
    expect(() => git.params.parse({ repo: 'r', dest: '/d', version: '-b' })).toThrow(/leading -/);
    expect(() => git.params.parse({ repo: 'r', dest: '/d', bare: true })).toThrow();
  });
});

describe('git: the read', () => {
  it('parses the sections: the git found, the checkout, local modifications without untracked files, ls-remote refs', () => {
    const sections = new Map([
      ['git', '/usr/local/bin/git\n'], ['repo', 'yes\n'], ['head', `${A}\n`], ['branch', 'main\n'], ['status', '?? new.txt\n'],
      ['url', 'https://git.example.org/site.git\n'], ['remote', `${A}\tHEAD\n${A}\trefs/heads/main\n`], ['remote:rc', '0\n'],
    ]);
    expect(parseGitState(sections)).toEqual({ ...checkout, refs: new Map([['HEAD', A], ['refs/heads/main', A]]) });
    expect(parseGitState(new Map([...sections, ['status', ' M index.html\n?? new.txt\n']])).localMods).toBe(true);
    expect(parseGitState(new Map([['git', 'PATH=/sbin:/bin:/usr/sbin:/usr/bin\n'], ['remote', 'fatal: repository not found\n'], ['remote:rc', '128\n']]))).toMatchObject({
      git: undefined, path: '/sbin:/bin:/usr/sbin:/usr/bin', isRepo: false, refs: { error: 'fatal: repository not found' },
    });
  });

  it("resolves the version as get_remote_head: the remote's HEAD when cloning, the checked-out branch's head after; branch, dereferenced tag, else a SHA", () => {
    expect(wantedRevision(p({}), fresh, true)).toEqual({ kind: 'head', sha: A, branch: 'main' });
    expect(wantedRevision(p({}), { ...checkout, branch: 'dev' }, false)).toEqual({ kind: 'head', sha: B, branch: 'dev' });
    expect(wantedRevision(p({ version: 'dev' }), fresh, true)).toEqual({ kind: 'branch', sha: B, branch: 'dev' });
    expect(wantedRevision(p({ version: 'v1' }), fresh, true)).toEqual({ kind: 'tag', sha: T });
    expect(wantedRevision(p({ version: '1234567' }), fresh, true)).toEqual({ kind: 'sha', sha: '1234567' });
    expect(wantedRevision(p({}), { ...checkout, branch: undefined }, false)).toEqual({ error: 'Could not determine remote revision for HEAD' });
  });
});

describe('git: the plan', () => {
  it("fails with Ansible's message when the host has no git (FreeBSD's base system has none)", () => {
    expect(planGit(p({}), { ...fresh, git: undefined, path: '/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin' })).toEqual({
      steps: [], failure: 'Failed to find required executable "git" in paths: /sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin',
    });
  });

  it('clones a missing checkout: before null, after the remote revision; depth with --branch for a branch or tag', () => {
    const plan = planGit(p({}), fresh);
    expect(plan.values).toEqual({ before: null, after: A });
    const step = plan.steps[0];
    expect(step?.kind === 'change' && step.actions[0]?.kind === 'run' ? step.actions[0].command.text : '').toBe(
      "GIT_TERMINAL_PROMPT=0 /usr/local/bin/git clone --origin origin  -- https://git.example.org/site.git /usr/local/www/site && /usr/local/bin/git -C /usr/local/www/site rev-parse HEAD",
    );
    const tagged = changeCommand(p({ version: 'v1', depth: 1 }), fresh, { kind: 'tag', sha: T }).text;
    expect(tagged).toContain('clone --origin origin --depth=1 --branch v1 -- https://git.example.org/site.git /usr/local/www/site');
    expect(tagged).toContain('-C /usr/local/www/site checkout --force v1');
    // single_branch (git.py's clone): --single-branch, with --branch for a branch or tag only.
    expect(changeCommand(p({ version: 'dev', single_branch: true }), fresh, { kind: 'branch', sha: A, branch: 'dev' }).text).toContain('clone --origin origin --branch dev --single-branch -- https://git.example.org/site.git');
    expect(changeCommand(p({ single_branch: true }), fresh, { kind: 'head', sha: A }).text).toContain('clone --origin origin --single-branch -- https://git.example.org/site.git');
  });

  it('leaves a checkout at the wanted revision, or any checkout with update: no', () => {
    expect(planGit(p({}), checkout)).toMatchObject({ steps: [{ kind: 'noop' }], values: { before: A, after: A, remote_url_changed: false } });
    expect(planGit(p({ update: false, version: 'dev' }), checkout)).toMatchObject({ steps: [{ kind: 'noop' }], values: { before: A, after: A } });
    expect(planGit(p({ version: 'aaaaaaa' }), checkout).steps[0]?.kind).toBe('noop');
  });

  it('fetches and switches a checkout behind its branch; a new remote URL is set first and reported', () => {
    const plan = planGit(p({ version: 'dev', repo: 'https://mirror.example.org/site.git' }), checkout);
    expect(plan.values).toEqual({ before: A, after: B, remote_url_changed: true });
    const step = plan.steps[0];
    const text = step?.kind === 'change' && step.actions[0]?.kind === 'run' ? step.actions[0].command.text : '';
    expect(text.split(' && ')).toEqual([
      'GIT_TERMINAL_PROMPT=0 /usr/local/bin/git -C /usr/local/www/site remote set-url origin https://mirror.example.org/site.git',
      "GIT_TERMINAL_PROMPT=0 /usr/local/bin/git -C /usr/local/www/site fetch  origin '+refs/heads/*:refs/remotes/origin/*' '+refs/tags/*:refs/tags/*'",
      'GIT_TERMINAL_PROMPT=0 /usr/local/bin/git -C /usr/local/www/site checkout --force dev',
      'GIT_TERMINAL_PROMPT=0 /usr/local/bin/git -C /usr/local/www/site reset --hard origin/dev --',
      '/usr/local/bin/git -C /usr/local/www/site rev-parse HEAD',
    ]);
  });

  it('local modifications: the failure of git.py without force (also in --check), a reset and a change with it', () => {
    const dirty = { ...checkout, localMods: true };
    expect(planGit(p({}), dirty)).toEqual({ steps: [], failure: 'Local modifications exist in the destination: /usr/local/www/site (force=no).', values: { before: A } });
    const forced = planGit(p({ force: true }), dirty);
    expect(forced.values).toMatchObject({ before: A, after: A, msg: 'Local modifications exist in the destination: /usr/local/www/site' });
    const step = forced.steps[0];
    expect(step?.kind === 'change' && step.actions[0]?.kind === 'run' ? step.actions[0].command.text : '').toContain('reset --hard HEAD && ');
  });

  it("ssh options as Ansible's GIT_SSH wrapper: accept_hostkey and key_file; a failed ls-remote is the failure", () => {
    expect(changeCommand(p({ accept_hostkey: true, key_file: '/root/.ssh/deploy' }), fresh, { kind: 'head', sha: A }).text).toMatch(
      /^GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND='ssh -o StrictHostKeyChecking=no -i \/root\/.ssh\/deploy' /,
    );
    expect(planGit(p({}), { ...fresh, refs: { error: "fatal: repository 'x' not found" } }).failure).toBe("fatal: repository 'x' not found");
  });

  it('registers after from the last line the change printed', () => {
    expect(git.register?.({ params: p({}), results: [{ command: 'x', stdout: `Cloning…\n${B}\n`, stderr: '', exitCode: 0 }] as never })).toEqual({ after: B });
  });
});
