// kernel_patch: a patch applied to /usr/src once, a kernel built from it and installed beside
// the running one, booted once with `nextboot -k`, verified, and only then made the default
// (the seed's kern_jail.c PRIV_IO/PRIV_KMEM_WRITE patch, docs/freebsd/passthrough.md). The build runs
// detached on the host and is polled, so it survives a dropped connection or a controller restart.
import { z } from 'zod';
import { raw, sh } from '../src/command/command.js';
import { CommandFailedError, UnreachableError } from '../src/errors.js';
import { startJobCommand } from '../src/command/detached-job.js';
import { awaitJob } from '../src/transport/detached-transport.js';
import { exitedText } from '../src/text/exit-text.js';
import {
  kernelBuildJob,
  kernelStateFact,
  patchHash,
  patchStamp,
  patchWithInput,
  staleReason,
  writeStampCommand,
  type KernelState,
} from '../src/facts/kernel-state.js';
import { defineModule, type ApplyContext, type ApplyOutcome, type Plan, type Step } from '../src/module-api/module.js';
import { rebootHost } from '../src/module-api/reboot-host.js';
import { readLocalSource } from './support/local-source.js';

const params = z
  .strictObject({
    patch: z.string().min(1).optional().describe('The patch text (unified diff), inline.'),
    src: z.string().optional().describe('A patch file on the controller: absolute, or looked up in role_path/files, role_path, playbook_dir/files, playbook_dir, then the current directory.'),
    src_dir: z.string().default('/usr/src').describe('Source tree the patch applies to.'),
    strip: z.number().int().min(0).default(0).describe('patch -p level (the seed\'s patch is made for -p0 from /usr/src).'),
    build: z.boolean().default(false).describe('Build and install a kernel with the patch (buildkernel + installkernel, detached).'),
    kernconf: z.string().regex(/^[A-Z0-9_-]+$/i).default('GENERIC').describe('KERNCONF.'),
    jobs: z.number().int().min(1).optional().describe('make -j; default: hw.ncpu.'),
    kernel_name: z.string().regex(/^kernel[A-Za-z0-9._-]*$/).default('kernel.patched').describe('Directory under /boot the new kernel is installed into (INSTKERNNAME), beside the running one.'),
    reboot: z.boolean().default(false).describe('Boot the new kernel once (nextboot -k), verify it runs, then make it the default (kernel= in loader.conf).'),
    build_timeout: z.number().int().min(60).default(7200).describe('Seconds the build may take.'),
    reboot_timeout: z.number().int().min(10).default(600).describe('Seconds to wait for the host to come back.'),
    poll_seconds: z.number().min(0.2).default(5).describe('How often to look at the build\'s log.'),
  })
  .refine((p) => (p.patch === undefined) !== (p.src === undefined), { message: 'give exactly one of patch (inline text) or src (a file on the controller)' })
  .refine((p) => !p.reboot || p.build, { message: 'reboot: true needs build: true (there is no new kernel to boot otherwise)' });

type Params = z.output<typeof params>;

/** The patch text of the task: inline, or the controller's file, looked up as copy's src is (role and playbook files/). */
async function patchText(p: Params, vars: Readonly<Record<string, unknown>>): Promise<string> {
  if (p.patch !== undefined) return p.patch;
  const source = await readLocalSource(p.src ?? '', vars, 'files');
  if (source.kind === 'missing') throw new CommandFailedError(source.message, { fix: 'give src relative to the playbook\'s or role\'s files/ directory, or an absolute path' });
  return source.content.toString('utf8');
}

/** The kernel booted from /boot/NAME/kernel. */
const bootfileOf = (name: string) => `/boot/${name}/kernel`;

/**
 * The kernel booted from /boot/NAME is the one installed there: it booted from that directory
 * after the kernel was installed (a kernel installed during this boot does not run yet).
 */
function runsInstalled(state: KernelState, name: string): boolean {
  return state.bootfile === bootfileOf(name) && state.stamp?.boot !== undefined && state.stamp.boot !== state.boottime;
}

/** What must happen, from the tree, the installed kernels and the booted one. */
export function planKernelPatch(p: Params, state: KernelState, hash: string): Plan {
  const steps: Step[] = [];
  if (state.patch === 'conflicts') {
    return { steps: [], failure: `the patch does not apply to ${p.src_dir} (dry run):\n${state.dryRunOutput}` };
  }
  steps.push(state.patch === 'applied' ? { kind: 'noop', reason: `the patch is already applied in ${p.src_dir} (a reversed dry run succeeds)` } : { kind: 'change', summary: `apply the patch to ${p.src_dir}`, actions: [] });
  if (!p.build) {
    return { steps, values: { patch: state.patch === 'applied' ? 'applied' : 'applies' } };
  }
  const stale = staleReason(state, hash);
  const built = stale === undefined;
  const running = built && runsInstalled(state, p.kernel_name);
  if (state.build.state === 'running') steps.push({ kind: 'change', summary: 'wait for the kernel build already running on the host', actions: [] });
  else if (state.stamp !== undefined && stale !== undefined) steps.push({ kind: 'change', summary: `rebuild kernel ${p.kernconf} into /boot/${p.kernel_name}: ${stale}`, actions: [] });
  else if (!built) steps.push({ kind: 'change', summary: `build and install kernel ${p.kernconf} into /boot/${p.kernel_name}`, actions: [] });
  else steps.push({ kind: 'noop', reason: `/boot/${p.kernel_name} holds a kernel built with this patch from ${state.tree ?? 'these'} sources` });
  if (p.reboot) {
    if (!running) steps.push({ kind: 'change', summary: `boot ${p.kernel_name} once (nextboot -k), verify it, make it the default, remove the once-file (nextboot -D)`, actions: [] });
    else if (state.loaderKernel !== p.kernel_name) steps.push({ kind: 'change', summary: `make ${p.kernel_name} the default kernel (it runs)`, actions: [] });
    else steps.push({ kind: 'noop', reason: `${p.kernel_name} runs and is the default kernel` });
  } else if (built && !running) {
    steps.push({ kind: 'noop', reason: `${p.kernel_name} is installed but not running (reboot: true boots it)` });
  }
  return { steps, values: { running_patched_kernel: running } };
}

/** Run one command on the host and fail the task with its output when it does not exit 0. */
async function mustRun(context: ApplyContext, what: string, command: ReturnType<typeof sh>): Promise<string | undefined> {
  const result = await context.run(command);
  return result.exitCode === 0 ? undefined : `${what}: ${exitedText(result.command, result, Infinity)}`;
}

/** Wait for the detached build to finish, reconnecting when the connection drops. */
async function waitForBuild(context: ApplyContext, p: Params): Promise<string | undefined> {
  const logTail = async () => (await context.run(sh`tail -n 5 ${kernelBuildJob.log}`)).stdout.trimEnd();
  // Only the job's status each poll: the full kernel state would run two patch dry runs too.
  const end = await awaitJob(kernelBuildJob, {
    run: (status) => context.run(status),
    deadline: Date.now() + p.build_timeout * 1000,
    pollMs: p.poll_seconds * 1000,
    firstCheckMs: 0,
    progress: (last) => context.progress(`kernel build: ${last || 'started'}`),
    lost: () => context.progress('connection lost while the kernel builds; reconnecting (the build goes on on the host)'),
    reconnect: (timeoutMs) => context.waitForConnection({ timeoutMs, delayMs: 1000 }),
  });
  if (end.state === 'finished') {
    return end.exitCode === 0 ? undefined : `the kernel build failed (exit ${end.exitCode}); last lines of ${kernelBuildJob.log}:\n${await logTail()}`;
  }
  if (end.state === 'gone') return `the kernel build stopped without recording its exit status; last lines of ${kernelBuildJob.log}:\n${await logTail()}`;
  return `the kernel build did not finish within ${p.build_timeout} s; it goes on on the host (${kernelBuildJob.log}); run again to resume waiting`;
}

const kernelPatch = defineModule({
  name: 'kernel_patch',
  summary: 'Apply a kernel patch once, build and install the kernel beside the running one, boot it once, then make it the default',
  description:
    'Already applied is detected by a reversed dry run (the patch text goes by here-document: observing writes nothing); a patch ' +
    'that applies neither way fails with the rejected hunks. build: buildkernel + installkernel with INSTKERNNAME, run detached ' +
    `with nohup (log ${kernelBuildJob.log}), polled with progress, resumed after a dropped connection or a new run. The installed kernel ` +
    `is stamped with the patch's sha256, the source tree's release (sys/conf/newvers.sh), the userland (freebsd-version -u) and the boot it was installed during (${patchStamp}), so a second run neither rebuilds nor reboots, and after freebsd-update put a new release (and its GENERIC) in place the kernel is rebuilt from the new sources. reboot: nextboot -k boots the ` +
    'new kernel once; only when kern.bootfile shows it running is kernel= set in /boot/loader.conf and the once-file removed ' +
    '(nextboot -D: a 12.x loader cannot reset it on ZFS, where it would go on overriding kernel=). A kernel that does not come ' +
    'back leaves the host failed, and its next power cycle boots the old kernel (on UFS and 13.0+ ZFS; on 12.x ZFS the same one).',
  params,
  example: `- name: jails may use PRIV_IO and PRIV_KMEM_WRITE (bhyve passthrough)
  kernel_patch:
    src: files/bhyve-in-jail.patch
    build: true
    reboot: true`,
  // The patch's text is part of the fact: known ahead only when it is given inline.
  needs: (p) => (p.patch === undefined ? undefined : [kernelStateFact({ srcDir: p.src_dir, strip: p.strip, patch: p.patch, kernelName: p.kernel_name })]),
  async observe(host, p): Promise<KernelState & { readonly hash: string }> {
    const patch = await patchText(p, host.vars);
    const [state] = await host.facts(kernelStateFact({ srcDir: p.src_dir, strip: p.strip, patch, kernelName: p.kernel_name }));
    return { ...state, hash: patchHash(patch) };
  },
  plan({ params: p, facts }) {
    return planKernelPatch(p, facts, facts.hash);
  },
  async apply(context, input): Promise<ApplyOutcome> {
    const p = input.params;
    const patch = await patchText(p, context.vars);
    const hash = patchHash(patch);
    let state: KernelState = input.facts;
    if (state.patch === 'applies') {
      const failure = await mustRun(context, 'apply the patch', patchWithInput('-N -f', p.src_dir, p.strip, patch));
      if (failure) return { changed: false, failure };
    }
    if (!p.build) return { changed: true };
    if (staleReason(state, hash) !== undefined) {
      if (state.build.state !== 'running') {
        const jobs = p.jobs === undefined ? raw('-j"$(sysctl -n hw.ncpu)"') : raw(`-j${p.jobs}`);
        const script = sh`cd ${p.src_dir} && make ${jobs} buildkernel ${`KERNCONF=${p.kernconf}`} && make installkernel ${`KERNCONF=${p.kernconf}`} ${`INSTKERNNAME=${p.kernel_name}`} && ${writeStampCommand(p.src_dir, p.kernel_name, hash)}`;
        const failure = await mustRun(context, 'start the kernel build', startJobCommand(kernelBuildJob, script));
        if (failure) return { changed: true, failure };
      }
      const failure = await waitForBuild(context, p);
      if (failure) return { changed: true, failure };
      context.invalidateFacts();
      state = await kernelPatch.observe(context, p);
      const stale = staleReason(state, hash);
      if (stale !== undefined) return { changed: true, failure: `the build finished but /boot/${p.kernel_name}/${patchStamp} does not match: ${stale}` };
    }
    if (!p.reboot) return { changed: true };
    if (!runsInstalled(state, p.kernel_name)) {
      const failure = await mustRun(context, 'boot the new kernel once', sh`nextboot -k ${p.kernel_name}`);
      if (failure) return { changed: true, failure };
      try {
        await rebootHost(context, { rebootTimeoutMs: p.reboot_timeout * 1000, reason: `booting ${p.kernel_name} once` });
      } catch (error) {
        if (error instanceof UnreachableError) {
          return {
            changed: true,
            failure: `${p.kernel_name} did not come back (${error.message}); nextboot is one-shot on UFS and on 13.0+ ZFS, so there the next power cycle boots the previous kernel (a 12.x loader cannot reset /boot/nextboot.conf on ZFS: there it boots ${p.kernel_name} again)`,
          };
        }
        throw error;
      }
      context.invalidateFacts();
      state = await kernelPatch.observe(context, p);
      if (!runsInstalled(state, p.kernel_name)) {
        return { changed: true, failure: `after the reboot the running kernel is ${state.bootfile ?? 'unknown'}, not the one just installed in ${bootfileOf(p.kernel_name)}; it was not made the default` };
      }
      // On a 12.x root-on-ZFS host the loader cannot reset nextboot.conf, which would go on
      // overriding loader.conf's kernel= at every boot: the once-file has served, remove it.
      const cleared = await mustRun(context, 'remove the one-shot /boot/nextboot.conf', sh`nextboot -D`);
      if (cleared) return { changed: true, failure: cleared };
    }
    if (state.loaderKernel !== p.kernel_name) {
      const failure = await mustRun(context, 'make the new kernel the default', sh`sysrc -f /boot/loader.conf ${`kernel=${p.kernel_name}`}`);
      if (failure) return { changed: true, failure };
    }
    return { changed: true, values: { running_patched_kernel: true } };
  },
});

export default kernelPatch;
