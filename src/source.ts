// Where a piece of user input came from, so every error can point at the YAML that caused it.

/** A position in a user-supplied file: 1-based line and column, as editors show them. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `playbooks/bhyve-jail.yml:14:7` */
export function formatSourceRef(ref: SourceRef): string {
  return `${ref.file}:${ref.line}:${ref.column}`;
}

/**
 * The offending source line with a caret under the column, for error output:
 *
 *     14 |     vm_gest:
 *        |     ^
 */
export function sourceExcerpt(ref: SourceRef, text: string): string {
  const lines = text.split('\n');
  const line = lines[ref.line - 1];
  if (line === undefined) return '';
  const gutter = String(ref.line);
  const pad = ' '.repeat(gutter.length);
  return `${gutter} | ${line}\n${pad} | ${' '.repeat(Math.max(0, ref.column - 1))}^`;
}
