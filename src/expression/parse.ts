// Parses the expression language of when/until/changed_when/failed_when with jsep (a parser
// only: beastie evaluates the tree itself, never eval/Function) and narrows jsep's tree to the
// closed ExpressionNode set, so unknown operators, filters and tests fail when the playbook loads.
import jsep from 'jsep';
import { didYouMean } from '../text/did-you-mean.js';
import type { BinaryOperator, ExpressionNode } from './ast.js';
import { filterNames } from './filters.js';
import { testNames } from './jinja-tests.js';
import { methodNames } from './methods.js';

// jsep keeps its operator table on the module; beastie sets it once, here, and nothing else in
// beastie uses jsep. Jinja's word operators: `or` < `and` < `not` < comparisons < `|` filters.
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('in', 7);
jsep.addBinaryOp('not in', 7);
jsep.addBinaryOp('is', 7);
jsep.addUnaryOp('not');
jsep.removeUnaryOp('~');
jsep.addBinaryOp('~', 9);
jsep.removeBinaryOp('|');
jsep.addBinaryOp('|', 13);

/** A parse that worked, with anything the caller should warn about. */
export interface ParsedExpression {
  readonly ok: true;
  readonly node: ExpressionNode;
  readonly warnings: readonly string[];
}

/** A parse that failed: what is wrong, the offset in the text when known, and the fix. */
export interface ExpressionSyntaxError {
  readonly ok: false;
  readonly message: string;
  readonly index: number | undefined;
  readonly fix: string | undefined;
}

class Unsupported extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const binaryOperators: ReadonlySet<string> = new Set<BinaryOperator>(['and', 'or', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in', '+', '-', '*', '/', '%', '~']);

/** JavaScript spellings users might reach for, and the Jinja word to write instead. */
const jsOperators: Readonly<Record<string, string>> = { '&&': 'and', '||': 'or', '!': 'not', '===': '==', '!==': '!=' };

/** Jinja's operator words, which cannot name variables. */
const reservedWords: ReadonlySet<string> = new Set(['not', 'and', 'or', 'in', 'is']);

const literalNames: Readonly<Record<string, boolean | null>> = { True: true, true: true, False: false, false: false, None: null, none: null };

/**
 * Replaces `{{ e }}` by `(e)` (Ansible users often wrap conditions in a template) and collapses
 * `not   in` to the single-space operator jsep knows, outside string literals.
 */
function normalise(text: string): { readonly text: string; readonly wrapped: boolean } {
  let out = '';
  let wrapped = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote !== undefined) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (text.startsWith('{{', i) || text.startsWith('}}', i)) {
      wrapped = true;
      out += c === '{' ? '(' : ')';
      i++;
    } else if (c === '.' && /^\.\d+(?![A-Za-z0-9_])/.test(text.slice(i)) && indexable(out)) {
      // Jinja's `item.0` is `item[0]`; jsep would read `.0` as a number.
      const digits = /^\.(\d+)/.exec(text.slice(i))?.[1] ?? '';
      out += `[${digits}]`;
      i += digits.length;
    } else {
      const notIn = c === 'n' ? /^not\s+in(?![A-Za-z0-9_])/.exec(text.slice(i)) : null;
      const boundary = i === 0 || !/[A-Za-z0-9_]/.test(text[i - 1] ?? '');
      if (notIn && boundary) {
        out += 'not in';
        i += notIn[0].length - 1;
      } else out += c;
    }
  }
  return { text: out, wrapped };
}

/** Whether the text so far ends in something `.0` can index: a name (not a number), `]` or `)`. */
function indexable(before: string): boolean {
  if (/[\])]$/.test(before)) return true;
  const word = /[A-Za-z0-9_]+$/.exec(before)?.[0];
  return word !== undefined && /[A-Za-z_]/.test(word);
}

function isNot(node: jsep.Expression): node is jsep.UnaryExpression {
  return node.type === 'UnaryExpression' && node['operator'] === 'not';
}

/**
 * jsep binds prefix operators tightest, Jinja binds `not` looser than comparisons and filters:
 * `not a == b` is `not (a == b)`. Rotate every `(not x) OP y` (OP not and/or) into `not (x OP y)`.
 */
function liftNot(node: jsep.Expression): jsep.Expression {
  switch (node.type) {
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const left = liftNot(binary.left);
      const right = liftNot(binary.right);
      if (binary.operator !== 'and' && binary.operator !== 'or' && isNot(left)) {
        const inner: jsep.BinaryExpression = { ...binary, left: left.argument, right };
        return { type: 'UnaryExpression', operator: 'not', prefix: true, argument: liftNot(inner) } as jsep.UnaryExpression;
      }
      return { ...binary, left, right } as jsep.BinaryExpression;
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      return { ...unary, argument: liftNot(unary.argument) } as jsep.UnaryExpression;
    }
    default:
      return node;
  }
}

function unknownName(kind: string, name: string, names: readonly string[]): Unsupported {
  const near = didYouMean(name, names);
  return new Unsupported(`unknown ${kind} '${name}'`, near ? `did you mean '${near}'?` : `known ${kind}s: ${names.join(', ')}`);
}

function filterCall(node: jsep.Expression): { readonly name: string; readonly args: readonly jsep.Expression[] } {
  if (node.type === 'Identifier') return { name: (node as jsep.Identifier).name, args: [] };
  if (node.type === 'CallExpression') {
    const call = node as jsep.CallExpression;
    if (call.callee.type === 'Identifier') return { name: (call.callee as jsep.Identifier).name, args: call.arguments };
  }
  throw new Unsupported('a filter must be a name, optionally with arguments', "write `x | default('y')`");
}

function convertTest(subject: ExpressionNode, right: jsep.Expression): ExpressionNode {
  const negated = isNot(right);
  const target = negated ? right.argument : right;
  const call = target.type === 'CallExpression' ? (target as jsep.CallExpression) : undefined;
  const named = call ? call.callee : target;
  // `none`, `true` and friends are literals to jsep but test names after `is`.
  const name =
    named.type === 'Identifier'
      ? (named as jsep.Identifier).name
      : named.type === 'Literal' && (named as jsep.Literal).value === null
        ? 'none'
        : undefined;
  if (name === undefined) throw new Unsupported("'is' must be followed by a test name", 'write `x is defined`, `x is not defined` or `result is failed`');
  if (!testNames.includes(name)) throw unknownName('test', name, testNames);
  return { kind: 'test', subject, test: name, negated, args: (call?.arguments ?? []).map((arg) => convert(arg)) };
}

function convert(node: jsep.Expression): ExpressionNode {
  switch (node.type) {
    case 'Literal': {
      const value = (node as jsep.Literal).value;
      if (value instanceof RegExp) throw new Unsupported('regular expression literals are not supported', 'compare strings instead');
      return { kind: 'literal', value };
    }
    case 'Identifier': {
      const name = (node as jsep.Identifier).name;
      if (reservedWords.has(name)) throw new Unsupported(`syntax error: '${name}' is an operator and needs an operand`, `write e.g. 'not x', 'a and b', 'x in list', 'x is defined'`);
      return Object.hasOwn(literalNames, name) ? { kind: 'literal', value: literalNames[name] ?? null } : { kind: 'name', name };
    }
    case 'ArrayExpression':
      return {
        kind: 'list',
        items: (node as jsep.ArrayExpression).elements.map((item) => {
          if (item === null) throw new Unsupported('a list has an empty element', 'remove the extra comma');
          return convert(item);
        }),
      };
    case 'MemberExpression': {
      const member = node as jsep.MemberExpression;
      const object = convert(member.object);
      if (!member.computed && member.property.type === 'Identifier') return { kind: 'member', object, property: (member.property as jsep.Identifier).name };
      return { kind: 'member', object, property: convert(member.property) };
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      if (call.callee.type === 'MemberExpression' && !(call.callee as jsep.MemberExpression).computed) {
        const callee = call.callee as jsep.MemberExpression;
        const method = (callee.property as jsep.Identifier).name;
        if (!methodNames.includes(method)) throw unknownName('method', method, methodNames);
        return { kind: 'method', object: convert(callee.object), method, args: call.arguments.map(convert) };
      }
      const name = call.callee.type === 'Identifier' ? (call.callee as jsep.Identifier).name : undefined;
      if (name === 'lookup' || name === 'query') {
        throw new Unsupported(`${name}(...) is not available in expressions`, 'in a template, write the Handlebars form {{ lookup "file" "PATH" }}');
      }
      const asFilter = name !== undefined && filterNames.includes(name) ? ` — use it as a filter: x | ${name}(...)` : '';
      throw new Unsupported(`function calls are not supported${name ? ` ('${name}(...)')` : ''}${asFilter}`, `use a filter (x | length) or a string method (x.startswith('a'))`);
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      if (unary.operator === 'not') return { kind: 'not', operand: convert(unary.argument) };
      if (unary.operator === '-') return { kind: 'negate', operand: convert(unary.argument) };
      if (unary.operator === '+') return convert(unary.argument);
      const word = Object.hasOwn(jsOperators, unary.operator) ? jsOperators[unary.operator] : undefined;
      throw new Unsupported(`operator '${unary.operator}' is not supported`, word ? `write '${word}'` : 'use not or -');
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const left = convert(binary.left);
      if (binary.operator === 'is') return convertTest(left, binary.right);
      if (binary.operator === '|') {
        const { name, args } = filterCall(binary.right);
        if (!filterNames.includes(name)) throw unknownName('filter', name, filterNames);
        return { kind: 'filter', subject: left, filter: name, args: args.map(convert) };
      }
      if (!binaryOperators.has(binary.operator)) {
        const word = Object.hasOwn(jsOperators, binary.operator) ? jsOperators[binary.operator] : undefined;
        throw new Unsupported(`operator '${binary.operator}' is not supported`, word ? `write '${word}'` : 'use and, or, not, in, ==, !=, <, <=, >, >=, +, -, *, /, %');
      }
      return { kind: 'binary', operator: binary.operator as BinaryOperator, left, right: convert(binary.right) };
    }
    case 'Compound':
      // `a and` ends in an operator word jsep took for a name: say that rather than "side by side".
      (node as jsep.Compound).body.forEach(convert);
      throw new Unsupported('two expressions side by side', 'join them with and / or, or quote the string');
    case 'ConditionalExpression':
      throw new Unsupported("the '? :' operator is not supported", 'split the condition, or use | default');
    case 'ThisExpression':
      throw new Unsupported("'this' is not a variable here", 'name the variable');
    default:
      throw new Unsupported(`unsupported syntax (${node.type})`, 'use variables, literals, comparisons, and/or/not, in, is, filters');
  }
}

/**
 * Parsed expressions by text: the same conditions are evaluated for every host and loop item.
 * Entries are immutable results of the text alone, so the memo changes no behaviour. Bounded.
 */
const parsedCache = new Map<string, ParsedExpression | ExpressionSyntaxError>();
const parsedCacheLimit = 2000;

/** Parse an expression as written in a playbook (a `{{ }}` wrapper is accepted with a warning). */
export function parseExpression(text: string): ParsedExpression | ExpressionSyntaxError {
  const cached = parsedCache.get(text);
  if (cached !== undefined) return cached;
  const parsed = parseUncached(text);
  if (parsedCache.size >= parsedCacheLimit) parsedCache.clear();
  parsedCache.set(text, parsed);
  return parsed;
}

function parseUncached(text: string): ParsedExpression | ExpressionSyntaxError {
  const normalised = normalise(text);
  if (normalised.text.trim() === '') return { ok: false, message: 'empty expression', index: undefined, fix: 'write a condition such as `x is defined`' };
  const warnings = normalised.wrapped ? [`conditions are expressions, not templates: write '${text.replace(/\{\{\s*|\s*\}\}/g, '')}' without {{ }}`] : [];
  let tree: jsep.Expression;
  try {
    tree = jsep(normalised.text);
  } catch (error) {
    const e = error as Error & { index?: number; description?: string };
    return { ok: false, message: `syntax error: ${e.description ?? e.message}`, index: e.index, fix: undefined };
  }
  try {
    return { ok: true, node: convert(liftNot(tree)), warnings };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, message: error.message, index: undefined, fix: error.fix };
    throw error;
  }
}
