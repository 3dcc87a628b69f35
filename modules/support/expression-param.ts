// A parameter that holds an expression of the playbook's expression language (assert's `that`,
// debug's `var`): checked for syntax when the playbook loads, evaluated on the controller.
import { z } from 'zod';
import { BeastieError } from '../../src/errors.js';
import { evaluateExpression } from '../../src/expression/evaluate.js';
import { parseExpression } from '../../src/expression/parse.js';

/** A string that must parse as an expression. */
export const expressionParam = z.string().superRefine((text, context) => {
  const parsed = parseExpression(text);
  if (!parsed.ok) context.addIssue({ code: 'custom', message: `'${text}': ${parsed.message}${parsed.fix ? ` — ${parsed.fix}` : ''}` });
});

/** The value of an expression, or the evaluator's own message (undefined variable, bad filter…). */
export function evaluate(text: string, vars: Readonly<Record<string, unknown>>, keyword: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    // The module does not know its task's position; the runner reports the task's source beside the message.
    const { value } = evaluateExpression(text, vars, { source: { file: keyword, line: 1, column: 1 }, keyword });
    return { ok: true, value };
  } catch (error) {
    const cause = error instanceof BeastieError && error.cause instanceof Error ? error.cause.message : (error as Error).message;
    return { ok: false, message: cause };
  }
}
