// blockinfile: a block of lines between two marker lines, inserted, replaced or removed as a
// whole; every byte outside the markers is left as it was.
import { z } from 'zod';
import { fileContentFact } from '../src/facts/file-content.js';
import { fileStatFact } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { isText, sha256 } from './support/diff-text.js';
import { fileAttributeParams } from './support/file-attributes.js';
import { planFileWrite } from './support/file-write.js';
import { backupFileOf, writeSafetyParams } from './support/write-safety.js';
import type { LineinfileFacts } from './lineinfile.js';
import { checkInsertPositions, splitLinesKeepEnds, stripLineEnd } from './support/lines.js';

const params = withAliases(
  {
    path: z.string().min(1).describe('The file to edit.'),
    block: z.string().default('').describe('The lines between the markers; empty removes the block.'),
    marker: z.string().default('# {mark} ANSIBLE MANAGED BLOCK').describe('The marker line template; {mark} becomes marker_begin or marker_end.'),
    marker_begin: z.string().default('BEGIN'),
    marker_end: z.string().default('END'),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: z.string().optional().describe("A new block goes after the last line matching this regexp, or at 'EOF' (default)."),
    insertbefore: z.string().optional().describe("A new block goes before the last line matching this regexp, or at 'BOF'."),
    create: z.boolean().default(false).describe('Create the file when missing.'),
    ...fileAttributeParams,
    ...writeSafetyParams,
  },
  { path: ['dest', 'destfile', 'name'], block: ['content'] },
).superRefine((q, context) => {
    if (q.insertafter !== undefined && q.insertbefore !== undefined) context.addIssue({ code: 'custom', message: 'insertafter and insertbefore are mutually exclusive' });
    if (!q.marker.includes('{mark}')) context.addIssue({ code: 'custom', path: ['marker'], message: 'marker must contain {mark}, or the begin and end lines are the same' });
    checkInsertPositions(q, context);
  });

type Params = z.output<typeof params>;

/** The file's text with the block in place (or removed), as Ansible's blockinfile computes it. */
export function applyBlock(text: string, p: Params): string {
  const begin = p.marker.replaceAll('{mark}', p.marker_begin);
  const end = p.marker.replaceAll('{mark}', p.marker_end);
  const blockLines = p.state === 'absent' || p.block === '' ? [] : [begin, ...p.block.replace(/\r?\n$/, '').split(/\r?\n/), end].map((line) => `${line}\n`);
  const lines = splitLinesKeepEnds(text);
  let first: number | undefined;
  let last: number | undefined;
  lines.forEach((line, index) => {
    if (stripLineEnd(line) === begin) first = index;
    if (stripLineEnd(line) === end) last = index;
  });
  let at: number;
  if (first === undefined || last === undefined) {
    const anchor = p.insertafter !== undefined && p.insertafter !== 'EOF' ? p.insertafter : p.insertbefore !== undefined && p.insertbefore !== 'BOF' ? p.insertbefore : undefined;
    if (anchor !== undefined) {
      const pattern = new RegExp(anchor);
      let found: number | undefined;
      lines.forEach((line, index) => {
        if (pattern.test(line)) found = index;
      });
      at = found === undefined ? lines.length : p.insertafter !== undefined ? found + 1 : found;
    } else {
      at = p.insertbefore === 'BOF' ? 0 : lines.length;
    }
  } else if (first < last) {
    lines.splice(first, last - first + 1);
    at = first;
  } else {
    lines.splice(last, first - last + 1);
    at = last;
  }
  if (blockLines.length > 0 && at > 0) {
    const previous = lines[at - 1];
    if (previous !== undefined && !previous.endsWith('\n')) lines[at - 1] = `${previous}\n`;
  }
  lines.splice(at, 0, ...blockLines);
  return lines.join('');
}

/** Compare the file with the wanted block and plan the write. */
export function planBlockinfile(p: Params, facts: LineinfileFacts): Plan {
  if (facts.content.kind === 'not-a-file') return { steps: [], failure: `${p.path} is not a regular file` };
  if (facts.content.kind === 'absent') {
    if (p.state === 'absent' || p.block === '') return { steps: [{ kind: 'noop', reason: `${p.path} does not exist` }] };
    if (!p.create) return { steps: [], failure: `Path ${p.path} does not exist! Set create: true to create it.` };
  }
  const before = facts.content.kind === 'file' ? facts.content.content : undefined;
  if (before !== undefined && !isText(before)) return { steps: [], failure: `${p.path} is not a UTF-8 text file` };
  const after = applyBlock(before?.toString('utf8') ?? '', p);
  const removing = p.state === 'absent' || p.block === '';
  const current = { stat: facts.stat, sha256: before === undefined ? undefined : sha256(before), content: before };
  const steps = planFileWrite(p.path, current, Buffer.from(after, 'utf8'), p, `${p.path}: ${removing ? 'remove' : 'write'} block ${p.marker.replaceAll('{mark}', '…')}`);
  // Ansible's msg: what happened to the block, then whether attributes changed.
  const said = before?.toString('utf8') === after ? '' : before === undefined ? 'File created' : removing ? 'Block removed' : 'Block inserted';
  const attributes = steps.some((step) => step.kind === 'change' && step.diff?.header.endsWith('(file attributes)') === true);
  return { steps, values: { msg: attributes ? `${said}${said === '' ? '' : ' and '}ownership, perms or SE linux context changed` : said } };
}

export default defineModule({
  name: 'blockinfile',
  summary: 'Insert, replace or remove a block of lines between marker lines in a text file',
  description:
    "Ansible's blockinfile: the lines between the begin and end markers are replaced as a whole; without " +
    'markers in the file the block goes after insertafter (default EOF) or before insertbefore. An empty ' +
    'block or state absent removes the block and its markers. Bytes outside the markers are kept exactly; ' +
    'the file is written atomically only when its bytes change. Differences from Ansible: JavaScript ' +
    'regular expressions; no append_newline or prepend_newline. backup and validate as in lineinfile; registers msg ' +
    "and backup_file.",
  params,
  example: `- name: The bhyve jail's devfs ruleset
  blockinfile:
    path: /etc/devfs.rules
    create: true
    marker: "# {mark} beastie bhyve ruleset"
    block: |
      [devfsrules_bhyve=25]
      add include $devfsrules_jail_vnet
      add path vmm unhide`,
  needs: (p) => [fileContentFact(p.path), fileStatFact(p.path)],
  async observe(host, p) {
    const [content, stat] = await host.facts(fileContentFact(p.path), fileStatFact(p.path));
    return { content, stat };
  },
  plan({ params: p, facts }) {
    return planBlockinfile(p, facts);
  },
  register({ results }) {
    const backup = backupFileOf(results);
    return backup === undefined ? {} : { backup_file: backup };
  },
});
