// Ansible's result tests as plugins/test/core.py (2.14) writes them: failed, unreachable,
// skipped and changed give the result's own value (`result.get('failed', False)`), which
// `{{ r is changed }}` prints as it is (1, None, 'yes'); `is not` and select() read it as
// truthiness; started / finished on a result that is not async answer True with a warning.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  r1: { changed: 1, failed: 0, skipped: 'yes', unreachable: null },
  r2: { rc: 0 },
  loop: { results: [{ changed: false }, { changed: 1 }] },
  many: [{ changed: 1, name: 'a' }, { changed: 0, name: 'b' }, { failed: 'x', name: 'c' }],
  job: { started: 1, finished: 0, ansible_job_id: 'j1' },
};
const templates = [
  '{{ r1 is changed }}', '{{ r1 is failed }}', '{{ r1 is skipped }}', '{{ r1 is unreachable }}', '{{ r1 is succeeded }}', '{{ r1 is reachable }}',
  '{{ r1 is not changed }}', '{{ r1 is not failed }}', '{{ r2 is changed }}', '{{ r2 is failed }}', '{{ loop is changed }}',
  '{{ r1 is changed }}x', '{{ [r1 is changed, r2 is skipped] }}',
  "{{ many | select('changed') | map(attribute='name') | list }}", "{{ many | reject('failed') | map(attribute='name') | list }}",
  "{{ many | selectattr('changed', 'defined') | map(attribute='name') | list }}",
  '{{ job is started }}', '{{ job is finished }}', '{{ job is not finished }}',
  { template: '{{ r2 is started }}', warnings: true }, { template: '{{ r2 is finished }}', warnings: true }, { template: '{{ job is finished }}', warnings: true },
  '{{ "x" is changed }}',
].map((item) => (typeof item === 'string' ? { template: item, vars } : { ...item, vars }));
const cases: Case[] = templates;

describe("Ansible's result tests give what core.py gives", () => {
  itRendersAsAnsible(cases, { moreThan: 0.8 });
});
