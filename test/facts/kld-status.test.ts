import { describe, expect, it } from 'vitest';
import { kldStatusFact } from '../../src/facts/kld-status.js';

describe('kldStatusFact', () => {
  it('asks by module name first, then by file name', () => {
    expect(kldStatusFact('vmm').command.text).toBe(
      'if kldstat -q -m vmm; then echo module; elif kldstat -q -n vmm; then echo file; else echo absent; fi',
    );
  });

  it.each([
    ['module\n', 'module'],
    ['file\n', 'file'],
    ['absent\n', 'absent'],
    ['', 'absent'],
  ] as const)('parses %j as %s', (stdout, expected) => {
    expect(kldStatusFact('vmm').parse({ stdout, stderr: '', exitCode: 0 })).toBe(expected);
  });
});
