// The tests of `x is name(…)`: Jinja2's builtin tests plus Ansible's (plugins/test/core.py,
// files.py, mathstuff.py in ansible-core 2.14), and ansible.utils' address tests (ip-tests.ts).
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { JinjaRenderError } from './errors.js';
import { ipTests } from './ip-tests.js';
import { toBoolean } from './filters/convert.js';
import { contains } from './operators.js';
import { pythonRegExp } from './python-regex.js';
import type { Test } from './registry.js';
import { Callable, isDict, isFloat, isNumber, iterate, numberOf, pyCompare, pyEquals, pyStr, truthy, Undefined, type CallArgs } from './values.js';
import { compareVersions } from './version.js';
import { jinjaWarning } from './warnings.js';

/** A test's answer: most are booleans; Ansible's result tests give the result's own value (core.py's `result.get('failed', False)`), which `{{ r is failed }}` prints. */
type TestFn = (value: unknown, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) => unknown;

function resultDict(value: unknown, test: string): Record<string, unknown> {
  if (!isDict(value)) throw new JinjaRenderError(`The '${test}' test expects a dictionary`);
  return value;
}

function regexTest(value: unknown, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>, matchType: string): boolean {
  const text = pyStr(value);
  const pattern = pyStr(args[0] ?? kwargs['pattern'] ?? '');
  const flags = (truthy(args[1] ?? kwargs['ignorecase'] ?? false) ? 'i' : '') + (truthy(args[2] ?? kwargs['multiline'] ?? false) ? 'm' : '');
  const type = matchType === 'regex' ? pyStr(args[3] ?? kwargs['match_type'] ?? 'search') : matchType;
  const regexp = pythonRegExp(pattern, flags);
  const match = regexp.exec(text);
  if (match === null) return false;
  if (type === 'match') return match.index === 0 || pythonRegExp(`^(?:${pattern})`, flags).test(text);
  if (type === 'fullmatch') return pythonRegExp(`^(?:${pattern})$`, flags).test(text);
  return true;
}

/** core.py's changed: the result's own `changed` value, else whether one of its results changed. */
function changed(value: unknown): unknown {
  const result = resultDict(value, 'changed');
  if (Object.hasOwn(result, 'changed')) return result['changed'];
  const results = result['results'];
  if (Array.isArray(results) && isDict(results[0])) return results.some((entry) => isDict(entry) && truthy(entry['changed'] ?? false));
  return false;
}

/** result.get(key, False), the value itself. */
function resultValue(value: unknown, test: string, key: string): unknown {
  const result = resultDict(value, test);
  return Object.hasOwn(result, key) ? result[key] : false;
}

/** core.py's started / finished: the async status is 1, or (a non-async result) true with a warning. */
function asyncState(value: unknown, key: string): boolean {
  const result = resultDict(value, key);
  if (Object.hasOwn(result, key)) return pyEquals(result[key], 1);
  jinjaWarning(`The '${key}' test expects an async task, but a non-async task was tested`);
  return true;
}

function asSet(value: unknown): unknown[] {
  return iterate(value);
}

function stat(file: unknown, check: (p: string) => boolean): boolean {
  try {
    return check(pyStr(file));
  } catch {
    return false;
  }
}

const sameAs = (a: unknown, b: unknown): boolean => a === b || (a === null && b === null);

const tests: Readonly<Record<string, TestFn>> = {
  // Jinja2 builtins
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => isFloat(v),
  number: (v) => isNumber(v),
  string: (v) => typeof v === 'string',
  mapping: (v) => isDict(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
  callable: (v) => v instanceof Callable || v instanceof Undefined,
  lower: (v) => pyStr(v) === pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v) === pyStr(v).toUpperCase(),
  odd: (v) => numberOf(v as number) % 2 !== 0,
  even: (v) => numberOf(v as number) % 2 === 0,
  divisibleby: (v, [n]) => numberOf(v as number) % numberOf(n as number) === 0,
  eq: (v, [o]) => pyEquals(v, o),
  ne: (v, [o]) => !pyEquals(v, o),
  lt: (v, [o]) => pyCompare(v, o, '<') < 0,
  le: (v, [o]) => pyCompare(v, o, '<=') <= 0,
  gt: (v, [o]) => pyCompare(v, o, '>') > 0,
  ge: (v, [o]) => pyCompare(v, o, '>=') >= 0,
  in: (v, [seq]) => contains(seq, v),
  sameas: (v, [o]) => sameAs(v, o),
  escaped: (v) => v instanceof Undefined,
  // Ansible core
  failed: (v) => resultValue(v, 'failed', 'failed'),
  succeeded: (v) => !truthy(resultValue(v, 'failed', 'failed')),
  unreachable: (v) => resultValue(v, 'unreachable', 'unreachable'),
  reachable: (v) => !truthy(resultValue(v, 'unreachable', 'unreachable')),
  changed,
  skipped: (v) => resultValue(v, 'skipped', 'skipped'),
  finished: (v) => asyncState(v, 'finished'),
  started: (v) => asyncState(v, 'started'),
  match: (v, a, k) => regexTest(v, a, k, 'match'),
  search: (v, a, k) => regexTest(v, a, k, 'search'),
  regex: (v, a, k) => regexTest(v, a, k, 'regex'),
  version: (v, [other, operator, strict, type], kw) => {
    const strictFlag = strict ?? kw['strict'];
    const versionType = type ?? kw['version_type'];
    if (strictFlag !== undefined && strictFlag !== null && versionType !== undefined && versionType !== null) throw new JinjaRenderError("Cannot specify both 'strict' and 'version_type'");
    const kind = truthy(strictFlag ?? false) ? 'strict' : pyStr(versionType ?? 'loose');
    return compareVersions(pyStr(v), pyStr(other ?? kw['version'] ?? ''), pyStr(operator ?? kw['operator'] ?? 'eq'), kind);
  },
  any: (v) => iterate(v).some(truthy),
  all: (v) => iterate(v).every(truthy),
  truthy: (v, [convert], kw) => {
    if (truthy(convert ?? kw['convert_bool'] ?? false)) {
      try {
        return toBoolean(v, true);
      } catch {
        return truthy(v);
      }
    }
    return truthy(v);
  },
  falsy: (v, a, k) => !(tests['truthy'] as TestFn)(v, a, k),
  vault_encrypted: () => false,
  // Ansible mathstuff
  subset: (v, [other]) => asSet(v).every((entry) => asSet(other).some((o) => pyEquals(o, entry))),
  superset: (v, [other]) => asSet(other).every((entry) => asSet(v).some((o) => pyEquals(o, entry))),
  contains: (v, [item]) => contains(v, item),
  nan: (v) => typeof v === 'number' && Number.isNaN(v),
  // Ansible files (on the controller, as Ansible's tests run there)
  directory: (v) => stat(v, (p) => statSync(p).isDirectory()),
  file: (v) => stat(v, (p) => statSync(p).isFile()),
  link: (v) => stat(v, (p) => lstatSync(p).isSymbolicLink()),
  exists: (v) => stat(v, (p) => existsSync(p)),
  link_exists: (v) => stat(v, (p) => lstatSync(p) !== undefined),
  abs: (v) => path.isAbsolute(pyStr(v)),
  same_file: (v, [other]) => stat(v, (p) => realpathSync(p) === realpathSync(pyStr(other))),
  mount: (v) => stat(v, (p) => statSync(p).dev !== statSync(path.dirname(p)).dev || realpathSync(p) === '/'),
};

const aliases: Readonly<Record<string, string>> = {
  '==': 'eq', equalto: 'eq', '!=': 'ne', '<': 'lt', lessthan: 'lt', '<=': 'le', '>': 'gt', greaterthan: 'gt', '>=': 'ge',
  failure: 'failed', success: 'succeeded', successful: 'succeeded', change: 'changed', skip: 'skipped',
  version_compare: 'version', isnan: 'nan', issubset: 'subset', issuperset: 'superset',
  is_dir: 'directory', is_file: 'file', is_link: 'link', is_abs: 'abs', is_same_file: 'same_file', is_mount: 'mount',
};

/**
 * Tests that look at an undefined value without touching it: AnsibleUndefined is no None, bool,
 * number, string or mapping (and, by its catch-all attributes, callable and escaped), so
 * `x.y is none` is False, not an error, when x is undefined.
 */
const undefinedOk = new Set(['defined', 'undefined', 'none', 'boolean', 'true', 'false', 'integer', 'float', 'number', 'string', 'mapping', 'sequence', 'sameas', 'callable', 'escaped']);

/**
 * Python's TypeError when a test that needs an argument gets none (`select('eq')`): Jinja2's
 * comparison tests are the operator module's functions, the others plain functions (jinja2/tests.py,
 * ansible-core's plugins/test/mathstuff.py, core.py, files.py's os.path.samefile).
 */
const requiredArgument: Readonly<Record<string, string>> = {
  eq: 'eq expected 2 arguments, got 1',
  ne: 'ne expected 2 arguments, got 1',
  lt: 'lt expected 2 arguments, got 1',
  le: 'le expected 2 arguments, got 1',
  gt: 'gt expected 2 arguments, got 1',
  ge: 'ge expected 2 arguments, got 1',
  divisibleby: "test_divisibleby() missing 1 required positional argument: 'num'",
  in: "test_in() missing 1 required positional argument: 'seq'",
  sameas: "test_sameas() missing 1 required positional argument: 'other'",
  version: "version_compare() missing 1 required positional argument: 'version'",
  subset: "issubset() missing 1 required positional argument: 'b'",
  superset: "issuperset() missing 1 required positional argument: 'b'",
  contains: "contains() missing 1 required positional argument: 'value'",
  same_file: "samefile() missing 1 required positional argument: 'f2'",
};

function withArity(name: string, fn: TestFn): TestFn {
  const missing = requiredArgument[name];
  if (missing === undefined) return fn;
  return (value, args, kwargs) => {
    if (args.length === 0 && Object.keys(kwargs).length === 0) throw new JinjaRenderError(missing);
    return fn(value, args, kwargs);
  };
}

/** Every test by name (aliases included). */
export const allTests: ReadonlyMap<string, Test> = new Map(
  [
    ...Object.entries(tests).map(([name, fn]) => [name, withArity(name, fn)] as const),
    ...Object.entries(aliases).map(([alias, name]) => [alias, withArity(name, tests[name] as TestFn)] as const),
    ...Object.entries(ipTests),
  ].map(([name, fn]) => [name, { fn: (value: unknown, call: CallArgs) => fn(value, call.args, call.kwargs), acceptsUndefined: undefinedOk.has(name) }]),
);

/** Jinja2's own tests (jinja2/tests.py TESTS): no plugin of Ansible's, so no ansible.builtin.* name. */
const jinjaBuiltinTests: ReadonlySet<string> = new Set([
  'odd', 'even', 'divisibleby', 'defined', 'undefined', 'filter', 'test', 'none', 'boolean', 'false', 'true', 'integer', 'float',
  'lower', 'upper', 'string', 'mapping', 'number', 'sequence', 'iterable', 'callable', 'sameas', 'escaped', 'in',
  '==', 'eq', 'equalto', '!=', 'ne', '>', 'gt', 'greaterthan', 'ge', '>=', '<', 'lt', 'lessthan', '<=', 'le',
]);

/**
 * A test by the name a plugin gives as text (ansible.utils index_of's `environment.tests.get`):
 * JinjaPluginIntercept finds Ansible's test plugins by their ansible.builtin.* names too, Jinja2's
 * own tests by their short names only.
 */
export function findTest(name: string): Test | undefined {
  if (!name.startsWith('ansible.builtin.')) return allTests.get(name);
  const short = name.slice('ansible.builtin.'.length);
  return jinjaBuiltinTests.has(short) ? undefined : allTests.get(short);
}

/** Test names, for documentation and suggestions. */
export const testNames: readonly string[] = [...allTests.keys()].sort();
