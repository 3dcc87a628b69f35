import { describe, expect, it } from 'vitest';
import patch, { planPatch, type PatchFacts } from '../../modules/patch.js';
import { patchCommand, patchStateFact, type PatchState } from '../../src/facts/patch-state.js';
import type { Command } from '../../src/command/command.js';
import type { Plan } from '../../src/module-api/module.js';
import { sectionsOutput } from '../helpers/sections-output.js';

const render = (command: Command) => command.text;
const diff = '--- index.html\n+++ index.html\n@@ -1 +1 @@\n-old\n+new\n';
const params = (extra: Record<string, unknown> = {}) => patch.params.parse({ src: 'index.patch', dest: '/www/index.html', ...extra });
const state = (extra: Partial<PatchState> = {}): PatchState => ({
  forward: true,
  reverse: false,
  forwardOutput: '',
  reverseOutput: '',
  srcReadable: true,
  destWritable: true,
  basedirExists: true,
  ...extra,
});
const facts = (extra: Partial<PatchState> = {}): PatchFacts => ({ input: { kind: 'text', text: diff }, state: state(extra) });
const summary = (plan: Plan) => plan.steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));
const commands = (plan: Plan) => plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? render(a.command) : 'put')) : []));

describe('patch plan', () => {
  it('not applied: applies with patch -f -s in dest\'s directory, the text by here-document', () => {
    const plan = planPatch(params(), facts());
    expect(plan.failure).toBeUndefined();
    expect(summary(plan)).toEqual(['change: apply index.patch in /www/index.html']);
    const [command] = commands(plan);
    expect(command).toMatch(/^patch -d \/www -p0 -f -s <<'BEASTIE_PATCH_[0-9a-f]{12}' \/www\/index.html 2>&1\n--- index.html\n/);
    expect(command).not.toContain(' -R');
  });

  it('applied: the reversed dry run succeeds, nothing to do', () => {
    expect(summary(planPatch(params(), facts({ forward: false, reverse: true })))).toEqual([
      'noop: the patch is already applied in /www/index.html (a reversed dry run succeeds)',
    ]);
  });

  it('state absent: reverts an applied patch with -R; a reverted one is left alone', () => {
    const absent = params({ state: 'absent' });
    const revert = planPatch(absent, facts({ forward: false, reverse: true }));
    expect(summary(revert)).toEqual(['change: revert index.patch in /www/index.html']);
    expect(commands(revert)[0]).toMatch(/^patch -d \/www -p0 -f -s -R <</);
    expect(summary(planPatch(absent, facts()))).toEqual(['noop: the patch is not applied in /www/index.html (a forward dry run succeeds)']);
  });

  it('check mode is the same plan: a change with commands the runner does not run', () => {
    // --check runs facts + plan only; the plan is the one of a real run (nothing in it depends on check).
    expect(planPatch(params(), facts())).toEqual(planPatch(params(), facts()));
  });

  it('a patch that fits neither way fails with the dry run\'s output, before anything is written', () => {
    const plan = planPatch(params(), facts({ forward: false, forwardOutput: '1 out of 1 hunks failed while patching index.html' }));
    expect(plan.steps).toEqual([]);
    expect(plan.failure).toBe('the patch does not apply to /www/index.html (dry run):\n1 out of 1 hunks failed while patching index.html');
  });

  it("Ansible's precondition messages", () => {
    expect(planPatch(params({ remote_src: true, src: '/tmp/x.patch' }), facts({ srcReadable: false })).failure).toBe("src /tmp/x.patch doesn't exist or not readable");
    expect(planPatch(params(), facts({ destWritable: false })).failure).toBe("dest /www/index.html doesn't exist or not writable");
    expect(planPatch(params({ basedir: '/nope' }), facts({ basedirExists: false })).failure).toBe("basedir /nope doesn't exist");
    expect(planPatch(params(), { input: { kind: 'missing', message: "could not find 'index.patch'" }, state: undefined }).failure).toBe("could not find 'index.patch'");
  });

  it('strip, basedir, ignore_whitespace, backup and remote_src map to -p, -d, -l, -b -V numbered and -i', () => {
    const p = params({ dest: undefined, basedir: '/usr/local/www', strip: 1, ignore_whitespace: true, backup: true, remote_src: true, src: '/tmp/site.patch' });
    const plan = planPatch(p, { input: { kind: 'remote', path: '/tmp/site.patch' }, state: state() });
    expect(commands(plan)).toEqual(['patch -d /usr/local/www -p1 -f -s -b -V numbered -l -i /tmp/site.patch  2>&1']);
    expect(summary(plan)).toEqual(['change: apply /tmp/site.patch in /usr/local/www']);
  });
});

describe('patch parameters', () => {
  it('aliases patchfile and originalfile; dest or basedir is required, as required_one_of says', () => {
    expect(patch.params.parse({ patchfile: 'a.patch', originalfile: '/etc/x' })).toMatchObject({ src: 'a.patch', dest: '/etc/x', strip: 0, state: 'present', remote_src: false });
    expect(() => patch.params.parse({ src: 'a.patch' })).toThrow('one of the following is required: dest, basedir');
    expect(() => patch.params.parse({ src: 'a.patch', dest: '/x', state: 'latest' })).toThrow();
  });
});

describe('patch state fact', () => {
  const target = { basedir: '/www', strip: 0, dest: '/www/index.html', ignoreWhitespace: false };
  it('two BSD patch -C dry runs (forward, -R) and the preconditions', () => {
    const command = render(patchStateFact({ kind: 'remote', path: '/tmp/p' }, target).command);
    expect(command).toContain('patch -d /www -p0 -C -f -s -i /tmp/p /www/index.html 2>&1');
    expect(command).toContain('patch -d /www -p0 -C -f -s -R -i /tmp/p /www/index.html 2>&1');
    expect(command).toContain('test -r /tmp/p');
    expect(command).toContain('test -w /www/index.html');
    expect(command).not.toContain('--dry-run');
  });
  it('reads the exit statuses', () => {
    const fact = patchStateFact({ kind: 'text', text: diff }, target);
    const stdout = sectionsOutput('@@section src:rc@@\n0\n@@section dest:rc@@\n0\n@@section basedir:rc@@\n0\n@@section forward@@\nHunk #1 failed\n@@section forward:rc@@\n1\n@@section reverse@@\n@@section reverse:rc@@\n0\n');
    expect(fact.parse({ stdout, stderr: '', exitCode: 0 } as never)).toEqual(state({ forward: false, reverse: true, forwardOutput: 'Hunk #1 failed' }));
  });
  it('quotes user paths', () => {
    expect(render(patchCommand({ kind: 'remote', path: "/tmp/it's.patch" }, { ...target, dest: undefined }, ['-f']))).toBe("patch -d /www -p0 -f -i '/tmp/it'\\''s.patch'  2>&1");
  });
});
