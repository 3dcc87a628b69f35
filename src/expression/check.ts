// Load-time check of one expression: parse it (never evaluate) so a syntax error in when, until,
// changed_when or failed_when stops the run before any host is contacted.
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';
import { parseExpression } from './parse.js';

/** Where the expression is written and what it is for. */
export interface CheckContext {
  /** Where the expression's YAML value starts. */
  readonly source: SourceRef;
  readonly keyword: string;
  /** The position of character `index` of the text, when the YAML scalar maps 1:1 onto the file. */
  readonly at?: (index: number) => SourceRef;
}

/** The syntax error of `text` as an InvalidInputError pointing into the playbook, or undefined. */
export function checkExpression(text: string, context: CheckContext): InvalidInputError | undefined {
  const parsed = parseExpression(text);
  if (parsed.ok) return undefined;
  const source = parsed.index !== undefined && context.at ? context.at(parsed.index) : context.source;
  return new InvalidInputError(`${context.keyword}: ${parsed.message.replace(/\.$/, '')} in '${text}'`, {
    source,
    fix: parsed.fix ?? 'write a Jinja-style expression such as `x is defined and x | int > 1`',
  });
}
