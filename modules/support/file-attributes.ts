// The file attributes copy, template, file, lineinfile and blockinfile share (Ansible's
// mode/owner/group): their schema, and the chmod/chown steps that bring an existing path to them.
import { z } from 'zod';
import { ALIAS_OF_META } from '../../src/module-api/aliases.js';
import { raw, sh, type Command } from '../../src/command/command.js';
import { pathOperand } from '../../src/command/path-operand.js';
import type { FileStat } from '../../src/facts/file-stat.js';
import type { Plan } from '../../src/module-api/module.js';
import { applySymbolicMode, parseSymbolicMode, type SymbolicMode } from './symbolic-mode.js';

/** A mode as written: permission bits, or a symbolic mode resolved against the path's current mode. */
export type ModeSpec = number | SymbolicMode;

/**
 * A mode as Ansible playbooks write it: `'0644'`, `'644'`, `'0o644'`, a bare YAML number, or a
 * symbolic mode (`u=rw,g=r,o=`, `u+x`, `a-w`; modules/support/symbolic-mode.ts). YAML 1.2 reads a
 * bare `0644` as the decimal 644, so a number's decimal digits are taken as the octal digits the
 * author wrote (`0644` → 644 → 0o644).
 */
export const modeParam = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((value, context): ModeSpec => {
    const digits = typeof value === 'number' ? String(value) : value.replace(/^0o/, '');
    if (/^[0-7]{1,4}$/.test(digits)) return parseInt(digits, 8);
    const symbolic = typeof value === 'string' ? parseSymbolicMode(value) : undefined;
    if (symbolic === undefined || 'error' in symbolic) {
      context.addIssue({ code: 'custom', message: symbolic?.error ?? `mode ${JSON.stringify(value)} is not an octal mode such as '0644' (quote it in YAML)` });
      return z.NEVER;
    }
    return symbolic;
  })
  .describe("Permission bits, octal ('0644': quote it; a bare 0644 is read as the digits written), or symbolic as chmod(1): 'u=rw,g=r,o=', 'u+x', 'a-w'.");

/** The mode a path beastie creates starts from: what umask 022 leaves of 0666 (files) or 0777 (directories). */
export const NEW_MODE = { file: 0o644, directory: 0o755 } as const;

/**
 * The permission bits `spec` asks for on a path whose mode is `current` (undefined: beastie is
 * about to create it, so the mode it starts with), as Ansible's set_mode_if_different computes them.
 */
export function resolveMode(spec: ModeSpec, current: number | undefined, isDirectory: boolean): number {
  if (typeof spec === 'number') return spec;
  return applySymbolicMode(spec, current ?? (isDirectory ? NEW_MODE.directory : NEW_MODE.file), isDirectory);
}

/** A user or group name (numeric ids are compared as names, so use names). */
const principal = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a user or group name');

/**
 * Ansible's `attributes` (alias `attr`): chattr(1) flags. Its set_attributes_if_different
 * (module_utils/basic.py) runs chattr only when get_bin_path('chattr') finds it, and FreeBSD's base
 * system has none, so on FreeBSD Ansible accepts them and changes nothing: beastie does the same
 * (docs/ansible-parameters.md, "attributes").
 */
const attributesParam = z.string().optional().describe('chattr(1) flags as Ansible takes them (`+i`, `-a`, `=e`): accepted and, as Ansible on FreeBSD, which has no chattr, left unapplied.');

/** The shared attribute parameters. */
export const fileAttributeParams = {
  mode: modeParam.optional(),
  owner: principal.optional().describe('Owner name; left as it is when unset.'),
  group: principal.optional().describe('Group name; left as it is when unset.'),
  attributes: attributesParam,
  attr: attributesParam.meta({ description: 'Alias of attributes.', [ALIAS_OF_META]: 'attributes' }),
};

/** The -v note of a task given `attributes`: why nothing was done with them. */
export function attributesNotes(p: { readonly attributes?: string | undefined; readonly attr?: string | undefined }): string[] {
  const flags = p.attributes ?? p.attr;
  return flags === undefined ? [] : [`attributes ${flags} not applied: FreeBSD has no chattr, and Ansible's set_attributes_if_different does nothing without it`];
}

/** `plan` with {@link attributesNotes} added to its notes (a module's plan, for its -v output). */
export function withAttributesNotes(plan: Plan, p: Parameters<typeof attributesNotes>[0]): Plan {
  const notes = attributesNotes(p);
  return notes.length === 0 ? plan : { ...plan, notes: [...(plan.notes ?? []), ...notes] };
}

/** The wanted attributes, as parsed. */
export interface FileAttributes {
  readonly mode?: ModeSpec | undefined;
  readonly owner?: string | undefined;
  readonly group?: string | undefined;
}

/** `0644`-style text for diffs and commands. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** What differs between a path's attributes and the wanted ones; empty when nothing does. */
export function attributeDifferences(current: FileStat | undefined, wanted: FileAttributes): string[] {
  const differences: string[] = [];
  const mode = wanted.mode === undefined ? undefined : resolveMode(wanted.mode, current?.mode, current?.type === 'directory');
  // A link's mode only where it has one (FreeBSD: lchmod); callers that follow links pass the target's stat.
  if (mode !== undefined && current?.mode !== mode && (current?.type !== 'link' || current.ownMode === true)) {
    differences.push(`mode ${current ? formatMode(current.mode) : '-'} → ${formatMode(mode)}`);
  }
  if (wanted.owner !== undefined && current?.owner !== wanted.owner) differences.push(`owner ${current?.owner ?? '-'} → ${wanted.owner}`);
  if (wanted.group !== undefined && current?.group !== wanted.group) differences.push(`group ${current?.group ?? '-'} → ${wanted.group}`);
  return differences;
}

/**
 * chmod's option that leaves a symbolic link's target alone, where the host has it: FreeBSD's -h
 * (bin/chmod/chmod.c, fchmodat(AT_SYMLINK_NOFOLLOW)); elsewhere (GNU chmod, a Linux host on the
 * local connection) nothing, which follows a link.
 */
export const CHMOD_NOFOLLOW = raw('$([ "$(uname -s)" = FreeBSD ] && echo -h)');

/**
 * The commands that set the wanted attributes on `path` where `current` (undefined: just created)
 * differs. Links get `chown -h`, and `chmod -h` where the link has a mode of its own (FreeBSD's
 * lchmod, `ownMode`); Linux links have none, so no chmod. A path read as no link is changed with
 * `chown -h` and {@link CHMOD_NOFOLLOW} too: the change runs a round trip after the read, and a host
 * user who can write the path's directory may have swapped it for a link to a file of root's in
 * between (issue 17; test/security/upload-race.test.ts, "an attribute change never follows…").
 * `follow` (a link just made with file's follow: true) changes what the link points to.
 */
export function attributeCommands(path: string, current: FileStat | undefined, wanted: FileAttributes, isLink = false, isDirectory = current?.type === 'directory', follow = false): Command[] {
  const commands: Command[] = [];
  const owner = wanted.owner !== undefined && current?.owner !== wanted.owner ? wanted.owner : undefined;
  const group = wanted.group !== undefined && current?.group !== wanted.group ? wanted.group : undefined;
  if (owner !== undefined || group !== undefined) {
    const spec = `${owner ?? ''}${group === undefined ? '' : `:${group}`}`;
    commands.push(follow ? sh`chown ${spec} ${pathOperand(path)}` : sh`chown -h ${spec} ${pathOperand(path)}`);
  }
  const mode = wanted.mode === undefined ? undefined : resolveMode(wanted.mode, current?.mode, isDirectory);
  if (mode !== undefined && current?.mode !== mode) {
    if (!isLink) commands.push(follow ? sh`chmod ${formatMode(mode)} ${pathOperand(path)}` : sh`chmod ${CHMOD_NOFOLLOW} ${formatMode(mode)} ${pathOperand(path)}`);
    else if (current?.type === 'link' && current.ownMode === true) commands.push(sh`chmod -h ${formatMode(mode)} ${pathOperand(path)}`);
  }
  return commands;
}

/** A path's attributes as diff text: `mode: 0644\nowner: root\ngroup: wheel\n`, only the wanted keys. */
export function attributeText(stat: FileStat | undefined, wanted: FileAttributes): string {
  const lines: string[] = [];
  if (wanted.mode !== undefined) lines.push(`mode: ${stat ? formatMode(stat.mode) : '-'}`);
  if (wanted.owner !== undefined) lines.push(`owner: ${stat?.owner ?? '-'}`);
  if (wanted.group !== undefined) lines.push(`group: ${stat?.group ?? '-'}`);
  return lines.map((line) => `${line}\n`).join('');
}
