// replace: every match of a regular expression in a file replaced (Ansible's replace), optionally
// only between an `after` and a `before` match. The file is read once and written atomically only
// when its text changes; its mode and owner are kept unless given.
import { z } from 'zod';
import { fileContentFact, type FileContent } from '../src/facts/file-content.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { isText, sha256 } from './support/diff-text.js';
import { fileAttributeParams } from './support/file-attributes.js';
import { planFileWrite } from './support/file-write.js';
import { writeSafetyParams } from './support/write-safety.js';
import { registerBackup } from './copy.js';
import { expandBackrefs } from './lineinfile.js';
import { regexParam } from './support/lines.js';

const params = withAliases(
  {
    path: z.string().min(1).describe('The file to edit.'),
    regexp: regexParam.describe("Replaced wherever it matches; ^ and $ match at every line (Python's re.MULTILINE)."),
    replace: z.string().default('').describe('The replacement; \\1 and \\g<name> insert groups. Empty removes the matches.'),
    after: regexParam.optional().describe('Only replace after the first match of this expression (. matches newlines).'),
    before: regexParam.optional().describe('Only replace before the first match of this expression (. matches newlines).'),
    encoding: z.literal('utf-8').default('utf-8').describe("The file's encoding: only utf-8."),
    ...fileAttributeParams,
    ...writeSafetyParams,
  },
  { path: ['dest', 'destfile', 'name'] },
);

type Params = z.output<typeof params>;

/** The new text and how many replacements were made, or why the section was not found. */
export type ReplaceResult = { readonly kind: 'replaced'; readonly text: string; readonly count: number } | { readonly kind: 'no-section'; readonly pattern: string };

/** Ansible's replace main(): the section between after/before, then re.subn on it. */
export function replaceText(text: string, p: Params): ReplaceResult {
  let pattern: string | undefined;
  if (p.after !== undefined && p.before !== undefined) pattern = `${p.after}(?<subsection>.*?)${p.before}`;
  else if (p.after !== undefined) pattern = `${p.after}(?<subsection>.*)`;
  else if (p.before !== undefined) pattern = `(?<subsection>.*)${p.before}`;
  let start = 0;
  let end = text.length;
  if (pattern !== undefined) {
    const match = new RegExp(pattern, 'sd').exec(text);
    const indices = match?.indices?.groups?.['subsection'];
    if (indices === undefined) return { kind: 'no-section', pattern };
    [start, end] = indices;
  }
  const section = text.slice(start, end);
  let count = 0;
  const replaced = section.replace(new RegExp(p.regexp, 'gm'), (...args: unknown[]) => {
    count++;
    // The replace callback's arguments: match, groups…, offset, whole string, named groups (when any).
    const last = args.at(-1);
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string>) : undefined;
    const groups = args.slice(0, named === undefined ? -2 : -3) as string[];
    const match = Object.assign([...groups], { index: 0, input: section, groups: named }) as unknown as RegExpExecArray;
    return expandBackrefs(p.replace, match);
  });
  return { kind: 'replaced', text: text.slice(0, start) + replaced + text.slice(end), count };
}

/** What replace reads: the file's bytes and attributes. */
export interface ReplaceFacts {
  readonly content: FileContent;
  readonly stat: FileStat | undefined;
}

/** Compare, then plan the atomic write (or only the attribute changes). */
export function planReplace(p: Params, facts: ReplaceFacts): Plan {
  if (facts.content.kind === 'absent') return { steps: [], failure: `Path ${p.path} does not exist !`, values: { rc: 257 } };
  if (facts.content.kind === 'not-a-file') return { steps: [], failure: `Path ${p.path} is a directory !`, values: { rc: 256 } };
  const before = facts.content.content;
  if (!isText(before)) return { steps: [], failure: `${p.path} is not a UTF-8 text file` };
  const result = replaceText(before.toString('utf8'), p);
  const current = { stat: facts.stat, sha256: sha256(before), content: before };
  if (result.kind === 'no-section') {
    const msg = `Pattern for before/after params did not match the given file: ${result.pattern}`;
    return { steps: [{ kind: 'noop', reason: msg }], values: { msg } };
  }
  const changedText = result.count > 0 && result.text !== before.toString('utf8');
  const msg = changedText ? `${result.count} replacements made` : '';
  const after = changedText ? Buffer.from(result.text, 'utf8') : before;
  return { steps: planFileWrite(p.path, current, after, p, `${p.path}: ${msg || 'attributes'}`), values: { msg } };
}

export default defineModule({
  name: 'replace',
  summary: 'Replace every match of a regular expression in a file',
  description:
    "Ansible's replace: every match of `regexp` (multiline: ^ and $ match at each line) is replaced by " +
    '`replace`, with \\1 / \\g<name> back-references; `after`/`before` limit it to the text after the ' +
    'first match of `after` and/or before the first match of `before`. Registers `msg` (`N replacements ' +
    "made`). Written atomically only when the text changes. Differences from Ansible: regular expressions " +
    "are JavaScript's (close to Python's for ordinary patterns); backup (registered as backup_file) and validate as in copy; no unsafe_writes.",
  params,
  example: `- name: Jails use ruleset 25
  replace:
    path: /etc/jail.conf
    regexp: '^(\\s*)devfs_ruleset\\s*=\\s*\\d+;'
    replace: '\\1devfs_ruleset = 25;'`,
  needs: (p) => [fileContentFact(p.path), fileStatFact(p.path)],
  async observe(host, p) {
    const [content, stat] = await host.facts(fileContentFact(p.path), fileStatFact(p.path));
    return { content, stat };
  },
  plan({ params: p, facts }) {
    return planReplace(p, facts);
  },
  register({ results }) {
    return registerBackup(results);
  },
});
