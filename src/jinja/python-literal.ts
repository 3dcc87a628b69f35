// Python's ast.literal_eval of a text, as ansible-core 2.14's ansible_eval_concat
// (lib/ansible/template/native_helpers.py) reads a rendered value back and the INI inventory
// plugin reads a value (src/inventory/python-literal.ts): strings (prefixes, escapes,
// triple quotes, adjacent ones joined), ints and floats, True/False/None and, through its
// Json2Python pass, JSON's true/false/null, lists, tuples, dicts and sets (as lists), signs on
// numbers, comments and line breaks inside brackets. undefined where literal_eval raises
// ValueError or SyntaxError (Ansible then keeps the text); bytes and complex numbers count as
// that too, as beastie has no such values.
import { dictFrom, makeFloat, PyFloat, pyStr, tuple } from './values.js';

class NotLiteral extends Error {}

const pythonNames: Readonly<Record<string, unknown>> = { True: true, False: false, None: null };
/** Ansible's Json2Python pass: JSON's names too. */
const withJsonNames: Readonly<Record<string, unknown>> = { ...pythonNames, true: true, false: false, null: null };
const simpleEscapes: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };

class Reader {
  private at = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly names: Readonly<Record<string, unknown>>,
  ) {}

  read(): unknown {
    const value = this.expression();
    this.blank();
    if (this.at < this.text.length) throw new NotLiteral();
    return value;
  }

  /** Blanks and comments; line breaks only inside brackets (or escaped), as Python's tokenizer joins lines. */
  private blank(): void {
    for (;;) {
      const char = this.text[this.at];
      if (char === ' ' || char === '\t' || char === '\f') this.at += 1;
      else if (char === '\\' && this.text[this.at + 1] === '\n') this.at += 2;
      else if (char === '#') while (this.at < this.text.length && this.text[this.at] !== '\n') this.at += 1;
      else if ((char === '\n' || char === '\r') && (this.depth > 0 || this.text.slice(this.at).trim() === '')) this.at += 1;
      else return;
    }
  }

  private peek(): string {
    this.blank();
    return this.text[this.at] ?? '';
  }

  private expect(char: string): void {
    if (this.peek() !== char) throw new NotLiteral();
    this.at += 1;
  }

  private expression(): unknown {
    const char = this.peek();
    if (char === '-' || char === '+') {
      // A sign only before a number (literal_eval's _convert_signed_num), and only one.
      this.at += 1;
      if (!/[0-9.]/.test(this.peek())) throw new NotLiteral();
      const operand = this.number();
      if (char === '+') return operand;
      return operand instanceof PyFloat ? makeFloat(-operand.value) : typeof operand === 'bigint' ? -operand : -(operand as number);
    }
    return this.atom();
  }

  private sequence(close: string): unknown[] {
    const items: unknown[] = [];
    this.depth += 1;
    while (this.peek() !== close) {
      items.push(this.expression());
      if (this.peek() !== ',') break;
      this.at += 1;
    }
    this.expect(close);
    this.depth -= 1;
    return items;
  }

  private atom(): unknown {
    const char = this.peek();
    if (char === '[') {
      this.at += 1;
      return this.sequence(']');
    }
    if (char === '(') {
      this.at += 1;
      this.depth += 1;
      if (this.peek() === ')') {
        this.at += 1;
        this.depth -= 1;
        return tuple([]);
      }
      const first = this.expression();
      if (this.peek() === ')') {
        this.at += 1;
        this.depth -= 1;
        return first;
      }
      this.expect(',');
      this.depth -= 1;
      return tuple([first, ...this.sequence(')')]);
    }
    if (char === '{') return this.braces();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at))?.[0];
    if (word !== undefined) {
      const after = this.text[this.at + word.length];
      if (after === "'" || after === '"') {
        if (/^[rRuU]$/.test(word)) return this.strings();
        // b'…' is bytes and f'…' no literal: neither is a value beastie reads back.
        throw new NotLiteral();
      }
      if (!Object.hasOwn(this.names, word)) throw new NotLiteral();
      this.at += word.length;
      return this.names[word];
    }
    if (char === "'" || char === '"') return this.strings();
    return this.number();
  }

  private braces(): unknown {
    this.at += 1;
    this.depth += 1;
    if (this.peek() === '}') {
      this.at += 1;
      this.depth -= 1;
      return {};
    }
    const first = this.expression();
    if (this.peek() !== ':') {
      this.depth -= 1;
      // A set; beastie has no set type, and one becomes a list on its way to JSON anyway.
      if (this.peek() === '}') {
        this.at += 1;
        return [first];
      }
      this.expect(',');
      this.depth += 1;
      const rest = this.sequence('}');
      this.depth -= 1;
      return [first, ...rest];
    }
    const pairs: [string, unknown][] = [];
    let key = first;
    for (;;) {
      if (Array.isArray(key) || (typeof key === 'object' && key !== null)) throw new NotLiteral();
      this.expect(':');
      pairs.push([pyStr(key), this.expression()]);
      if (this.peek() !== ',') break;
      this.at += 1;
      if (this.peek() === '}') break;
      key = this.expression();
    }
    this.expect('}');
    this.depth -= 1;
    return dictFrom(pairs);
  }

  /** One or more adjacent string literals, joined. */
  private strings(): string {
    let out = '';
    do out += this.string();
    while (this.peek() !== '' && /^[rRuU]?['"]/.test(this.text.slice(this.at)));
    return out;
  }

  private string(): string {
    const prefix = /^[rRuU]?/.exec(this.text.slice(this.at))?.[0] ?? '';
    this.at += prefix.length;
    const raw = /[rR]/.test(prefix);
    const quote = this.text.startsWith(this.text[this.at]?.repeat(3) ?? '', this.at) && /['"]/.test(this.text[this.at] ?? '') ? (this.text[this.at] ?? '').repeat(3) : this.text[this.at] ?? '';
    if (quote !== "'" && quote !== '"' && quote !== "'''" && quote !== '"""') throw new NotLiteral();
    this.at += quote.length;
    let out = '';
    for (;;) {
      if (this.at >= this.text.length) throw new NotLiteral();
      if (this.text.startsWith(quote, this.at)) {
        this.at += quote.length;
        return out;
      }
      const char = this.text[this.at] ?? '';
      if (char === '\n' && quote.length === 1) throw new NotLiteral();
      if (char !== '\\') {
        out += char;
        this.at += 1;
        continue;
      }
      const next = this.text[this.at + 1] ?? '';
      if (raw) {
        out += `\\${next}`;
        this.at += 2;
        continue;
      }
      this.at += 2;
      const simple = simpleEscapes[next];
      if (simple !== undefined) out += simple;
      else if (/[0-7]/.test(next)) {
        const digits = /^[0-7]{1,3}/.exec(this.text.slice(this.at - 1))?.[0] ?? next;
        out += String.fromCodePoint(Number.parseInt(digits, 8));
        this.at += digits.length - 1;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = this.text.slice(this.at, this.at + length);
        if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex) || Number.parseInt(hex, 16) > 0x10ffff) throw new NotLiteral();
        out += String.fromCodePoint(Number.parseInt(hex, 16));
        this.at += length;
      } else if (next === 'N') throw new NotLiteral();
      else out += `\\${next}`;
    }
  }

  private number(): unknown {
    const rest = this.text.slice(this.at);
    const radix = /^0([xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)(?![0-9A-Za-z_.])/.exec(rest);
    if (radix !== null) {
      this.at += radix[0].length;
      return integer(BigInt(radix[0].replaceAll('_', '').toLowerCase()));
    }
    const digits = '\\d(?:_?\\d)*';
    const float = new RegExp(`^(?:(?:${digits})?\\.${digits}|${digits}\\.)(?:[eE][-+]?${digits})?(?![0-9A-Za-z_.])|^${digits}[eE][-+]?${digits}(?![0-9A-Za-z_.])`).exec(rest);
    if (float !== null) {
      this.at += float[0].length;
      return makeFloat(Number(float[0].replaceAll('_', '')));
    }
    const int = new RegExp(`^(?:0(?:_?0)*|[1-9](?:_?\\d)*)(?![0-9A-Za-z_.])`).exec(rest);
    if (int === null) throw new NotLiteral();
    this.at += int[0].length;
    return integer(BigInt(int[0].replaceAll('_', '')));
  }
}

function integer(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/**
 * ast.literal_eval(text) (which skips leading blanks), after Ansible's Json2Python pass when
 * `jsonNames`; undefined where Python raises (the caller then keeps the text).
 */
export function pythonLiteralEval(text: string, options: { readonly jsonNames: boolean } = { jsonNames: true }): { readonly value: unknown } | undefined {
  try {
    return { value: new Reader(text.replace(/^[ \t]+/, ''), options.jsonNames ? withJsonNames : pythonNames).read() };
  } catch (error) {
    if (error instanceof NotLiteral) return undefined;
    throw error;
  }
}
