// Renders a batch of templates with ansible-core's own Templar (ansible-render.py, one python
// process for the whole batch) and the same batch with beastie, so a test can compare them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderTemplate } from '../../src/jinja/template.js';
import { pyStr, toPlain } from '../../src/jinja/values.js';
import { lazyVars } from '../../src/runner/lazy-vars.js';
import { handlebarsTemplates } from '../../src/runner/templates.js';
import { templateEnvironment, type TemplateEnvironmentParams } from '../../src/template/template-environment.js';
import { withJinjaWarnings } from '../../src/jinja/warnings.js';

/** One template and its variables; `file` renders as the template module does. */
export interface Case {
  readonly template: string;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly mode?: 'value' | 'file';
  /** `file` mode: the template module's Jinja2 arguments (trim_blocks, newline_sequence, …), by Ansible's names. */
  readonly environment?: TemplateEnvironmentParams;
  /** Also compare the warnings the render printed (display.warning in Ansible, src/jinja/warnings.ts in beastie). */
  readonly warnings?: boolean;
}

/** What a renderer produced: a value (with Python's type name for Ansible's) or an error message. */
export type Outcome = ({ readonly ok: true; readonly value: unknown; readonly type?: string } | { readonly ok: false; readonly error: string }) & { readonly warnings?: readonly string[] };

const driver = fileURLToPath(new URL('./ansible-render.py', import.meta.url));

/** Ansible's outcomes for `cases`, in order. Throws when ansible-core is not installed. */
export function renderWithAnsible(cases: readonly Case[]): Outcome[] {
  const result = spawnSync('/usr/bin/python3', [driver], { input: JSON.stringify({ cases }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`ansible-render.py failed (is ansible-core installed? scripts/setup-test-deps.sh installs it): ${result.stderr}`);
  return JSON.parse(result.stdout) as Outcome[];
}

/** beastie's outcome for one case. */
export function renderWithBeastie(item: Case, searchDirs: readonly string[] = []): Outcome {
  if (item.warnings === true) {
    const warned: string[] = [];
    const outcome = withJinjaWarnings((message) => warned.push(message), () => renderWithBeastie({ ...item, warnings: false }, searchDirs));
    return { ...outcome, warnings: warned };
  }
  try {
    const environment = item.environment === undefined ? undefined : templateEnvironment(item.environment);
    // Variables whose values are templates render when read, as the runner's do and Templar's do.
    const vars = lazyVars({ ...item.vars }, handlebarsTemplates(), { file: 'vars', line: 1, column: 1 });
    const value = renderTemplate(item.template, vars, { name: 'case', searchDirs, mode: item.mode === 'file' ? 'text' : 'value', ...(environment === undefined ? {} : { environment }) });
    return { ok: true, value: toPlain(value) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * Whether beastie agrees with Ansible: the same text; the same list, mapping or boolean where
 * Ansible made one; a number where Ansible printed that number (beastie keeps a whole value's
 * type); a failure where Ansible failed — with Ansible's own message for an undefined value
 * (other messages are Python's exception texts, which beastie words its own way). A case asking
 * for warnings also needs the same warnings, in order.
 */
export function agrees(ansible: Outcome, beastie: Outcome): boolean {
  if (ansible.warnings !== undefined && JSON.stringify(ansible.warnings) !== JSON.stringify(beastie.warnings)) return false;
  if (!ansible.ok) {
    if (beastie.ok) return false;
    const undefinedMessage = /^('[^']*' is undefined|'[^']*' has no attribute '[^']*'|\S+ object has no element (?:\d+|'[^']*'))/.exec(ansible.error);
    return undefinedMessage === null || beastie.error.startsWith(undefinedMessage[1] ?? '');
  }
  if (!beastie.ok) return false;
  // A set (a whole value Ansible left a set): the same items, in any order — CPython's set order of
  // text is hash-randomised per process, so no order is defined to compare.
  if (ansible.type === 'set' || ansible.type === 'frozenset') return Array.isArray(beastie.value) && sameItems(beastie.value, ansible.value as unknown[]);
  if (ansible.type === 'str') return typeof beastie.value === 'string' ? beastie.value === ansible.value : pyStr(beastie.value) === ansible.value;
  return JSON.stringify(beastie.value) === JSON.stringify(ansible.value);
}

/** Whether two lists hold the same items, counted, in any order. */
function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  const key = (items: readonly unknown[]) => items.map((item) => JSON.stringify(item)).sort();
  return a.length === b.length && JSON.stringify(key(a)) === JSON.stringify(key(b));
}

/** The cases where beastie and Ansible disagree (the differential tests expect none), with both outcomes. */
export function differences(cases: readonly Case[], ansible: readonly Outcome[]): { template: string; ansible: Outcome | undefined; beastie: Outcome }[] {
  return cases
    .map((item, i) => ({ template: item.template, ansible: ansible[i], beastie: renderWithBeastie(item) }))
    .filter(({ ansible: reference, beastie }) => reference === undefined || !agrees(reference, beastie));
}
