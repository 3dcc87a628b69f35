// Version comparison for the `version` test (Ansible's version_compare): LooseVersion (the
// default), StrictVersion, semantic versions and a PEP 440 subset, as Python compares them.
import { JinjaRenderError } from './errors.js';

type Part = number | string;

/** LooseVersion: runs of digits (as numbers) and of letters, other characters dropped. */
function loose(text: string): Part[] {
  return text
    .split(/(\d+|[a-z]+|\.)/)
    .filter((part) => part !== '' && part !== '.')
    .map((part) => (/^\s*[-+]?\d+\s*$/.test(part) ? Number(part) : part));
}

function strict(text: string): Part[] {
  const match = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(text);
  if (match === null) throw new JinjaRenderError(`Version comparison failed: invalid version number '${text}'`);
  // A release sorts after its pre-releases: no pre-release compares as ('z', infinity).
  return [Number(match[1]), Number(match[2]), Number(match[4] ?? 0), match[5]?.[0] ?? 'z', match[6] === undefined ? Number.MAX_SAFE_INTEGER : Number(match[6])];
}

/**
 * ansible/utils/version.py's SemanticVersion: SEMVER_RE (no 'v', no leading zeros), prerelease
 * identifiers as _Numeric (digits) or _Alpha; the core compares first, a prerelease sorts before
 * its release, prereleases compare as Python tuples (a number before a word, a shorter prefix
 * first), build metadata is ignored — for equality too.
 */
type SemVer = { readonly core: readonly number[]; readonly pre: readonly Part[] };

const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semver(text: string): SemVer {
  const match = SEMVER_RE.exec(text);
  if (match === null) throw new JinjaRenderError(`Version comparison failed: invalid semantic version '${text}'`);
  const pre = match[4] === undefined ? [] : match[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre };
}

function comparePart(x: Part, y: Part): number {
  if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareSemver(a: SemVer, b: SemVer): number {
  for (let i = 0; i < 3; i++) {
    const c = comparePart(a.core[i] as number, b.core[i] as number);
    if (c !== 0) return c;
  }
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const c = comparePart(a.pre[i] as Part, b.pre[i] as Part);
    if (c !== 0) return c;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

function pep440(text: string): Part[] {
  const match = /^v?(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?(?:\.post(\d+))?(?:\.dev(\d+))?$/i.exec(text);
  if (match === null) throw new JinjaRenderError(`Version comparison failed: Invalid version: '${text}'`);
  const release = (match[1] ?? '').split('.').map(Number);
  while (release.length > 1 && release.at(-1) === 0) release.pop();
  const pre = match[2] === undefined ? ['z', 0] : [match[2].toLowerCase(), Number(match[3])];
  return [...release, ...pre, Number(match[4] ?? -1)];
}

function sameParts(a: readonly Part[], b: readonly Part[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function compareParts(a: readonly Part[], b: readonly Part[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x !== typeof y) {
      throw new JinjaRenderError(`Version comparison failed: '<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    }
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

const operators: Readonly<Record<string, (c: number) => boolean>> = {
  eq: (c) => c === 0,
  ne: (c) => c !== 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
};
const aliases: Readonly<Record<string, string>> = { '==': 'eq', '=': 'eq', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '!=': 'ne', '<>': 'ne' };

/** `value is version(other, operator, strict=, version_type=)`. */
export function compareVersions(value: string, other: string, operator: string, versionType: string): boolean {
  if (value === '') throw new JinjaRenderError('Input version value cannot be empty');
  if (other === '') throw new JinjaRenderError('Version parameter to compare against cannot be empty');
  const op = aliases[operator] ?? operator;
  const test = operators[op];
  if (test === undefined) throw new JinjaRenderError(`Invalid operator type (${operator}). Must be one of '==', '=', 'eq', '<', 'lt', '<=', 'le', '>', 'gt', '>=', 'ge', '!=', '<>', 'ne'`);
  if (versionType === 'semver' || versionType === 'semantic') return test(compareSemver(semver(value), semver(other)));
  const parse = { loose, strict, pep440 }[versionType];
  if (parse === undefined) throw new JinjaRenderError(`Invalid version type (${versionType}). Must be one of 'loose', 'strict', 'semver', 'semantic', 'pep440'`);
  const left = parse(value);
  const right = parse(other);
  // Python compares lists for equality without ordering their items: mixed types are just unequal.
  if (op === 'eq' || op === 'ne') return sameParts(left, right) === (op === 'eq');
  return test(compareParts(left, right));
}

/**
 * community.general's version_sort (plugins/filter/version_sort.py): `sorted(value,
 * key=LooseVersion, reverse=reverse)`, so 2.9 sorts before 2.10. Stable both ways, as sorted() is.
 */
export function versionSort(values: readonly unknown[], reverse: boolean): unknown[] {
  const keyed = values.map((value) => {
    if (typeof value !== 'string') throw new JinjaRenderError(`expected string or bytes-like object, got '${value === null ? 'NoneType' : Array.isArray(value) ? 'list' : typeof value === 'number' ? 'int' : typeof value}'`);
    return { value, parts: loose(value) };
  });
  return keyed.sort((a, b) => (reverse ? -1 : 1) * compareParts(a.parts, b.parts)).map(({ value }) => value);
}
