// assert's empty `that` items: ansible-core 2.14's plugins/action/assert.py takes a None or ''
// item as true (`if conditional is None or conditional == '': res = True`). Checked with
// ansible-playbook 2.14.18: ['1 == 1', null, '2 == 2'] passes, ['1 == 1', null, '2 == 3'] fails
// on '2 == 3'. ansible-core's copy target has such an item (a bare `-` in its local_follow assert).
import { describe, expect, it } from 'vitest';
import assert, { planAssert } from '../../modules/assert.js';

describe('assert that: with empty items', () => {
  const params = (p: Record<string, unknown>) => assert.params.parse(p);

  it('a null or empty item holds; the others are checked in order', () => {
    expect(planAssert(params({ that: ['1 == 1', null, '', '2 == 2'] }), {})).toMatchObject({ values: { msg: 'All assertions passed' } });
    expect(planAssert(params({ that: ['1 == 1', null, '2 == 3'] }), {})).toMatchObject({ failure: 'Assertion failed', values: { assertion: '2 == 3', evaluated_to: false } });
  });
});

// A boolean `that` or item: plugins/action/assert.py makes a non-list `that` a list, and
// conditional.py evaluate_conditional takes a bool item as its own result. Checked with
// ansible-playbook 2.14.18: `that: true` and `that: [true, "1 == 1"]` pass; `that: false` and
// `that: ["1 == 1", false]` fail with assertion false, evaluated_to false, 'Assertion failed'.
describe('assert that: a boolean', () => {
  const params = (p: Record<string, unknown>) => assert.params.parse(p);

  it('true holds, alone or as an item', () => {
    expect(planAssert(params({ that: true }), {})).toMatchObject({ values: { msg: 'All assertions passed' } });
    expect(planAssert(params({ that: [true, '1 == 1'] }), {})).toMatchObject({ values: { msg: 'All assertions passed' } });
  });

  it('false fails with assertion false, alone or as an item', () => {
    const failed = { failure: 'Assertion failed', values: { assertion: false, evaluated_to: false, msg: 'Assertion failed' } };
    expect(planAssert(params({ that: false }), {})).toMatchObject(failed);
    expect(planAssert(params({ that: ['1 == 1', false] }), {})).toMatchObject(failed);
  });
});
