// Python's value semantics over JavaScript data, as Jinja2 under Ansible sees them: truthiness,
// str() and repr(), ==, ordering, type names. Playbook data stays plain JavaScript (strings,
// numbers, booleans, null, arrays, plain objects); the few Python kinds JavaScript lacks are small
// classes here: an integral float (`2.0`), a tuple, an undefined value, a callable.
import { PyDateTime, PyTimedelta } from './datetime.js';
import { JinjaRenderError } from './errors.js';

/** A float whose value is integral (`10 / 5` is `2.0` in Python); other floats are plain numbers. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A float result: integral values keep their float-ness so they print as `2.0`. */
export function makeFloat(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

const tupleMark = Symbol('tuple');

/** A tuple (`(1, 2)`, `dict.items()` pairs): an array marked so it prints with parentheses. */
export function tuple(items: unknown[]): unknown[] {
  Object.defineProperty(items, tupleMark, { value: true });
  return items;
}

export function isTuple(value: unknown): boolean {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[tupleMark] === true;
}

const setMark = Symbol('set');

/**
 * A Python set, as mathstuff.py's intersect / difference / union / symmetric_difference return for
 * two hashable operands (tuples, text): an array of distinct items marked so it prints `{1, 2}` /
 * `set()`, is a `set` to type_debug and equals only a set with the same items. Items keep the order
 * they were met in; CPython orders them by hash (for text, differently in every process).
 */
export function pySet(items: unknown[]): unknown[] {
  const distinct: unknown[] = [];
  for (const item of items) if (!distinct.some((seen) => pyEquals(seen, item))) distinct.push(item);
  Object.defineProperty(distinct, setMark, { value: true });
  return distinct;
}

export function isPySet(value: unknown): boolean {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[setMark] === true;
}

/** A missing variable or attribute. Using it fails with Ansible's message, unless a test or `default` looks at it. */
export class Undefined {
  constructor(
    /** The variable or attribute name. */
    readonly name: string,
    /** Jinja2's message when the value is an attribute of something: `'dict object' has no attribute 'x'`. */
    readonly hint?: string,
  ) {}

  get message(): string {
    return this.hint ?? `'${this.name}' is undefined`;
  }

  /** Fail the way StrictUndefined fails when touched. */
  fail(): never {
    throw new JinjaRenderError(this.message, undefined, this.name);
  }
}

/** Arguments of a call: positional and keyword, as Python passes them. */
export interface CallArgs {
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/** Anything an expression may call: a macro, a bound method, `range`, `lookup`. Nothing else is callable. */
export class Callable {
  constructor(
    readonly name: string,
    readonly call: (args: CallArgs) => unknown,
  ) {}
}

/** `namespace(...)`: the one object whose attributes `{% set ns.x = … %}` may change. */
export class Namespace {
  readonly attrs = new Map<string, unknown>();
}

/** A plain mapping (YAML, JSON, registered results), never a class instance. */
export function isDict(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A new mapping from entries, each key an own data property (a `__proto__` key stays a key). */
export function dictFrom(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

export function isNumber(value: unknown): value is number | boolean | PyFloat {
  return typeof value === 'number' || typeof value === 'boolean' || value instanceof PyFloat;
}

export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** The numeric value of an int, float or bool. */
export function numberOf(value: number | boolean | PyFloat): number {
  return value instanceof PyFloat ? value.value : Number(value);
}

/** Python's type name of a value (`type_debug`, error messages). */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  // An int past 2**53 (ipaddr's IPv6 sizes and integers).
  if (typeof value === 'bigint') return 'int';
  if (value instanceof PyFloat) return 'float';
  if (Array.isArray(value)) return isTuple(value) ? 'tuple' : isPySet(value) ? 'set' : 'list';
  if (value instanceof Undefined) return 'AnsibleUndefined';
  if (value instanceof Callable) return 'function';
  if (value instanceof Namespace) return 'Namespace';
  if (isDict(value)) return 'dict';
  return 'object';
}

/** Python truthiness; an undefined value fails, as Ansible's strict undefined does. */
export function truthy(value: unknown): boolean {
  if (value instanceof Undefined) value.fail();
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (value instanceof PyFloat) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

/** repr() of a float, as Python prints it: `2.0`, `0.1`, `1e-05`, `1e+16`, `inf`. */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const magnitude = Math.abs(value);
  let text: string;
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) text = value.toExponential();
  else text = String(value);
  text = text.replace(/e([+-])(\d)$/, 'e$10$2');
  if (!/[.en]/.test(text)) text += '.0';
  return text;
}

/** repr() of a string: single quotes unless the text holds one and no double quote. */
export function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}

/** Python's repr() of a value (how items show inside a printed list or mapping). */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return stringRepr(value);
  return pyStr(value);
}

/** Python's str() of a value: what `{{ value }}` prints inside text. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (value instanceof Undefined) return value.fail();
  if (Array.isArray(value)) {
    const items = value.map(pyRepr);
    if (isTuple(value)) return items.length === 1 ? `(${items[0] ?? ''},)` : `(${items.join(', ')})`;
    if (isPySet(value)) return items.length === 0 ? 'set()' : `{${items.join(', ')}}`;
    return `[${items.join(', ')}]`;
  }
  if (value instanceof Callable) return `<function ${value.name}>`;
  if (value instanceof Namespace) return `<Namespace ${pyStr(Object.fromEntries(value.attrs))}>`;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (isDict(value)) return `{${Object.entries(value).map(([key, item]) => `${stringRepr(key)}: ${pyRepr(item)}`).join(', ')}}`;
  return String(value);
}

/** Python's ==: by value for lists and mappings, 1 == 1.0 == True. Undefined fails. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  if (a === b) return true;
  if (isNumber(a) && isNumber(b)) return numberOf(a) === numberOf(b);
  if ((a instanceof PyDateTime && b instanceof PyDateTime) || (a instanceof PyTimedelta && b instanceof PyTimedelta)) return instant(a) === instant(b);
  if (isPySet(a) || isPySet(b)) return isPySet(a) && isPySet(b) && (a as unknown[]).length === (b as unknown[]).length && (a as unknown[]).every((item) => (b as unknown[]).some((other) => pyEquals(item, other)));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && pyEquals(a[key], b[key]));
  }
  if (a === undefined) return b === null;
  if (b === undefined) return a === null;
  return false;
}

/** A datetime's or timedelta's position on the time line, for == and ordering. */
function instant(value: PyDateTime | PyTimedelta): number {
  return value instanceof PyDateTime ? value.date.getTime() : value.milliseconds;
}

/** Python's ordering: numbers with numbers, strings with strings, lists item by item. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (a instanceof Undefined) a.fail();
  if (b instanceof Undefined) b.fail();
  if (isNumber(a) && isNumber(b)) return Math.sign(numberOf(a) - numberOf(b));
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof PyDateTime && b instanceof PyDateTime) || (a instanceof PyTimedelta && b instanceof PyTimedelta)) return Math.sign(instant(a) - instant(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return Math.sign(a.length - b.length);
  }
  throw new JinjaRenderError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`, typeof a === 'string' || typeof b === 'string' ? 'convert with | int (registered stdout is a string)' : undefined);
}

/**
 * A value copied out of the engine: integral floats become numbers again. An undefined value
 * inside a list or mapping fails here, as it does when Ansible renders `{{ [x] }}`.
 */
export function toPlain(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  // JSON has no big integers: an int past 2**53 goes out as the nearest float, as json.loads reads Python's.
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Undefined) value.fail();
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const plain = toPlain(item);
      if (plain !== item) changed = true;
      return plain;
    });
    return changed ? out : value;
  }
  if (isDict(value)) {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const plain = toPlain(item);
      if (plain !== item) changed = true;
      return [key, plain] as const;
    });
    return changed ? dictFrom(entries) : value;
  }
  return value;
}

/** The items a for loop or unpacking sees: a list's items, a mapping's keys, a string's characters. */
export function iterate(value: unknown): unknown[] {
  if (value instanceof Undefined) value.fail();
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isDict(value)) return Object.keys(value);
  if (value instanceof Namespace) return [...value.attrs.keys()];
  throw new JinjaRenderError(`'${typeName(value)}' object is not iterable`);
}


/**
 * What Ansible's `omit` variable evaluates to when the playbook does not define `omit` itself: a
 * module parameter whose whole value renders to it is left out (`"{{ mode | default(omit) }}"`).
 */
export const OMIT = '__beastie_omit_parameter__';

/**
 * Python's '%.Nf' / '{:.Nf}' of a float: correctly rounded, a tie (an exact half, as 2.25 is)
 * to the even digit, where toFixed rounds it away from zero ('%.1f' % 2.25 is '2.2', not '2.3').
 */
export function pyFixed(x: number, digits: number): string {
  const rounded = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return rounded;
  const exact = x.toFixed(Math.min(100, digits + 25));
  const point = exact.indexOf('.');
  const next = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(next)) return rounded;
  const kept = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  return Number(kept.at(-1)) % 2 === 0 ? kept : rounded;
}
