// Host ranges in inventory host names: `bhyve[01:20].lab`, `node[a:f]`, `vm[1:10:2]`, expanded as
// Ansible's expand_hostname_range does (lib/ansible/plugins/inventory/__init__.py).
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';

/** The most hosts one name may expand to; more is a typo (`h[0:99999999]`), not a fleet. */
export const MAX_RANGE_HOSTS = 200_000;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = /^[0-9]+$/u;

/** True when the name holds a `[...]` range to expand. */
export function hasHostRange(name: string): boolean {
  return name.includes('[');
}

/**
 * Expands every range in `name`, left to right, keeping zero padding (`[01:03]` → 01 02 03) and
 * honouring a step (`[1:10:2]`). `at` is where `name` starts in its file; errors point at the range.
 */
export function expandHostRange(name: string, at: SourceRef): string[] {
  const open = name.indexOf('[');
  if (open < 0) return [name];
  const fail = (what: string, fix: string): never => {
    throw new InvalidInputError(`bad host range in '${name}': ${what}`, {
      source: { ...at, column: at.column + open },
      fix,
    });
  };
  const close = name.indexOf(']', open);
  if (close < 0) fail('no closing ]', 'close the range, as in bhyve[01:20].lab');
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    fail('a range is begin:end or begin:end:step', 'write it as [01:20] or [1:20:2]');
  }
  const [begText = '', endText = '', stepText = '1'] = bounds;
  const beg = begText === '' ? '0' : begText;
  if (endText === '') fail('the range has no end', 'give an end, as in [01:20]');
  if (!DIGITS.test(stepText) || Number(stepText) === 0) {
    fail(`step '${stepText}' is not a positive integer`, 'use a step of 1 or more, as in [1:10:2]');
  }
  const step = Number(stepText);
  let items: string[];
  if (DIGITS.test(beg) && DIGITS.test(endText)) {
    const padded = beg.startsWith('0') && beg.length > 1;
    if (padded && beg.length !== endText.length) {
      fail(`zero-padded '${beg}' and '${endText}' differ in length`, `pad both ends to ${beg.length} digits`);
    }
    const from = Number(beg);
    const to = Number(endText);
    if (from > to) fail(`begin ${beg} is greater than end ${endText}`, 'write the smaller bound first');
    if (Math.floor((to - from) / step) + 1 > MAX_RANGE_HOSTS) {
      fail(`it names ${Math.floor((to - from) / step) + 1} hosts, more than the ${MAX_RANGE_HOSTS} beastie expands from one name`, 'check the bounds, or split the range over several lines');
    }
    items = [];
    for (let i = from; i <= to; i += step) items.push(padded ? String(i).padStart(beg.length, '0') : String(i));
  } else if (beg.length === 1 && endText.length === 1 && LETTERS.includes(beg) && LETTERS.includes(endText)) {
    const from = LETTERS.indexOf(beg);
    const to = LETTERS.indexOf(endText);
    if (from > to) fail(`begin '${beg}' comes after end '${endText}'`, 'write the earlier letter first');
    items = [];
    for (let i = from; i <= to; i += step) items.push(LETTERS[i] ?? '');
  } else {
    items = fail(
      `'${beg}:${endText}' is neither a numeric nor a single-letter range`,
      'use numbers ([01:20]) or single letters ([a:f])',
    );
  }
  const tailAt: SourceRef = { ...at, column: at.column + close + 1 };
  const rests = expandHostRange(tail, tailAt);
  if (items.length * rests.length > MAX_RANGE_HOSTS) {
    fail(`it names ${items.length * rests.length} hosts, more than the ${MAX_RANGE_HOSTS} beastie expands from one name`, 'check the bounds, or split the range over several lines');
  }
  return items.flatMap((item) => rests.map((rest) => `${head}${item}${rest}`));
}
