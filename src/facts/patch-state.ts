// ansible.posix.patch's view of a host: does the patch apply forward, does it apply reversed (BSD
// patch -C dry runs, usr.bin/patch/patch.c), and may src, dest and basedir be used.
import { posix } from 'node:path';
import { raw, sh, type Command } from '../command/command.js';
import { defineFact, type Fact } from './fact.js';
import { patchHash, patchWithInput } from './kernel-state.js';
import { parseSections, sectionedCommand, sectionStatus, withStatus } from './sections.js';

/** The patch: its text from the controller (sent by here-document), or a file on the host (-i). */
export type PatchInput = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'remote'; readonly path: string };

/** Where and how the patch is applied: BSD patch's -d, -p, -l and the origfile operand. */
export interface PatchTarget {
  readonly basedir: string;
  readonly strip: number;
  readonly dest: string | undefined;
  readonly ignoreWhitespace: boolean;
}

/**
 * `patch -d BASEDIR -pN FLAGS … [DEST] 2>&1` with the patch as input. `flags` are fixed option
 * letters of BSD patch (never user text): -C checks only, -R reverses, -f asks nothing and never
 * guesses a reversed patch, -s is quiet, -b -V numbered keeps numbered backups.
 */
export function patchCommand(input: PatchInput, target: PatchTarget, flags: readonly string[]): Command {
  const options = [...flags, ...(target.ignoreWhitespace ? ['-l'] : [])].join(' ');
  const dest = target.dest === undefined ? sh`` : sh`${target.dest}`;
  if (input.kind === 'text') return patchWithInput(options, target.basedir, target.strip, input.text, sh`${dest} 2>&1`);
  return sh`patch -d ${target.basedir} ${raw(`-p${target.strip}`)} ${raw(options)} -i ${input.path} ${dest} 2>&1`;
}

/** What the module decides on. */
export interface PatchState {
  /** The forward dry run applies every hunk. */
  readonly forward: boolean;
  /** The reversed dry run applies every hunk (the patch is in place). */
  readonly reverse: boolean;
  /** What the dry runs printed, to show in a failure. */
  readonly forwardOutput: string;
  readonly reverseOutput: string;
  /** Ansible's preconditions: src readable (on the host, remote_src), dest writable, basedir a directory. */
  readonly srcReadable: boolean;
  readonly destWritable: boolean;
  readonly basedirExists: boolean;
}

/** The directory the patch runs in: basedir, else dest's directory (as the module does). */
export function baseDirectory(basedir: string | undefined, dest: string | undefined): string {
  return basedir ?? posix.dirname(dest ?? '.');
}

/** Both dry runs and the preconditions, in one round trip. */
export function patchStateFact(input: PatchInput, target: PatchTarget): Fact<PatchState> {
  const dryRun = (flags: readonly string[]) => withStatus(patchCommand(input, target, flags));
  const test = (command: Command) => withStatus(command);
  const id = input.kind === 'text' ? `text:${patchHash(input.text)}` : `remote:${input.path}`;
  return defineFact(
    `patch-state:${id}:${target.basedir}:${target.strip}:${target.dest ?? ''}:${target.ignoreWhitespace}`,
    sectionedCommand([
      ['src', test(input.kind === 'remote' ? sh`test -r ${input.path}` : sh`true`)],
      ['dest', test(target.dest === undefined ? sh`true` : sh`test -w ${target.dest}`)],
      ['basedir', test(sh`test -d ${target.basedir}`)],
      ['forward', dryRun(['-C', '-f', '-s'])],
      ['reverse', dryRun(['-C', '-f', '-s', '-R'])],
    ]),
    (output) => {
      const sections = parseSections(output.stdout);
      return {
        forward: sectionStatus(sections, 'forward') === 0,
        reverse: sectionStatus(sections, 'reverse') === 0,
        forwardOutput: (sections.get('forward') ?? '').trim(),
        reverseOutput: (sections.get('reverse') ?? '').trim(),
        srcReadable: sectionStatus(sections, 'src') === 0,
        destWritable: sectionStatus(sections, 'dest') === 0,
        basedirExists: sectionStatus(sections, 'basedir') === 0,
      };
    },
  );
}
