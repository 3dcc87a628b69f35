// copy: a file on the host with the given content or a controller file's bytes. Checksums are
// compared first (sha256 on the host), so unchanged files are never sent again.
import { posix } from 'node:path';
import { z } from 'zod';
import { defineModule, type Plan } from '../src/module/module.js';
import type { Destination } from './support/destination.js';
import { destinationFacts, observeDestination } from './support/destination.js';
import { fileAttributeParams, type FileAttributes } from './support/file-attributes.js';
import { planFileWrite } from './support/file-write.js';
import { readLocalSource } from './support/local-source.js';

const params = z
  .strictObject({
    content: z.string().optional().describe('The file content, written as is (instead of src).'),
    src: z.string().optional().describe("A controller file: absolute, or looked up in role_path/files, role_path, playbook_dir/files, playbook_dir, then the current directory."),
    dest: z.string().min(1).describe('The file on the host; ending in / (or an existing directory) means dest/BASENAME-OF-SRC.'),
    force: z.boolean().default(true).describe('Replace a file whose content differs; false only creates a missing file.'),
    ...fileAttributeParams,
  })
  .superRefine((p, context) => {
    if ((p.content === undefined) === (p.src === undefined)) context.addIssue({ code: 'custom', message: 'give exactly one of content and src' });
    if (p.content !== undefined && p.dest.endsWith('/')) context.addIssue({ code: 'custom', path: ['dest'], message: 'with content, dest must be a file path, not a directory' });
  });

/** The bytes to write, or why there are none; and the destination as observed. */
export interface WriteFacts {
  readonly source: { readonly kind: 'found'; readonly content: Buffer; readonly name?: string | undefined } | { readonly kind: 'missing'; readonly message: string };
  readonly destination: Destination;
}

/** Shared by copy and template: write the source bytes to the destination where they differ. */
export function planWrite(facts: WriteFacts, options: FileAttributes & { readonly force: boolean }, what: string): Plan {
  if (facts.source.kind === 'missing') return { steps: [], failure: facts.source.message };
  const { path, current } = facts.destination;
  if (current.stat !== undefined && current.stat.type !== 'file') {
    return { steps: [], failure: `${path} is a ${current.stat.type}, not a file` };
  }
  if (!options.force && current.stat !== undefined) return { steps: [{ kind: 'noop', reason: `${path} exists (force: false)` }] };
  return { steps: planFileWrite(path, current, facts.source.content, options, `${current.stat === undefined ? 'create' : 'update'} ${path} from ${what}`) };
}

export default defineModule({
  name: 'copy',
  summary: 'Write a file on the host from given content or a controller file',
  description:
    "Ansible's copy for single files. The host file's SHA-256 (FreeBSD `sha256 -q`, or `sha256sum` " +
    'elsewhere) is compared with the wanted bytes first; the file is written atomically (temporary file ' +
    'beside it, then rename) only when they differ, keeping its mode and owner unless mode/owner/group ' +
    'are given; otherwise only differing attributes are fixed. --diff shows old and new text (binary ' +
    'files as size and checksum). Differences from Ansible: no directory copies, remote_src, backup, ' +
    'validate or directory_mode.',
  params,
  example: `- name: vm-bhyve's switch configuration
  copy:
    dest: /usr/local/bastille/jails/bhyve/root/vms/.config/system.conf
    content: |
      switch_list="public"
      type_public="standard"
    mode: '0644'`,
  needs: (p) => destinationFacts(p.dest, p.content !== undefined ? undefined : posix.basename(p.src ?? '')),
  async observe(host, p): Promise<WriteFacts> {
    if (p.content !== undefined) {
      const content = Buffer.from(p.content, 'utf8');
      return { source: { kind: 'found', content }, destination: await observeDestination(host, p.dest, content, undefined) };
    }
    const source = await readLocalSource(p.src ?? '', host.vars, 'files');
    const content = source.kind === 'found' ? source.content : undefined;
    const name = posix.basename(p.src ?? '');
    const destination = await observeDestination(host, p.dest, content, name);
    return { source: source.kind === 'found' ? { kind: 'found', content: source.content, name } : source, destination };
  },
  plan({ params: p, facts }) {
    return planWrite(facts, p, p.content !== undefined ? 'content' : (p.src ?? ''));
  },
});

