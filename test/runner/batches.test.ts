import { describe, expect, it } from 'vitest';
import { serialBatches } from '../../src/runner/batches.js';
import type { SerialSpec } from '../../src/playbook/types.js';

const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i + 1}`);
const sizes = (n: number, serial: SerialSpec | undefined) => serialBatches(hosts(n), serial).map((batch) => batch.length);

describe('serialBatches', () => {
  it('one batch of every host without serial, none without hosts', () => {
    expect(sizes(5, undefined)).toEqual([5]);
    expect(sizes(5, [])).toEqual([5]);
    expect(sizes(0, [2])).toEqual([]);
  });

  it.each<[string, number, SerialSpec, number[]]>([
    ['a number', 10, [3], [3, 3, 3, 1]],
    ['0 means every host', 4, [0], [4]],
    ['a percentage, rounded down', 10, ['30%'], [3, 3, 3, 1]],
    ['a percentage never below one host', 5, ['1%'], [1, 1, 1, 1, 1]],
    ['a list whose last entry repeats', 10, [1, '50%'], [1, 5, 4]],
    ['a list longer than needed', 3, [1, 1, 5, 5], [1, 1, 1]],
  ])('%s', (_what, count, serial, expected) => {
    expect(sizes(count, serial)).toEqual(expected);
  });

  it('keeps the hosts in order, each once', () => {
    expect(serialBatches(hosts(5), [2]).flat()).toEqual(hosts(5));
  });
});
