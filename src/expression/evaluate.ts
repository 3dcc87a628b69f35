// Evaluates `when` / `until` / `changed_when` / `failed_when` / `assert that` expressions with the
// Jinja engine (src/jinja/), as Ansible's Templar evaluates a conditional: Python truthiness, an
// undefined variable fails when used ("'x' is undefined") except under `is defined` and
// `| default(...)`.
import { InvalidInputError } from '../errors.js';
import { evaluateJinja, JinjaError } from '../jinja/template.js';
import { truthy } from '../jinja/values.js';
import { formatSourceRef, type SourceRef } from '../source.js';
import { parseExpression, unwrapCondition } from './parse.js';

/** Where an expression was written and what it is for, so its errors point at the playbook. */
export interface ExpressionContext {
  readonly source: SourceRef;
  /** `when`, `until`, `changed_when`, `failed_when`, `template`. */
  readonly keyword: string;
  /** Directories lookups search (role dirs first, then the playbook's). */
  readonly searchDirs?: readonly string[];
}

/** A value, with warnings the caller should show (a `{{ }}` wrapper). */
export interface Evaluated<T> {
  readonly value: T;
  readonly warnings: readonly string[];
}

/** The fix for an undefined variable, in Jinja's words. */
export function undefinedFix(name: string): string {
  return `define '${name}' (play vars, inventory, -e), or guard it: '${name} is defined' or '${name} | default(...)'`;
}

/** The value of an expression over `vars`; errors are InvalidInputErrors pointing at the source. */
export function evaluateExpression(text: string, vars: Readonly<Record<string, unknown>>, context: ExpressionContext): Evaluated<unknown> {
  const where = () => `in ${context.keyword} expression '${text}' at ${formatSourceRef(context.source)}`;
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new InvalidInputError(`${parsed.message} ${where()}`, { source: context.source, ...(parsed.fix === undefined ? {} : { fix: parsed.fix }) });
  try {
    const value = evaluateJinja(unwrapCondition(text).expression, vars, { name: formatSourceRef(context.source), searchDirs: context.searchDirs ?? [] });
    return { value, warnings: parsed.warnings };
  } catch (error) {
    if (error instanceof JinjaError) {
      const fix = error.undefinedName !== undefined ? undefinedFix(error.undefinedName) : error.fix;
      throw new InvalidInputError(`${error.message} ${where()}`, { source: context.source, ...(fix === undefined ? {} : { fix }), cause: error });
    }
    throw error;
  }
}

/** Whether a condition holds (Python truthiness of its value). */
export function evaluateCondition(text: string, vars: Readonly<Record<string, unknown>>, context: ExpressionContext): Evaluated<boolean> {
  const { value, warnings } = evaluateExpression(text, vars, context);
  return { value: truthy(value), warnings };
}

/** Whether every condition of a list holds (`when: [a, b]` is `a and b`); stops at the first false. */
export function evaluateConditions(texts: readonly string[], vars: Readonly<Record<string, unknown>>, context: ExpressionContext): Evaluated<boolean> {
  const warnings: string[] = [];
  for (const text of texts) {
    const result = evaluateCondition(text, vars, context);
    warnings.push(...result.warnings);
    if (!result.value) return { value: false, warnings };
  }
  return { value: true, warnings };
}
