// Medians, ranges, pair-wise ratios and slopes over repetitions.
import { describe, expect, it } from 'vitest';
import { median, pairwiseRatios, range, slope } from '../../bench/stats.js';

describe('stats', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('pairs repetitions by position', () => {
    expect(pairwiseRatios([10, 30, 5], [2, 3])).toEqual([5, 10]);
    expect(range([3, 9, 1])).toEqual({ min: 1, max: 9 });
  });

  it('fits a least-squares slope', () => {
    expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2);
  });
});
