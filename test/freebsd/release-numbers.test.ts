import { describe, expect, it } from 'vitest';
import { releaseNumbers } from '../../src/freebsd/release-numbers.js';

describe('releaseNumbers', () => {
  it('reads major and minor from what freebsd-version and uname -r print', () => {
    expect(releaseNumbers('13.5-RELEASE-p2\n')).toEqual([13, 5]);
    expect(releaseNumbers('15.0-RELEASE')).toEqual([15, 0]);
    expect(releaseNumbers('14.3-STABLE')).toEqual([14, 3]);
  });

  it('is undefined for text that names no release', () => {
    expect(releaseNumbers('')).toBeUndefined();
    expect(releaseNumbers('freebsd-version: not found')).toBeUndefined();
    expect(releaseNumbers('13')).toBeUndefined();
  });
});
