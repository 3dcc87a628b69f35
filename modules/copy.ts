// copy: a file on the host with the given content or a controller file's bytes. Checksums are
// compared first (sha256 on the host), so unchanged files are never sent again.
import { posix } from 'node:path';
import { z } from 'zod';
import { defineModule, type Plan } from '../src/module-api/module.js';
import type { Destination } from './support/destination.js';
import { destinationFacts, observeDestination } from './support/destination.js';
import { fileContentFact } from '../src/facts/file-content.js';
import { attributesNotes, fileAttributeParams, formatMode, modeParam, resolveMode, type FileAttributes, type ModeSpec } from './support/file-attributes.js';
import { planFileWrite } from './support/file-write.js';
import { backupFileOf, writeSafetyParams, type WriteSafety } from './support/write-safety.js';
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { fileStatFact } from '../src/facts/file-stat.js';
import { readLocalSource } from './support/local-source.js';

/** copy's and template's `follow`: write through a destination link instead of replacing it. */
export const followParam = z
  .boolean()
  .default(false)
  .describe('When dest is a symbolic link, write the file it points to (the link stays); false replaces the link by a regular file.');

const params = z
  .strictObject({
    content: z.string().optional().describe('The file content, written as is (instead of src).'),
    src: z.string().optional().describe("A controller file: absolute, or looked up in role_path/files, role_path, playbook_dir/files, playbook_dir, then the current directory; with remote_src a file on the host."),
    dest: z.string().min(1).describe('The file on the host; ending in / (or an existing directory) means dest/BASENAME-OF-SRC.'),
    force: z.boolean().default(true).describe('Replace a file whose content differs; false only creates a missing file.'),
    remote_src: z.boolean().default(false).describe('src is a file on the host (read there), not on the controller.'),
    directory_mode: modeParam.optional().describe('The mode of the destination directory when copy has to create it.'),
    decrypt: z.boolean().default(true).describe('Decrypt a Vault-encrypted src on the controller (accepted; see README: Vault).'),
    follow: followParam,
    local_follow: z
      .boolean()
      .default(true)
      .describe('Follow symbolic links in the controller-side src tree. A single src file is read through its links either way, as in Ansible (only directory copies, which beastie does not do, copy links as links).'),
    ...fileAttributeParams,
    mode: z.union([z.literal('preserve'), modeParam]).optional().describe("As file's mode, or 'preserve': the source file's mode."),
    ...writeSafetyParams,
  })
  .superRefine((p, context) => {
    if (p.remote_src && p.src === undefined) context.addIssue({ code: 'custom', path: ['remote_src'], message: 'remote_src needs src (a file on the host)' });
    if ((p.content === undefined) === (p.src === undefined)) context.addIssue({ code: 'custom', message: 'give exactly one of content and src' });
    if (p.mode === 'preserve' && p.content !== undefined) context.addIssue({ code: 'custom', path: ['mode'], message: "mode 'preserve' needs src (the file whose mode is kept)" });
    if (p.content !== undefined && p.dest.endsWith('/')) context.addIssue({ code: 'custom', path: ['dest'], message: 'with content, dest must be a file path, not a directory' });
  });

/** The bytes to write, or why there are none; and the destination as observed. */
export interface WriteFacts {
  readonly source: { readonly kind: 'found'; readonly content: Buffer; readonly name?: string; readonly mode?: number } | { readonly kind: 'missing'; readonly message: string };
  readonly destination: Destination;
}

/** What copy and template register, after Ansible's copy RETURN: dest, src, checksum (SHA-1), md5sum, size, state, mode, owner, group. */
export function writeValues(facts: WriteFacts, options: FileAttributes, src: string | undefined): Record<string, unknown> {
  if (facts.source.kind === 'missing') return {};
  const { path, current } = facts.destination;
  const content = facts.source.content;
  const currentMode = current.stat?.type === 'file' ? current.stat.mode : undefined;
  const mode = options.mode === undefined ? currentMode : resolveMode(options.mode, currentMode, false);
  const owner = options.owner ?? current.stat?.owner;
  const group = options.group ?? current.stat?.group;
  return {
    dest: path,
    ...(src === undefined ? {} : { src }),
    checksum: createHash('sha1').update(content).digest('hex'),
    md5sum: createHash('md5').update(content).digest('hex'),
    size: content.length,
    state: 'file',
    ...(mode === undefined ? {} : { mode: formatMode(mode) }),
    ...(owner === undefined ? {} : { owner }),
    ...(group === undefined ? {} : { group }),
  };
}

/** Shared by copy and template: write the source bytes to the destination where they differ. */
export function planWrite(
  facts: WriteFacts,
  options: FileAttributes & WriteSafety & Parameters<typeof attributesNotes>[0] & { readonly force: boolean; readonly directoryMode?: ModeSpec | undefined },
  what: string,
  src?: string,
): Plan {
  if (facts.source.kind === 'missing') return { steps: [], failure: facts.source.message };
  const { path, current } = facts.destination;
  // A link here is one not followed (observeDestination): the file replaces it.
  if (current.stat !== undefined && current.stat.type !== 'file' && current.stat.type !== 'link') {
    return { steps: [], failure: `${path} is a ${current.stat.type}, not a file` };
  }
  if (!options.force && current.stat !== undefined) return { steps: [{ kind: 'noop', reason: `${path} exists (force: false)` }], values: { dest: path, ...(src === undefined ? {} : { src }), msg: 'file already exists' } };
  const notes = attributesNotes(options);
  return { steps: planFileWrite(path, current, facts.source.content, options, `${current.stat === undefined ? 'create' : 'update'} ${path} from ${what}`), values: writeValues(facts, options, src), ...(notes.length === 0 ? {} : { notes }) };
}

/** The registered backup_file, when a backup was made. */
export function registerBackup(results: Parameters<typeof backupFileOf>[0]): Record<string, unknown> {
  const backup = backupFileOf(results);
  return backup === undefined ? {} : { backup_file: backup };
}

export default defineModule({
  name: 'copy',
  summary: 'Write a file on the host from given content or a controller file',
  description:
    "Ansible's copy for single files. The host file's SHA-256 (FreeBSD `sha256 -q`, or `sha256sum` " +
    'elsewhere) is compared with the wanted bytes first; the file is written atomically (temporary file ' +
    'beside it, then rename) only when they differ, keeping its mode and owner unless mode/owner/group ' +
    'are given; otherwise only differing attributes are fixed. --diff shows old and new text (binary ' +
    'files as size and checksum). backup, validate, remote_src (a single file), directory_mode (the ' +
    'destination directory copy creates) and force as in Ansible; registers dest, src, checksum (SHA-1), ' +
    'md5sum, size, state, mode, owner, group and backup_file. A dest that is a symbolic link is replaced ' +
    'by the file, or with follow written through to where it points (dest is then that path). ' +
    'Differences from Ansible: no directory copies (so local_follow, accepted, changes nothing: a ' +
    'single src is read through its links as in Ansible); decrypt is accepted (Vault files are ' +
    'decrypted when the playbook is loaded).',
  params,
  example: `- name: vm-bhyve's switch configuration
  copy:
    dest: /usr/local/bastille/jails/bhyve/root/vms/.config/system.conf
    content: |
      switch_list="public"
      type_public="standard"
    mode: '0644'`,
  needs: (p) => [...(p.remote_src ? [fileContentFact(p.src ?? ''), ...(p.mode === 'preserve' ? [fileStatFact(p.src ?? '')] : [])] : []), ...destinationFacts(p.dest, p.content !== undefined ? undefined : posix.basename(p.src ?? ''))],
  async observe(host, p): Promise<WriteFacts> {
    if (p.content !== undefined) {
      const content = Buffer.from(p.content, 'utf8');
      return { source: { kind: 'found', content }, destination: await observeDestination(host, p.dest, content, undefined, p.follow) };
    }
    if (p.remote_src) {
      const src = p.src ?? '';
      const [file] = await host.facts(fileContentFact(src));
      const mode = p.mode === 'preserve' ? (await host.facts(fileStatFact(src)))[0]?.mode : undefined;
      const name = posix.basename(src);
      if (file.kind !== 'file') {
        const message = file.kind === 'absent' ? `Source ${src} not found` : `Cannot copy invalid source '${src}': not a file`;
        return { source: { kind: 'missing', message }, destination: await observeDestination(host, p.dest, undefined, name, p.follow) };
      }
      return { source: { kind: 'found', content: file.content, name, ...(mode === undefined ? {} : { mode }) }, destination: await observeDestination(host, p.dest, file.content, name, p.follow) };
    }
    const source = await readLocalSource(p.src ?? '', host.vars, 'files');
    const content = source.kind === 'found' ? source.content : undefined;
    const name = posix.basename(p.src ?? '');
    const destination = await observeDestination(host, p.dest, content, name, p.follow);
    const mode = p.mode === 'preserve' && source.kind === 'found' ? (await stat(source.path)).mode & 0o7777 : undefined;
    return { source: source.kind === 'found' ? { kind: 'found', content: source.content, name, ...(mode === undefined ? {} : { mode }) } : source, destination };
  },
  plan({ params: p, facts }) {
    // mode 'preserve' (Ansible's copy action): the mode the source file has.
    const mode = p.mode === 'preserve' ? (facts.source.kind === 'found' ? facts.source.mode : undefined) : p.mode;
    return planWrite(facts, { ...p, mode, directoryMode: p.directory_mode }, p.content !== undefined ? 'content' : (p.src ?? ''), p.src);
  },
  register({ results }) {
    return registerBackup(results);
  },
});

