// lineinfile: one line of a text file is present (replacing the line a regexp matches) or absent,
// with Ansible's placement rules; every other byte of the file is left as it was.
import { z } from 'zod';
import { fileContentFact, type FileContent } from '../src/facts/file-content.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { isText, sha256 } from './support/diff-text.js';
import { fileAttributeParams } from './support/file-attributes.js';
import { planFileWrite } from './support/file-write.js';
import { backupFileOf, writeSafetyParams } from './support/write-safety.js';
import { checkInsertPositions, regexParam, splitLinesKeepEnds, stripLineEnd } from './support/lines.js';

const params = withAliases(
  {
    path: z.string().min(1).describe('The file to edit.'),
    line: z.string().optional().describe('The line to ensure (state present), or to remove (state absent, without regexp).'),
    regexp: regexParam.optional().describe('A JavaScript regular expression: the last matching line is replaced (present) or every matching line removed (absent).'),
    search_string: z.string().optional().describe('Like regexp, but a literal substring.'),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: z.string().optional().describe("Where a new line goes: after the last line matching this regexp, or 'EOF' (default) / 'BOF'."),
    insertbefore: z.string().optional().describe("Where a new line goes: before the last line matching this regexp, or 'BOF'."),
    backrefs: z.boolean().default(false).describe('Expand \\1 and \\g<name> in line from the regexp match; leave the file alone when nothing matches.'),
    firstmatch: z.boolean().default(false).describe('Use the first matching line instead of the last.'),
    create: z.boolean().default(false).describe('Create the file when missing (state present).'),
    ...fileAttributeParams,
    ...writeSafetyParams,
  },
  { path: ['dest', 'destfile', 'name'], line: ['value'], regexp: ['regex'] },
).superRefine((q, context) => {
    if (q.insertafter !== undefined && q.insertbefore !== undefined) context.addIssue({ code: 'custom', message: 'insertafter and insertbefore are mutually exclusive' });
    if (q.regexp !== undefined && q.search_string !== undefined) context.addIssue({ code: 'custom', message: 'regexp and search_string are mutually exclusive' });
    if (q.backrefs && q.regexp === undefined) context.addIssue({ code: 'custom', path: ['backrefs'], message: 'backrefs needs regexp' });
    if (q.state === 'present' && q.line === undefined) context.addIssue({ code: 'custom', path: ['line'], message: 'state present needs line' });
    if (q.state === 'absent' && q.line === undefined && q.regexp === undefined && q.search_string === undefined) {
      context.addIssue({ code: 'custom', message: 'state absent needs one of line, regexp or search_string' });
    }
    checkInsertPositions(q, context);
  });

type Params = z.output<typeof params>;

/** Python's match.expand for \1 … \99 and \g<name>/\g<1>. */
export function expandBackrefs(template: string, match: RegExpExecArray): string {
  return template.replace(/\\g<(\w+)>|\\(\d{1,2})/g, (_, name: string | undefined, number: string | undefined) => {
    if (number !== undefined) return match[Number(number)] ?? '';
    const key = name ?? '';
    return (/^\d+$/.test(key) ? match[Number(key)] : match.groups?.[key]) ?? '';
  });
}

/** The file's new text for state present (Ansible's lineinfile present()); `undefined` text = unchanged. */
export function lineinfilePresent(text: string, p: Params): { text: string; message: string } {
  const lines = splitLinesKeepEnds(text);
  const line = p.line ?? '';
  const insertafter = p.insertafter === undefined && p.insertbefore === undefined ? 'EOF' : p.insertafter;
  const insertbefore = p.insertbefore;
  const regexp = p.regexp === undefined ? undefined : new RegExp(p.regexp);
  const anchor = insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF' ? new RegExp(insertafter) : insertbefore !== undefined && insertbefore !== 'BOF' ? new RegExp(insertbefore) : undefined;
  let found = -1;
  let insertAt = -1;
  let match: RegExpExecArray | null = null;
  if (regexp !== undefined) {
    for (const [index, current] of lines.entries()) {
      const m = regexp.exec(current);
      if (m !== null) {
        found = index;
        match = m;
        if (p.firstmatch) break;
      }
    }
  }
  if (p.search_string !== undefined) {
    for (const [index, current] of lines.entries()) {
      if (current.includes(p.search_string)) {
        found = index;
        match = [current] as unknown as RegExpExecArray;
        if (p.firstmatch) break;
      }
    }
  }
  if (match === null) {
    for (const [index, current] of lines.entries()) {
      if (stripLineEnd(current) === line) {
        found = index;
      } else if (anchor !== undefined && anchor.test(current)) {
        insertAt = insertafter !== undefined ? index + 1 : index;
        if (p.firstmatch) break;
      }
    }
  }
  const unchanged = { text, message: '' };
  const ensureLastEnds = () => {
    const last = lines.at(-1);
    if (last !== undefined && !/[\r\n]$/.test(last)) lines[lines.length - 1] = `${last}\n`;
  };
  if (found !== -1) {
    const newLine = `${p.backrefs && match !== null && regexp !== undefined ? expandBackrefs(line, match) : line}\n`;
    if (lines[found] === newLine) return unchanged;
    lines[found] = newLine;
    return { text: lines.join(''), message: 'line replaced' };
  }
  if (p.backrefs) return unchanged;
  if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(`${line}\n`);
    return { text: lines.join(''), message: 'line added' };
  }
  if (insertafter === 'EOF' || insertAt === -1) {
    ensureLastEnds();
    lines.push(`${line}\n`);
    return { text: lines.join(''), message: 'line added' };
  }
  if (insertafter !== undefined) {
    if (insertAt === lines.length) {
      if (stripLineEnd(lines[insertAt - 1] ?? '') === line) return unchanged;
      ensureLastEnds();
      lines.push(`${line}\n`);
      return { text: lines.join(''), message: 'line added' };
    }
    if (stripLineEnd(lines[insertAt] ?? '') === line) return unchanged;
    lines.splice(insertAt, 0, `${line}\n`);
    return { text: lines.join(''), message: 'line added' };
  }
  lines.splice(insertAt, 0, `${line}\n`);
  return { text: lines.join(''), message: 'line added' };
}

/** The file's new text for state absent: every matching line removed. */
export function lineinfileAbsent(text: string, p: Params): { text: string; removed: number } {
  const regexp = p.regexp === undefined ? undefined : new RegExp(p.regexp);
  const matches = (current: string) =>
    regexp !== undefined ? regexp.test(current) : p.search_string !== undefined ? current.includes(p.search_string) : stripLineEnd(current) === p.line;
  const lines = splitLinesKeepEnds(text);
  const kept = lines.filter((current) => !matches(current));
  return { text: kept.join(''), removed: lines.length - kept.length };
}

/** What lineinfile reads: the file's bytes and its attributes. */
export interface LineinfileFacts {
  readonly content: FileContent;
  readonly stat: FileStat | undefined;
}

/** Compare the file with the wanted line and plan the write. */
export function planLineinfile(p: Params, facts: LineinfileFacts): Plan {
  if (facts.content.kind === 'not-a-file') return { steps: [], failure: `${p.path} is not a regular file` };
  if (facts.content.kind === 'absent') {
    if (p.state === 'absent') return { steps: [{ kind: 'noop', reason: `${p.path} does not exist` }] };
    if (!p.create) return { steps: [], failure: `Destination ${p.path} does not exist! Set create: true to create it.` };
  }
  const before = facts.content.kind === 'file' ? facts.content.content : undefined;
  if (before !== undefined && !isText(before)) return { steps: [], failure: `${p.path} is not a UTF-8 text file` };
  const text = before?.toString('utf8') ?? '';
  const present = p.state === 'present' ? lineinfilePresent(text, p) : undefined;
  const absent = p.state === 'absent' ? lineinfileAbsent(text, p) : undefined;
  const after = present?.text ?? absent?.text ?? text;
  const summary = present !== undefined ? `${p.path}: ${present.message || 'line present'}` : `${p.path}: remove ${absent?.removed ?? 0} line(s)`;
  const current = { stat: facts.stat, sha256: before === undefined ? undefined : sha256(before), content: before };
  const steps = planFileWrite(p.path, current, Buffer.from(after, 'utf8'), p, summary);
  // Ansible's msg: what happened to the line, then whether attributes changed.
  const attributes = steps.some((step) => step.kind === 'change' && step.diff?.header.endsWith('(file attributes)') === true);
  const said = present?.message ?? (absent !== undefined && absent.removed > 0 ? `${absent.removed} line(s) removed` : '');
  const msg = attributes ? `${said}${said === '' ? '' : ' and '}ownership, perms or SE linux context changed` : said;
  return { steps, values: { msg, backup: '', ...(absent === undefined ? {} : { found: absent.removed }) } };
}

export default defineModule({
  name: 'lineinfile',
  summary: 'Ensure one line is in a text file (or is not), replacing the line a regexp matches',
  description:
    "Ansible's lineinfile: with regexp (or search_string) the last matching line is replaced, else the " +
    'line is added after insertafter (default EOF) or before insertbefore; an identical line already ' +
    'there is a no-op. state absent removes every matching line. The file is read once and written ' +
    'atomically only when its bytes change; mode/owner/group are kept unless given. Differences from ' +
    'Ansible: regular expressions are JavaScript\'s (close to Python\'s for ordinary patterns); no backup, ' +
    'validate, unsafe_writes or SELinux options.',
  params,
  example: `- name: The jail may use vmm
  lineinfile:
    path: /usr/local/bastille/jails/bhyve/jail.conf
    regexp: '^\\s*allow\\.vmm'
    line: '  allow.vmm;'
    insertbefore: '^}'`,
  needs: (p) => [fileContentFact(p.path), fileStatFact(p.path)],
  async observe(host, p) {
    const [content, stat] = await host.facts(fileContentFact(p.path), fileStatFact(p.path));
    return { content, stat };
  },
  plan({ params: p, facts }) {
    return planLineinfile(p, facts);
  },
  register({ results }) {
    // lineinfile registers its backup under `backup` ('' when none), unlike the other file modules.
    return { backup: backupFileOf(results) ?? '' };
  },
});
