// INI inventory values are Python literals: Ansible passes each through ast.literal_eval and keeps
// the text as a string when that fails (plugins/inventory/ini.py _parse_value). This is the subset
// of Python literal syntax inventories use, so `port=22` is a number, `b=True` a boolean,
// `l="[1, 2]"` a list, and `YES`, `07` or `a b` stay strings.

/** The value Ansible would give an INI inventory value: a Python literal, or the text itself. */
export function parseIniValue(text: string): unknown {
  const reader = new LiteralReader(text);
  try {
    reader.skipSpace();
    const value = reader.value();
    reader.skipSpace();
    return reader.atEnd() ? value : text;
  } catch (error) {
    if (error instanceof NotALiteral) return text;
    throw error;
  }
}

class NotALiteral extends Error {}

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?)/u;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/u;
const ESCAPES: Readonly<Record<string, string>> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** A cursor over the text; each method reads one construct or throws NotALiteral. */
class LiteralReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] ?? '')) this.pos++;
  }

  value(): unknown {
    const c = this.text[this.pos];
    if (c === '[') return this.sequence('[', ']');
    if (c === '(') return this.sequence('(', ')');
    if (c === '{') return this.braces();
    if (c === "'" || c === '"') return this.string();
    if (c === '-' || c === '+') {
      this.pos++;
      this.skipSpace();
      const n = this.value();
      if (typeof n !== 'number') throw new NotALiteral();
      return c === '-' ? -n : n;
    }
    const name = NAME.exec(this.text.slice(this.pos))?.[0];
    if (name !== undefined) {
      this.pos += name.length;
      if (name === 'True') return true;
      if (name === 'False') return false;
      if (name === 'None') return null;
      throw new NotALiteral();
    }
    return this.number();
  }

  private number(): number {
    const m = NUMBER.exec(this.text.slice(this.pos))?.[0];
    if (m === undefined || m === '') throw new NotALiteral();
    const digits = m.replaceAll('_', '');
    // Python 3 rejects leading zeros in decimal integers ("07"), except for zero itself.
    if (/^0[0-9]+$/u.test(digits) && !/^0+$/u.test(digits)) throw new NotALiteral();
    this.pos += m.length;
    if (/^0[xXoObB]/u.test(digits)) return Number(digits.toLowerCase());
    return Number(digits);
  }

  private string(): string {
    const quote = this.text[this.pos] ?? '';
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    const delimiter = triple ? quote.repeat(3) : quote;
    this.pos += delimiter.length;
    let out = '';
    while (!this.text.startsWith(delimiter, this.pos)) {
      const c = this.text[this.pos];
      if (c === undefined || (c === '\n' && !triple)) throw new NotALiteral();
      if (c === '\\') {
        const next = this.text[this.pos + 1] ?? '';
        const escaped = ESCAPES[next];
        out += escaped ?? `\\${next}`;
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
    this.pos += delimiter.length;
    return out;
  }

  private sequence(open: string, close: string): unknown[] {
    this.pos += open.length;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) break;
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] !== close) throw new NotALiteral();
      break;
    }
    this.pos++;
    return items;
  }

  /** `{k: v}` is a dict; `{a, b}` a set, which we give as a list. */
  private braces(): unknown {
    this.pos++;
    const entries: [string, unknown][] = [];
    const members: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      const key = this.value();
      this.skipSpace();
      if (this.text[this.pos] === ':') {
        if (members.length > 0) throw new NotALiteral();
        this.pos++;
        this.skipSpace();
        entries.push([String(key), this.value()]);
      } else {
        if (entries.length > 0) throw new NotALiteral();
        members.push(key);
      }
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] !== '}') throw new NotALiteral();
      break;
    }
    this.pos++;
    if (members.length > 0) return members;
    return Object.fromEntries(entries);
  }
}
