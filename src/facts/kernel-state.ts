// The kernel patch's state on a host: does the patch apply forward or reversed in the source
// tree (BSD patch dry runs, docs/freebsd/passthrough.md), which kernel booted (kern.bootfile), which kernels
// are installed with which patch, and whether a detached build is running or finished.
import { createHash } from 'node:crypto';
import { raw, sh, type Command } from '../command/command.js';
import { jobAt, jobStatusCommand, type JobPaths } from '../command/detached-job.js';
import { defineFact, type Fact } from './fact.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand, sectionStatus, withStatus } from './sections.js';

/** The detached kernel build's pid, log and exit status on the host (src/command/detached-job.ts). */
export const kernelBuildJob: JobPaths = jobAt('/var/db/beastie/kernel-build');

/** Written into an installed kernel's directory: what it was built from (see {@link KernelStamp}). */
export const patchStamp = 'beastie.patch-sha256';

/**
 * What an installed patched kernel was built from. freebsd-update installs the new release's
 * GENERIC into the running kernel's directory and leaves this file there (docs/freebsd/upgrade.md),
 * so the patch hash alone would call that GENERIC patched: the stamp also names the source tree's
 * release (sys/conf/newvers.sh), the userland it was built on (`freebsd-version -u`) and the boot
 * it was installed during (kern.boottime), which tells a kernel that runs from one merely installed.
 */
export interface KernelStamp {
  readonly patch: string;
  readonly source: string | undefined;
  readonly userland: string | undefined;
  readonly boot: string | undefined;
}

/** A stamp's text: `key=value` lines, or (stamps of earlier beastie versions) the bare hash. */
export function parseStamp(text: string): KernelStamp {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(patch|source|userland|boot)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2].trim());
  }
  return { patch: values.get('patch') ?? text.trim(), source: values.get('source'), userland: values.get('userland'), boot: values.get('boot') };
}

/** The release a source tree builds, as newvers.sh names it: `FreeBSD 13.5-RELEASE` (TYPE, REVISION-BRANCH). */
export function treeReleaseCommand(srcDir: string): Command {
  const newvers = `${srcDir}/sys/conf/newvers.sh`;
  const assignment = (name: string) => raw(`-e 's/^${name}="\\(.*\\)"$/\\1/p'`);
  return sh`printf '%s %s-%s\\n' $(sed -n ${assignment('TYPE')} ${assignment('REVISION')} ${assignment('BRANCH')} ${newvers})`;
}

/** The host command that writes the stamp of a kernel just installed into /boot/KERNEL_NAME. */
export function writeStampCommand(srcDir: string, kernelName: string, hash: string): Command {
  return sh`{ echo ${`patch=${hash}`}; echo "source=$(${treeReleaseCommand(srcDir)})"; echo "userland=$(freebsd-version -u)"; echo "boot=$(sysctl -n kern.boottime)"; } > ${`/boot/${kernelName}/${patchStamp}`}`;
}

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
  /** The stamp in /boot/KERNEL_NAME, if beastie installed a kernel there. */
  readonly stamp: KernelStamp | undefined;
  /** The source tree's release now (newvers.sh), the userland's (`freebsd-version -u`), and kern.boottime. */
  readonly tree: string | undefined;
  readonly userland: string | undefined;
  readonly boottime: string | undefined;
  /** `kernel=` in /boot/loader.conf (the default kernel), if set. */
  readonly loaderKernel: string | undefined;
  /** A detached build: running (pid alive), finished with an exit status, or none. */
  readonly build: { readonly state: 'running' } | { readonly state: 'finished'; readonly exitCode: number } | { readonly state: 'none' };
  readonly buildLogTail: string;
}

const stampOf = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : parseStamp(text));
/** A section's first line, trimmed; undefined when empty (a tree without newvers.sh prints ` -`). */
const line = (text: string | undefined) => {
  const first = (text ?? '').split('\n')[0]?.trim() ?? '';
  return first === '' || first === '-' ? undefined : first;
};

/** Why the kernel in /boot/NAME is not the one this patch, tree and userland would build; undefined when it is. */
export function staleReason(state: KernelState, hash: string): string | undefined {
  const stamp = state.stamp;
  if (stamp === undefined) return 'no kernel built by beastie is installed there';
  if (stamp.patch !== hash) return 'it was built with another patch';
  if (stamp.source === undefined || stamp.source !== state.tree) return `it was built from ${stamp.source ?? 'unrecorded'} sources; the source tree is ${state.tree ?? 'unknown'} now`;
  if (stamp.userland !== state.userland) return `it was built on userland ${stamp.userland ?? 'unrecorded'}; the userland is ${state.userland ?? 'unknown'} now`;
  return undefined;
}

/** Read everything kernel_patch decides on, in one command. */
export function kernelStateFact(options: { readonly srcDir: string; readonly strip: number; readonly patch: string; readonly kernelName: string }): Fact<KernelState> {
  const { srcDir, strip, patch, kernelName } = options;
  return defineFact(
    `kernel-state:${srcDir}:${kernelName}:${patchHash(patch)}`,
    sectionedCommand([
      // Reversed dry run succeeds only when the patch is already in the tree.
      ['reverse', patchWithInput('-R -C -s -f', srcDir, strip, patch, sh`>/dev/null 2>&1 && echo ok`)],
      ['forward', withStatus(patchWithInput('-C -N -f', srcDir, strip, patch, sh`2>&1`))],
      ['bootfile', sh`sysctl -n kern.bootfile`],
      ['stamp', catOrAbsent(`/boot/${kernelName}/${patchStamp}`)],
      ['tree', treeReleaseCommand(srcDir)],
      ['userland', sh`freebsd-version -u`],
      ['boottime', sh`sysctl -n kern.boottime`],
      ['loader.conf', catOrAbsent('/boot/loader.conf')],
      ['build', jobStatusCommand(kernelBuildJob)],
      ['log', sh`tail -n 5 ${kernelBuildJob.log}`],
    ]),
    (output) => {
      const sections = parseSections(output.stdout);
      const forward = sections.get('forward') ?? '';
      const reverseOk = (sections.get('reverse') ?? '').trim() === 'ok';
      const build = (sections.get('build') ?? '').split('\n')[0]?.trim() ?? '';
      const finished = /^finished (\d+)$/.exec(build);
      const loaderKernel = /^kernel="?([^"\n]*)"?\s*$/m.exec(fileSection(sections, 'loader.conf') ?? '')?.[1];
      return {
        patch: reverseOk ? 'applied' : sectionStatus(sections, 'forward') === 0 ? 'applies' : 'conflicts',
        dryRunOutput: forward.trim(),
        bootfile: (sections.get('bootfile') ?? '').trim() || undefined,
        stamp: stampOf(fileSection(sections, 'stamp')),
        tree: line(sections.get('tree')),
        userland: line(sections.get('userland')),
        boottime: line(sections.get('boottime')),
        loaderKernel,
        build: finished ? { state: 'finished', exitCode: Number(finished[1]) } : build === 'running' ? { state: 'running' } : { state: 'none' },
        buildLogTail: sections.get('log') ?? '',
      };
    },
  );
}
