// Runs a parsed Jinja template over a host's variables with Jinja2's semantics: scoping of
// `set` (a `for` body and a macro are scopes, an `if` is not), `loop.*`, macros and `caller()`,
// includes and imports, filters and tests. Attribute access reaches only the keys of mappings and
// the Python methods methods.ts defines: nothing in an expression can touch a JavaScript
// prototype, constructor or function.
import type { Expr, FilterCall, Kwargs, Node, Param, Target } from './ast.js';
import { JinjaRenderError } from './errors.js';
import { attribute, item } from './methods.js';
import { binary, contains } from './operators.js';
import type { Filter, GlobalFunction, RenderScope, Test } from './registry.js';
import { Callable, dictFrom, isDict, iterate, Namespace, OMIT, pyCompare, pyEquals, pyStr, truthy, tuple, Undefined, type CallArgs } from './values.js';

/** A template found by name for include / import / lookup('template'). */
export interface LoadedTemplate {
  /** Where it lives, for error messages (a path). */
  readonly name: string;
  readonly nodes: readonly Node[];
  /** Its text, so errors inside it can give a line. */
  readonly text: string;
}

/** Everything a render needs besides the template: the registries and how to find other templates. */
export interface Engine {
  readonly filters: ReadonlyMap<string, Filter>;
  readonly tests: ReadonlyMap<string, Test>;
  readonly globals: ReadonlyMap<string, GlobalFunction>;
  /** A template by name, searched from the including template's directory and the search path. */
  load(name: string, from: string, searchDirs: readonly string[]): LoadedTemplate | undefined;
  /** Renders a template text with given variables (lookup('template')). */
  renderText(text: string, name: string, vars: Readonly<Record<string, unknown>>, searchDirs: readonly string[]): string;
  /** Renders a template text over `vars` alone, as a filter plugin's own environment.from_string(…).render(**vars). */
  renderBare(text: string, vars: Readonly<Record<string, unknown>>): unknown;
  renderTemplar(text: string, vars: Readonly<Record<string, unknown>>, searchDirs: readonly string[]): unknown;
}

/** A failure inside an included template, carried out with the file and offset it happened at. */
export class IncludedTemplateError extends Error {
  constructor(
    readonly template: LoadedTemplate,
    override readonly cause: JinjaRenderError,
  ) {
    super(cause.message);
  }
}

/** Names visible in one scope; the root frame reads the host's variables. */
class Frame {
  readonly locals = new Map<string, unknown>();

  constructor(
    readonly parent: Frame | undefined,
    readonly vars: Readonly<Record<string, unknown>>,
  ) {}

  lookup(name: string): unknown {
    for (let frame: Frame | undefined = this; frame !== undefined; frame = frame.parent) {
      if (frame.locals.has(name)) return frame.locals.get(name);
    }
    try {
      return Object.hasOwn(this.vars, name) ? this.vars[name] : MISSING;
    } catch (error) {
      const lazy = undefinedVariable(error);
      if (lazy === undefined) throw error;
      return lazy;
    }
  }

  child(): Frame {
    return new Frame(this, this.vars);
  }
}

const MISSING = Symbol('missing');

/**
 * A variable whose own template fails on an undefined value is, as Ansible 2.14's AnsibleJ2Vars
 * makes it, an undefined value itself: it fails (with that message) only when used, so
 * `x is defined`, `x | default(…)` and `[] | difference(x)` work as in Ansible. The runner's
 * variables render when read and throw; their cause is the Jinja failure.
 */
function undefinedVariable(error: unknown): Undefined | undefined {
  for (let cause: unknown = error; typeof cause === 'object' && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    const name = (cause as { undefinedName?: unknown }).undefinedName;
    if (typeof name === 'string' && cause instanceof Error) return new Undefined(name, cause.message);
  }
  return undefined;
}

/** `loop` inside a for: index, first, last, length, cycle(), previtem, nextitem, depth, changed(). */
class Loop {
  index0 = 0;
  private lastChanged: unknown = MISSING;

  constructor(
    readonly items: readonly unknown[],
    readonly depth0: number,
    readonly recurse: Callable | undefined,
  ) {}

  attribute(name: string): unknown {
    const length = this.items.length;
    switch (name) {
      case 'index':
        return this.index0 + 1;
      case 'index0':
        return this.index0;
      case 'revindex':
        return length - this.index0;
      case 'revindex0':
        return length - this.index0 - 1;
      case 'first':
        return this.index0 === 0;
      case 'last':
        return this.index0 === length - 1;
      case 'length':
        return length;
      case 'depth':
        return this.depth0 + 1;
      case 'depth0':
        return this.depth0;
      case 'previtem':
        return this.index0 > 0 ? this.items[this.index0 - 1] : new Undefined('previtem', "there is no previous item");
      case 'nextitem':
        return this.index0 < length - 1 ? this.items[this.index0 + 1] : new Undefined('nextitem', 'there is no next item');
      case 'cycle':
        return new Callable('loop.cycle', ({ args }) => {
          if (args.length === 0) throw new JinjaRenderError('no items for cycling given');
          return args[this.index0 % args.length];
        });
      case 'changed':
        return new Callable('loop.changed', ({ args }) => {
          const value = args.length === 1 ? args[0] : args;
          if (this.lastChanged !== MISSING && pyEquals(this.lastChanged, value)) return false;
          this.lastChanged = value;
          return true;
        });
      default:
        return new Undefined(name, `'LoopContext object' has no attribute '${name}'`);
    }
  }
}

/** One render of one template (and what it includes). */
export class Interpreter implements RenderScope {
  private readonly root: Frame;
  /** The template being run, for errors inside includes. */
  private current: LoadedTemplate;
  /**
   * The template the render started from: include and import names resolve from its directory
   * (then the search path), whichever file names them, as Jinja2's FileSystemLoader resolves every
   * name against one search path (the template action's holds the top template's directory).
   */
  private readonly top: LoadedTemplate;

  constructor(
    private readonly engine: Engine,
    vars: Readonly<Record<string, unknown>>,
    readonly searchDirs: readonly string[],
    template: LoadedTemplate,
  ) {
    this.root = new Frame(undefined, vars);
    this.current = template;
    this.top = template;
  }

  // ---- RenderScope, for filters and lookups ----

  variable(name: string): unknown {
    const value = this.root.lookup(name);
    return value === MISSING ? undefined : value;
  }

  variableNames(): readonly string[] {
    // Reflect.ownKeys, not Object.keys: the names only, without reading (rendering) each value.
    return Reflect.ownKeys(this.root.vars).filter((key): key is string => typeof key === 'string');
  }

  renderText(text: string, name: string, extraVars: Readonly<Record<string, unknown>> = {}): string {
    const vars = Object.keys(extraVars).length === 0 ? this.root.vars : new Proxy(this.root.vars, {
      get: (target, key) => (typeof key === 'string' && Object.hasOwn(extraVars, key) ? extraVars[key] : Reflect.get(target, key)),
      has: (target, key) => (typeof key === 'string' && Object.hasOwn(extraVars, key)) || Reflect.has(target, key),
      getOwnPropertyDescriptor: (target, key) =>
        typeof key === 'string' && Object.hasOwn(extraVars, key) ? { value: extraVars[key], enumerable: true, configurable: true, writable: false } : Reflect.getOwnPropertyDescriptor(target, key),
      ownKeys: (target) => [...new Set([...Reflect.ownKeys(target), ...Object.keys(extraVars)])],
    });
    return this.engine.renderText(text, name, vars, this.searchDirs);
  }

  renderBare(text: string, vars: Readonly<Record<string, unknown>>): unknown {
    return this.engine.renderBare(text, vars);
  }

  renderTemplar(text: string, vars: Readonly<Record<string, unknown>>): unknown {
    return this.engine.renderTemplar(text, vars, this.searchDirs);
  }

  // ---- running ----

  /** Output of the template's statements. */
  run(nodes: readonly Node[]): string {
    const out: string[] = [];
    this.block(nodes, this.root, out);
    return out.join('');
  }

  /** The value of a template that is one `{{ expression }}` (a whole value keeps its type). */
  value(expr: Expr): unknown {
    return this.located(expr.at, () => this.eval(expr, this.root));
  }

  private located<T>(at: number, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof JinjaRenderError && error.at === undefined) error.at = at;
      throw error;
    }
  }

  private block(nodes: readonly Node[], frame: Frame, out: string[]): void {
    for (const node of nodes) this.located(node.at, () => this.statement(node, frame, out));
  }

  private statement(node: Node, frame: Frame, out: string[]): void {
    switch (node.k) {
      case 'text':
        out.push(node.text);
        return;
      case 'print':
        // Errors point at the expression itself (the column of the name that is undefined).
        this.located(node.expr.at, () => {
          const value = this.eval(node.expr, frame);
          // Ansible's finalize: none prints as nothing.
          if (value !== null) out.push(pyStr(value));
        });
        return;
      case 'if':
        this.block(truthy(this.eval(node.test, frame)) ? node.body : node.otherwise, frame, out);
        return;
      case 'for':
        this.forLoop(node, frame, out, this.eval(node.iter, frame), 0);
        return;
      case 'set':
        this.assign(node.target, this.eval(node.expr, frame), frame);
        return;
      case 'setblock': {
        const inner: string[] = [];
        this.block(node.body, frame.child(), inner);
        this.assign(node.target, this.applyFilters(node.filters, inner.join(''), frame), frame);
        return;
      }
      case 'macro':
        frame.locals.set(node.name, this.macro(node.name, node.params, node.body, frame, undefined));
        return;
      case 'callblock': {
        const caller = this.macro('caller', node.params, node.body, frame, undefined);
        const call = node.call as Extract<Expr, { k: 'call' }>;
        const callee = this.eval(call.callee, frame);
        if (!(callee instanceof Callable) || !macroCallers.has(callee)) throw new JinjaRenderError(`'{% call %}' needs a macro, got ${pyStr(callee)}`);
        const { args, kwargs } = this.callArgs(call.args, call.kwargs, call.star, call.dstar, frame);
        out.push(pyStr(macroCallers.get(callee)?.({ args, kwargs }, caller)));
        return;
      }
      case 'include':
        this.include(node, frame, out);
        return;
      case 'import': {
        const module = this.importTemplate(node.template, frame, node.withContext);
        frame.locals.set(node.alias, module);
        return;
      }
      case 'fromimport': {
        const module = this.importTemplate(node.template, frame, node.withContext);
        for (const [name, alias] of node.names) {
          frame.locals.set(alias, module.attrs.has(name) ? module.attrs.get(name) : new Undefined(name, `the template does not export the requested name '${name}'`));
        }
        return;
      }
      case 'filterblock': {
        const inner: string[] = [];
        this.block(node.body, frame.child(), inner);
        out.push(pyStr(this.applyFilters(node.filters, inner.join(''), frame)));
        return;
      }
      case 'with': {
        const scope = frame.child();
        for (const [target, expr] of node.assigns) this.assign(target, this.eval(expr, frame), scope);
        this.block(node.body, scope, out);
        return;
      }
    }
  }

  private forLoop(node: Extract<Node, { k: 'for' }>, frame: Frame, out: string[], iterable: unknown, depth0: number): void {
    let items = iterate(iterable);
    if (node.filter !== undefined) {
      const filter = node.filter;
      items = items.filter((entry) => {
        const scope = frame.child();
        this.assign(node.target, entry, scope);
        return truthy(this.eval(filter, scope));
      });
    }
    if (items.length === 0) {
      this.block(node.otherwise, frame, out);
      return;
    }
    const recurse = node.recursive
      ? new Callable('loop', ({ args }) => {
          const inner: string[] = [];
          this.forLoop(node, frame, inner, args[0], depth0 + 1);
          return inner.join('');
        })
      : undefined;
    const loop = new Loop(items, depth0, recurse);
    for (let i = 0; i < items.length; i++) {
      loop.index0 = i;
      const scope = frame.child();
      scope.locals.set('loop', loop);
      this.assign(node.target, items[i], scope);
      this.block(node.body, scope, out);
    }
  }

  private assign(target: Target, value: unknown, frame: Frame): void {
    switch (target.k) {
      case 'name':
        frame.locals.set(target.name, value);
        return;
      case 'tuple': {
        const values = iterate(value);
        if (values.length !== target.items.length) {
          throw new JinjaRenderError(values.length > target.items.length ? `too many values to unpack (expected ${target.items.length})` : `not enough values to unpack (expected ${target.items.length}, got ${values.length})`);
        }
        target.items.forEach((item, i) => this.assign(item, values[i], frame));
        return;
      }
      case 'nsattr': {
        const ns = frame.lookup(target.ns);
        if (!(ns instanceof Namespace)) throw new JinjaRenderError('cannot assign attribute on non-namespace object');
        ns.attrs.set(target.attr, value);
        return;
      }
    }
  }

  private macro(name: string, params: readonly Param[], body: readonly Node[], defined: Frame, _unused: undefined): Callable {
    const run = ({ args, kwargs }: CallArgs, caller: Callable | undefined): string => {
      const scope = defined.child();
      const extra: unknown[] = [];
      const leftover: Record<string, unknown> = { ...kwargs };
      params.forEach((param, i) => {
        if (i < args.length) scope.locals.set(param.name, args[i]);
        else if (Object.hasOwn(leftover, param.name)) scope.locals.set(param.name, leftover[param.name]);
        else if (param.default !== undefined) scope.locals.set(param.name, this.eval(param.default, scope));
        else scope.locals.set(param.name, new Undefined(param.name, `parameter '${param.name}' was not provided`));
        delete leftover[param.name];
      });
      extra.push(...args.slice(params.length));
      scope.locals.set('varargs', tuple(extra));
      scope.locals.set('kwargs', dictFrom(Object.entries(leftover)));
      if (caller !== undefined) scope.locals.set('caller', caller);
      const out: string[] = [];
      this.block(body, scope, out);
      return out.join('');
    };
    const callable = new Callable(name, (call) => run(call, undefined));
    macroCallers.set(callable, run);
    return callable;
  }

  private include(node: Extract<Node, { k: 'include' }>, frame: Frame, out: string[]): void {
    const names = this.eval(node.template, frame);
    const candidates = Array.isArray(names) ? names : [names];
    for (const name of candidates) {
      const template = this.engine.load(pyStr(name), this.top.name, this.searchDirs);
      if (template === undefined) continue;
      out.push(this.runOther(template, node.withContext ? frame.child() : this.withoutContext()));
      return;
    }
    if (node.ignoreMissing) return;
    throw new JinjaRenderError(`template not found: ${candidates.map((c) => pyStr(c)).join(', ')}`, `put it in the role's templates/ or beside the playbook (searched: ${this.searchDirs.join(', ') || 'nothing'})`);
  }

  /**
   * The scope of a template included or imported `without context` (import's default): no
   * variables, only the environment's globals (lookup, range, …), as Jinja2 renders it — Ansible's
   * variables are the render's context, not globals, so the template does not see them.
   */
  private withoutContext(): Frame {
    return new Frame(undefined, {});
  }

  private importTemplate(expr: Expr, frame: Frame, withContext: boolean): Namespace {
    const name = pyStr(this.eval(expr, frame));
    const template = this.engine.load(name, this.top.name, this.searchDirs);
    if (template === undefined) throw new JinjaRenderError(`template not found: ${name}`);
    const scope = withContext ? frame.child() : this.withoutContext();
    this.runOther(template, scope);
    const module = new Namespace();
    for (const [key, value] of scope.locals) module.attrs.set(key, value);
    return module;
  }

  private runOther(template: LoadedTemplate, frame: Frame): string {
    const previous = this.current;
    this.current = template;
    try {
      const out: string[] = [];
      this.block(template.nodes, frame, out);
      return out.join('');
    } catch (error) {
      if (error instanceof JinjaRenderError) throw new IncludedTemplateError(template, error);
      throw error;
    } finally {
      this.current = previous;
    }
  }

  private applyFilters(filters: readonly FilterCall[], value: unknown, frame: Frame): unknown {
    let result = value;
    for (const filter of filters) result = this.located(filter.at, () => this.filter(filter.name, result, filter.args, filter.kwargs, frame));
    return result;
  }

  // ---- expressions ----

  private eval(expr: Expr, frame: Frame): unknown {
    switch (expr.k) {
      case 'const':
        return expr.value;
      case 'name': {
        const value = frame.lookup(expr.name);
        if (value !== MISSING) return value;
        if (expr.name === 'omit') return OMIT;
        const global = this.engine.globals.get(expr.name);
        if (global !== undefined) return new Callable(expr.name, (call) => global(call, this));
        return new Undefined(expr.name);
      }
      case 'getattr': {
        const object = this.eval(expr.object, frame);
        if (object instanceof Loop) return object.attribute(expr.attr);
        if (object instanceof Namespace) return object.attrs.has(expr.attr) ? object.attrs.get(expr.attr) : new Undefined(expr.attr, `'Namespace object' has no attribute '${expr.attr}'`);
        return attribute(object, expr.attr);
      }
      case 'getitem': {
        const object = this.eval(expr.object, frame);
        const key = this.eval(expr.key, frame);
        // AnsibleUndefined chains (`x[k]` of an undefined x is undefined); an undefined key
        // fails only where it must be hashed (a mapping's key), else the item is undefined.
        if (object instanceof Undefined) return object;
        if (key instanceof Undefined) {
          if (isDict(object)) key.fail();
          return key;
        }
        if (object instanceof Loop && typeof key === 'string') return object.attribute(key);
        return item(object, key);
      }
      case 'slice': {
        const object = this.eval(expr.object, frame);
        const part = (e: Expr | undefined): number | undefined => {
          if (e === undefined) return undefined;
          const v = this.eval(e, frame);
          if (v === null) return undefined;
          if (typeof v !== 'number' || !Number.isInteger(v)) throw new JinjaRenderError('slice indices must be integers or None');
          return v;
        };
        return slice(object, part(expr.start), part(expr.stop), part(expr.step));
      }
      case 'call': {
        const callee = this.eval(expr.callee, frame);
        if (callee instanceof Undefined) {
          // Python evaluates the arguments before it calls: an undefined one among them fails first.
          this.callArgs(expr.args, expr.kwargs, expr.star, expr.dstar, frame);
          callee.fail();
        }
        if (callee instanceof Loop && callee.recurse !== undefined) return callee.recurse.call(this.callArgs(expr.args, expr.kwargs, expr.star, expr.dstar, frame));
        if (!(callee instanceof Callable)) throw new JinjaRenderError(`'${typeNameOf(callee)}' object is not callable`);
        return callee.call(this.callArgs(expr.args, expr.kwargs, expr.star, expr.dstar, frame));
      }
      case 'filter':
        return this.filter(expr.name, undefined, expr.args, expr.kwargs, frame, expr.subject);
      case 'test': {
        const test = this.engine.tests.get(normalize(expr.name));
        if (test === undefined) throw new JinjaRenderError(`No test named '${expr.name}'.`, 'see the list of tests in src/template/TEMPLATES.md');
        const subject = this.eval(expr.subject, frame);
        const call = this.callArgs(expr.args, expr.kwargs, undefined, undefined, frame);
        if (subject instanceof Undefined && test.acceptsUndefined !== true) subject.fail();
        // Jinja2's `is` gives the test's own answer (Ansible's `r is changed` can be 1); `is not` its negation.
        const result = test.fn(subject, call, this);
        return expr.negated ? !truthy(result) : result;
      }
      case 'list':
        return expr.items.map((entry) => this.eval(entry, frame));
      case 'tuple':
        return tuple(expr.items.map((entry) => this.eval(entry, frame)));
      case 'dict':
        return dictFrom(
          expr.pairs.map(([key, value]) => {
            const k = this.eval(key, frame);
            if (k instanceof Undefined) k.fail();
            return [typeof k === 'string' ? k : pyStr(k), this.eval(value, frame)] as const;
          }),
        );
      case 'cond':
        if (truthy(this.eval(expr.test, frame))) return this.eval(expr.then, frame);
        return expr.otherwise === undefined ? new Undefined('', 'the inline if-expression on line evaluated to false and no else section was defined.') : this.eval(expr.otherwise, frame);
      case 'binary': {
        const left = this.eval(expr.left, frame);
        if (expr.op === 'and') return truthy(left) ? this.eval(expr.right, frame) : left;
        if (expr.op === 'or') return truthy(left) ? left : this.eval(expr.right, frame);
        return binary(expr.op, left, this.eval(expr.right, frame));
      }
      case 'unary': {
        const operand = this.eval(expr.operand, frame);
        if (expr.op === 'not') return !truthy(operand);
        return binary(expr.op === '-' ? '*' : '+', expr.op === '-' ? -1 : 0, operand);
      }
      case 'compare': {
        let left = this.eval(expr.first, frame);
        for (const [op, rightExpr] of expr.rest) {
          const right = this.eval(rightExpr, frame);
          if (!compare(op, left, right)) return false;
          left = right;
        }
        return true;
      }
    }
  }

  private callArgs(args: readonly Expr[], kwargs: Kwargs, star: Expr | undefined, dstar: Expr | undefined, frame: Frame): CallArgs {
    const positional = args.map((arg) => this.eval(arg, frame));
    if (star !== undefined) positional.push(...iterate(this.eval(star, frame)));
    const named: Record<string, unknown> = {};
    for (const [name, expr] of kwargs) Object.defineProperty(named, name, { value: this.eval(expr, frame), enumerable: true, writable: true });
    if (dstar !== undefined) {
      const extra = this.eval(dstar, frame);
      if (!isDict(extra)) throw new JinjaRenderError('argument after ** must be a mapping');
      for (const [name, value] of Object.entries(extra)) Object.defineProperty(named, name, { value, enumerable: true, writable: true });
    }
    return { args: positional, kwargs: named };
  }

  private filter(name: string, value: unknown, args: readonly Expr[], kwargs: Kwargs, frame: Frame, subject?: Expr): unknown {
    const filter = this.engine.filters.get(normalize(name));
    if (filter === undefined) throw new JinjaRenderError(`No filter named '${name}'.`, 'see the list of filters in src/template/TEMPLATES.md');
    const input = subject === undefined ? value : this.eval(subject, frame);
    // Python evaluates a filter's arguments before the filter touches its input.
    const call = this.callArgs(args, kwargs, undefined, undefined, frame);
    if (input instanceof Undefined && filter.acceptsUndefined !== true) input.fail();
    return filter.fn(input, call, this);
  }
}

/** Runs the body of a macro with a `caller` (for `{% call %}`). */
const macroCallers = new WeakMap<Callable, (call: CallArgs, caller: Callable | undefined) => string>();

/** `ansible.builtin.to_json` is `to_json`. */
function normalize(name: string): string {
  return name.startsWith('ansible.builtin.') ? name.slice('ansible.builtin.'.length) : name;
}

function typeNameOf(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (isDict(value)) return 'dict';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value;
}

function compare(op: string, left: unknown, right: unknown): boolean {
  switch (op) {
    case '==':
      return pyEquals(left, right);
    case '!=':
      return !pyEquals(left, right);
    case 'in':
      return contains(right, left);
    case 'not in':
      return !contains(right, left);
    case '<':
      return pyCompare(left, right, op) < 0;
    case '<=':
      return pyCompare(left, right, op) <= 0;
    case '>':
      return pyCompare(left, right, op) > 0;
    default:
      return pyCompare(left, right, op) >= 0;
  }
}

/** Python's `seq[start:stop:step]` on a list or string. */
export function slice(value: unknown, start: number | undefined, stop: number | undefined, step: number | undefined): unknown {
  if (value instanceof Undefined) value.fail();
  const isString = typeof value === 'string';
  const items: readonly unknown[] = isString ? [...value] : Array.isArray(value) ? value : (() => { throw new JinjaRenderError(`'${typeNameOf(value)}' object is not subscriptable`); })();
  const length = items.length;
  const by = step ?? 1;
  if (by === 0) throw new JinjaRenderError('slice step cannot be zero');
  const clamp = (index: number | undefined, fallback: number, low: number, high: number): number => {
    if (index === undefined) return fallback;
    const absolute = index < 0 ? index + length : index;
    return Math.min(Math.max(absolute, low), high);
  };
  const out: unknown[] = [];
  if (by > 0) {
    for (let i = clamp(start, 0, 0, length); i < clamp(stop, length, 0, length); i += by) out.push(items[i]);
  } else {
    for (let i = clamp(start, length - 1, -1, length - 1); i > clamp(stop, -1, -1, length - 1); i += by) out.push(items[i]);
  }
  return isString ? out.join('') : out;
}
