import { describe, expect, it } from 'vitest';
import kernelPatch, { planKernelPatch } from '../../modules/kernel_patch.js';
import type { KernelState } from '../../src/facts/kernel-state.js';
import type { Plan } from '../../src/module/module.js';

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
  installedStamp: undefined,
  loaderKernel: undefined,
  build: { state: 'none' },
  buildLogTail: '',
  ...extra,
});
const summary = (plan: Plan) => plan.steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));

describe('kernel_patch plan', () => {
  it('a fresh host: apply, build, boot once, make default', () => {
    expect(summary(planKernelPatch(params({ build: true, reboot: true }), state(), 'h'))).toEqual([
      'change: apply the patch to /usr/src',
      'change: build and install kernel GENERIC into /boot/kernel.patched',
      'change: boot kernel.patched once (nextboot -k), verify it, make it the default',
    ]);
  });

  it('second run: the reversed dry run succeeds, the stamped kernel runs and is the default', () => {
    const plan = planKernelPatch(
      params({ build: true, reboot: true }),
      state({ patch: 'applied', installedStamp: 'h', bootfile: '/boot/kernel.patched/kernel', loaderKernel: 'kernel.patched' }),
      'h',
    );
    expect(plan.steps.every((s) => s.kind === 'noop')).toBe(true);
    expect(summary(plan)).toEqual([
      'noop: the patch is already applied in /usr/src (a reversed dry run succeeds)',
      'noop: /boot/kernel.patched holds a kernel built with this patch',
      'noop: kernel.patched runs and is the default kernel',
    ]);
  });

  it('a kernel built from another patch is rebuilt', () => {
    expect(summary(planKernelPatch(params({ build: true }), state({ patch: 'applied', installedStamp: 'old' }), 'new'))).toEqual([
      'noop: the patch is already applied in /usr/src (a reversed dry run succeeds)',
      'change: build and install kernel GENERIC into /boot/kernel.patched',
    ]);
  });

  it('resumes waiting for a build that is already running instead of starting another', () => {
    expect(summary(planKernelPatch(params({ build: true }), state({ patch: 'applied', build: { state: 'running' } }), 'h'))[1]).toBe(
      'change: wait for the kernel build already running on the host',
    );
  });

  it('a booted kernel not yet the default is made the default', () => {
    expect(summary(planKernelPatch(params({ build: true, reboot: true }), state({ patch: 'applied', installedStamp: 'h', bootfile: '/boot/kernel.patched/kernel' }), 'h')).at(-1)).toBe(
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
      expect(conflict.msg).toMatch(/does not apply[\s\S]*FAILED/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
