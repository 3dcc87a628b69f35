// community.general.json_query: a JMESPath query over a value, as the collection's filter runs
// jmespath.search(expr, data). The engine is @jmespath-community/jmespath, a maintained TypeScript
// implementation whose compliance suite includes the original specification Python's jmespath
// follows; its additions (let, arithmetic) only accept more.
import { search, type JSONValue } from '@jmespath-community/jmespath';
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { pyStr, toPlain } from '../values.js';

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

function jsonQuery(value: unknown, call: { readonly args: readonly unknown[] }): unknown {
  const expression = call.args[0];
  if (typeof expression !== 'string') throw new JinjaRenderError(`json_query: the query must be a string, got ${pyStr(expression)}`);
  try {
    return search(toPlain(value) as JSONValue, legacyLiterals(expression));
  } catch (error) {
    if (error instanceof JinjaRenderError) throw error;
    throw new JinjaRenderError(`JMESPathError in json_query filter plugin:\n${(error as Error).message}`, 'check the JMESPath expression (jmespath.org/specification)');
  }
}

export const jsonQueryFilters: Readonly<Record<string, Filter>> = {
  json_query: { fn: jsonQuery },
  'community.general.json_query': { fn: jsonQuery },
};
