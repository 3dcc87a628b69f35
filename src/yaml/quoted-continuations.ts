// A quoted scalar over several lines whose later lines are no more indented than its key:
//
//   fiozl_script_options: '
//    -p ''{{ fiozl_provider }}''
//   '
//
// YAML 1.2 wants every continuation line indented past the key (the `yaml` package stops at the
// closing quote in column 1: "Implicit keys need to be on a single line"); libyaml, which Ansible
// reads YAML with (yaml.CSafeLoader), takes a quoted scalar's lines at any indentation, so public
// roles carry such files (click0/ansible-freebsd-install-on-zfs-lite defaults/main.yml). The file
// is read as Ansible reads it by indenting those lines just past their key — only a quoted
// scalar's own lines, where leading spaces are folded away anyway, so the value is unchanged.
// YamlSource uses the result only when the file did not parse as written and parses cleanly so.

/** The line's value starts with a quote: after its indentation, any `- ` and an optional `key: `. */
const quotedValue = /^( *)((?:- +)*)(?:(?:[^'"#\s-][^#]*?|-[^\s#][^#]*?|'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"):[ \t]+)?(['"])/u;

/** Where the quote that opened at `from` closes in `line` (-1: not on this line). */
function closing(line: string, from: number, quote: string): number {
  for (let index = from; index < line.length; index++) {
    const char = line[index];
    if (quote === '"' && char === '\\') {
      index++;
      continue;
    }
    if (char !== quote) continue;
    if (quote === "'" && line[index + 1] === "'") {
      index++;
      continue;
    }
    return index;
  }
  return -1;
}

/** `text` with the under-indented lines of multi-line quoted scalars indented past their key; undefined when there are none. */
export function indentQuotedContinuations(text: string): string | undefined {
  const lines = text.split('\n');
  let open: { quote: string; indent: number } | undefined;
  let changed = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (open === undefined) {
      const match = quotedValue.exec(line);
      if (match === null) continue;
      const quote = match[3] ?? "'";
      const start = match[0].length;
      if (closing(line, start, quote) >= 0) continue;
      // The scalar belongs to the key (or the `- ` item): its lines go past that column.
      open = { quote, indent: (match[1] ?? '').length + (match[2] ?? '').length };
      continue;
    }
    // A document marker ends everything, as in libyaml.
    if (/^(---|\.\.\.)(\s|$)/u.test(line)) return undefined;
    const leading = /^ */u.exec(line)?.[0].length ?? 0;
    if (line.trim() !== '' && leading <= open.indent) {
      lines[index] = ' '.repeat(open.indent + 1 - leading) + line;
      changed = true;
    }
    if (closing(lines[index] ?? '', 0, open.quote) >= 0) open = undefined;
  }
  return changed ? lines.join('\n') : undefined;
}
