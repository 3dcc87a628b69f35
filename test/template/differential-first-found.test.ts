// beastie's first_found lookup (src/jinja/lookups/first-found.ts) against ansible-core 2.14's, on
// files every Linux controller has (/etc/hosts, /etc/passwd): text terms with and without the
// files/paths keywords, mapping terms, lists of both, skip, no terms at all, and the failures.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const templates = [
  "{{ query('first_found', files=['missing1', 'hosts', 'missing2'], paths=['/etc'], errors='ignore') }}",
  "{{ query('first_found', files=['hosts'], paths=['/etc'], skip=True) }}",
  "{{ lookup('first_found', ['/nonexist', '/etc/hosts']) }}",
  "{{ lookup('first_found', '/nonexist,/etc/hosts') }}",
  "{{ lookup('first_found', '/nonexist;/etc/passwd') }}",
  "{{ lookup('first_found', {'files': ['missing', 'hosts'], 'paths': ['/nowhere', '/etc']}) }}",
  "{{ lookup('first_found', {'files': 'missing,passwd', 'paths': '/nowhere:/etc'}) }}",
  "{{ lookup('first_found', 'x', files=['hosts'], paths=['/etc']) }}",
  "{{ lookup('first_found', ['/etc/hosts'], files=['/etc/passwd']) }}",
  "{{ lookup('first_found', ['/nonexist'], skip=True) }}",
  "{{ query('first_found', ['/nonexist'], skip=True) }}",
  "{{ query('first_found', [{'files': ['/nonexist'], 'skip': true}]) }}",
  "{{ lookup('first_found', ['/etc/hosts', {'files': ['passwd'], 'paths': ['/etc']}]) }}",
  "{{ lookup('first_found', [{'files': ['passwd'], 'paths': ['/etc']}, '/etc/hosts']) }}",
  "{{ lookup('first_found', [['/nonexist'], ['/etc/passwd', '/etc/hosts']]) }}",
  "{{ lookup('first_found', ['/nonexist']) }}",
  "{{ lookup('first_found', 5) }}",
  "{{ query('first_found', [], errors='ignore') }}",
  "{{ lookup('first_found', ['/nonexist'], errors='ignore') }}",
];
const cases: Case[] = templates.map((template) => ({ template }));

describe('first_found reads its terms as ansible-core 2.14 does', () => {
  itRendersAsAnsible(cases, { moreThan: 0.6 }, 'found most files');
});
