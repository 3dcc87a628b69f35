// Parses Jinja tokens into statements and expressions, following the grammar and operator
// precedence of Jinja2's parser (jinja2/parser.py): conditional expressions, or/and/not,
// comparison chains, + -, ~, * / // %, **, unary minus, then postfix `.x`, `[x]`, `(…)`,
// filters `| f(…)` and tests `is [not] t(…)`.
import type { BinaryOp, CompareOp, Expr, FilterCall, Kwargs, Node, Param, Target } from './ast.js';
import { JinjaSyntaxError } from './errors.js';
import { tokenize, type LexOptions, type Token } from './lexer.js';
import { makeFloat } from './values.js';

const constants: Readonly<Record<string, unknown>> = { true: true, false: false, none: null, True: true, False: false, None: null };
const compareOps = new Set(['==', '!=', '<', '<=', '>', '>=']);

type Stop = readonly string[];

class Parser {
  private i = 0;

  constructor(
    private readonly tokens: readonly Token[],
    /** A bare expression (`when:`), whose end is not a `}}` the user wrote. */
    private readonly bare = false,
  ) {}

  private get token(): Token {
    return this.tokens[this.i] ?? this.tokens[this.tokens.length - 1]!;
  }

  private peek(offset = 1): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private next(): Token {
    const token = this.token;
    if (this.i < this.tokens.length - 1) this.i++;
    return token;
  }

  private isOp(value: string, token: Token = this.token): boolean {
    return token.type === 'op' && token.value === value;
  }

  private isName(value: string, token: Token | undefined = this.token): boolean {
    return token?.type === 'name' && token.value === value;
  }

  private describe(token: Token): string {
    switch (token.type) {
      case 'eof':
        return 'end of template';
      case 'var_end':
        return this.bare ? 'end of expression' : "end of print statement '}}'";
      case 'block_end':
        return "end of statement block '%}'";
      case 'data':
        return 'template data';
      case 'var_begin':
      case 'block_begin':
        return 'begin of a tag';
      default:
        return `'${String(token.value)}'`;
    }
  }

  private expectOp(value: string): Token {
    if (!this.isOp(value)) throw new JinjaSyntaxError(`expected token '${value}', got ${this.describe(this.token)}`, this.token.at);
    return this.next();
  }

  private expectName(what = 'name'): string {
    const token = this.token;
    if (token.type !== 'name') throw new JinjaSyntaxError(`expected ${what}, got ${this.describe(token)}`, token.at);
    this.next();
    return token.value;
  }

  private expectBlockEnd(): void {
    if (this.token.type !== 'block_end') throw new JinjaSyntaxError(`expected token 'end of statement block', got ${this.describe(this.token)}`, this.token.at);
    this.next();
  }

  // ---- statements ----

  /** Statements until one of `stop` (a block tag name) or the end. */
  subparse(stop: Stop, opener?: { readonly tag: string; readonly at: number }): Node[] {
    const body: Node[] = [];
    for (;;) {
      const token = this.token;
      switch (token.type) {
        case 'data':
          this.next();
          body.push({ k: 'text', text: token.value, at: token.at });
          break;
        case 'var_begin': {
          this.next();
          const expr = this.expression();
          if (this.token.type !== 'var_end') throw new JinjaSyntaxError(`expected token 'end of print statement', got ${this.describe(this.token)}`, this.token.at);
          this.next();
          body.push({ k: 'print', expr, at: token.at });
          break;
        }
        case 'block_begin': {
          const name = this.peek();
          if (name?.type === 'name' && stop.includes(name.value)) return body;
          this.next();
          body.push(this.statement(token.at, stop));
          break;
        }
        case 'eof':
          if (opener !== undefined) {
            throw new JinjaSyntaxError(`unexpected end of template: the '${opener.tag}' block opened here was never closed (expected ${stop.map((s) => `'${s}'`).join(' or ')})`, opener.at);
          }
          return body;
        default:
          throw new JinjaSyntaxError(`unexpected ${this.describe(token)}`, token.at);
      }
    }
  }

  /** Consumes `{% name` of an expected end/middle tag. */
  private endTag(name: string): void {
    this.expectBlockBegin();
    const found = this.expectName();
    if (found !== name) throw new JinjaSyntaxError(`expected '${name}', got '${found}'`, this.token.at);
  }

  private expectBlockBegin(): void {
    if (this.token.type !== 'block_begin') throw new JinjaSyntaxError(`expected a block tag, got ${this.describe(this.token)}`, this.token.at);
    this.next();
  }

  private statement(at: number, stop: Stop): Node {
    const token = this.token;
    if (token.type !== 'name') throw new JinjaSyntaxError('tag name expected', token.at);
    const tag = token.value;
    this.next();
    switch (tag) {
      case 'if':
        return this.ifStatement(at);
      case 'for':
        return this.forStatement(at);
      case 'set':
        return this.setStatement(at);
      case 'macro':
        return this.macroStatement(at);
      case 'call':
        return this.callStatement(at);
      case 'include':
        return this.includeStatement(at);
      case 'import':
        return this.importStatement(at);
      case 'from':
        return this.fromStatement(at);
      case 'filter':
        return this.filterStatement(at);
      case 'with':
        return this.withStatement(at);
      default: {
        const closes = stop.length > 0 ? ` The innermost block that needs to be closed is expecting ${stop.map((s) => `'${s}'`).join(' or ')}.` : '';
        const known = ['endif', 'endfor', 'endset', 'endmacro', 'endcall', 'endfilter', 'endwith', 'else', 'elif'].includes(tag);
        throw new JinjaSyntaxError(known ? `Encountered unknown tag '${tag}'.${closes}` : `Encountered unknown tag '${tag}'.${closes}`, token.at);
      }
    }
  }

  private ifStatement(at: number): Node {
    const test = this.expression();
    this.expectBlockEnd();
    const body = this.subparse(['elif', 'else', 'endif'], { tag: 'if', at });
    this.expectBlockBegin();
    const tag = this.expectName();
    if (tag === 'elif') return { k: 'if', test, body, otherwise: [this.ifStatement(this.token.at)], at };
    if (tag === 'else') {
      this.expectBlockEnd();
      const otherwise = this.subparse(['endif'], { tag: 'if', at });
      this.endTag('endif');
      this.expectBlockEnd();
      return { k: 'if', test, body, otherwise, at };
    }
    this.expectBlockEnd();
    return { k: 'if', test, body, otherwise: [], at };
  }

  private assignTarget(allowNamespace: boolean): Target {
    const start = this.token.at;
    const one = (): Target => {
      if (this.isOp('(')) {
        this.next();
        const inner = this.assignTarget(false);
        this.expectOp(')');
        return inner;
      }
      const name = this.expectName('an assignment target');
      if (allowNamespace && this.isOp('.')) {
        this.next();
        return { k: 'nsattr', ns: name, attr: this.expectName('an attribute name') };
      }
      return { k: 'name', name };
    };
    const first = one();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.next();
      if (this.token.type !== 'name' && !this.isOp('(')) break;
      items.push(one());
    }
    if (items.some((item) => item.k === 'nsattr')) throw new JinjaSyntaxError("can't assign to a namespace attribute in a tuple", start);
    return { k: 'tuple', items };
  }

  private forStatement(at: number): Node {
    const target = this.assignTarget(false);
    if (!this.isName('in')) throw new JinjaSyntaxError(`expected 'in', got ${this.describe(this.token)}`, this.token.at);
    this.next();
    const iter = this.tuple(true, false);
    let filter: Expr | undefined;
    if (this.isName('if')) {
      this.next();
      filter = this.expression();
    }
    const recursive = this.isName('recursive');
    if (recursive) this.next();
    this.expectBlockEnd();
    const body = this.subparse(['endfor', 'else'], { tag: 'for', at });
    this.expectBlockBegin();
    let otherwise: Node[] = [];
    if (this.expectName() === 'else') {
      this.expectBlockEnd();
      otherwise = this.subparse(['endfor'], { tag: 'for', at });
      this.endTag('endfor');
    }
    this.expectBlockEnd();
    return { k: 'for', target, iter, filter, body, otherwise, recursive, at };
  }

  private setStatement(at: number): Node {
    const target = this.assignTarget(true);
    if (this.isOp('=')) {
      this.next();
      const expr = this.tuple(false, false);
      this.expectBlockEnd();
      return { k: 'set', target, expr, at };
    }
    const filters = this.filterChain();
    this.expectBlockEnd();
    const body = this.subparse(['endset'], { tag: 'set', at });
    this.endTag('endset');
    this.expectBlockEnd();
    return { k: 'setblock', target, body, filters, at };
  }

  private filterChain(): FilterCall[] {
    const filters: FilterCall[] = [];
    while (this.isOp('|')) {
      const at = this.next().at;
      filters.push({ ...this.filterNameAndArgs(), at });
    }
    return filters;
  }

  private params(): Param[] {
    const params: Param[] = [];
    this.expectOp('(');
    while (!this.isOp(')')) {
      if (params.length > 0) this.expectOp(',');
      if (this.isOp(')')) break;
      const name = this.expectName('a parameter name');
      let fallback: Expr | undefined;
      if (this.isOp('=')) {
        this.next();
        fallback = this.expression();
      }
      params.push({ name, default: fallback });
    }
    this.expectOp(')');
    return params;
  }

  private macroStatement(at: number): Node {
    const name = this.expectName('a macro name');
    const params = this.params();
    this.expectBlockEnd();
    const body = this.subparse(['endmacro'], { tag: 'macro', at });
    this.endTag('endmacro');
    if (this.token.type === 'name') this.next();
    this.expectBlockEnd();
    return { k: 'macro', name, params, body, at };
  }

  private callStatement(at: number): Node {
    const params = this.isOp('(') ? this.params() : [];
    const call = this.expression();
    if (call.k !== 'call') throw new JinjaSyntaxError('expected a call', call.at);
    this.expectBlockEnd();
    const body = this.subparse(['endcall'], { tag: 'call', at });
    this.endTag('endcall');
    this.expectBlockEnd();
    return { k: 'callblock', call, params, body, at };
  }

  private contextModifier(fallback: boolean): boolean {
    if ((this.isName('with') || this.isName('without')) && this.isName('context', this.peek())) {
      const withContext = this.next().type === 'name' && this.tokens[this.i - 1]?.type === 'name' && (this.tokens[this.i - 1] as { value: string }).value === 'with';
      this.next();
      return withContext;
    }
    return fallback;
  }

  private includeStatement(at: number): Node {
    const template = this.expression();
    let ignoreMissing = false;
    if (this.isName('ignore') && this.isName('missing', this.peek())) {
      this.next();
      this.next();
      ignoreMissing = true;
    }
    const withContext = this.contextModifier(true);
    this.expectBlockEnd();
    return { k: 'include', template, ignoreMissing, withContext, at };
  }

  private importStatement(at: number): Node {
    const template = this.expression();
    if (!this.isName('as')) throw new JinjaSyntaxError(`expected 'as', got ${this.describe(this.token)}`, this.token.at);
    this.next();
    const alias = this.expectName();
    const withContext = this.contextModifier(false);
    this.expectBlockEnd();
    return { k: 'import', template, alias, withContext, at };
  }

  private fromStatement(at: number): Node {
    const template = this.expression();
    if (!this.isName('import')) throw new JinjaSyntaxError(`expected 'import', got ${this.describe(this.token)}`, this.token.at);
    this.next();
    const names: [string, string][] = [];
    while (this.token.type === 'name' && !((this.isName('with') || this.isName('without')) && this.isName('context', this.peek()))) {
      const name = this.expectName();
      let alias = name;
      if (this.isName('as')) {
        this.next();
        alias = this.expectName();
      }
      names.push([name, alias]);
      if (!this.isOp(',')) break;
      this.next();
    }
    const withContext = this.contextModifier(false);
    this.expectBlockEnd();
    return { k: 'fromimport', template, names, withContext, at };
  }

  private filterStatement(at: number): Node {
    const filters: FilterCall[] = [{ ...this.filterNameAndArgs(), at: this.token.at }];
    filters.push(...this.filterChain());
    this.expectBlockEnd();
    const body = this.subparse(['endfilter'], { tag: 'filter', at });
    this.endTag('endfilter');
    this.expectBlockEnd();
    return { k: 'filterblock', filters, body, at };
  }

  private withStatement(at: number): Node {
    const assigns: [Target, Expr][] = [];
    while (this.token.type !== 'block_end') {
      if (assigns.length > 0) this.expectOp(',');
      const target = this.assignTarget(false);
      this.expectOp('=');
      assigns.push([target, this.expression()]);
    }
    this.expectBlockEnd();
    const body = this.subparse(['endwith'], { tag: 'with', at });
    this.endTag('endwith');
    this.expectBlockEnd();
    return { k: 'with', assigns, body, at };
  }

  // ---- expressions ----

  /** A full expression, with the inline `a if b else c`. */
  expression(withCondexpr = true): Expr {
    return withCondexpr ? this.condexpr() : this.or();
  }

  private condexpr(): Expr {
    let expr = this.or();
    while (this.isName('if')) {
      const at = this.next().at;
      const test = this.or();
      let otherwise: Expr | undefined;
      if (this.isName('else')) {
        this.next();
        otherwise = this.condexpr();
      }
      expr = { k: 'cond', test, then: expr, otherwise, at };
    }
    return expr;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isName('or')) {
      const at = this.next().at;
      left = { k: 'binary', op: 'or', left, right: this.and(), at };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isName('and')) {
      const at = this.next().at;
      left = { k: 'binary', op: 'and', left, right: this.not(), at };
    }
    return left;
  }

  private not(): Expr {
    if (this.isName('not')) {
      const at = this.next().at;
      return { k: 'unary', op: 'not', operand: this.not(), at };
    }
    return this.compare();
  }

  private compare(): Expr {
    const first = this.math1();
    const rest: [CompareOp, Expr][] = [];
    for (;;) {
      const token = this.token;
      if (token.type === 'op' && compareOps.has(token.value)) {
        this.next();
        rest.push([token.value as CompareOp, this.math1()]);
      } else if (this.isName('in')) {
        this.next();
        rest.push(['in', this.math1()]);
      } else if (this.isName('not') && this.isName('in', this.peek())) {
        this.next();
        this.next();
        rest.push(['not in', this.math1()]);
      } else break;
    }
    return rest.length === 0 ? first : { k: 'compare', first, rest, at: first.at };
  }

  private binaryLevel(ops: readonly string[], operand: () => Expr): Expr {
    let left = operand();
    while (this.token.type === 'op' && ops.includes((this.token as { value: string }).value)) {
      const token = this.next() as { value: string; at: number };
      left = { k: 'binary', op: token.value as BinaryOp, left, right: operand(), at: token.at };
    }
    return left;
  }

  private math1(): Expr {
    return this.binaryLevel(['+', '-'], () => this.concat());
  }

  private concat(): Expr {
    return this.binaryLevel(['~'], () => this.math2());
  }

  private math2(): Expr {
    return this.binaryLevel(['*', '/', '//', '%'], () => this.pow());
  }

  private pow(): Expr {
    return this.binaryLevel(['**'], () => this.unary(true));
  }

  private unary(withFilter: boolean): Expr {
    let node: Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const token = this.next() as { value: '-' | '+'; at: number };
      node = { k: 'unary', op: token.value, operand: this.unary(false), at: token.at };
    } else node = this.primary();
    node = this.postfix(node);
    return withFilter ? this.filterExpr(node) : node;
  }

  private primary(): Expr {
    const token = this.token;
    switch (token.type) {
      case 'name':
        this.next();
        if (Object.hasOwn(constants, token.value)) return { k: 'const', value: constants[token.value], at: token.at };
        return { k: 'name', name: token.value, at: token.at };
      case 'string': {
        this.next();
        let value = token.value;
        while (this.token.type === 'string') value += (this.next() as { value: string }).value;
        return { k: 'const', value, at: token.at };
      }
      case 'int':
        this.next();
        return { k: 'const', value: token.value, at: token.at };
      case 'float':
        this.next();
        return { k: 'const', value: makeFloat(token.value), at: token.at };
      case 'op':
        if (token.value === '(') {
          this.next();
          const inner = this.tuple(false, true);
          this.expectOp(')');
          return inner;
        }
        if (token.value === '[') return this.list();
        if (token.value === '{') return this.dict();
        break;
      default:
        break;
    }
    throw new JinjaSyntaxError(`unexpected ${this.describe(token)}`, token.at);
  }

  /** `a, b` as a tuple where Jinja allows one (for targets, parentheses, set). */
  private tuple(simplified: boolean, explicitParentheses: boolean): Expr {
    const at = this.token.at;
    const items: Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length > 0) this.expectOp(',');
      if (this.token.type === 'block_end' || this.token.type === 'var_end' || this.isOp(')') || this.isName('if') || this.isName('recursive')) {
        if (items.length === 0 && explicitParentheses) return { k: 'tuple', items: [], at };
        break;
      }
      items.push(simplified ? this.or() : this.expression());
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items[0] === undefined) throw new JinjaSyntaxError(`expected an expression, got ${this.describe(this.token)}`, this.token.at);
      return items[0];
    }
    return { k: 'tuple', items, at };
  }

  private list(): Expr {
    const at = this.expectOp('[').at;
    const items: Expr[] = [];
    while (!this.isOp(']')) {
      if (items.length > 0) this.expectOp(',');
      if (this.isOp(']')) break;
      items.push(this.expression());
    }
    this.expectOp(']');
    return { k: 'list', items, at };
  }

  private dict(): Expr {
    const at = this.expectOp('{').at;
    const pairs: [Expr, Expr][] = [];
    while (!this.isOp('}')) {
      if (pairs.length > 0) this.expectOp(',');
      if (this.isOp('}')) break;
      const key = this.expression();
      this.expectOp(':');
      pairs.push([key, this.expression()]);
    }
    this.expectOp('}');
    return { k: 'dict', pairs, at };
  }

  private postfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.subscript(node);
      else if (this.isOp('(')) node = this.call(node);
      else return node;
    }
  }

  private filterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) node = this.filter(node);
      else if (this.isName('is')) node = this.test(node);
      else if (this.isOp('(')) node = this.call(node);
      else return node;
    }
  }

  private subscript(node: Expr): Expr {
    const token = this.next();
    if (this.isOp('.', token)) {
      const attr = this.token;
      if (attr.type === 'name') {
        this.next();
        return { k: 'getattr', object: node, attr: attr.value, at: attr.at };
      }
      if (attr.type === 'int') {
        this.next();
        return { k: 'getitem', object: node, key: { k: 'const', value: attr.value, at: attr.at }, at: attr.at };
      }
      throw new JinjaSyntaxError(`expected name or number, got ${this.describe(attr)}`, attr.at);
    }
    // `[`: an index, a slice or (Jinja allows) a tuple of them.
    const parts: Expr[] = [];
    let slice: Expr | undefined;
    while (!this.isOp(']')) {
      if (parts.length > 0 || slice !== undefined) this.expectOp(',');
      const piece = this.subscribed(node, token.at);
      if (piece.k === 'slice') slice = piece;
      else parts.push(piece);
    }
    this.expectOp(']');
    if (slice !== undefined) return slice;
    const key = parts.length === 1 && parts[0] !== undefined ? parts[0] : { k: 'tuple' as const, items: parts, at: token.at };
    return { k: 'getitem', object: node, key, at: token.at };
  }

  private subscribed(object: Expr, at: number): Expr {
    let start: Expr | undefined;
    if (!this.isOp(':')) {
      start = this.expression();
      if (!this.isOp(':')) return start;
    }
    this.next();
    let stop: Expr | undefined;
    let step: Expr | undefined;
    if (!this.isOp(']') && !this.isOp(',') && !this.isOp(':')) stop = this.expression();
    if (this.isOp(':')) {
      this.next();
      if (!this.isOp(']') && !this.isOp(',')) step = this.expression();
    }
    return { k: 'slice', object, start, stop, step, at };
  }

  private callArgs(): { args: Expr[]; kwargs: [string, Expr][]; star: Expr | undefined; dstar: Expr | undefined; repeated: { name: string; at: number } | undefined } {
    let repeated: { name: string; at: number } | undefined;
    this.expectOp('(');
    const args: Expr[] = [];
    const kwargs: [string, Expr][] = [];
    let star: Expr | undefined;
    let dstar: Expr | undefined;
    let first = true;
    while (!this.isOp(')')) {
      if (!first) {
        this.expectOp(',');
        if (this.isOp(')')) break;
      }
      first = false;
      if (this.isOp('*')) {
        this.next();
        star = this.expression();
      } else if (this.isOp('**')) {
        this.next();
        dstar = this.expression();
      } else if (this.token.type === 'name' && this.isOp('=', this.peek())) {
        const nameAt = this.token.at;
        const name = (this.next() as { value: string }).value;
        this.next();
        if (repeated === undefined && kwargs.some(([given]) => given === name)) repeated = { name, at: nameAt };
        kwargs.push([name, this.expression()]);
      } else {
        if (kwargs.length > 0) throw new JinjaSyntaxError('invalid syntax for function call expression: positional argument follows keyword argument', this.token.at);
        args.push(this.expression());
      }
    }
    this.expectOp(')');
    return { args, kwargs, star, dstar, repeated };
  }

  /**
   * Jinja2 compiles keyword arguments into a Python call, and Python refuses the same keyword twice:
   * `SyntaxError: keyword argument repeated: a` (so `dict(a=1, a=2)` never renders). Only a filter
   * or test whose operands are all literals escapes it, folded by Jinja's optimizer with the last
   * value winning; beastie folds the same ones.
   */
  private refuseRepeated(repeated: { name: string; at: number } | undefined, folded: boolean): void {
    if (repeated === undefined || folded) return;
    throw new JinjaSyntaxError(`keyword argument repeated: ${repeated.name}`, repeated.at, `give ${repeated.name}= once`);
  }

  private call(callee: Expr): Expr {
    const at = this.token.at;
    const { args, kwargs, star, dstar, repeated } = this.callArgs();
    this.refuseRepeated(repeated, false);
    return { k: 'call', callee, args, kwargs, star, dstar, at };
  }

  private filterNameAndArgs(subject?: Expr): { name: string; args: Expr[]; kwargs: Kwargs } {
    let name = this.expectName('a filter name');
    while (this.isOp('.')) {
      this.next();
      name += `.${this.expectName('a filter name')}`;
    }
    if (!this.isOp('(')) return { name, args: [], kwargs: [] };
    const { args, kwargs, repeated } = this.callArgs();
    this.refuseRepeated(repeated, subject !== undefined && [subject, ...args, ...kwargs.map(([, value]) => value)].every(isLiteral));
    return { name, args, kwargs };
  }

  private filter(subject: Expr): Expr {
    const at = this.expectOp('|').at;
    const { name, args, kwargs } = this.filterNameAndArgs(subject);
    return { k: 'filter', subject, name, args, kwargs, at };
  }

  private test(subject: Expr): Expr {
    const at = this.next().at;
    let negated = false;
    if (this.isName('not')) {
      this.next();
      negated = true;
    }
    let name = this.expectName('a test name');
    while (this.isOp('.')) {
      this.next();
      name += `.${this.expectName('a test name')}`;
    }
    let args: Expr[] = [];
    let kwargs: Kwargs = [];
    if (this.isOp('(')) {
      let repeated: { name: string; at: number } | undefined;
      ({ args, kwargs, repeated } = this.callArgs());
      this.refuseRepeated(repeated, [subject, ...args, ...kwargs.map(([, value]) => value)].every(isLiteral));
    } else if (this.startsBareArgument()) args = [this.postfix(this.primary())];
    return { k: 'test', subject, name, args, kwargs, negated, at };
  }

  /** Jinja's `x is divisibleby 3`: a test takes one argument without parentheses. */
  private startsBareArgument(): boolean {
    const token = this.token;
    if (token.type === 'name') return !['else', 'or', 'and', 'if', 'is', 'in', 'not', 'recursive'].includes(token.value);
    return token.type === 'string' || token.type === 'int' || token.type === 'float' || this.isOp('[') || this.isOp('{') || this.isOp('(') || this.isOp('-');
  }

  atEnd(): Token {
    return this.token;
  }
}

/** The statements of a whole template. */
export function parseTemplate(text: string, options: LexOptions): Node[] {
  const parser = new Parser(tokenize(text, options));
  return parser.subparse([]);
}

/** One expression (a `when:` condition, a filter argument): the text inside `{{ }}`. */
export function parseExpression(text: string): Expr {
  const shift = (at: number): number => Math.min(text.length, Math.max(0, at - 3));
  let raw: Token[];
  try {
    raw = tokenize(`{{ ${text} }}`, { trimBlocks: false, lstripBlocks: false, keepTrailingNewline: true });
  } catch (error) {
    if (error instanceof JinjaSyntaxError) throw new JinjaSyntaxError(error.message, shift(error.at));
    throw error;
  }
  const tokens = raw.map((token) => ({ ...token, at: shift(token.at) }));
  const parser = new Parser(tokens, true);
  const begin = parser.atEnd();
  if (begin.type !== 'var_begin') throw new JinjaSyntaxError('expected an expression', 0);
  (parser as unknown as { next(): Token }).next();
  const expr = parser.expression();
  const end = parser.atEnd();
  if (end.type !== 'var_end') throw new JinjaSyntaxError(`unexpected '${'value' in end ? String(end.value) : end.type}' after the expression`, end.at);
  return expr;
}

/** Whether Jinja's optimizer can fold an expression: a literal, or a list / tuple / dict of them. */
function isLiteral(expr: Expr): boolean {
  if (expr.k === 'const') return true;
  if (expr.k === 'list' || expr.k === 'tuple') return expr.items.every(isLiteral);
  if (expr.k === 'dict') return expr.pairs.every(([key, value]) => isLiteral(key) && isLiteral(value));
  return false;
}
