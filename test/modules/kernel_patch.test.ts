import { describe, expect, it } from 'vitest';
import kernelPatch, { planKernelPatch } from '../../modules/kernel_patch.js';
import { kernelStateFact, parseStamp, type KernelState, type KernelStamp } from '../../src/facts/kernel-state.js';
import { sectionsOutput } from '../helpers/sections-output.js';
import type { Plan } from '../../src/module-api/module.js';

const seedPatch = `Index: sys/kern/kern_jail.c
--- sys/kern/kern_jail.c    (revision 367580)
+++ sys/kern/kern_jail.c    (working copy)
@@ -3319,7 +3319,9 @@
`;
const params = (extra: Record<string, unknown> = {}) => kernelPatch.params.parse({ patch: seedPatch, ...extra });
const state = (extra: Partial<KernelState> = {}): KernelState => ({
  patch: 'applies',
  dryRunOutput: '',
  bootfile: '/boot/kernel/kernel',
  stamp: undefined,
  tree: 'FreeBSD 12.2-RELEASE',
  userland: '12.2-RELEASE',
  boottime: '{ sec = 200, usec = 0 } Thu Jan  1 00:03:20 1970',
  loaderKernel: undefined,
  build: { state: 'none' },
  buildLogTail: '',
  ...extra,
});
/** A stamp of a kernel built with patch `patch` from the 12.2 tree during an earlier boot. */
const stamp = (patch: string, extra: Partial<KernelStamp> = {}): KernelStamp => ({
  patch,
  source: 'FreeBSD 12.2-RELEASE',
  userland: '12.2-RELEASE',
  boot: '{ sec = 100, usec = 0 } Thu Jan  1 00:01:40 1970',
  ...extra,
});
const summary = (plan: Plan) => plan.steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));

describe('kernel_patch plan', () => {
  it('a fresh host: apply, build, boot once, make default', () => {
    expect(summary(planKernelPatch(params({ build: true, reboot: true }), state(), 'h'))).toEqual([
      'change: apply the patch to /usr/src',
      'change: build and install kernel GENERIC into /boot/kernel.patched',
      'change: boot kernel.patched once (nextboot -k), verify it, make it the default, remove the once-file (nextboot -D)',
    ]);
  });

  it('second run: the reversed dry run succeeds, the stamped kernel runs and is the default', () => {
    const plan = planKernelPatch(
      params({ build: true, reboot: true }),
      state({ patch: 'applied', stamp: stamp('h'), bootfile: '/boot/kernel.patched/kernel', loaderKernel: 'kernel.patched' }),
      'h',
    );
    expect(plan.steps.every((s) => s.kind === 'noop')).toBe(true);
    expect(summary(plan)).toEqual([
      'noop: the patch is already applied in /usr/src (a reversed dry run succeeds)',
      'noop: /boot/kernel.patched holds a kernel built with this patch from FreeBSD 12.2-RELEASE sources',
      'noop: kernel.patched runs and is the default kernel',
    ]);
  });

  it('a kernel built from another patch is rebuilt', () => {
    expect(summary(planKernelPatch(params({ build: true }), state({ patch: 'applied', stamp: stamp('old') }), 'new'))).toEqual([
      'noop: the patch is already applied in /usr/src (a reversed dry run succeeds)',
      'change: rebuild kernel GENERIC into /boot/kernel.patched: it was built with another patch',
    ]);
  });

  it('after freebsd-update moved the tree and the userland to 13.5, the same patch is applied again and the kernel rebuilt and booted', () => {
    // freebsd-update put 13.5's stock kern_jail.c in /usr/src and 13.5's GENERIC into the running
    // /boot/kernel.patched, leaving the 12.2 stamp beside it.
    const upgraded = state({ stamp: stamp('h'), tree: 'FreeBSD 13.5-RELEASE', userland: '13.5-RELEASE', bootfile: '/boot/kernel.patched/kernel', loaderKernel: 'kernel.patched' });
    expect(summary(planKernelPatch(params({ build: true, reboot: true }), upgraded, 'h'))).toEqual([
      'change: apply the patch to /usr/src',
      'change: rebuild kernel GENERIC into /boot/kernel.patched: it was built from FreeBSD 12.2-RELEASE sources; the source tree is FreeBSD 13.5-RELEASE now',
      'change: boot kernel.patched once (nextboot -k), verify it, make it the default, remove the once-file (nextboot -D)',
    ]);
    const userlandOnly = state({ patch: 'applied', stamp: stamp('h'), userland: '13.5-RELEASE' });
    expect(summary(planKernelPatch(params({ build: true }), userlandOnly, 'h'))[1]).toBe(
      'change: rebuild kernel GENERIC into /boot/kernel.patched: it was built on userland 12.2-RELEASE; the userland is 13.5-RELEASE now',
    );
  });

  it('a kernel installed during this boot does not run yet, even from the directory that booted', () => {
    const justInstalled = state({ patch: 'applied', stamp: stamp('h', { boot: '{ sec = 200, usec = 0 } Thu Jan  1 00:03:20 1970' }), bootfile: '/boot/kernel.patched/kernel', loaderKernel: 'kernel.patched' });
    expect(summary(planKernelPatch(params({ build: true, reboot: true }), justInstalled, 'h')).at(-1)).toBe(
      'change: boot kernel.patched once (nextboot -k), verify it, make it the default, remove the once-file (nextboot -D)',
    );
  });

  it('reads stamps of both formats', () => {
    expect(parseStamp('abc\n')).toEqual({ patch: 'abc', source: undefined, userland: undefined, boot: undefined });
    expect(parseStamp('patch=h\nsource=FreeBSD 13.5-RELEASE\nuserland=13.5-RELEASE\nboot={ sec = 1, usec = 2 } x\n')).toEqual({
      patch: 'h',
      source: 'FreeBSD 13.5-RELEASE',
      userland: '13.5-RELEASE',
      boot: '{ sec = 1, usec = 2 } x',
    });
  });

  it('resumes waiting for a build that is already running instead of starting another', () => {
    expect(summary(planKernelPatch(params({ build: true }), state({ patch: 'applied', build: { state: 'running' } }), 'h'))[1]).toBe(
      'change: wait for the kernel build already running on the host',
    );
  });

  it('a booted kernel not yet the default is made the default', () => {
    expect(summary(planKernelPatch(params({ build: true, reboot: true }), state({ patch: 'applied', stamp: stamp('h'), bootfile: '/boot/kernel.patched/kernel' }), 'h')).at(-1)).toBe(
      'change: make kernel.patched the default kernel (it runs)',
    );
  });

  it('a patch that does not apply fails with the rejected hunks', () => {
    const plan = planKernelPatch(params(), state({ patch: 'conflicts', dryRunOutput: 'Hunk #1 FAILED at 3319.\n1 out of 1 hunk FAILED' }), 'h');
    expect(plan.failure).toBe('the patch does not apply to /usr/src (dry run):\nHunk #1 FAILED at 3319.\n1 out of 1 hunk FAILED');
  });

  it('parameters: exactly one of patch/src, reboot needs build', () => {
    expect(() => kernelPatch.params.parse({})).toThrow(/exactly one of patch/);
    expect(() => kernelPatch.params.parse({ patch: 'x', src: 'y' })).toThrow(/exactly one of patch/);
    expect(() => kernelPatch.params.parse({ patch: 'x', reboot: true })).toThrow(/reboot: true needs build: true/);
  });
});

describe('kernel_patch on the local connection (patch only)', async () => {
  const { mkdtemp, mkdir, readFile, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { executeModule } = await import('../../src/runner/execute-module.js');
  const { HostSession } = await import('../../src/runner/host-session.js');
  const { LocalTransport } = await import('../../src/transport/local.js');

  const original = 'a\nb\nc\n\tcase PRIV_KMEM_READ:\n\t\treturn (0);\nd\n';
  const patch = '--- sys/kern/kern_jail.c\n+++ sys/kern/kern_jail.c\n@@ -3,4 +3,6 @@\n c\n+\tcase PRIV_IO:\n \tcase PRIV_KMEM_READ:\n+\tcase PRIV_KMEM_WRITE:\n \t\treturn (0);\n d\n';

  it('applies (changed), --check changes nothing, applies again (ok)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-kp-'));
    // FreeBSD's patch, not this machine's GNU patch: the simulated BSD patch(1) first on PATH.
    const { symlink } = await import('node:fs/promises');
    const { fileURLToPath } = await import('node:url');
    await mkdir(join(dir, 'bin'));
    await symlink(fileURLToPath(new URL('../../sim/tools/host/bin/patch', import.meta.url)), join(dir, 'bin/patch'));
    const path = process.env.PATH;
    process.env.PATH = `${join(dir, 'bin')}:${path ?? ''}`;
    try {
      await mkdir(join(dir, 'sys/kern'), { recursive: true });
      const file = join(dir, 'sys/kern/kern_jail.c');
      await writeFile(file, original);
      const run = (check: boolean) =>
        executeModule({ module: kernelPatch, params: kernelPatch.params.parse({ patch, src_dir: dir }), session: new HostSession(new LocalTransport()), vars: {}, check });
      expect((await run(true)).status).toBe('changed');
      expect(await readFile(file, 'utf8')).toBe(original);
      expect((await run(false)).status).toBe('changed');
      expect(await readFile(file, 'utf8')).toContain('case PRIV_KMEM_WRITE:');
      const again = await run(false);
      expect(again).toMatchObject({ status: 'ok' });
      expect(again.msg).toMatch(/already applied/);
      await writeFile(file, 'unrelated\n');
      const conflict = await run(false);
      expect(conflict.status).toBe('failed');
      expect(conflict.msg).toMatch(/does not apply[\s\S]*Hunk #1 failed at/);
    } finally {
      if (path === undefined) delete process.env.PATH;
      else process.env.PATH = path;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('kernel state fact', () => {
  it("takes the forward dry run's status from the frame, never from what patch printed", () => {
    // patch echoes text of the patch and the tree (`The text leading up to this was:`); the old read
    // took the first `@@rc N` anywhere in that output, so a printed `@@rc 0` made a conflicting patch `applies`.
    const fact = kernelStateFact({ srcDir: '/usr/src', strip: 0, patch: seedPatch, kernelName: 'kernel.patched' });
    const out = (rc: string) =>
      sectionsOutput(`@@section reverse@@\n@@section forward@@\nThe text leading up to this was:\n|@@rc 0\nHunk #1 FAILED at 3319.\n@@section forward:rc@@\n${rc}\n@@section bootfile@@\n/boot/kernel/kernel\n`);
    expect(fact.parse({ stdout: out('1'), stderr: '', exitCode: 0 })).toMatchObject({ patch: 'conflicts', dryRunOutput: 'The text leading up to this was:\n|@@rc 0\nHunk #1 FAILED at 3319.' });
    expect(fact.parse({ stdout: out('0'), stderr: '', exitCode: 0 }).patch).toBe('applies');
  });
});
