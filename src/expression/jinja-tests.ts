// The tests `x is name` the expression language offers: definedness, none, types, and the
// state of registered results (`result is failed`), as Ansible defines them.
import { ExpressionProblem } from './problem.js';
import { describeValue, isMapping, Undefined } from './values.js';

type Test = (subject: unknown, args: readonly unknown[]) => boolean;

/** Ansible's result tests read a flag of a registered result and need a mapping. */
function resultFlag(test: string, flag: 'failed' | 'changed' | 'skipped', expected: boolean): Test {
  return (subject) => {
    if (!isMapping(subject)) {
      throw new ExpressionProblem(`test '${test}' needs a registered result (a mapping), got ${describeValue(subject)}`, 'use it on a variable set with register:');
    }
    return (subject[flag] === true) === expected;
  };
}

/** The numbers of a version: `13.2-RELEASE-p4` → [13, 2] (the patch level is not a version part). */
function versionParts(value: unknown): number[] {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  const leading = text === undefined ? undefined : /^\s*v?(\d+(?:\.\d+)*)/.exec(text)?.[1];
  if (leading === undefined) throw new ExpressionProblem(`test 'version' needs a version such as '13.2' or '13.2-RELEASE', got ${describeValue(value)}`);
  return leading.split('.').map(Number);
}

const versionOperators: Readonly<Record<string, (order: number) => boolean>> = {
  '<': (o) => o < 0, lt: (o) => o < 0, '<=': (o) => o <= 0, le: (o) => o <= 0,
  '>': (o) => o > 0, gt: (o) => o > 0, '>=': (o) => o >= 0, ge: (o) => o >= 0,
  '==': (o) => o === 0, '=': (o) => o === 0, eq: (o) => o === 0, '!=': (o) => o !== 0, '<>': (o) => o !== 0, ne: (o) => o !== 0,
};

/** Ansible's `version` test over FreeBSD-style versions: `ver is version('13.0', '>=')`. */
function version(subject: unknown, args: readonly unknown[]): boolean {
  const [other, operator = '=='] = args;
  const compare = typeof operator === 'string' && Object.hasOwn(versionOperators, operator) ? versionOperators[operator] : undefined;
  if (compare === undefined) throw new ExpressionProblem(`test 'version': unknown operator ${describeValue(operator)}`, `use one of ${Object.keys(versionOperators).join(' ')}`);
  const a = versionParts(subject);
  const b = versionParts(other);
  let order = 0;
  for (let i = 0; i < Math.max(a.length, b.length) && order === 0; i++) order = Math.sign((a[i] ?? 0) - (b[i] ?? 0));
  return compare(order);
}

/** Ansible's regex tests: `search` finds the pattern anywhere, `match` only at the start. */
function regexTest(name: string, anchored: boolean): Test {
  return (subject, [pattern, ...rest]) => {
    if (typeof subject !== 'string') throw new ExpressionProblem(`test '${name}' needs a string, got ${describeValue(subject)}`);
    if (typeof pattern !== 'string') throw new ExpressionProblem(`test '${name}' needs a pattern string, e.g. ${name}('^vmm')`);
    if (rest.length > 0) throw new ExpressionProblem(`test '${name}' takes only a pattern here`, 'write the flags into the pattern instead');
    let regex: RegExp;
    try {
      // No multiline flag, as Python's re.search/re.match without re.M: ^ is the string's start.
      regex = new RegExp(anchored ? `^(?:${pattern})` : pattern);
    } catch (error) {
      throw new ExpressionProblem(`test '${name}': bad pattern '${pattern}': ${(error as Error).message}`);
    }
    return regex.test(subject);
  };
}

const table: Readonly<Record<string, Test>> = {
  version,
  match: regexTest('match', true),
  search: regexTest('search', false),
  regex: regexTest('regex', false),
  defined: (subject) => !(subject instanceof Undefined),
  undefined: (subject) => subject instanceof Undefined,
  none: (subject) => subject === null,
  string: (subject) => typeof subject === 'string',
  number: (subject) => typeof subject === 'number',
  boolean: (subject) => typeof subject === 'boolean',
  mapping: (subject) => isMapping(subject),
  sequence: (subject) => Array.isArray(subject) || typeof subject === 'string',
  failed: resultFlag('failed', 'failed', true),
  failure: resultFlag('failure', 'failed', true),
  succeeded: resultFlag('succeeded', 'failed', false),
  success: resultFlag('success', 'failed', false),
  successful: resultFlag('successful', 'failed', false),
  changed: resultFlag('changed', 'changed', true),
  change: resultFlag('change', 'changed', true),
  skipped: resultFlag('skipped', 'skipped', true),
  skip: resultFlag('skip', 'skipped', true),
};

/** Names of every test, for "did you mean" at load time. */
export const testNames: readonly string[] = Object.keys(table).sort();

/** Tests that look at an undefined subject rather than failing on it. */
export const undefinedTolerantTests: ReadonlySet<string> = new Set(['defined', 'undefined']);

/** Apply test `name`; the parser has already checked that it exists. */
export function applyTest(name: string, subject: unknown, args: readonly unknown[] = []): boolean {
  const test = Object.hasOwn(table, name) ? table[name] : undefined;
  if (test === undefined) throw new ExpressionProblem(`unknown test '${name}'`);
  return test(subject, args);
}
