// Summing the play recap both tools print.
import { describe, expect, it } from 'vitest';
import { parseRecap } from '../../bench/recap.js';

describe('parseRecap', () => {
  it('sums changed, failed and unreachable over the hosts', () => {
    const output = `PLAY RECAP *********************************************************************
sim01                      : ok=19   changed=2    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0
sim02                      : ok=20   changed=3    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0
`;
    expect(parseRecap(output)).toEqual({ hosts: 2, changed: 5, failed: 1, unreachable: 1 });
  });

  it('is undefined when there is no recap', () => {
    expect(parseRecap('ERROR! the playbook could not be read\n')).toBeUndefined();
  });
});
