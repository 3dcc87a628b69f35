// when/until/changed_when/failed_when: each a list of expressions ANDed, evaluated by the
// expression language with Python-like truthiness.
import type { SourceRef } from '../source.js';
import type { Expressions, Vars } from './services.js';

/** Python's truthiness, which Ansible conditionals follow. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length > 0;
  return true;
}

/** Whether every expression holds; the first false one is returned for the skip reason. */
export function allHold(
  expressions: readonly string[],
  vars: Vars,
  evaluator: Expressions,
  source: SourceRef,
  keyword: 'when' | 'until' | 'changed_when' | 'failed_when',
  warn: (message: string) => void,
): { readonly holds: true } | { readonly holds: false; readonly falseCondition: string } {
  for (const expression of expressions) {
    const { value, warnings } = evaluator.evaluate(expression, vars, source, keyword);
    for (const warning of warnings) warn(warning);
    if (!truthy(value)) return { holds: false, falseCondition: expression };
  }
  return { holds: true };
}
