// Splits a Jinja template into text and tag tokens, as Jinja2's lexer does: `{{ }}`, `{% %}`,
// `{# #}`, whitespace control (`{%-`, `-%}`, `+%}`), trim_blocks / lstrip_blocks, `{% raw %}`.
import { JinjaSyntaxError } from './errors.js';

/** The tag delimiters of a template (Jinja2's environment strings; `#jinja2:` can change them). */
export interface Delimiters {
  readonly blockStart: string;
  readonly blockEnd: string;
  readonly variableStart: string;
  readonly variableEnd: string;
  readonly commentStart: string;
  readonly commentEnd: string;
  /** A line whose first non-blank text is this prefix is a `{% %}` statement to its end. */
  readonly lineStatementPrefix?: string;
  /** From this prefix to the end of the line is a comment. */
  readonly lineCommentPrefix?: string;
}

/** Jinja2's default delimiters. */
export const jinjaDelimiters: Delimiters = { blockStart: '{%', blockEnd: '%}', variableStart: '{{', variableEnd: '}}', commentStart: '{#', commentEnd: '#}' };

/** How a template's whitespace is treated (Jinja2's environment options Ansible sets). */
export interface LexOptions {
  /** Remove the first newline after a block or comment tag (Ansible's template module: on). */
  readonly trimBlocks: boolean;
  /** Strip spaces and tabs before a block tag at the start of a line. */
  readonly lstripBlocks: boolean;
  /** Keep a single trailing newline of the template (Jinja2 removes it by default). */
  readonly keepTrailingNewline: boolean;
  /** What every newline of the template's text becomes (Jinja2's newline_sequence, `\n` by default). */
  readonly newlineSequence?: string;
  readonly delimiters?: Delimiters;
  /**
   * Read string literals inside `{{ }}` without backslash escapes: Ansible's Templar doubles
   * backslashes there for playbook values (escape_backslashes), so `'\d+'` reaches regex_replace
   * as written in the YAML. The template module does not.
   */
  readonly rawVariableStrings?: boolean;
}

/** Jinja2 reads `\r\n`, `\r` and `\n` alike as one newline; offsets in tokens are in this text. */
export function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
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
export function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (whole, code: string) => {
    if (code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return escapes[code] ?? whole;
  });
}

type TagKind = 'var' | 'block' | 'comment' | 'line_statement' | 'line_comment';

/** Where the next tag starts, which kind it is and how long its opening delimiter is. */
interface TagStart {
  readonly at: number;
  readonly kind: TagKind;
  readonly length: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class Lexer {
  readonly tokens: Token[] = [];
  private readonly text: string;
  private readonly delimiters: Delimiters;
  private readonly newline: string;
  private readonly lineStatement: RegExp | undefined;
  private readonly lineComment: RegExp | undefined;
  private pos = 0;
  /** Set by a tag ending in `-%}`/`-}}`: strip the whitespace that starts the next text. */
  private stripNext = false;

  constructor(
    source: string,
    private readonly options: LexOptions,
  ) {
    // As Jinja2's tokeniter: newlines normalised, then one trailing newline dropped.
    const text = normalizeNewlines(source);
    this.text = !options.keepTrailingNewline && text.endsWith('\n') ? text.slice(0, -1) : text;
    this.delimiters = options.delimiters ?? jinjaDelimiters;
    this.newline = options.newlineSequence ?? '\n';
    const { lineStatementPrefix, lineCommentPrefix } = this.delimiters;
    this.lineStatement = lineStatementPrefix === undefined ? undefined : new RegExp(`^[ \\t\\v]*${escapeRegExp(lineStatementPrefix)}`, 'gm');
    this.lineComment = lineCommentPrefix === undefined ? undefined : new RegExp(`[^\\S\\n]*${escapeRegExp(lineCommentPrefix)}`, 'g');
  }

  run(): Token[] {
    const { text } = this;
    while (this.pos < text.length) {
      const open = this.nextTag(this.pos);
      const end = open === undefined ? text.length : open.at;
      let data = text.slice(this.pos, end);
      const dataAt = this.pos;
      if (this.stripNext) {
        data = data.replace(/^\s+/, '');
        this.stripNext = false;
      }
      if (open === undefined) {
        this.pushData(data, dataAt);
        this.pos = text.length;
        break;
      }
      const marker = open.kind === 'var' || open.kind === 'block' || open.kind === 'comment' ? text[open.at + open.length] : undefined;
      if (marker === '-') data = data.replace(/\s+$/, '');
      else if (this.options.lstripBlocks && (open.kind === 'block' || open.kind === 'comment') && marker !== '+') data = this.lstrip(data, dataAt);
      this.pushData(data, dataAt);
      this.pos = open.at + open.length + (marker === '-' || marker === '+' ? 1 : 0);
      if (open.kind === 'comment') this.comment(open.at);
      else if (open.kind === 'line_comment') this.pos = this.lineEnd(this.pos);
      else if (open.kind === 'line_statement') this.tag('line_statement', open.at);
      else if (open.kind === 'block' && this.raw(open.at)) continue;
      else this.tag(open.kind, open.at);
    }
    this.tokens.push({ type: 'eof', at: text.length });
    return this.tokens;
  }

  /** The earliest tag from `from`; at one position the longest delimiter wins, as in Jinja2's root regex. */
  private nextTag(from: number): TagStart | undefined {
    const { text, delimiters } = this;
    const candidates: TagStart[] = [];
    const starts: readonly (readonly [TagKind, string])[] = [
      ['var', delimiters.variableStart],
      ['block', delimiters.blockStart],
      ['comment', delimiters.commentStart],
    ];
    for (const [kind, start] of starts) {
      const at = text.indexOf(start, from);
      if (at >= 0) candidates.push({ at, kind, length: start.length });
    }
    for (const [kind, pattern] of [['line_statement', this.lineStatement], ['line_comment', this.lineComment]] as const) {
      if (pattern === undefined) continue;
      pattern.lastIndex = from;
      const found = pattern.exec(text);
      if (found !== null) candidates.push({ at: found.index, kind, length: found[0].length });
    }
    let best: TagStart | undefined;
    for (const candidate of candidates) {
      if (best === undefined || candidate.at < best.at || (candidate.at === best.at && candidate.length > best.length)) best = candidate;
    }
    return best;
  }

  /** lstrip_blocks: the blanks before a tag go when they start its line. */
  private lstrip(data: string, dataAt: number): string {
    const lastLine = data.lastIndexOf('\n');
    if (lastLine < 0 && dataAt > 0 && this.text[dataAt - 1] !== '\n') return data;
    return /^[ \t]*$/.test(data.slice(lastLine + 1)) ? data.slice(0, lastLine + 1) : data;
  }

  private lineEnd(from: number): number {
    const eol = this.text.indexOf('\n', from);
    return eol < 0 ? this.text.length : eol;
  }

  private pushData(value: string, at: number): void {
    if (value !== '') this.tokens.push({ type: 'data', value: this.newline === '\n' ? value : value.replaceAll('\n', this.newline), at });
  }

  /** After a block or comment tag: `-` strips what follows, else trim_blocks eats one newline. */
  private afterBlockTag(endMarker: string | undefined): void {
    if (endMarker === '-') this.stripNext = true;
    else if (endMarker !== '+' && this.options.trimBlocks && this.text[this.pos] === '\n') this.pos += 1;
  }

  private comment(open: number): void {
    const { commentEnd } = this.delimiters;
    const close = this.text.indexOf(commentEnd, this.pos);
    if (close < 0) throw new JinjaSyntaxError('missing end of comment tag', open);
    const marker = this.text[close - 1];
    this.pos = close + commentEnd.length;
    this.afterBlockTag(marker === '-' || marker === '+' ? marker : undefined);
  }

  /** `{% raw %}…{% endraw %}`: the body is text, whatever it holds. */
  private raw(open: number): boolean {
    const { blockStart, blockEnd } = this.delimiters;
    const end = escapeRegExp(blockEnd);
    const head = new RegExp(`^\\s*raw\\s*([-+]?)${end}`).exec(this.text.slice(this.pos, this.pos + 40));
    if (head === null) return false;
    const bodyStart = this.pos + head[0].length;
    const endRe = new RegExp(`${escapeRegExp(blockStart)}([-+]?)\\s*endraw\\s*([-+]?)${end}`, 'g');
    endRe.lastIndex = bodyStart;
    const found = endRe.exec(this.text);
    if (found === null) throw new JinjaSyntaxError(`missing end of raw directive: expected '${blockStart} endraw ${blockEnd}'`, open);
    let body = this.text.slice(bodyStart, found.index);
    this.pos = bodyStart;
    // Jinja2 strips after `{% raw -%}` but applies no trim_blocks to the raw opening tag.
    if (head[1] === '-') body = body.replace(/^\s+/, '');
    if (found[1] === '-') body = body.replace(/\s+$/, '');
    else if (this.options.lstripBlocks && found[1] !== '+') body = this.lstrip(body, bodyStart);
    this.pushData(body, bodyStart);
    this.pos = found.index + found[0].length;
    this.afterBlockTag(found[2] || undefined);
    return true;
  }

  /** The closing delimiter at the current position, with its `-`/`+` marker, or undefined. */
  private closing(kind: 'var' | 'block'): { readonly length: number; readonly marker: string | undefined } | undefined {
    const { text, pos } = this;
    const close = kind === 'var' ? this.delimiters.variableEnd : this.delimiters.blockEnd;
    const marker = text[pos];
    if ((marker === '-' || (marker === '+' && kind === 'block')) && text.startsWith(close, pos + 1)) return { length: close.length + 1, marker };
    return text.startsWith(close, pos) ? { length: close.length, marker: undefined } : undefined;
  }

  private tag(kind: 'var' | 'block' | 'line_statement', open: number): void {
    const { text } = this;
    this.tokens.push({ type: kind === 'var' ? 'var_begin' : 'block_begin', at: open });
    const brackets: string[] = [];
    for (;;) {
      // A line statement ends at its line's end, unless a bracket is open.
      const blank = kind === 'line_statement' && brackets.length === 0 ? /[^\S\n]/ : /\s/;
      while (this.pos < text.length && blank.test(text[this.pos] ?? '')) this.pos++;
      if (kind === 'line_statement' && brackets.length === 0 && (this.pos >= text.length || text[this.pos] === '\n')) {
        this.tokens.push({ type: 'block_end', at: this.pos });
        if (this.pos < text.length) this.pos++;
        return;
      }
      const closer = kind === 'var' ? this.delimiters.variableEnd : this.delimiters.blockEnd;
      if (this.pos >= text.length) throw new JinjaSyntaxError(`unexpected end of template, expected '${closer}'`, open);
      const end = brackets.length === 0 && kind !== 'line_statement' ? this.closing(kind) : undefined;
      if (end !== undefined) {
        this.tokens.push({ type: kind === 'var' ? 'var_end' : 'block_end', at: this.pos });
        this.pos += end.length;
        if (kind === 'block') this.afterBlockTag(end.marker);
        else if (end.marker === '-') this.stripNext = true;
        return;
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
      const body = this.newline === '\n' ? text.slice(at + 1, i) : text.slice(at + 1, i).replaceAll('\n', this.newline);
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
