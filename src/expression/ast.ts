// The closed syntax tree of beastie's expression language (when, until, changed_when,
// failed_when): the jsep parse tree narrowed to what the language allows.

/** Binary operators, in Jinja spelling. */
export type BinaryOperator = 'and' | 'or' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | '+' | '-' | '*' | '/' | '%' | '~';

/** One node of a parsed expression. */
export type ExpressionNode =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'list'; readonly items: readonly ExpressionNode[] }
  | { readonly kind: 'name'; readonly name: string }
  /** `a.b` (property is a name) or `a[expr]`. */
  | { readonly kind: 'member'; readonly object: ExpressionNode; readonly property: string | ExpressionNode }
  | { readonly kind: 'not'; readonly operand: ExpressionNode }
  | { readonly kind: 'negate'; readonly operand: ExpressionNode }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: ExpressionNode; readonly right: ExpressionNode }
  /** `x is defined`, `result is not failed`, `ver is version('13.0', '>=')`. */
  | { readonly kind: 'test'; readonly subject: ExpressionNode; readonly test: string; readonly negated: boolean; readonly args: readonly ExpressionNode[] }
  /** `x | default('y')`. */
  | { readonly kind: 'filter'; readonly subject: ExpressionNode; readonly filter: string; readonly args: readonly ExpressionNode[] }
  /** `name.startswith('vm')`: a safe string method. */
  | { readonly kind: 'method'; readonly object: ExpressionNode; readonly method: string; readonly args: readonly ExpressionNode[] };
