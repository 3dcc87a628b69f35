// What went wrong while evaluating an expression, before the evaluator adds where it was written.

/** Thrown by filters, tests and methods; the evaluator turns it into an InvalidInputError. */
export class ExpressionProblem extends Error {
  constructor(
    message: string,
    /** What the user should write instead. */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'ExpressionProblem';
  }
}
