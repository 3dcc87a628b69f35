// Text files as lines with their endings kept, so an edit leaves every other byte as it was.

/** Lines with their endings, as Python's readlines() gives them; a last line may lack its newline. */
export function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A line without its line ending (\n, \r\n or a lone \r). */
export function stripLineEnd(line: string): string {
  return line.replace(/\r?\n$/, '').replace(/\r$/, '');
}
