// The filters `x | name(args)` the expression language offers, with Jinja's and Ansible's
// semantics: `int` of garbage is 0, `bool` knows yes/on/1, `default` only replaces undefined.
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { quoteShellWord } from '../command/quote.js';
import { ExpressionProblem } from './problem.js';
import { describeValue, isMapping, truthy, Undefined } from './values.js';

type Filter = (subject: unknown, args: readonly unknown[]) => unknown;

function text(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ExpressionProblem(`filter '${name}' needs a string, got ${describeValue(value)}`);
}

function toInt(value: unknown, fallback: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : fallback;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^[+-]?\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return Math.trunc(Number(trimmed));
  }
  return fallback;
}

function toFloat(value: unknown, fallback: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return Number(value.trim());
  return fallback;
}

/** Python's str() of a value, as Jinja's `string` filter gives it. */
export function pythonString(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

function length(subject: unknown): number {
  if (typeof subject === 'string' || Array.isArray(subject)) return subject.length;
  if (isMapping(subject)) return Object.keys(subject).length;
  throw new ExpressionProblem(`filter 'length' needs a string, list or mapping, got ${describeValue(subject)}`);
}

function defaultFilter(subject: unknown, args: readonly unknown[]): unknown {
  const [fallback = '', onFalsy = false] = args;
  if (subject instanceof Undefined) return fallback;
  return onFalsy === true && !truthy(subject) ? fallback : subject;
}

const table: Readonly<Record<string, Filter>> = {
  default: defaultFilter,
  d: defaultFilter,
  length,
  count: length,
  int: (subject, args) => toInt(subject, args[0] ?? 0),
  float: (subject, args) => toFloat(subject, args[0] ?? 0),
  bool: (subject) => {
    if (typeof subject === 'boolean') return subject;
    if (typeof subject === 'number') return subject === 1;
    if (typeof subject === 'string') return ['yes', 'on', '1', 'true', 'y'].includes(subject.trim().toLowerCase());
    return false;
  },
  lower: (subject) => text('lower', subject).toLowerCase(),
  upper: (subject) => text('upper', subject).toUpperCase(),
  trim: (subject) => text('trim', subject).trim(),
  string: (subject) => pythonString(subject),
  join: (subject, args) => {
    if (!Array.isArray(subject)) throw new ExpressionProblem(`filter 'join' needs a list, got ${describeValue(subject)}`);
    return subject.map(pythonString).join(typeof args[0] === 'string' ? args[0] : '');
  },
  replace: (subject, [old, replacement = '']) => text('replace', subject).replaceAll(text('replace', old), text('replace', replacement)),
  basename: (subject) => path.posix.basename(text('basename', subject)),
  dirname: (subject) => path.posix.dirname(text('dirname', subject)),
  quote: (subject) => quoteShellWord(text('quote', subject)),
  to_json: (subject) => JSON.stringify(subject),
  to_yaml: (subject) => toYaml(subject),
  first: (subject) => (Array.isArray(subject) || typeof subject === 'string' ? (subject[0] ?? new Undefined('first of empty')) : subject),
  last: (subject) => (Array.isArray(subject) || typeof subject === 'string' ? (subject.at(-1) ?? new Undefined('last of empty')) : subject),
};

/** Names of every filter, for "did you mean" at load time. */
export const filterNames: readonly string[] = Object.keys(table).sort();

/** Filters that accept an undefined subject; every other filter fails on one. */
export const undefinedTolerantFilters: ReadonlySet<string> = new Set(['default', 'd']);

/** Apply filter `name`; the parser has already checked that it exists. */
export function applyFilter(name: string, subject: unknown, args: readonly unknown[]): unknown {
  const filter = Object.hasOwn(table, name) ? table[name] : undefined;
  if (filter === undefined) throw new ExpressionProblem(`unknown filter '${name}'`);
  return filter(subject, args);
}
