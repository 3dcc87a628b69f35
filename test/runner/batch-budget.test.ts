import { describe, expect, it } from 'vitest';
import { batchStopReason } from '../../src/runner/batch-budget.js';

describe('batchStopReason', () => {
  it('stops after a batch whose every host failed or was unreachable', () => {
    expect(batchStopReason(1, ['failed'], 19)).toMatch(/^every host of batch 1 failed or was unreachable \(1 of 1\): the play stops, 19 host\(s\)/);
    expect(batchStopReason(2, ['failed', 'unreachable'], 3)).toContain('(2 of 2)');
  });

  it('goes on when some host of the batch is fine, or nothing is left', () => {
    expect(batchStopReason(1, ['failed', 'active'], 10)).toBeUndefined();
    expect(batchStopReason(1, ['ended'], 10)).toBeUndefined();
    expect(batchStopReason(3, ['failed'], 0)).toBeUndefined();
    expect(batchStopReason(1, [], 4)).toBeUndefined();
  });
});
