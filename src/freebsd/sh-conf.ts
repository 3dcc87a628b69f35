// sh-style `key="value"` files: rc.conf, /boot/loader.conf, vm-bhyve's system.conf and guest
// NAME.conf. Read as vm-bhyve reads them (docs/freebsd/vm-bhyve.md: lines starting with a letter, text
// after # dropped, quotes removed, FIRST match wins); edits keep every other line as it was.
import { InvalidInputError } from '../errors.js';

/**
 * Why `value` cannot be written as `key="value"`, or undefined when it can. rc.conf and
 * loader.conf are read by /bin/sh (rc.conf is sourced as root at boot and by every `sysrc -n`),
 * and inside double quotes sh still expands `$…`, runs `` `…` `` and ends the string at `"`;
 * FreeBSD's sysrc writes `name="value"` exactly as given (docs/config-injection.md), and a
 * backslash is taken differently by each `echo`, so none of these can be escaped on the way:
 * they are refused.
 */
export function shConfValueProblem(value: string): string | undefined {
  const bad = /["$`\\\n\r]/.exec(value);
  if (bad === null) return undefined;
  const what = bad[0] === '\n' || bad[0] === '\r' ? 'a line break' : `\`${bad[0]}\``;
  return `the value contains ${what}, which /bin/sh would run or end the string at when it reads the file (rc.conf is sourced as root at boot); write the value without " $ \` \\ or line breaks`;
}

/** One `key=value` assignment line. */
export interface ShAssignment {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

const assignmentLine = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function parseValue(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith('"')) {
    const end = trimmed.indexOf('"', 1);
    return end < 0 ? trimmed.slice(1) : trimmed.slice(1, end);
  }
  if (trimmed.startsWith("'")) {
    const end = trimmed.indexOf("'", 1);
    return end < 0 ? trimmed.slice(1) : trimmed.slice(1, end);
  }
  const hash = trimmed.indexOf('#');
  return (hash < 0 ? trimmed : trimmed.slice(0, hash)).trim();
}

/** Every assignment in file order (comments and other lines skipped). */
export function parseShConf(text: string): ShAssignment[] {
  const found: ShAssignment[] = [];
  text.split('\n').forEach((line, index) => {
    const match = assignmentLine.exec(line.trimStart());
    if (match) found.push({ key: match[1] ?? '', value: parseValue(match[2] ?? ''), line: index });
  });
  return found;
}

/** key → value, the first assignment of a key winning, as vm-bhyve's config::load does. */
export function shConfValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const { key, value } of parseShConf(text)) if (!values.has(key)) values.set(key, value);
  return values;
}

/**
 * The text with `changes` applied: a key set to a string is rewritten on its first line (later
 * duplicates removed) or appended as `key="value"`; a key set to undefined is removed everywhere.
 * An unchanged value keeps its line as written (quotes and all).
 */
export function setShConf(text: string, changes: Readonly<Record<string, string | undefined>>): string {
  const assignments = parseShConf(text);
  const lines = text === '' ? [] : text.split('\n');
  const trailingNewline = text === '' || text.endsWith('\n');
  if (trailingNewline && lines.length > 0) lines.pop();
  const replace = new Map<number, string | undefined>();
  const append: string[] = [];
  for (const [key, value] of Object.entries(changes)) {
    const problem = value === undefined ? undefined : shConfValueProblem(value);
    if (problem !== undefined) throw new InvalidInputError(`${key}: ${problem}`);
    const mine = assignments.filter((a) => a.key === key);
    if (value === undefined) {
      mine.forEach((a) => replace.set(a.line, undefined));
      continue;
    }
    const first = mine[0];
    if (first === undefined) append.push(`${key}="${value}"`);
    else {
      replace.set(first.line, first.value === value ? (lines[first.line] ?? '') : `${key}="${value}"`);
      mine.slice(1).forEach((a) => replace.set(a.line, undefined));
    }
  }
  const out = lines.flatMap((line, index) => {
    if (!replace.has(index)) return [line];
    const replacement = replace.get(index);
    return replacement === undefined ? [] : [replacement];
  });
  out.push(...append);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
