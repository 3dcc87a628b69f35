// beastie's community.general.version_sort (src/jinja/version.ts versionSort) against
// community.general 6.6.2's plugins/filter/version_sort.py (sorted(value, key=LooseVersion,
// reverse=reverse)) through ansible-core 2.14's Templar: the collection's integration target,
// the documented example, reverse, and the failures.
import { describe, expect, it } from 'vitest';
import { differences, renderWithAnsible, type Case } from './ansible-reference.js';

const vars = { pkgs: ['a-1.9.rpm', 'a-1.10-1.rpm', 'a-1.09.rpm', 'b-1.01.rpm', 'a-2.1-0.rpm', 'a-1.10-0.rpm'] };
const templates = [
  '{{ pkgs | community.general.version_sort }}',
  "{{ pkgs | community.general.version_sort == ['a-1.9.rpm', 'a-1.09.rpm', 'a-1.10-0.rpm', 'a-1.10-1.rpm', 'a-2.1-0.rpm', 'b-1.01.rpm'] }}",
  "{{ ['2.1', '2.10', '2.9'] | community.general.version_sort }}",
  "{{ ['2.1', '2.10', '2.9', '2.09'] | community.general.version_sort(reverse=true) }}",
  "{{ ['2.1', '2.10', '2.9'] | community.general.version_sort(true) }}",
  "{{ ['1.0', '1.0a', '1.0.1', '13.2-RELEASE', '13.2-RELEASE-p4', '14.0-RELEASE'] | community.general.version_sort }}",
  '{{ [] | community.general.version_sort }}',
  "{{ ['13.2-RELEASE', '13.2-RELEASE-p4', '14.0-RELEASE', '13.10-RELEASE'] | community.general.version_sort }}",
  "{{ ['1.a', '1.1'] | community.general.version_sort }}",
  '{{ [1, 2] | community.general.version_sort }}',
  "{{ ['2.1', '2.10'] | version_sort }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));
const ansible = renderWithAnsible(cases);

describe("community.general's version_sort sorts as LooseVersion does", () => {
  it('renders every case identically', () => {
    expect(differences(cases, ansible)).toEqual([]);
  });

  it('compares answers, not failures', () => {
    expect(ansible.filter((outcome) => outcome.ok).length).toBeGreaterThanOrEqual(7); // 4 of the 11 fail in both: int against str, a list of ints, the bare name;
  });
});
