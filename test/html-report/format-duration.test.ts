import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/html-report/format-duration.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [-5, '0 ms'],
    [849.6, '850 ms'],
    [999, '999 ms'],
    [1000, '1.0 s'],
    [4240, '4.2 s'],
    [10_400, '10 s'],
    [59_400, '59 s'],
    [185_000, '3 min 05 s'],
    [3_720_000, '1 h 02 min'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
