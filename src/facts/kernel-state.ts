// The kernel patch's state on a host: does the patch apply forward or reversed in the source
// tree (BSD patch dry runs, docs/freebsd/passthrough.md), which kernel booted (kern.bootfile), which kernels
// are installed with which patch, and whether a detached build is running or finished.
import { createHash } from 'node:crypto';
import { raw, sh, type Command } from '../command/command.js';
import { jobAt, jobStatusCommand, type JobPaths } from '../command/detached-job.js';
import { defineFact, type Fact } from './fact.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand } from './sections.js';

/** The detached kernel build's pid, log and exit status on the host (src/command/detached-job.ts). */
export const kernelBuildJob: JobPaths = jobAt('/var/db/beastie/kernel-build');

/** Written into an installed kernel's directory: the sha256 of the patch it was built with. */
export const patchStamp = 'beastie.patch-sha256';

/** sha256 of the patch text, which names the build it went into. */
export function patchHash(patch: string): string {
  return createHash('sha256').update(patch).digest('hex');
}

/**
 * `patch … <<'DELIM' REST` with the patch text inline, so a dry run writes nothing on the host.
 * `rest` (redirections, `&& …`) must sit on the command line, before the here-document body.
 */
export function patchWithInput(options: string, srcDir: string, strip: number, patch: string, rest: Command = sh``): Command {
  const delimiter = `BEASTIE_PATCH_${patchHash(patch).slice(0, 12)}`;
  const body = patch.endsWith('\n') ? patch : `${patch}\n`;
  return sh`patch -d ${srcDir} ${raw(`-p${strip}`)} ${raw(options)} <<'${raw(delimiter)}' ${rest}\n${raw(body)}${raw(delimiter)}\n`;
}

export type PatchStatus = 'applied' | 'applies' | 'conflicts';

export interface KernelState {
  readonly patch: PatchStatus;
  /** What the forward dry run said, to show rejected hunks. */
  readonly dryRunOutput: string;
  /** `sysctl -n kern.bootfile`: `/boot/kernel/kernel` or `/boot/kernel.patched/kernel`. */
  readonly bootfile: string | undefined;
  /** The patch hash stamped in /boot/KERNEL_NAME, if that kernel is installed by beastie. */
  readonly installedStamp: string | undefined;
  /** `kernel=` in /boot/loader.conf (the default kernel), if set. */
  readonly loaderKernel: string | undefined;
  /** A detached build: running (pid alive), finished with an exit status, or none. */
  readonly build: { readonly state: 'running' } | { readonly state: 'finished'; readonly exitCode: number } | { readonly state: 'none' };
  readonly buildLogTail: string;
}

/** Read everything kernel_patch decides on, in one command. */
export function kernelStateFact(options: { readonly srcDir: string; readonly strip: number; readonly patch: string; readonly kernelName: string }): Fact<KernelState> {
  const { srcDir, strip, patch, kernelName } = options;
  return defineFact(
    `kernel-state:${srcDir}:${kernelName}:${patchHash(patch)}`,
    sectionedCommand([
      // Reversed dry run succeeds only when the patch is already in the tree.
      ['reverse', patchWithInput('-R --dry-run -s -f', srcDir, strip, patch, sh`>/dev/null 2>&1 && echo ok`)],
      ['forward', patchWithInput('--dry-run -N -f', srcDir, strip, patch, sh`2>&1; echo "@@rc $?"`)],
      ['bootfile', sh`sysctl -n kern.bootfile`],
      ['stamp', catOrAbsent(`/boot/${kernelName}/${patchStamp}`)],
      ['loader.conf', catOrAbsent('/boot/loader.conf')],
      ['build', jobStatusCommand(kernelBuildJob)],
      ['log', sh`tail -n 5 ${kernelBuildJob.log}`],
    ]),
    (output) => {
      const sections = parseSections(output.stdout);
      const forward = sections.get('forward') ?? '';
      const forwardRc = /@@rc (\d+)/.exec(forward)?.[1];
      const reverseOk = (sections.get('reverse') ?? '').trim() === 'ok';
      const build = (sections.get('build') ?? '').split('\n')[0]?.trim() ?? '';
      const finished = /^finished (\d+)$/.exec(build);
      const loaderKernel = /^kernel="?([^"\n]*)"?\s*$/m.exec(fileSection(sections, 'loader.conf') ?? '')?.[1];
      return {
        patch: reverseOk ? 'applied' : forwardRc === '0' ? 'applies' : 'conflicts',
        dryRunOutput: forward.replace(/@@rc \d+\n?/, '').trim(),
        bootfile: (sections.get('bootfile') ?? '').trim() || undefined,
        installedStamp: fileSection(sections, 'stamp')?.trim(),
        loaderKernel,
        build: finished ? { state: 'finished', exitCode: Number(finished[1]) } : build === 'running' ? { state: 'running' } : { state: 'none' },
        buildLogTail: sections.get('log') ?? '',
      };
    },
  );
}
