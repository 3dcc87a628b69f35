// Evaluates the expression language over a host's variables, with Python/Jinja semantics.
// An undefined variable is an error naming it and where the expression was written, except under
// `is defined`/`is undefined` and the `default` filter, which exist to look at it.
import { InvalidInputError } from '../errors.js';
import { formatSourceRef, type SourceRef } from '../source.js';
import type { BinaryOperator, ExpressionNode } from './ast.js';
import { applyFilter, pythonString, undefinedTolerantFilters } from './filters.js';
import { applyTest, undefinedTolerantTests } from './jinja-tests.js';
import { callMethod } from './methods.js';
import { parseExpression } from './parse.js';
import { ExpressionProblem } from './problem.js';
import { deepEqual, describeValue, isMapping, OMIT, truthy, Undefined } from './values.js';

/** Where an expression was written and what it is for, so its errors point at the playbook. */
export interface ExpressionContext {
  readonly source: SourceRef;
  /** `when`, `until`, `changed_when`, `failed_when`, `template`. */
  readonly keyword: string;
}

/** A value, with warnings the caller should show (a `{{ }}` wrapper). */
export interface Evaluated<T> {
  readonly value: T;
  readonly warnings: readonly string[];
}

function member(object: unknown, property: unknown, path: string): unknown {
  if (object instanceof Undefined) return new Undefined(path);
  if (Array.isArray(object) || typeof object === 'string') {
    if (typeof property !== 'number' || !Number.isInteger(property)) {
      if (typeof property === 'string') return new Undefined(path);
      throw new ExpressionProblem(`a ${Array.isArray(object) ? 'list' : 'string'} index must be an integer, got ${describeValue(property)}`);
    }
    const item = property < 0 ? object.at(property) : object[property];
    return item === undefined ? new Undefined(path) : item;
  }
  if (isMapping(object)) {
    const key = typeof property === 'number' ? String(property) : property;
    if (typeof key !== 'string') throw new ExpressionProblem(`a mapping key must be a string, got ${describeValue(property)}`);
    // Own keys only: nothing reaches prototypes or JavaScript built-ins.
    return Object.hasOwn(object, key) ? object[key] : new Undefined(path);
  }
  return new Undefined(path);
}

function pathOf(node: ExpressionNode): string {
  switch (node.kind) {
    case 'name':
      return node.name;
    case 'member':
      return typeof node.property === 'string'
        ? `${pathOf(node.object)}.${node.property}`
        : `${pathOf(node.object)}[${node.property.kind === 'literal' ? JSON.stringify(node.property.value) : '…'}]`;
    default:
      return '(value)';
  }
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) {
    const fix = typeof left === 'string' || typeof right === 'string' ? 'convert with | int (registered stdout is a string)' : undefined;
    throw new ExpressionProblem(`cannot compare ${describeValue(left)} ${operator} ${describeValue(right)}`, fix);
  }
  const l = left as number | string;
  const r = right as number | string;
  switch (operator) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    case '>=':
      return l >= r;
  }
}

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new ExpressionProblem(`'in' a string needs a string on the left, got ${describeValue(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((element) => deepEqual(element, item));
  if (isMapping(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  throw new ExpressionProblem(`'in' needs a string, list or mapping on the right, got ${describeValue(container)}`);
}

function arithmetic(operator: '+' | '-' | '*' | '/' | '%', left: unknown, right: unknown): unknown {
  if (operator === '+') {
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
  }
  if (typeof left !== 'number' || typeof right !== 'number') {
    throw new ExpressionProblem(`cannot compute ${describeValue(left)} ${operator} ${describeValue(right)}`, 'convert with | int');
  }
  if ((operator === '/' || operator === '%') && right === 0) throw new ExpressionProblem('division by zero');
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    case '%':
      return ((left % right) + right) % right;
  }
}

/** Evaluates one parsed tree; `raw` may return Undefined, `value` may not. */
class Evaluator {
  constructor(private readonly vars: Readonly<Record<string, unknown>>) {}

  value(node: ExpressionNode): unknown {
    const result = this.raw(node);
    if (result instanceof Undefined) {
      throw new ExpressionProblem(`undefined variable '${result.name}'`, `define it, or guard with '${result.name} is defined' or '| default(...)'`);
    }
    return result;
  }

  raw(node: ExpressionNode): unknown {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'list':
        return node.items.map((item) => this.value(item));
      case 'name':
        if (Object.hasOwn(this.vars, node.name)) return this.vars[node.name];
        return node.name === 'omit' ? OMIT : new Undefined(node.name);
      case 'member': {
        const object = this.raw(node.object);
        const property = typeof node.property === 'string' ? node.property : this.value(node.property);
        if (object === null) throw new ExpressionProblem(`'${pathOf(node.object)}' is none, so it has no '${String(property)}'`);
        return member(object, property, pathOf(node));
      }
      case 'not':
        return !truthy(this.value(node.operand));
      case 'negate': {
        const operand = this.value(node.operand);
        if (typeof operand !== 'number') throw new ExpressionProblem(`cannot negate ${describeValue(operand)}`);
        return -operand;
      }
      case 'binary':
        return this.binary(node.operator, node.left, node.right);
      case 'test': {
        const subject = undefinedTolerantTests.has(node.test) ? this.raw(node.subject) : this.value(node.subject);
        return applyTest(node.test, subject, node.args.map((arg) => this.value(arg))) !== node.negated;
      }
      case 'filter': {
        const subject = undefinedTolerantFilters.has(node.filter) ? this.raw(node.subject) : this.value(node.subject);
        return applyFilter(node.filter, subject, node.args.map((arg) => this.value(arg)));
      }
      case 'method':
        return callMethod(node.method, this.value(node.object), node.args.map((arg) => this.value(arg)));
    }
  }

  private binary(operator: BinaryOperator, leftNode: ExpressionNode, rightNode: ExpressionNode): unknown {
    // Python's and/or return an operand and do not look at the right side when the left decides.
    if (operator === 'and') {
      const left = this.value(leftNode);
      return truthy(left) ? this.value(rightNode) : left;
    }
    if (operator === 'or') {
      const left = this.value(leftNode);
      return truthy(left) ? left : this.value(rightNode);
    }
    const left = this.value(leftNode);
    const right = this.value(rightNode);
    switch (operator) {
      case '==':
        return deepEqual(left, right);
      case '!=':
        return !deepEqual(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return compare(operator, left, right);
      case 'in':
        return contains(right, left);
      case 'not in':
        return !contains(right, left);
      case '~':
        // Jinja's string concatenation: both sides as text.
        return pythonString(left) + pythonString(right);
      default:
        return arithmetic(operator, left, right);
    }
  }
}

/** The value of an expression over `vars`; errors are InvalidInputErrors pointing at the source. */
export function evaluateExpression(text: string, vars: Readonly<Record<string, unknown>>, context: ExpressionContext): Evaluated<unknown> {
  const where = () => `in ${context.keyword} expression '${text}' at ${formatSourceRef(context.source)}`;
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new InvalidInputError(`${parsed.message} ${where()}`, { source: context.source, fix: parsed.fix });
  try {
    return { value: new Evaluator(vars).value(parsed.node), warnings: parsed.warnings };
  } catch (error) {
    if (error instanceof ExpressionProblem) throw new InvalidInputError(`${error.message} ${where()}`, { source: context.source, fix: error.fix, cause: error });
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
