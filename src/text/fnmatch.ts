// Python's fnmatch, the one reader of shell-style patterns (`*`, `?`, `[seq]`, `[!seq]`) for every
// place Ansible uses them: host patterns, find's patterns, setup's filter, the fileglob lookup.
// As fnmatch.translate: a `[` without its `]` is literal, a `]` right after `[` or `[!` belongs to
// the set, `[^…]` is a set holding `^`, and nothing in the pattern is special to the RegExp.

/** The RegExp source of `pattern` (no anchors), as fnmatch.translate builds it. */
export function fnmatchSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '!') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      // A `]` in the set is literal (Python's sets take it first; JavaScript's `[^]` would mean any character).
      let body = pattern.slice(i + 1, j).replaceAll('\\', '\\\\').replaceAll(']', '\\]');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      else if (body.startsWith('^')) body = `\\${body}`;
      out += `[${body}]`;
      i = j;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
  }
  return out;
}

/** The whole-name RegExp of `pattern` (`.` matching line breaks too, as Python's `(?s:…)`). */
export function fnmatchRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${fnmatchSource(pattern)})$`, 's');
}

/** Whether `name` matches `pattern` whole, as Python's fnmatch.fnmatchcase. */
export function fnmatch(name: string, pattern: string): boolean {
  return fnmatchRegExp(pattern).test(name);
}
