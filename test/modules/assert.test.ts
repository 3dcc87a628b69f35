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
