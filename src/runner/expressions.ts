// The runner's Expressions, backed by the expression language (src/expression/evaluate.ts).
import { evaluateExpression } from '../expression/evaluate.js';
import type { Expressions } from './services.js';

/** Conditions and values of when/until/changed_when/failed_when. */
export const expressionLanguage: Expressions = {
  evaluate: (expression, vars, source, keyword) => evaluateExpression(expression, vars, { source, keyword }),
};
