// Parses (never evaluates) an expression of `when` / `until` / `changed_when` / `failed_when` /
// `assert that` with the Jinja engine's parser, so load-time checks and run time agree.
import { checkJinjaExpression } from '../jinja/template.js';

/** An expression that parses. */
export interface ParsedExpression {
  readonly ok: true;
  readonly warnings: readonly string[];
}

/** Why an expression does not parse, where (character index), and what to write instead. */
export interface ExpressionSyntaxError {
  readonly ok: false;
  readonly message: string;
  readonly index: number | undefined;
  readonly fix: string | undefined;
}

/** `{{ x }}` around a condition: Ansible accepts it with a warning; the inside is the expression. */
export function unwrapCondition(text: string): { readonly expression: string; readonly wrapped: boolean } {
  const match = /^\s*\{\{(.*)\}\}\s*$/s.exec(text);
  if (match === null || match[1]?.includes('}}') === true || match[1]?.includes('{{') === true) return { expression: text, wrapped: false };
  return { expression: match[1] ?? '', wrapped: true };
}

const wrapperWarning = 'conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}: write the expression without {{ }}';

/** JavaScript habits Jinja reads differently, with the Jinja spelling. */
function jsHabit(text: string): string | undefined {
  if (/&&|\|\|/.test(text)) return "write 'and' / 'or' (Jinja), not && / ||";
  if (/===|!==/.test(text)) return "write == / != (Jinja), not === / !==";
  if (/(^|[^!=<>])!(?!=)/.test(text)) return "write 'not x' (Jinja), not !x";
  return undefined;
}

/** Whether `text` parses as a Jinja expression, and if not why. */
export function parseExpression(text: string): ParsedExpression | ExpressionSyntaxError {
  const { expression, wrapped } = unwrapCondition(text);
  if (expression.trim() === '') return { ok: false, message: 'empty expression', index: 0, fix: 'write a condition such as `x is defined`' };
  const error = checkJinjaExpression(expression, 'expression');
  if (error === undefined) return { ok: true, warnings: wrapped ? [wrapperWarning] : [] };
  const offset = wrapped ? text.indexOf('{{') + 2 : 0;
  const generic = error.fix?.startsWith('did you mean') === true ? error.fix : 'write a Jinja expression such as `x is defined and x | int > 1`';
  return { ok: false, message: error.message, index: error.offset + offset, fix: jsHabit(expression) ?? generic };
}
