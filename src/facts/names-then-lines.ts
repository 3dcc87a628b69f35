// Names and one line per name, for a find(1) walk whose entries a tool handles in bulk (stat,
// sha1): a file name may hold a newline, so a name printed on the tool's line could be read as two
// lines, and a name made of a newline and a whole line would add an entry the directory does not
// hold. Each name is printed apart, ended by a NUL (which no name holds), and the tool prints no
// name (docs/output-framing.md, "find's names").

/**
 * The script `find … -exec sh -c SCRIPT sh {} +` runs on each batch of names: how many names there
 * are, on a line; every name ended by a NUL; then one line per name of what `each NAME` prints for
 * it — `bulk` run on the whole batch when it succeeds (one process for many names, in their order),
 * else `each` name by name, `-` for one that failed (it went away during the walk, or cannot be
 * read), so a line never goes to another name. `bulk` and `each` print one line per name and never
 * a name. The count makes the names' end plain whatever they start with (a newline too).
 */
export function namesThenLines(bulk: string, each: string): string {
  return `printf '%s\\n' "$#"; for f do printf '%s\\0' "$f"; done; o=$(${bulk} 2>/dev/null) || o=$(for f do ${each} 2>/dev/null || echo -; done); printf '%s\\n' "$o"`;
}

/** The blocks {@link namesThenLines} printed → [name, line] pairs, in order; an unfinished block is dropped. */
export function parseNamesThenLines(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  let at = 0;
  while (at < text.length) {
    const countEnd = text.indexOf('\n', at);
    const count = countEnd < 0 ? NaN : Number(text.slice(at, countEnd));
    if (!/^\d+$/.test(text.slice(at, countEnd)) || !Number.isSafeInteger(count)) return pairs;
    at = countEnd + 1;
    const names: string[] = [];
    for (let n = 0; n < count; n++) {
      const end = text.indexOf('\0', at);
      if (end < 0) return pairs;
      names.push(text.slice(at, end));
      at = end + 1;
    }
    for (const name of names) {
      const end = text.indexOf('\n', at);
      if (end < 0) return pairs;
      pairs.push([name, text.slice(at, end)]);
      at = end + 1;
    }
  }
  return pairs;
}
