import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/text/did-you-mean.js';

describe('editDistance (Damerau-Levenshtein, optimal string alignment)', () => {
  it.each([
    ['name', 'name', 0],
    ['nmae', 'name', 1],
    ['vm_gest', 'vm_guest', 1],
    ['runing', 'running', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('%s → %s = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('didYouMean', () => {
  const modules = ['vm_guest', 'vm_switch', 'sysrc', 'service', 'shell'];
  it('suggests the closest close-enough name', () => {
    expect(didYouMean('vm_gest', modules)).toBe('vm_guest');
    expect(didYouMean('sysrcc', modules)).toBe('sysrc');
    expect(didYouMean('SERVICE', modules)).toBe('service');
  });

  it('suggests nothing when nothing is close', () => {
    expect(didYouMean('zfs', modules)).toBeUndefined();
    expect(didYouMean('vm_guest', modules)).toBeUndefined();
  });

  it('prefers a dropped letter over a changed one on a tie', () => {
    expect(didYouMean('taks', ['tags', 'tasks'])).toBe('tasks');
  });
});
