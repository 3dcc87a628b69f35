// ini_file: one option of one section of an INI file (community.general.ini_file), present with
// its value(s) or absent, or a whole section absent. The edit is community.general's do_ini line
// for line (plugins/modules/ini_file.py, community.general at ade4f3e), as a pure function of the
// file's text; the file is written atomically only when the text changes.
import { z } from 'zod';
import { fileContentFact, type FileContent } from '../src/facts/file-content.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan } from '../src/module-api/module.js';
import { registerBackup } from './copy.js';
import { isText, sha256 } from './support/diff-text.js';
import { fileAttributeParams } from './support/file-attributes.js';
import { planFileWrite } from './support/file-write.js';
import { writeSafetyParams } from './support/write-safety.js';

const condition = z
  .strictObject({ option: z.string(), value: z.string().optional(), values: z.array(z.string()).optional() })
  .refine((c) => c.value === undefined || c.values === undefined, 'value and values are mutually exclusive');

const params = withAliases(
  {
    path: z.string().min(1).describe('The INI file.'),
    section: z.string().optional().describe('The section; unset for options before the first section (global options).'),
    section_has_values: z.array(condition).optional().describe('Only a section of that name where these options have these values (several sections of one name).'),
    option: z.string().optional().describe('The option; unset with state=absent removes the whole section.'),
    value: z.string().optional().describe('The value of option.'),
    values: z.array(z.string()).optional().describe('Several values of option, one line each.'),
    state: z.enum(['present', 'absent']).default('present'),
    exclusive: z.boolean().default(true).describe('Other lines of the option are removed (present) or all of them are (absent).'),
    no_extra_spaces: z.boolean().default(false).describe('Write option=value instead of option = value.'),
    ignore_spaces: z.boolean().default(false).describe('A line whose value is already right is left alone whatever its spacing.'),
    allow_no_value: z.boolean().default(false).describe('An option without a value (a bare `option` line).'),
    modify_inactive_option: z.boolean().default(true).describe('A commented-out line of the option (# or ;) is replaced by the active one.'),
    create: z.boolean().default(true).describe('Create the file when missing; false fails instead.'),
    follow: z.boolean().default(false).describe('Edit the target of a symbolic link at path.'),
    ...fileAttributeParams,
    backup: writeSafetyParams.backup,
  },
  { path: ['dest'] },
).superRefine((p, context) => {
  if (p.value !== undefined && p.values !== undefined) context.addIssue({ code: 'custom', message: 'parameters are mutually exclusive: value|values' });
});

type Params = z.output<typeof params>;

const FAKE_SECTION = 'ad01e11446efb704fcdbdb21f2c43757423d91c5';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** A line of `option`, commented out or not (Python's re.match: anchored at the start only; `$` before the newline). */
function matchOpt(option: string, line: string): RegExpExecArray | null {
  return new RegExp(`^(?: |\\t)*(?<comment>[#;]?)(?: |\\t)*${escape(option)}(?: |\\t)*(?<sep>=|(?=\\n?$))(?: |\\t)*(?<value>.*)`).exec(line);
}

/** An active line of `option`. */
function matchActiveOpt(option: string, line: string): RegExpExecArray | null {
  return new RegExp(`^(?: |\\t)*(?<comment>)${escape(option)}(?: |\\t)*(?<sep>=|(?=\\n?$))(?: |\\t)*(?<value>.*)`).exec(line);
}

const group = (match: RegExpExecArray | null, name: string): string => match?.groups?.[name] ?? '';

interface Condition {
  readonly option: string;
  readonly values: readonly string[];
}

function sectionHasValues(conditions: readonly Condition[] | undefined, lines: readonly string[]): boolean {
  if (conditions === undefined) return true;
  return conditions.every((c) =>
    lines.some((line) => {
      const match = matchOpt(c.option, line);
      return match !== null && (c.values.length === 0 || c.values.includes(group(match, 'value')));
    }),
  );
}

/** The new text, whether it changed, and Ansible's msg. */
export function editIni(text: string, p: Params): { text: string; changed: boolean; msg: string } {
  const state = { changed: false, msg: 'OK' };
  let values = [...new Set(p.value !== undefined ? [p.value] : (p.values ?? []))];
  const conditions = p.section_has_values?.map((c): Condition => ({ option: c.option, values: c.value !== undefined ? [c.value] : (c.values ?? []) }));
  // readlines(): every line keeps its newline.
  const lines: string[] = [...(text.match(/[^\n]*\n|[^\n]+$/g) ?? [])];
  if (lines.length === 0) lines.push('\n');
  const last = lines.length - 1;
  if (!(lines[last] ?? '').endsWith('\n')) {
    lines[last] += '\n';
    state.changed = true;
  }
  lines.unshift(`[${FAKE_SECTION}]`);
  lines.push('[');
  const section = p.section === undefined || p.section === '' ? FAKE_SECTION : p.section;
  const option = p.option;
  const sep = p.no_extra_spaces ? '=' : ' = ';
  let optionNoValuePresent = false;
  const blankOrComment = /^[ \t]*([#;].*)?\n?$/;
  const sectionPattern = new RegExp(`^\\[\\s*${escape(section.trim())}\\s*]`);
  let within = false;
  let start = 0;
  let end = 0;
  for (const [index, line] of lines.entries()) {
    if (within && line.startsWith('[')) {
      if (sectionHasValues(conditions, lines.slice(start, index))) {
        end = index;
        break;
      }
      within = false;
      start = end = 0;
    }
    if (sectionPattern.test(line)) {
      within = true;
      start = index;
    }
  }
  const before = lines.slice(0, start);
  let sectionLines = lines.slice(start, end);
  const after = lines.slice(end);
  const changedLines = sectionLines.map(() => false);
  const match = p.modify_inactive_option ? matchOpt : matchActiveOpt;
  const update = (index: number, newline: string): void => {
    let optionChanged: boolean | undefined;
    if (p.ignore_spaces && option !== undefined) {
      const old = matchOpt(option, sectionLines[index] ?? '');
      if (group(old, 'comment') === '') optionChanged = group(old, 'value') !== group(matchOpt(option, newline), 'value');
    }
    optionChanged ??= sectionLines[index] !== newline;
    if (optionChanged) {
      sectionLines[index] = newline;
      state.changed = true;
      state.msg = 'option changed';
    }
    changedLines[index] = true;
  };

  if (p.state === 'present' && option !== undefined && option !== '') {
    for (const [index, line] of sectionLines.entries()) {
      const found = match(option, line);
      if (found === null) continue;
      const value = group(found, 'value');
      if (values.length > 0 && values.includes(value)) {
        if (value === '' && p.allow_no_value) {
          update(index, `${option}\n`);
          optionNoValuePresent = true;
        } else update(index, `${option}${sep}${value}\n`);
        values.splice(values.indexOf(value), 1);
      } else if (values.length === 0 && p.allow_no_value) {
        update(index, `${option}\n`);
        optionNoValuePresent = true;
        break;
      }
    }
  }
  if (p.state === 'present' && p.exclusive && !p.allow_no_value && option !== undefined) {
    // A comment that only names the option ("; output_buffering") is no line of it.
    const optionLine = (index: number) => {
      const found = changedLines[index] === true ? null : match(option, sectionLines[index] ?? '');
      return found !== null && !(group(found, 'comment') !== '' && group(found, 'sep') === '');
    };
    if (values.length > 0) {
      for (let index = 0; index < sectionLines.length; index++) {
        if (!optionLine(index)) continue;
        update(index, `${option}${sep}${values.shift() ?? ''}\n`);
        if (values.length === 0) break;
      }
    }
    for (let index = sectionLines.length - 1; index > 0; index--) {
      if (!optionLine(index)) continue;
      sectionLines.splice(index, 1);
      changedLines.splice(index, 1);
      state.changed = true;
      state.msg = 'option changed';
    }
  }
  if (p.state === 'present') {
    for (let index = sectionLines.length; index > 0; index--) {
      if (blankOrComment.test(sectionLines[index - 1] ?? '')) continue;
      if (option !== undefined && option !== '' && values.length > 0) {
        sectionLines.splice(index, 0, ...values.map((value) => `${option}${sep}${value}\n`));
        state.msg = 'option added';
        state.changed = true;
      } else if (option !== undefined && option !== '' && values.length === 0 && p.allow_no_value && !optionNoValuePresent) {
        sectionLines.splice(index, 0, `${option}\n`);
        state.msg = 'option added';
        state.changed = true;
      }
      break;
    }
  }
  if (p.state === 'absent') {
    if (option !== undefined && option !== '') {
      const kept = p.exclusive
        ? sectionLines.filter((line) => matchActiveOpt(option, line) === null)
        : values.length > 0
          ? sectionLines.filter((line) => {
              const found = matchActiveOpt(option, line);
              return !(found !== null && values.includes(group(found, 'value')));
            })
          : sectionLines;
      if (kept.length !== sectionLines.length) {
        state.changed = true;
        state.msg = 'option changed';
        sectionLines = kept;
      }
    } else if (sectionLines.length > 0) {
      sectionLines = [];
      state.msg = 'section removed';
      state.changed = true;
    }
  }
  const out = [...before, ...sectionLines, ...after].slice(1, -1);
  if (!within && p.state === 'present') {
    out.push(`[${section}]\n`);
    state.msg = 'section and option added';
    for (const c of conditions ?? []) {
      if (c.option !== option) {
        if (c.values.length > 0) out.push(...c.values.map((value) => `${c.option}${sep}${value}\n`));
        else if (p.allow_no_value) out.push(`${c.option}\n`);
      } else if (!p.exclusive) {
        values = [...values, ...c.values.filter((value) => !values.includes(value))];
      }
    }
    if (option !== undefined && option !== '' && values.length > 0) out.push(...values.map((value) => `${option}${sep}${value}\n`));
    else if (option !== undefined && option !== '' && p.allow_no_value) out.push(`${option}\n`);
    else state.msg = 'only section added';
    state.changed = true;
  }
  return { text: out.join(''), changed: state.changed, msg: state.msg };
}

/** What ini_file reads: the file's bytes and attributes. */
export interface IniFacts {
  readonly content: FileContent;
  readonly stat: FileStat | undefined;
}

/** Edit the text, then plan the atomic write (or only the attribute changes). */
export function planIniFile(p: Params, facts: IniFacts): Plan {
  const values = { path: p.path };
  if (p.state === 'present' && !p.allow_no_value && p.value === undefined && (p.values ?? []).length === 0) {
    return { steps: [], failure: "Parameter 'value(s)' must be defined if state=present and allow_no_value=False.", values };
  }
  if (p.follow && facts.stat?.type === 'link') {
    return { steps: [], failure: `${p.path} is a symbolic link and beastie's ini_file does not follow links yet: give its target as path`, values };
  }
  if (facts.content.kind === 'not-a-file') return { steps: [], failure: `${p.path} is not a regular file`, values };
  if (facts.content.kind === 'absent' && !p.create) return { steps: [], failure: `Destination ${p.path} does not exist!`, values: { ...values, rc: 257 } };
  const current = facts.content.kind === 'file' ? facts.content.content : undefined;
  if (current !== undefined && !isText(current)) return { steps: [], failure: `${p.path} is not a UTF-8 text file`, values };
  // encoding="utf-8-sig": a byte order mark is read past, and not written back.
  const text = current === undefined ? '' : current.toString('utf8').replace(/^\uFEFF/, '');
  const edit = editIni(text, p);
  const after = edit.changed ? Buffer.from(edit.text, 'utf8') : (current ?? Buffer.alloc(0));
  const file = { stat: facts.stat, sha256: current === undefined ? undefined : sha256(current), content: current };
  if (!edit.changed && current === undefined) return { steps: [{ kind: 'noop', reason: `${p.path}: nothing to do (${edit.msg})` }], values: { ...values, msg: edit.msg } };
  return { steps: planFileWrite(p.path, file, after, p, `${p.path}: ${edit.msg}`), values: { ...values, msg: edit.msg } };
}

export default defineModule({
  name: 'ini_file',
  summary: 'Set or remove an option of a section of an INI file',
  description:
    "community.general.ini_file, edited line for line as its do_ini does: a present option replaces the section's " +
    'line of it (a commented-out one too, unless modify_inactive_option is false) or is added after the last ' +
    'non-blank line of the section; the section is appended when missing; exclusive removes other lines of the ' +
    'option; values writes one line per value; absent removes the option (or, without option, the section). ' +
    'Registers msg (OK, option changed, option added, section and option added, only section added, section removed), ' +
    'path and backup_file. Written atomically only when the text changes; mode, owner and group as in copy. ' +
    'Differences from Ansible: follow: true on a symbolic link fails (give the target as path); no attributes, ' +
    'selevel/serole/setype/seuser or unsafe_writes.',
  params,
  example: `- name: PHP keeps sessions in /var/tmp
  ini_file:
    path: /usr/local/etc/php.ini
    section: Session
    option: session.save_path
    value: /var/tmp`,
  needs: (p) => [fileContentFact(p.path), fileStatFact(p.path)],
  async observe(host, p) {
    const [content, stat] = await host.facts(fileContentFact(p.path), fileStatFact(p.path));
    return { content, stat };
  },
  plan({ params: p, facts }) {
    return planIniFile(p, facts);
  },
  register({ results }) {
    return registerBackup(results);
  },
});
