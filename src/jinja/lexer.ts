// Splits a Jinja template into text and tag tokens, as Jinja2's lexer does: `{{ }}`, `{% %}`,
// `{# #}`, whitespace control (`{%-`, `-%}`, `+%}`), trim_blocks / lstrip_blocks, `{% raw %}`.
import { JinjaSyntaxError } from './errors.js';

/** How a template's whitespace is treated (Jinja2's environment options Ansible sets). */
export interface LexOptions {
  /** Remove the first newline after a block or comment tag (Ansible's template module: on). */
  readonly trimBlocks: boolean;
  /** Strip spaces and tabs before a block tag at the start of a line. */
  readonly lstripBlocks: boolean;
  /** Keep a single trailing newline of the template (Jinja2 removes it by default). */
  readonly keepTrailingNewline: boolean;
  /**
   * Read string literals inside `{{ }}` without backslash escapes: Ansible's Templar doubles
   * backslashes there for playbook values (escape_backslashes), so `'\d+'` reaches regex_replace
   * as written in the YAML. The template module does not.
   */
  readonly rawVariableStrings?: boolean;
}

/** One token; `at` is the offset in the template text. */
export type Token =
  | { readonly type: 'data'; readonly value: string; readonly at: number }
  | { readonly type: 'var_begin' | 'var_end' | 'block_begin' | 'block_end' | 'eof'; readonly at: number }
  | { readonly type: 'name' | 'string' | 'op'; readonly value: string; readonly at: number }
  | { readonly type: 'int' | 'float'; readonly value: number; readonly at: number };

const operators = ['//', '**', '==', '!=', '>=', '<=', '+', '-', '*', '/', '%', '~', '<', '>', '=', '.', ',', ':', '|', '(', ')', '[', ']', '{', '}'];
const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

/** A string literal's text with Python's backslash escapes applied (unknown ones kept). */
function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (whole, code: string) => {
    if (code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return escapes[code] ?? whole;
  });
}

class Lexer {
  readonly tokens: Token[] = [];
  private pos = 0;
  /** Set by a tag ending in `-%}`/`-}}`: strip the whitespace that starts the next text. */
  private stripNext = false;

  constructor(
    private readonly text: string,
    private readonly options: LexOptions,
  ) {}

  run(): Token[] {
    const { text } = this;
    while (this.pos < text.length) {
      const open = this.nextTag(this.pos);
      const end = open < 0 ? text.length : open;
      let data = text.slice(this.pos, end);
      const dataAt = this.pos;
      if (this.stripNext) {
        const trimmed = data.replace(/^\s+/, '');
        this.stripNext = false;
        data = trimmed;
      }
      if (open < 0) {
        this.pushData(data, dataAt);
        this.pos = text.length;
        break;
      }
      const kind = text[open + 1];
      const marker = text[open + 2];
      if (marker === '-') data = data.replace(/\s+$/, '');
      else if (this.options.lstripBlocks && (kind === '%' || kind === '#') && marker !== '+') data = data.replace(/(^|\n)[ \t]*$/, '$1');
      this.pushData(data, dataAt);
      this.pos = open + 2 + (marker === '-' || marker === '+' ? 1 : 0);
      if (kind === '#') this.comment(open);
      else if (kind === '%' && this.raw(open)) continue;
      else this.tag(kind === '{' ? 'var' : 'block', open);
    }
    if (!this.options.keepTrailingNewline) this.dropTrailingNewline();
    this.tokens.push({ type: 'eof', at: text.length });
    return this.tokens;
  }

  private nextTag(from: number): number {
    const { text } = this;
    for (let i = text.indexOf('{', from); i >= 0; i = text.indexOf('{', i + 1)) {
      const next = text[i + 1];
      if (next === '{' || next === '%' || next === '#') return i;
    }
    return -1;
  }

  private pushData(value: string, at: number): void {
    if (value !== '') this.tokens.push({ type: 'data', value, at });
  }

  private dropTrailingNewline(): void {
    const last = this.tokens.at(-1);
    if (last?.type !== 'data') return;
    const value = last.value.endsWith('\r\n') ? last.value.slice(0, -2) : last.value.endsWith('\n') || last.value.endsWith('\r') ? last.value.slice(0, -1) : last.value;
    if (value === last.value) return;
    this.tokens.pop();
    this.pushData(value, last.at);
  }

  /** After a block or comment tag: `-` strips what follows, else trim_blocks eats one newline. */
  private afterBlockTag(endMarker: string | undefined): void {
    if (endMarker === '-') this.stripNext = true;
    else if (endMarker !== '+' && this.options.trimBlocks) {
      if (this.text.startsWith('\r\n', this.pos)) this.pos += 2;
      else if (this.text[this.pos] === '\n' || this.text[this.pos] === '\r') this.pos += 1;
    }
  }

  private comment(open: number): void {
    const close = this.text.indexOf('#}', this.pos);
    if (close < 0) throw new JinjaSyntaxError('missing end of comment tag', open);
    const marker = this.text[close - 1];
    this.pos = close + 2;
    this.afterBlockTag(marker === '-' || marker === '+' ? marker : undefined);
  }

  /** `{% raw %}…{% endraw %}`: the body is text, whatever it holds. */
  private raw(open: number): boolean {
    const head = /^\s*raw\s*([-+]?)%\}/.exec(this.text.slice(this.pos, this.pos + 40));
    if (head === null) return false;
    const bodyStart = this.pos + head[0].length;
    const endRe = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;
    endRe.lastIndex = bodyStart;
    const end = endRe.exec(this.text);
    if (end === null) throw new JinjaSyntaxError("missing end of raw directive: expected '{% endraw %}'", open);
    let body = this.text.slice(bodyStart, end.index);
    this.pos = bodyStart;
    if (head[1] === '-') body = body.replace(/^\s+/, '');
    else if (head[1] !== '+' && this.options.trimBlocks) body = body.replace(/^\r?\n/, '');
    if (end[1] === '-') body = body.replace(/\s+$/, '');
    else if (this.options.lstripBlocks && end[1] !== '+') body = body.replace(/(^|\n)[ \t]*$/, '$1');
    this.pushData(body, bodyStart);
    this.pos = end.index + end[0].length;
    this.afterBlockTag(end[2] || undefined);
    return true;
  }

  private tag(kind: 'var' | 'block', open: number): void {
    const { text } = this;
    this.tokens.push({ type: kind === 'var' ? 'var_begin' : 'block_begin', at: open });
    const brackets: string[] = [];
    for (;;) {
      while (this.pos < text.length && /\s/.test(text[this.pos] ?? '')) this.pos++;
      if (this.pos >= text.length) throw new JinjaSyntaxError(`unexpected end of template, expected '${kind === 'var' ? '}}' : '%}'}'`, open);
      if (brackets.length === 0) {
        const end = kind === 'var' ? /^[-+]?\}\}/.exec(text.slice(this.pos, this.pos + 3)) : /^[-+]?%\}/.exec(text.slice(this.pos, this.pos + 3));
        if (end !== null) {
          const marker = end[0].length === 3 ? end[0][0] : undefined;
          this.tokens.push({ type: kind === 'var' ? 'var_end' : 'block_end', at: this.pos });
          this.pos += end[0].length;
          if (kind === 'block') this.afterBlockTag(marker);
          else if (marker === '-') this.stripNext = true;
          return;
        }
      }
      this.expressionToken(brackets, kind === 'var' && this.options.rawVariableStrings === true);
    }
  }

  private expressionToken(brackets: string[], rawStrings: boolean): void {
    const { text } = this;
    const at = this.pos;
    const rest = text.slice(at, at + 200);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (name !== null) {
      this.tokens.push({ type: 'name', value: name[0], at });
      this.pos += name[0].length;
      return;
    }
    const afterDot = this.tokens.at(-1)?.type === 'op' && (this.tokens.at(-1) as { value: string }).value === '.';
    const float = afterDot ? null : /^\d[\d_]*(\.\d[\d_]*([eE][+-]?\d[\d_]*)?|[eE][+-]?\d[\d_]*)/.exec(rest);
    if (float !== null) {
      this.tokens.push({ type: 'float', value: Number(float[0].replaceAll('_', '')), at });
      this.pos += float[0].length;
      return;
    }
    const int = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)/.exec(rest);
    if (int !== null) {
      const digits = int[0].replaceAll('_', '');
      const value = /^0[oO]/.test(digits) ? parseInt(digits.slice(2), 8) : /^0[bB]/.test(digits) ? parseInt(digits.slice(2), 2) : Number(digits);
      this.tokens.push({ type: 'int', value, at });
      this.pos += int[0].length;
      return;
    }
    const quote = text[at];
    if (quote === "'" || quote === '"') {
      let i = at + 1;
      // Raw (Ansible's doubled backslashes): a backslash is text and cannot escape the quote.
      while (i < text.length && text[i] !== quote) i += text[i] === '\\' && !rawStrings ? 2 : 1;
      if (i >= text.length) throw new JinjaSyntaxError('unexpected end of string', at);
      const body = text.slice(at + 1, i);
      this.tokens.push({ type: 'string', value: rawStrings ? body : unescape(body), at });
      this.pos = i + 1;
      return;
    }
    const op = operators.find((candidate) => text.startsWith(candidate, at));
    if (op === undefined) throw new JinjaSyntaxError(`unexpected char '${text[at] ?? ''}'`, at);
    if (op === '(' || op === '[' || op === '{') brackets.push(op);
    else if (op === ')' || op === ']' || op === '}') {
      const expected = { ')': '(', ']': '[', '}': '{' }[op];
      if (brackets.pop() !== expected) throw new JinjaSyntaxError(`unexpected '${op}'`, at);
    }
    this.tokens.push({ type: 'op', value: op, at });
    this.pos += op.length;
  }
}

/** The tokens of `text`. */
export function tokenize(text: string, options: LexOptions): Token[] {
  return new Lexer(text, options).run();
}
