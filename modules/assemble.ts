// assemble: ansible.builtin.assemble with the fragments on the host (remote_src, Ansible's
// default): the regular files of src in name order (Python's sorted(os.listdir)), those matching
// regexp, without dot files under ignore_hidden, joined as lib/ansible/modules/assemble.py's
// assemble_from_fragments joins them — a newline after a fragment that lacks one, the delimiter
// (escapes decoded, then a newline unless it ends in one) between fragments — and written like
// copy: only when the bytes differ, with backup, validate and the file attributes.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { defineFact, type FactOutput } from '../src/facts/fact.js';
import { parseSectionList, sectionFrame } from '../src/facts/sections.js';
import { defineModule } from '../src/module-api/module.js';
import { planWrite, registerBackup, type WriteFacts } from './copy.js';
import { destinationFacts, observeDestination } from './support/destination.js';
import { fileAttributeParams } from './support/file-attributes.js';
import { writeSafetyParams } from './support/write-safety.js';

const params = z
  .strictObject({
    src: z.string().regex(/^\//, 'an absolute directory on the host').describe('The directory of fragments on the host.'),
    dest: z.string().regex(/^\//, 'an absolute path on the host').describe('The file assembled from them.'),
    delimiter: z.string().optional().describe('Written between fragments (escapes such as \\n decoded); a newline follows unless it ends in one.'),
    regexp: z
      .string()
      .refine((text) => {
        try {
          new RegExp(text);
          return true;
        } catch {
          return false;
        }
      }, 'a valid regular expression')
      .optional()
      .describe('Only fragments whose name this matches (searched anywhere in the name).'),
    ignore_hidden: z.boolean().default(false).describe('Leave out fragments whose name starts with a dot.'),
    remote_src: z.literal(true).default(true).describe('The fragments are on the host (only this is supported).'),
    decrypt: z.boolean().default(true).describe('Accepted (fragments on the host are never Vault files).'),
    ...fileAttributeParams,
    ...writeSafetyParams,
  });

type Params = z.output<typeof params>;

/** One fragment: its name in src and its text. */
export interface Fragment {
  readonly name: string;
  readonly content: string;
}

/** What the read of src tells: missing, not a directory, or its regular files. */
export type FragmentDir = { readonly kind: 'absent' } | { readonly kind: 'not-directory' } | { readonly kind: 'directory'; readonly fragments: readonly Fragment[] };

/**
 * Every regular file of SRC (dot files too), framed by src/facts/sections.ts: a `dir` section
 * (absent, not-directory or directory), then per file a `name` section and a `content` section
 * with its bytes. The names are section texts, never headers, so any name (a line break in it
 * too) comes back whole, and neither a name nor a fragment's text can start a section.
 */
export function fragmentsFact(src: string) {
  const frame = sectionFrame();
  return defineFact(
    `assemble:${src}`,
    sh`${frame.open}; if [ ! -e ${src} ]; then ${frame.section('dir', sh`echo absent`)}; elif [ ! -d ${src} ]; then ${frame.section('dir', sh`echo not-directory`)}; else ${frame.section('dir', sh`echo directory`)}; for f in ${src}/* ${src}/.[!.]* ${src}/..?*; do [ -f "$f" ] || continue; ${frame.section('name', sh`printf %s "\${f##*/}"`)}; ${frame.section('content', sh`cat "$f"`)}; done; fi; ${frame.close}`,
    parseFragments,
  );
}

export function parseFragments(output: FactOutput): FragmentDir {
  const sections = parseSectionList(output.stdout);
  const dir = sections[0]?.[0] === 'dir' ? sections[0][1] : '';
  if (dir === 'absent\n') return { kind: 'absent' };
  if (dir === 'not-directory\n') return { kind: 'not-directory' };
  const fragments: Fragment[] = [];
  for (let index = 1; index + 1 < sections.length; index += 2) {
    const [nameKey, name] = sections[index] ?? [];
    const [contentKey, content] = sections[index + 1] ?? [];
    if (nameKey !== 'name' || contentKey !== 'content' || name === undefined || content === undefined) break;
    fragments.push({ name, content });
  }
  return { kind: 'directory', fragments };
}

/** codecs.escape_decode for the escapes a delimiter uses. */
export function decodeEscapes(text: string): string {
  const table: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
  return text.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (whole, code: string) => (code.startsWith('x') && code.length === 3 ? String.fromCharCode(Number.parseInt(code.slice(1), 16)) : (table[code] ?? whole)));
}

/** assemble_from_fragments: the bytes of dest. */
export function assembleFragments(fragments: readonly Fragment[], p: Pick<Params, 'delimiter' | 'regexp' | 'ignore_hidden'>): string {
  const pattern = p.regexp === undefined ? undefined : new RegExp(p.regexp);
  const chosen = [...fragments]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((f) => (pattern === undefined || pattern.test(f.name)) && !(p.ignore_hidden && f.name.startsWith('.')));
  let out = '';
  let first = true;
  let addNewline = false;
  for (const fragment of chosen) {
    if (addNewline) out += '\n';
    if (!first && p.delimiter !== undefined && p.delimiter !== '') {
      const delimiter = decodeEscapes(p.delimiter);
      out += delimiter;
      if (!delimiter.endsWith('\n')) out += '\n';
    }
    out += fragment.content;
    first = false;
    addNewline = !fragment.content.endsWith('\n');
  }
  return out;
}

export interface AssembleFacts {
  readonly dir: FragmentDir;
  readonly write: WriteFacts | undefined;
}

export default defineModule({
  name: 'assemble',
  summary: 'Assemble a file from a directory of fragments on the host (ansible.builtin.assemble)',
  description:
    "ansible.builtin.assemble with remote_src (Ansible's default): the regular files of src in name order, filtered by " +
    'regexp (searched in the name) and ignore_hidden, joined as assemble.py joins them (a newline after a fragment ' +
    'without one; the delimiter between fragments, escapes decoded, followed by a newline unless it ends in one) and ' +
    'written as copy writes: only when the bytes differ, atomically, with backup, validate, mode, owner and group. ' +
    "Fails with Ansible's \"Source (SRC) does not exist\" / \"is not a directory\". Differences: remote_src: false " +
    '(fragments on the controller) is refused at load; regexp is a JavaScript regular expression (Python re for the ' +
    'common cases); fragments are read as UTF-8 text.',
  params,
  example: `- name: rc.conf.local from its fragments
  assemble:
    src: /usr/local/etc/rc.conf.d.fragments
    dest: /etc/rc.conf.local
    mode: '0644'`,
  needs: (p) => [fragmentsFact(p.src), ...destinationFacts(p.dest, undefined)],
  async observe(host, p): Promise<AssembleFacts> {
    const [dir] = await host.facts(fragmentsFact(p.src));
    if (dir.kind !== 'directory') {
      await host.facts(...destinationFacts(p.dest, undefined));
      return { dir, write: undefined };
    }
    const content = Buffer.from(assembleFragments(dir.fragments, p), 'utf8');
    return { dir, write: { source: { kind: 'found', content }, destination: await observeDestination(host, p.dest, content, undefined) } };
  },
  plan({ params: p, facts }) {
    if (facts.dir.kind === 'absent') return { steps: [], failure: `Source (${p.src}) does not exist` };
    if (facts.dir.kind === 'not-directory' || facts.write === undefined) return { steps: [], failure: `Source (${p.src}) is not a directory` };
    return planWrite(facts.write, { ...p, force: true }, `the fragments in ${p.src}`, p.src);
  },
  register({ results }) {
    return registerBackup(results);
  },
});
