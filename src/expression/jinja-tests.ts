// The tests `x is name` the expression language offers: definedness, none, types, and the
// state of registered results (`result is failed`), as Ansible defines them.
import { ExpressionProblem } from './problem.js';
import { describeValue, isMapping, Undefined } from './values.js';

type Test = (subject: unknown) => boolean;

/** Ansible's result tests read a flag of a registered result and need a mapping. */
function resultFlag(test: string, flag: 'failed' | 'changed' | 'skipped', expected: boolean): Test {
  return (subject) => {
    if (!isMapping(subject)) {
      throw new ExpressionProblem(`test '${test}' needs a registered result (a mapping), got ${describeValue(subject)}`, 'use it on a variable set with register:');
    }
    return (subject[flag] === true) === expected;
  };
}

const table: Readonly<Record<string, Test>> = {
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
export function applyTest(name: string, subject: unknown): boolean {
  const test = Object.hasOwn(table, name) ? table[name] : undefined;
  if (test === undefined) throw new ExpressionProblem(`unknown test '${name}'`);
  return test(subject);
}
