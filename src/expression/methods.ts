// The few Python string methods conditions may call (`name.startswith('vm')`): a fixed, safe
// table — nothing reaches JavaScript's own properties or prototypes.
import { ExpressionProblem } from './problem.js';
import { describeValue } from './values.js';

type Method = (self: string, args: readonly unknown[]) => unknown;

function stringArg(method: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw new ExpressionProblem(`${method}() needs a string argument, got ${describeValue(value)}`);
}

function prefixes(method: string, value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => stringArg(method, v)) : [stringArg(method, value)];
}

function stripChars(self: string, chars: unknown, start: boolean, end: boolean): string {
  const set = chars === undefined || chars === null ? undefined : new Set(stringArg('strip', chars));
  const strip = (c: string | undefined) => c !== undefined && (set ? set.has(c) : /\s/.test(c));
  let from = 0;
  let to = self.length;
  while (start && from < to && strip(self[from])) from++;
  while (end && to > from && strip(self[to - 1])) to--;
  return self.slice(from, to);
}

function split(self: string, args: readonly unknown[]): string[] {
  const [sep, maxsplit] = args;
  const limit = typeof maxsplit === 'number' && maxsplit >= 0 ? maxsplit : Number.POSITIVE_INFINITY;
  if (sep === undefined || sep === null) {
    const words = self.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length <= limit) return words;
    const rest = self.trim().split(/\s+/).slice(limit).join(' ');
    return [...words.slice(0, limit), rest];
  }
  const separator = stringArg('split', sep);
  if (separator === '') throw new ExpressionProblem('split() separator must not be empty');
  const parts = self.split(separator);
  if (parts.length - 1 <= limit) return parts;
  return [...parts.slice(0, limit), parts.slice(limit).join(separator)];
}

const table: Readonly<Record<string, Method>> = {
  startswith: (self, [prefix]) => prefixes('startswith', prefix).some((p) => self.startsWith(p)),
  endswith: (self, [suffix]) => prefixes('endswith', suffix).some((p) => self.endsWith(p)),
  find: (self, [sub]) => self.indexOf(stringArg('find', sub)),
  split,
  strip: (self, [chars]) => stripChars(self, chars, true, true),
  lstrip: (self, [chars]) => stripChars(self, chars, true, false),
  rstrip: (self, [chars]) => stripChars(self, chars, false, true),
  lower: (self) => self.toLowerCase(),
  upper: (self) => self.toUpperCase(),
};

/** Names of every method, for "did you mean" at load time. */
export const methodNames: readonly string[] = Object.keys(table).sort();

/** Call string method `name` on `self`. */
export function callMethod(name: string, self: unknown, args: readonly unknown[]): unknown {
  const method = Object.hasOwn(table, name) ? table[name] : undefined;
  if (method === undefined) throw new ExpressionProblem(`unknown method '${name}'`);
  if (typeof self !== 'string') {
    throw new ExpressionProblem(`${name}() is a string method, but the value is ${describeValue(self)}`, 'convert it with | string first');
  }
  return method(self, args);
}
