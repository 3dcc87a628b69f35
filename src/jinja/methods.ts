// Attribute and item access the way Jinja2 does it (`a.b` tries the Python attribute, then the
// key; `a['b']` the key, then the attribute), and the Python methods of str, list and dict that
// Ansible content calls (`x.split(',')`, `d.get('k', 1)`, `'{}'.format(v)`). These tables are the
// only attributes an expression can reach: JavaScript properties are never looked at.
import { PyDateTime, PyTimedelta, strftime } from './datetime.js';
import { JinjaRenderError } from './errors.js';
import { Callable, dictFrom, isDict, isNumber, iterate, makeFloat, numberOf, pyCompare, pyFixed, pyEquals, pyRepr, pyStr, tuple, typeName, Undefined, type CallArgs } from './values.js';

type Method<T> = (self: T, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) => unknown;

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new JinjaRenderError(`${what} must be str, not ${typeName(value)}`);
  return value;
}

function optionalInt(value: unknown, fallback: number): number {
  return value === undefined || value === null ? fallback : numberOf(value as number);
}

function stripChars(self: string, chars: unknown, start: boolean, end: boolean): string {
  const set = chars === undefined || chars === null ? undefined : new Set([...text(chars, 'strip arg')]);
  const strip = (c: string): boolean => (set === undefined ? /\s/.test(c) : set.has(c));
  const letters = [...self];
  let from = 0;
  let to = letters.length;
  if (start) while (from < to && strip(letters[from] ?? '')) from++;
  if (end) while (to > from && strip(letters[to - 1] ?? '')) to--;
  return letters.slice(from, to).join('');
}

/** Python's str.split / rsplit. */
export function splitString(self: string, sep: unknown, maxsplit: unknown, fromRight: boolean): string[] {
  const limit = optionalInt(maxsplit, -1);
  if (sep === undefined || sep === null) {
    const words = self.trim() === '' ? [] : self.trim().split(/\s+/);
    if (limit < 0 || words.length <= limit + 1) return words;
    if (fromRight) {
      const trimmed = self.replace(/\s+$/, '');
      const tail: string[] = [];
      let rest = trimmed;
      for (let i = 0; i < limit; i++) {
        const match = /\s+(\S+)$/.exec(rest);
        if (match === null) break;
        tail.unshift(match[1] ?? '');
        rest = rest.slice(0, match.index);
      }
      return [rest.replace(/^\s+/, ''), ...tail];
    }
    const head: string[] = [];
    let rest = self.replace(/^\s+/, '');
    for (let i = 0; i < limit; i++) {
      const match = /^(\S+)\s+/.exec(rest);
      if (match === null) break;
      head.push(match[1] ?? '');
      rest = rest.slice(match[0].length);
    }
    return [...head, rest];
  }
  const separator = text(sep, 'separator');
  if (separator === '') throw new JinjaRenderError('empty separator');
  const parts = self.split(separator);
  if (limit < 0 || parts.length <= limit + 1) return parts;
  if (fromRight) return [parts.slice(0, parts.length - limit).join(separator), ...parts.slice(parts.length - limit)];
  return [...parts.slice(0, limit), parts.slice(limit).join(separator)];
}

/** Python's str.format with `{}`, `{0}`, `{name}`, `{x.attr}`, `!r`, and specs like `:>8`, `:02d`, `:.2f`. */
export function formatString(self: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): string {
  let auto = 0;
  return self.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (whole, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const [head = '', ...path] = (field ?? '').split('.');
    let value: unknown = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kwargs[head];
    if (value === undefined) throw new JinjaRenderError(head === '' || /^\d+$/.test(head) ? 'Replacement index out of range for positional args tuple' : `'${head}'`);
    for (const part of path) value = attribute(value, part);
    if (conversion === 'r') value = pyRepr(value);
    return formatSpec(value, spec ?? '');
  });
}

/** Python's format(value, spec) for the common specs: fill, align, sign, width, precision, d/f/s/x/o/b/e/%. */
export function formatSpec(value: unknown, spec: string): string {
  const match = /^(?:(.)?([<>^=]))?([-+ ])?(#)?(0)?(\d+)?(,)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (match === null) throw new JinjaRenderError(`Invalid format specifier '${spec}'`);
  const [, fillChar, align, sign, , zero, width, comma, precision, kind] = match;
  let out: string;
  const n = (): number => (isNumber(value) ? numberOf(value) : Number.NaN);
  switch (kind) {
    case 'd':
    case 'n':
      out = String(Math.trunc(n()));
      break;
    case 'f':
    case 'F':
      out = pyFixed(n(), precision === undefined ? 6 : Number(precision));
      break;
    case 'e':
    case 'E':
      out = n().toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case '%':
      out = `${pyFixed(n() * 100, precision === undefined ? 6 : Number(precision))}%`;
      break;
    case 'x':
    case 'X':
      out = Math.trunc(n()).toString(16);
      if (kind === 'X') out = out.toUpperCase();
      break;
    case 'o':
      out = Math.trunc(n()).toString(8);
      break;
    case 'b':
      out = Math.trunc(n()).toString(2);
      break;
    default:
      out = pyStr(value);
      if (precision !== undefined && typeof value === 'string') out = out.slice(0, Number(precision));
      else if (precision !== undefined && isNumber(value)) out = String(Number(n().toPrecision(Number(precision))));
  }
  if (comma !== undefined) out = out.replace(/^(-?\d+)/, (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  if (sign === '+' && isNumber(value) && n() >= 0) out = `+${out}`;
  const size = width === undefined ? 0 : Number(width);
  if (out.length >= size) return out;
  const fill = fillChar ?? (zero !== undefined ? '0' : ' ');
  const direction = align ?? (zero !== undefined ? '=' : isNumber(value) ? '>' : '<');
  const pad = size - out.length;
  if (direction === '<') return out + fill.repeat(pad);
  if (direction === '^') return fill.repeat(Math.floor(pad / 2)) + out + fill.repeat(Math.ceil(pad / 2));
  if (direction === '=' && /^[-+]/.test(out)) return out[0] + fill.repeat(pad) + out.slice(1);
  return fill.repeat(pad) + out;
}

function find(self: string, sub: unknown, start: unknown, fromRight: boolean): number {
  const needle = text(sub, 'substring');
  const from = optionalInt(start, 0);
  return fromRight ? self.lastIndexOf(needle) : self.indexOf(needle, from);
}

function affix(self: string, what: unknown, atStart: boolean): boolean {
  const options = Array.isArray(what) ? what : [what];
  return options.some((option) => (atStart ? self.startsWith(text(option, 'prefix')) : self.endsWith(text(option, 'suffix'))));
}

const stringMethods: Readonly<Record<string, Method<string>>> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => s.replace(/[A-Za-z\u00C0-\u024F]+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  strip: (s, [chars]) => stripChars(s, chars, true, true),
  lstrip: (s, [chars]) => stripChars(s, chars, true, false),
  rstrip: (s, [chars]) => stripChars(s, chars, false, true),
  split: (s, [sep, maxsplit], kw) => splitString(s, sep ?? kw['sep'], maxsplit ?? kw['maxsplit'], false),
  rsplit: (s, [sep, maxsplit], kw) => splitString(s, sep ?? kw['sep'], maxsplit ?? kw['maxsplit'], true),
  splitlines: (s, [keepends]) => {
    const lines = s.match(/[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
    return keepends === true ? lines : lines.map((line) => line.replace(/(\r\n|\r|\n)$/, ''));
  },
  startswith: (s, [prefix]) => affix(s, prefix, true),
  endswith: (s, [suffix]) => affix(s, suffix, false),
  replace: (s, [old, replacement, count]) => {
    const limit = optionalInt(count, -1);
    const parts = s.split(text(old, 'old'));
    if (limit < 0 || parts.length - 1 <= limit) return parts.join(text(replacement, 'new'));
    return parts.slice(0, limit + 1).join(text(replacement, 'new')) + text(old, 'old') + parts.slice(limit + 1).join(text(old, 'old'));
  },
  format: (s, args, kwargs) => formatString(s, args, kwargs),
  join: (s, [items]) => iterate(items).map((entry) => text(entry, 'sequence item')).join(s),
  count: (s, [sub]) => (text(sub, 'substring') === '' ? s.length + 1 : s.split(text(sub, 'substring')).length - 1),
  find: (s, [sub, start]) => find(s, sub, start, false),
  rfind: (s, [sub]) => find(s, sub, undefined, true),
  index: (s, [sub, start]) => {
    const at = find(s, sub, start, false);
    if (at < 0) throw new JinjaRenderError('substring not found');
    return at;
  },
  rindex: (s, [sub]) => {
    const at = find(s, sub, undefined, true);
    if (at < 0) throw new JinjaRenderError('substring not found');
    return at;
  },
  isdigit: (s) => /^\d+$/.test(s),
  isdecimal: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\d]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  isupper: (s) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  istitle: (s) => /\p{L}/u.test(s) && s === stringMethods['title']?.(s, [], {}),
  center: (s, [width, fill]) => {
    const pad = Math.max(0, optionalInt(width, 0) - s.length);
    const c = fill === undefined ? ' ' : text(fill, 'fill');
    // unicodeobject.c's pad: left = marg / 2 + (marg & width & 1).
    const left = Math.floor(pad / 2) + (pad & optionalInt(width, 0) & 1);
    return c.repeat(left) + s + c.repeat(pad - left);
  },
  ljust: (s, [width, fill]) => s.padEnd(optionalInt(width, 0), fill === undefined ? ' ' : text(fill, 'fill')),
  rjust: (s, [width, fill]) => s.padStart(optionalInt(width, 0), fill === undefined ? ' ' : text(fill, 'fill')),
  zfill: (s, [width]) => {
    const size = optionalInt(width, 0);
    const sign = /^[-+]/.test(s) ? s[0] ?? '' : '';
    return sign + s.slice(sign.length).padStart(size - sign.length, '0');
  },
  partition: (s, [sep]) => {
    const at = s.indexOf(text(sep, 'separator'));
    return tuple(at < 0 ? [s, '', ''] : [s.slice(0, at), sep, s.slice(at + String(sep).length)]);
  },
  rpartition: (s, [sep]) => {
    const at = s.lastIndexOf(text(sep, 'separator'));
    return tuple(at < 0 ? ['', '', s] : [s.slice(0, at), sep, s.slice(at + String(sep).length)]);
  },
  removeprefix: (s, [prefix]) => (s.startsWith(text(prefix, 'prefix')) ? s.slice(String(prefix).length) : s),
  removesuffix: (s, [suffix]) => (String(suffix) !== '' && s.endsWith(text(suffix, 'suffix')) ? s.slice(0, -String(suffix).length) : s),
  encode: (s) => s,
  decode: (s) => s,
};

function indexIn(list: readonly unknown[], value: unknown): number {
  const at = list.findIndex((entry) => pyEquals(entry, value));
  if (at < 0) throw new JinjaRenderError(`${pyRepr(value)} is not in list`);
  return at;
}

const listMethods: Readonly<Record<string, Method<unknown[]>>> = {
  append: (l, [value]) => (l.push(value), null),
  extend: (l, [values]) => (l.push(...iterate(values)), null),
  insert: (l, [at, value]) => (l.splice(numberOf(at as number), 0, value), null),
  pop: (l, [at]) => {
    if (l.length === 0) throw new JinjaRenderError('pop from empty list');
    const index = at === undefined ? l.length - 1 : numberOf(at as number) < 0 ? l.length + numberOf(at as number) : numberOf(at as number);
    if (index < 0 || index >= l.length) throw new JinjaRenderError('pop index out of range');
    return l.splice(index, 1)[0];
  },
  remove: (l, [value]) => (l.splice(indexIn(l, value), 1), null),
  index: (l, [value]) => indexIn(l, value),
  count: (l, [value]) => l.filter((entry) => pyEquals(entry, value)).length,
  reverse: (l) => (l.reverse(), null),
  sort: (l, _args, kw) => {
    l.sort((a, b) => pyCompare(a, b));
    if (kw['reverse'] === true) l.reverse();
    return null;
  },
  copy: (l) => [...l],
  clear: (l) => (l.splice(0), null),
};

const dictMethods: Readonly<Record<string, Method<Record<string, unknown>>>> = {
  get: (d, [key, fallback = null]) => (typeof key === 'string' && Object.hasOwn(d, key) ? d[key] : fallback),
  items: (d) => Object.entries(d).map(([key, value]) => tuple([key, value])),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  copy: (d) => dictFrom(Object.entries(d)),
  update: (d, [other], kw) => {
    const merged = { ...(isDict(other) ? other : {}), ...kw };
    for (const [key, value] of Object.entries(merged)) Object.defineProperty(d, key, { value, enumerable: true, writable: true, configurable: true });
    return null;
  },
  pop: (d, [key, ...fallback]) => {
    const name = pyStr(key);
    if (Object.hasOwn(d, name)) {
      const value = d[name];
      delete d[name];
      return value;
    }
    if (fallback.length > 0) return fallback[0];
    throw new JinjaRenderError(pyRepr(key));
  },
  setdefault: (d, [key, fallback = null]) => {
    const name = pyStr(key);
    if (!Object.hasOwn(d, name)) Object.defineProperty(d, name, { value: fallback, enumerable: true, writable: true, configurable: true });
    return d[name];
  },
};

function bound<T>(name: string, self: T, method: Method<T>): Callable {
  return new Callable(name, ({ args, kwargs }: CallArgs) => {
    // Python's methods hash, compare or read their first argument (`d.get(x)` with x undefined
    // fails), except append, which only stores it.
    const first = args[0];
    if (first instanceof Undefined && name !== 'append') first.fail();
    return method(self, args, kwargs);
  });
}

function methodOf(object: unknown, name: string): Callable | undefined {
  if (typeof object === 'string' && Object.hasOwn(stringMethods, name)) return bound(name, object, stringMethods[name] as Method<string>);
  if (Array.isArray(object) && Object.hasOwn(listMethods, name)) return bound(name, object, listMethods[name] as Method<unknown[]>);
  if (isDict(object) && Object.hasOwn(dictMethods, name)) return bound(name, object, dictMethods[name] as Method<Record<string, unknown>>);
  return undefined;
}

function objectRepr(value: unknown): string {
  return value === null || value === undefined ? 'None' : `${typeName(value)} object`;
}

function missingAttribute(object: unknown, name: string): Undefined {
  return new Undefined(name, `'${objectRepr(object)}' has no attribute '${name}'`);
}

/** Only the Python attribute (`attr` filter): a method, never a mapping key. */
export function pythonAttribute(object: unknown, name: string): unknown {
  if (object instanceof Undefined) return object;
  const special = dateAttribute(object, name);
  if (special !== undefined) return special;
  return methodOf(object, name) ?? missingAttribute(object, name);
}

/** The attributes of to_datetime values: `.days`, `.seconds`, `.total_seconds()`, `.year`, `.strftime(f)`. */
function dateAttribute(object: unknown, name: string): unknown {
  if (object instanceof PyTimedelta) {
    if (name === 'days') return object.days;
    if (name === 'seconds') return object.seconds;
    if (name === 'microseconds') return (object.milliseconds % 1000) * 1000;
    if (name === 'total_seconds') return new Callable(name, () => makeFloat(object.milliseconds / 1000));
  }
  if (object instanceof PyDateTime) {
    const d = object.date;
    const fields: Readonly<Record<string, number>> = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), microsecond: d.getUTCMilliseconds() * 1000 };
    if (Object.hasOwn(fields, name)) return fields[name];
    if (name === 'strftime') return new Callable(name, ({ args }) => strftime(pyStr(args[0]), d, true));
    if (name === 'timestamp') return new Callable(name, () => makeFloat(d.getTime() / 1000));
  }
  return undefined;
}

/** `object.name`: the Python attribute (a method) first, then the mapping key. */
export function attribute(object: unknown, name: string): unknown {
  if (object instanceof Undefined) return object;
  const special = dateAttribute(object, name);
  if (special !== undefined) return special;
  const method = methodOf(object, name);
  if (method !== undefined) return method;
  if (isDict(object) && Object.hasOwn(object, name)) return object[name];
  return missingAttribute(object, name);
}

/** `object[key]`: the key or index first, then the attribute. */
export function item(object: unknown, key: unknown): unknown {
  if (object instanceof Undefined) return object;
  if (isDict(object)) {
    const name = typeof key === 'string' ? key : pyStr(key);
    if (Object.hasOwn(object, name)) return object[name];
    return typeof key === 'string' ? attribute(object, key) : new Undefined(name, `'${objectRepr(object)}' has no attribute '${name}'`);
  }
  if ((Array.isArray(object) || typeof object === 'string') && isNumber(key) && typeof key !== 'boolean') {
    const index = numberOf(key);
    const entry = Array.isArray(object) ? (index < 0 ? object.at(index) : object[index]) : index < 0 ? object.at(index) : object[index];
    return entry === undefined ? new Undefined(String(index), `${objectRepr(object)} has no element ${index}`) : entry;
  }
  if (typeof key === 'string') return attribute(object, key);
  return new Undefined(pyStr(key), `${objectRepr(object)} has no element ${pyRepr(key)}`);
}
