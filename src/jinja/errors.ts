// What goes wrong in a Jinja template, with the offset in the template text where it happened;
// the caller turns the offset into a file:line:column (see position.ts).

/** A template that cannot be parsed (Jinja2's TemplateSyntaxError). */
export class JinjaSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the template text. */
    readonly at: number,
    /** What to write instead, when there is an obvious fix. */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'JinjaSyntaxError';
  }
}

/** A failure while rendering: an undefined value used, a bad filter argument, a type error. */
export class JinjaRenderError extends Error {
  /** Offset in the template text of the expression that failed, once known. */
  at: number | undefined;
  constructor(
    message: string,
    /** What to write instead, when there is an obvious fix. */
    readonly fix?: string,
    /** Set for "'x' is undefined", whose fix is `| default(...)`. */
    readonly undefinedName?: string,
  ) {
    super(message);
    this.name = 'JinjaRenderError';
  }
}

/** Thrown by a filter, test, method or lookup; the renderer adds where. */
export function fail(message: string, fix?: string): never {
  throw new JinjaRenderError(message, fix);
}
