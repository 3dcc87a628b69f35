// /etc/devfs.rules as sections: `[name=NUMBER]` headers followed by `devfs rule` lines
// (docs/freebsd/devfs.md). Edits replace one section's rules and leave every other byte alone.
import { InvalidInputError } from '../errors.js';

/** One `[name=number]` section: where it sits in the file and the rules it holds. */
export interface DevfsRuleset {
  readonly name: string;
  readonly number: number;
  /** Rule lines as written (comments and blank lines inside the section excluded). */
  readonly rules: readonly string[];
  /** Index of the header line. */
  readonly headerLine: number;
  /** Index one past the section's last rule line (its trailing blank and comment lines are not its own). */
  readonly endLine: number;
}

const header = /^\s*\[([^=\]\s]+)\s*=\s*(\d+)\s*\]\s*(#.*)?$/;

const isRuleLine = (line: string): boolean => line.trim() !== '' && !line.trim().startsWith('#');

/** Every ruleset section of a devfs.rules text, in file order. */
export function parseDevfsRules(text: string): DevfsRuleset[] {
  const lines = text.split('\n');
  const sections: DevfsRuleset[] = [];
  lines.forEach((line, index) => {
    const match = header.exec(line);
    if (!match) return;
    let end = index + 1;
    let lastRule = index + 1;
    const rules: string[] = [];
    while (end < lines.length && !header.test(lines[end] ?? '')) {
      const candidate = lines[end] ?? '';
      if (isRuleLine(candidate)) {
        rules.push(candidate.trim());
        lastRule = end + 1;
      }
      end++;
    }
    sections.push({ name: match[1] ?? '', number: Number(match[2]), rules, headerLine: index, endLine: lastRule });
  });
  return sections;
}

/**
 * Why a rule line cannot go into devfs.rules, or undefined when it can. rc.subr's
 * devfs_rulesets_from_file hands every line that is not a `[name=N]` header to `eval` as
 * `devfs rule -s N LINE` (as root, at boot and at every `service devfs restart`), so a line may
 * hold words, `$name` references to other rulesets and quoted globs such as 'tap*', and nothing sh
 * would take as a command boundary, a substitution or a redirection; a line starting with `[`
 * would open a ruleset of its own. docs/config-injection.md.
 */
export function devfsRuleProblem(rule: string): string | undefined {
  if (/[\n\r]/.test(rule)) return 'a rule is one line: it contains a line break, which would start another rule or ruleset';
  if (/^\s*\[/.test(rule)) return 'a rule cannot start with `[`, which devfs.rules reads as a new [name=number] ruleset';
  const bad = /[;&|`<>()\\#]|\$(?![A-Za-z_]|\{[A-Za-z_][A-Za-z0-9_]*\})/.exec(rule);
  if (bad !== null) return `the rule contains \`${bad[0]}\`, which /bin/sh would run or redirect when rc.subr evals the line as root; a rule holds words, $ruleset references and quoted globs only`;
  const unquoted = rule.replace(/'[^']*'|"[^"$`\\]*"/g, '');
  if (/['"]/.test(unquoted)) return 'the rule has an unbalanced quote, which would join it with the lines after it when rc.subr evals it';
  return undefined;
}

/** The text of a section as beastie writes it. */
export function renderDevfsRuleset(name: string, number: number, rules: readonly string[]): string {
  for (const rule of rules) {
    const problem = devfsRuleProblem(rule);
    if (problem !== undefined) throw new InvalidInputError(`devfs rule ${JSON.stringify(rule)}: ${problem}`);
  }
  return [`[${name}=${number}]`, ...rules].join('\n');
}

/**
 * The file with the section `name` set to `rules` (replaced in place, or appended after a blank
 * line), or removed when `rules` is undefined. Other sections, comments and blank lines stay.
 */
export function setDevfsRuleset(text: string, name: string, number: number, rules: readonly string[] | undefined): string {
  const lines = text === '' ? [] : text.split('\n');
  const existing = parseDevfsRules(text).find((section) => section.name === name);
  if (existing) {
    const replacement = rules === undefined ? [] : renderDevfsRuleset(name, number, rules).split('\n');
    lines.splice(existing.headerLine, existing.endLine - existing.headerLine, ...replacement);
    if (rules === undefined && lines[existing.headerLine] === '' && (existing.headerLine === 0 || lines[existing.headerLine - 1] === '')) {
      // Removing a section leaves its separating blank line behind; drop one so blank lines do not pile up.
      lines.splice(existing.headerLine, 1);
    }
    return lines.join('\n');
  }
  if (rules === undefined) return text;
  const section = `${renderDevfsRuleset(name, number, rules)}\n`;
  if (text === '') return section;
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${body}${body.endsWith('\n\n') ? '' : '\n'}${section}`;
}
