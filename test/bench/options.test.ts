import { describe, expect, it } from 'vitest';
import { deadlineAt } from '../../bench/options.js';

describe('--deadline HH:MM', () => {
  it('is later today when that time is still to come', () => {
    expect(new Date(deadlineAt('23:50', new Date('2026-12-03T23:44:00Z'))).toISOString()).toBe('2026-12-03T23:50:00.000Z');
  });

  it('is tomorrow when today’s time has passed: a sitting started before midnight', () => {
    expect(new Date(deadlineAt('00:10', new Date('2026-12-03T23:44:00Z'))).toISOString()).toBe('2026-12-04T00:10:00.000Z');
  });

  it('refuses what is not HH:MM', () => {
    expect(() => deadlineAt('10pm')).toThrow(/--deadline expects HH:MM \(UTC\), got "10pm"/);
  });
});
