// template: a controller file rendered with Jinja as Ansible's template module renders it (or
// Handlebars for .hbs files; an undefined variable fails the task naming it and the template's
// line), then written as copy writes.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { posix } from 'node:path';
import { z } from 'zod';
import { BeastieError } from '../src/errors.js';
import { defineModule } from '../src/module-api/module.js';
import { renderText } from '../src/template/render.js';
import { encodeOutput, knownEncoding, newlineSequence, newlineSequenceMessage, supportedEncodings, templateEnvironment } from '../src/template/template-environment.js';
import { followParam, planWrite, registerBackup, type WriteFacts } from './copy.js';
import { writeSafetyParams } from './support/write-safety.js';
import { destinationFacts, observeDestination } from './support/destination.js';
import { fileAttributeParams, modeParam } from './support/file-attributes.js';
import { readLocalSource, searchRoots } from './support/local-source.js';

const params = z.strictObject({
  src: z.string().min(1).describe('The template on the controller: absolute, or looked up in role_path/templates, role_path, playbook_dir/templates, playbook_dir, then the current directory.'),
  dest: z.string().min(1).describe('The file on the host; ending in / (or an existing directory) means dest/BASENAME-OF-SRC without .hbs/.j2.'),
  force: z.boolean().default(true).describe('Replace a file whose content differs; false only creates a missing file.'),
  follow: followParam,
  trim_blocks: z.boolean().default(true).describe('Remove the first newline after a block tag (Jinja2 trim_blocks).'),
  lstrip_blocks: z.boolean().default(false).describe('Strip spaces and tabs from the start of a line up to a block tag.'),
  newline_sequence: z
    .string()
    .default('\n')
    .refine((value) => newlineSequence(value) !== undefined, { message: newlineSequenceMessage })
    .describe('What every newline of the output is: \\n, \\r or \\r\\n.'),
  variable_start_string: z.string().min(1).optional().describe('Opens a print statement (default {{).'),
  variable_end_string: z.string().min(1).optional().describe('Closes a print statement (default }}).'),
  block_start_string: z.string().min(1).optional().describe('Opens a block (default {%).'),
  block_end_string: z.string().min(1).optional().describe('Closes a block (default %}).'),
  comment_start_string: z.string().min(1).optional().describe('Opens a comment (default {#).'),
  comment_end_string: z.string().min(1).optional().describe('Closes a comment (default #}).'),
  output_encoding: z
    .string()
    .default('utf-8')
    .refine(knownEncoding, { message: `output_encoding must be one of ${supportedEncodings}` })
    .describe(`The encoding of the written file (${supportedEncodings}); the template itself is read as UTF-8.`),
  ...fileAttributeParams,
  mode: z.union([z.literal('preserve'), modeParam]).optional().describe("As file's mode, or 'preserve': the template file's own mode (Ansible's template action)."),
  ...writeSafetyParams,
});

type Params = z.infer<typeof params>;

/** The file name a template writes under a directory `dest`: its own, without .hbs/.j2. */
export function templateDestinationName(src: string): string {
  return posix.basename(src).replace(/\.(hbs|handlebars|j2)$/, '');
}

/**
 * The variables Ansible's template module adds (template/__init__.py generate_ansible_template_vars):
 * template_host, template_path (src as written), template_fullpath, template_uid (the file owner's
 * name), template_destpath and ansible_managed (DEFAULT_MANAGED_STR's default, 'Ansible managed').
 */
export function templateVars(src: string, fullPath: string, dest: string | undefined): Record<string, unknown> {
  let uid = '';
  try {
    const owner = statSync(fullPath).uid;
    // Node names only the running user; Ansible falls back to the number for other owners too.
    uid = owner === userInfo().uid ? userInfo().username : String(owner);
  } catch {
    // The read of the file reports a missing template.
  }
  return { template_host: hostname(), template_path: src, template_fullpath: fullPath, template_uid: uid, template_destpath: dest ?? null, ansible_managed: 'Ansible managed' };
}

/** Render the template file with the task's variables; a failure names the variable and the file. */
export function renderTemplateFile(
  path: string,
  text: string,
  vars: Readonly<Record<string, unknown>>,
  searchDirs: readonly string[],
  written?: { readonly src: string; readonly dest: string },
  task?: Params,
): WriteFacts['source'] {
  try {
    const all = written === undefined ? vars : { ...vars, ...templateVars(written.src, path, written.dest) };
    const rendered = renderText(text, all, { source: { file: path, line: 1, column: 1 }, searchDirs }, task === undefined ? undefined : templateEnvironment(task));
    return { kind: 'found', content: encodeOutput(rendered, task?.output_encoding ?? 'utf-8') };
  } catch (error) {
    const message = error instanceof BeastieError ? error.describe() : (error as Error).message;
    return { kind: 'missing', message: `template ${path}: ${message}` };
  }
}

export default defineModule({
  name: 'template',
  summary: 'Render a Jinja2 template (or a Handlebars .hbs one) from the controller and write it on the host',
  description:
    'The template is rendered on the controller with the task\'s variables — Jinja2 as Ansible renders it ' +
    '(trim_blocks on, trailing newlines kept, #jinja2: overrides, includes from templates/), or Handlebars ' +
    'for a .hbs file — then written like copy: checksums compared first, written atomically only when ' +
    'different, mode/owner kept unless given. An undefined variable fails the task with its name and the ' +
    'template\'s file:line. trim_blocks, lstrip_blocks, newline_sequence and the delimiter strings set the ' +
    'template\'s Jinja2 environment as Ansible\'s template action does (a #jinja2: line overrides them); ' +
    'output_encoding takes utf-8, latin-1, ascii and utf-16 only. ' +
    'backup, validate and follow as in copy; registers as copy does.',
  params,
  example: `- name: The guest's vm-bhyve configuration
  template:
    src: guest.conf.hbs
    dest: /vms/{{ guest }}/{{ guest }}.conf`,
  needs: (p) => destinationFacts(p.dest, templateDestinationName(p.src)),
  async observe(host, p): Promise<WriteFacts> {
    const file = await readLocalSource(p.src, host.vars, 'templates');
    const name = templateDestinationName(p.src);
    if (file.kind === 'missing') return { source: file, destination: await observeDestination(host, p.dest, undefined, name, p.follow) };
    const searchDirs = [posix.dirname(file.path), ...searchRoots(host.vars)];
    const rendered = renderTemplateFile(file.path, file.content.toString('utf8'), host.vars, searchDirs, { src: p.src, dest: p.dest }, p);
    // mode 'preserve': '0%03o' % stat.S_IMODE(os.stat(source).st_mode) of the template file.
    const source = rendered.kind === 'found' && p.mode === 'preserve' ? { ...rendered, mode: (await stat(file.path)).mode & 0o7777 } : rendered;
    const destination = await observeDestination(host, p.dest, source.kind === 'found' ? source.content : undefined, name, p.follow);
    return { source, destination };
  },
  plan({ params: p, facts }) {
    const mode = p.mode === 'preserve' ? (facts.source.kind === 'found' ? facts.source.mode : undefined) : p.mode;
    return planWrite(facts, { ...p, mode }, p.src, p.src);
  },
  register({ results }) {
    return registerBackup(results);
  },
});
