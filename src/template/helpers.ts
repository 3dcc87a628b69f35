// The Handlebars helpers playbook authors need, as plain functions over evaluated arguments, so
// Handlebars rendering and typed whole-value rendering (`"{{ default ports 22 }}"`) share them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { quoteShellWord } from '../command/quote.js';
import { ExpressionProblem } from '../expression/problem.js';
import { deepEqual, describeValue, isMapping, truthy } from '../expression/values.js';

/** How Handlebars output shows a value: Python's words for none and booleans, JSON for lists and mappings. */
export function handlebarsDisplay(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** What a helper may know about the render besides its arguments. */
export interface HelperEnvironment {
  /** Directories `lookup "file"` searches, in order (role dirs first, then the playbook's). */
  readonly searchDirs: readonly string[];
}

/** A helper: evaluated positional arguments and `key=value` hash arguments. */
export type Helper = (args: readonly unknown[], hash: Readonly<Record<string, unknown>>, env: HelperEnvironment) => unknown;

function str(helper: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new ExpressionProblem(`helper '${helper}' needs a string, got ${value === undefined ? 'nothing' : describeValue(value)}`);
}

function arity(helper: string, args: readonly unknown[], count: number, usage: string): void {
  if (args.length < count) throw new ExpressionProblem(`helper '${helper}' needs ${count} argument${count === 1 ? '' : 's'}`, `write ${usage}`);
}

function ordered(helper: string, args: readonly unknown[], test: (a: number | string, b: number | string) => boolean): boolean {
  arity(helper, args, 2, `{{#if (${helper} a b)}}`);
  const [a, b] = args;
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) {
    throw new ExpressionProblem(`helper '${helper}' cannot compare ${describeValue(a)} with ${describeValue(b)}`);
  }
  return test(a, b);
}

/** A file for `lookup "file"`: absolute, or the first match under the search dirs (and their files/). */
function findFile(name: string, env: HelperEnvironment): string {
  if (path.isAbsolute(name)) {
    if (existsSync(name)) return name;
  } else {
    for (const dir of env.searchDirs) {
      for (const candidate of [path.join(dir, name), path.join(dir, 'files', name)]) if (existsSync(candidate)) return candidate;
    }
  }
  throw new ExpressionProblem(
    `lookup "file": '${name}' not found${path.isAbsolute(name) ? '' : ` in ${env.searchDirs.join(', ') || '(no search dirs)'}`}`,
    'put the file beside the playbook or in the role\'s files/, or give an absolute path',
  );
}

function lookup(args: readonly unknown[], _hash: Readonly<Record<string, unknown>>, env: HelperEnvironment): unknown {
  const [kind, key] = args;
  if (kind === 'file') {
    // Ansible's file lookup strips trailing whitespace (rstrip=True).
    return readFileSync(findFile(str('lookup', key), env), 'utf8').trimEnd();
  }
  if (kind === 'env') return process.env[str('lookup', key)] ?? '';
  // Handlebars' own `lookup obj key`, kept for templates that use it.
  if (Array.isArray(kind) && typeof key === 'number') return kind[key];
  if (isMapping(kind) && typeof key === 'string' && Object.hasOwn(kind, key)) return kind[key];
  if (typeof kind === 'string') throw new ExpressionProblem(`lookup "${kind}" is not supported`, 'use lookup "file" "PATH" or lookup "env" "NAME"');
  return undefined;
}

const helpers: Readonly<Record<string, Helper>> = {
  // Only replaces an undefined value, as Ansible's default does; `default x "v" boolean=true` also a falsy one.
  default: ([value, fallback = ''], hash) => (value === undefined || (hash['boolean'] === true && !truthy(value)) ? fallback : value),
  join: (args) => {
    const [list, separator = ''] = args;
    if (!Array.isArray(list)) throw new ExpressionProblem(`helper 'join' needs a list, got ${list === undefined ? 'nothing' : describeValue(list)}`);
    return list.map(handlebarsDisplay).join(str('join', separator));
  },
  eq: (args) => (arity('eq', args, 2, '{{#if (eq a b)}}'), deepEqual(args[0], args[1])),
  ne: (args) => (arity('ne', args, 2, '{{#if (ne a b)}}'), !deepEqual(args[0], args[1])),
  lt: (args) => ordered('lt', args, (a, b) => a < b),
  le: (args) => ordered('le', args, (a, b) => a <= b),
  gt: (args) => ordered('gt', args, (a, b) => a > b),
  ge: (args) => ordered('ge', args, (a, b) => a >= b),
  and: (args) => args.every(truthy),
  or: (args) => args.some(truthy),
  not: (args) => (arity('not', args, 1, '{{#if (not a)}}'), !truthy(args[0])),
  lookup,
  to_json: ([value], hash) => JSON.stringify(value, null, typeof hash['indent'] === 'number' ? hash['indent'] : undefined),
  to_yaml: ([value]) => toYaml(value),
  upper: ([value]) => str('upper', value).toUpperCase(),
  lower: ([value]) => str('lower', value).toLowerCase(),
  replace: (args) => (arity('replace', args, 3, '{{ replace text "old" "new" }}'), str('replace', args[0]).replaceAll(str('replace', args[1]), str('replace', args[2]))),
  basename: ([value]) => path.posix.basename(str('basename', value)),
  dirname: ([value]) => path.posix.dirname(str('dirname', value)),
  quote: ([value]) => quoteShellWord(str('quote', value)),
};

/** Names of beastie's helpers. */
export const helperNames: readonly string[] = Object.keys(helpers).sort();

/** Handlebars' own block helpers, which beastie keeps. */
export const builtinBlockHelpers: readonly string[] = ['if', 'unless', 'each', 'with'];

/** The helper called `name`, or undefined. */
export function findHelper(name: string): Helper | undefined {
  return Object.hasOwn(helpers, name) ? helpers[name] : undefined;
}
