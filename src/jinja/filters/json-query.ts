// community.general.json_query: a JMESPath query over a value, as the collection's filter runs
// jmespath.search(expr, data). The engine is @jmespath-community/jmespath, a maintained TypeScript
// implementation whose compliance suite includes the original specification Python's jmespath
// follows; its additions (let, arithmetic) only accept more.
import { compile, search, type JSONValue } from '@jmespath-community/jmespath';
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { pyStr, toPlain, Undefined } from '../values.js';

/**
 * Python's jmespath still reads a backtick literal that is not JSON (`` `pkgng` ``, `` `10.0.0.4` ``)
 * as a string (JEP-12's deprecated form, which Ansible content uses everywhere); the community
 * library does not, so such literals are rewritten to JSON strings first, as jmespath.py does:
 * the text left-stripped and read as the inside of a JSON string.
 */
export function legacyLiterals(expression: string): string {
  let out = '';
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i] ?? '';
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < expression.length && expression[j] !== c) j += expression[j] === '\\' ? 2 : 1;
      out += expression.slice(i, j + 1);
      i = j;
    } else if (c === '`') {
      let j = i + 1;
      while (j < expression.length && expression[j] !== '`') j += expression[j] === '\\' ? 2 : 1;
      const lexeme = expression.slice(i + 1, j).replaceAll('\\`', '`');
      out += `\`${jsonLiteral(lexeme)}\``;
      i = j;
    } else {
      out += c;
    }
  }
  return out;
}

function jsonLiteral(lexeme: string): string {
  try {
    JSON.parse(lexeme);
    return lexeme.replaceAll('`', '\\`');
  } catch {
    try {
      return JSON.stringify(JSON.parse(`"${lexeme.trimStart()}"`)).replaceAll('`', '\\`');
    } catch {
      return lexeme.replaceAll('`', '\\`');
    }
  }
}

/** A node of the library's syntax tree, as far as onUndefined reads it. */
interface QueryNode {
  readonly type: string;
  readonly left?: QueryNode;
  readonly child?: QueryNode;
  readonly right?: QueryNode;
}

/** Nodes Python's jmespath applies to a list only, giving None for anything else. */
const listOnly = new Set(['Projection', 'FilterProjection', 'Flatten', 'IndexExpression']);
/** Nodes that give None when what they apply to is None. */
const noneThrough = new Set(['Projection', 'FilterProjection', 'Flatten', 'IndexExpression', 'Subexpression', 'Field', 'Index', 'Slice', 'MultiSelectList', 'MultiSelectHash', 'Identity']);

/**
 * What jmespath.search makes of an undefined input (json_query is handed Ansible's undefined value
 * as it is): a query that first applies a list operation to it (`[].path`, `[0]`, `[?x]`) finds
 * None, as jmespath checks for a list; anything else touches it (a field calls its get) and fails.
 */
function onUndefined(node: QueryNode, input: Undefined): null {
  const applied = node.type === 'Flatten' ? node.child : node.left;
  if (listOnly.has(node.type) && applied?.type === 'Identity') {
    if (node.right === undefined || noneThrough.has(node.right.type)) return null;
  } else if ((listOnly.has(node.type) || node.type === 'Subexpression' || node.type === 'Pipe') && applied !== undefined) {
    onUndefined(applied, input);
    if (node.right === undefined || noneThrough.has(node.right.type)) return null;
  }
  return input.fail();
}

function jsonQuery(value: unknown, call: { readonly args: readonly unknown[] }): unknown {
  const expression = call.args[0];
  if (typeof expression !== 'string') throw new JinjaRenderError(`json_query: the query must be a string, got ${pyStr(expression)}`);
  try {
    if (value instanceof Undefined) return onUndefined(compile(legacyLiterals(expression)) as unknown as QueryNode, value);
    return search(toPlain(value) as JSONValue, legacyLiterals(expression));
  } catch (error) {
    if (error instanceof JinjaRenderError) throw error;
    throw new JinjaRenderError(`JMESPathError in json_query filter plugin:\n${(error as Error).message}`, 'check the JMESPath expression (jmespath.org/specification)');
  }
}

export const jsonQueryFilters: Readonly<Record<string, Filter>> = {
  json_query: { fn: jsonQuery, acceptsUndefined: true },
  'community.general.json_query': { fn: jsonQuery, acceptsUndefined: true },
};
