// Text files as lines with their endings kept, so an edit leaves every other byte as it was.
import { z } from 'zod';

/** Lines with their endings, as Python's readlines() gives them; a last line may lack its newline. */
export function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A line without its line ending (\n, \r\n or a lone \r). */
export function stripLineEnd(line: string): string {
  return line.replace(/\r?\n$/, '').replace(/\r$/, '');
}

/** Why `value` is not a JavaScript regular expression; undefined when it is one. */
function regexProblem(value: string): string | undefined {
  try {
    new RegExp(value);
    return undefined;
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
}

/** A JavaScript regular expression parameter, checked at load time (lineinfile, replace). */
export const regexParam = z.string().superRefine((value, context) => {
  const problem = regexProblem(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

/** What a zod refinement context needs for checkInsertPositions. */
interface IssueSink {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** insertafter/insertbefore must be EOF, BOF or a valid regular expression (lineinfile, blockinfile). */
export function checkInsertPositions(params: { readonly insertafter?: string | undefined; readonly insertbefore?: string | undefined }, context: IssueSink): void {
  for (const key of ['insertafter', 'insertbefore'] as const) {
    const value = params[key];
    if (value === undefined || value === 'EOF' || value === 'BOF') continue;
    const problem = regexProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', path: [key], message: problem });
  }
}
