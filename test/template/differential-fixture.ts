// The body the differential tests share: Ansible renders a batch of cases once (one python process,
// ansible-reference.ts), then one `it` asserts beastie renders each case as Ansible does, and one
// that Ansible answered (did not fail on) enough of them — so a batch compares answers, not only
// failures. Call it inside the file's describe().
import { expect, it } from 'vitest';
import { differences, renderWithAnsible, type Case, type Outcome } from './ansible-reference.js';

/** How many cases Ansible must have answered: more than a share of them, or at least a count. */
export type Answered = { readonly moreThan: number } | { readonly atLeast: number };

/** The two tests of a differential batch; returns Ansible's outcomes for the file's own tests. */
export function itRendersAsAnsible(cases: readonly Case[], answered: Answered, what = 'answered most cases'): readonly Outcome[] {
  const ansible = renderWithAnsible(cases);
  it('renders every case identically', () => {
    expect(differences(cases, ansible)).toEqual([]);
  });
  it(`compares answers, not failures: Ansible ${what}`, () => {
    const count = ansible.filter((outcome) => outcome.ok).length;
    if ('atLeast' in answered) expect(count).toBeGreaterThanOrEqual(answered.atLeast);
    else expect(count).toBeGreaterThan(cases.length * answered.moreThan);
  });
  return ansible;
}
