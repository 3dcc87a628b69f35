// The steps that give a host file new content and attributes, shared by lineinfile, blockinfile,
// copy and template: write atomically only when the bytes differ, otherwise fix only attributes.
import { posix } from 'node:path';
import { sh } from '../../src/command/command.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import type { Action, Step } from '../../src/module-api/module.js';
import { diffSide, sha256 } from './diff-text.js';
import { attributeCommands, attributeDifferences, attributeText, formatMode, NEW_MODE, resolveMode, type FileAttributes, type ModeSpec } from './file-attributes.js';
import { backupCommand, validatedWriteCommand, type WriteSafety } from './write-safety.js';

/** What is at the destination now. */
export interface CurrentFile {
  readonly stat: FileStat | undefined;
  /** SHA-256 of the current bytes, when a regular file. */
  readonly sha256: string | undefined;
  /** The current bytes, when read (for the diff). */
  readonly content?: Buffer | undefined;
}

/**
 * Write `content` to `path` when it differs; then bring mode/owner/group to `wanted`. With
 * `backup` the old file is copied first; with `validate` the new bytes replace it only when valid.
 */
export function planFileWrite(path: string, current: CurrentFile, content: Buffer, wanted: FileAttributes & WriteSafety & { readonly directoryMode?: ModeSpec | undefined }, summary: string): Step[] {
  if (current.sha256 === sha256(content)) {
    const differences = attributeDifferences(current.stat, wanted);
    if (differences.length === 0) return [{ kind: 'noop', reason: `${path} is up to date` }];
    return [
      {
        kind: 'change',
        summary: `${path}: ${differences.join(', ')}`,
        actions: attributeCommands(path, current.stat, wanted).map((command): Action => ({ kind: 'run', command })),
        diff: { header: `${path} (file attributes)`, before: attributeText(current.stat, wanted), after: attributeText({ ...(current.stat ?? emptyStat), ...definedAttributes(wanted, current.stat) }, wanted) },
      },
    ];
  }
  const exists = current.stat !== undefined;
  const actions: Action[] = [];
  if (!exists) {
    // copy's directory_mode: the mode of the directory it has to create (mkdir -m sets the last one).
    const dir = posix.dirname(path);
    actions.push({ kind: 'run', command: wanted.directoryMode === undefined ? sh`mkdir -p ${dir}` : sh`[ -d ${dir} ] || mkdir -p -m ${formatMode(resolveMode(wanted.directoryMode, undefined, true))} ${dir}` });
  }
  if (exists && wanted.backup === true) actions.push({ kind: 'run', command: backupCommand(path) });
  // An existing file keeps its mode and ownership unless asked otherwise, as Ansible's atomic_move does.
  // A symbolic link replaced by the file (copy's follow: false) is a new file: Ansible's copy
  // unlinks it and creates an empty file that atomic_move takes the mode and owner of.
  const replacesLink = current.stat?.type === 'link';
  const fileMode = current.stat?.type === 'file' ? current.stat.mode : undefined;
  const mode = wanted.mode === undefined ? (fileMode ?? (replacesLink ? NEW_MODE.file : undefined)) : resolveMode(wanted.mode, fileMode, false);
  const owner = wanted.owner ?? (replacesLink ? undefined : current.stat?.owner);
  const group = wanted.group ?? (replacesLink ? undefined : current.stat?.group);
  const attributes = { mode, owner, group };
  if (wanted.validate === undefined) actions.push({ kind: 'put', path, content, ...(mode === undefined ? {} : { mode }), ...(owner === undefined ? {} : { owner }), ...(group === undefined ? {} : { group }) });
  else actions.push({ kind: 'run', command: validatedWriteCommand(path, wanted.validate, attributes, content.length), stdin: content });
  const before = !exists ? undefined : replacesLink ? Buffer.from(`(symbolic link to ${current.stat?.linkTarget ?? '?'})\n`) : (current.content ?? Buffer.from(`(${current.stat?.size ?? 0} bytes, sha256 ${current.sha256 ?? 'unknown'})\n`));
  return [{ kind: 'change', summary, actions, diff: { header: path, before: diffSide(before), after: diffSide(content) } }];
}

const emptyStat: FileStat = { type: 'file', mode: 0, owner: '-', group: '-', size: 0 };

function definedAttributes(wanted: FileAttributes, current: FileStat | undefined): Partial<FileStat> {
  return {
    ...(wanted.mode === undefined ? {} : { mode: resolveMode(wanted.mode, current?.mode, false) }),
    ...(wanted.owner === undefined ? {} : { owner: wanted.owner }),
    ...(wanted.group === undefined ? {} : { group: wanted.group }),
  };
}
