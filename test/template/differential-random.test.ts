// Seeded random, shuffle and password against ansible-core 2.14 (core.py's rand and
// randomize_list, utils/encrypt.py's random_password over random.Random): the same seed picks the
// same number, item, order and password as Python's Mersenne Twister — `59 | random(seed=
// inventory_hostname)` gives each host the minute Ansible gave it. Seeds as text, int, bool;
// ranges with start and step, ints wider than 32 and 53 bits, the failures. Unseeded draws differ
// from run to run in both, so only their type and range are compared.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = { inventory_hostname: 'web01.example.com', hosts: ['db1', 'db2', 'web1', 'web2', 'cache'], word: 'beastie' };
const templates = [
  "{{ 59 | random(seed='host1') }}",
  '{{ 59 | random(seed=inventory_hostname) }}',
  "{{ 60 | random(seed=inventory_hostname ~ 'cron') }} {{ 24 | random(seed=inventory_hostname ~ 'cron') }}",
  "{{ hosts | map('regex_replace', '$', '') | list | random(seed='pick') }}",
  "{{ 100 | random(10, seed='x') }}",
  "{{ 100 | random(start=1, step=10, seed='x') }}",
  "{{ 100 | random(0, 7, seed='x') }}",
  "{{ -5 | random(-50, 5, seed='neg') }}",
  '{{ 10 | random(seed=5) }}',
  '{{ 10 | random(seed=0) }}',
  '{{ 10 | random(seed=-7) }}',
  '{{ 10 | random(seed=true) }}',
  "{{ 10 | random(seed='') }}",
  '{{ 1000000 | random(seed=12345678901234) }}',
  "{{ 4294967296 | random(seed='wide') }}",
  "{{ 1099511627776 | random(seed='big') }}",
  "{{ ['a', 'b', 'c', 'd'] | random(seed='s') }}",
  "{{ 'abcdef' | random(seed='s') }}",
  "{{ (1, 2, 3) | random(seed='t') }}",
  "{{ true | random(seed='b') }}",
  "{{ range(20) | list | shuffle(seed='abc') }}",
  '{{ [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] | shuffle(seed=42) }}',
  "{{ hosts | shuffle(seed=inventory_hostname) }}",
  "{{ word | shuffle(seed='x') }}",
  "{{ [] | shuffle(seed='x') }}",
  "{{ [1] | shuffle(seed='x') }}",
  "{{ range(3) | map('random', seed='m') | list }}",
  "{{ lookup('password', '/dev/null seed=abc') }}",
  "{{ lookup('password', '/dev/null length=8 chars=digits seed=host1') }}",
  "{{ lookup('password', '/dev/null length=12 chars=ascii_lowercase,digits seed=' ~ inventory_hostname) }}",
  "{{ lookup('password', '/dev/null', seed=inventory_hostname) }}",
  "{{ lookup('password', '/dev/null length=30 chars=digits,, seed=c1') }}",
  "{{ lookup('password', '/dev/null length=30 chars=ascii_uppercase,.,:-_ seed=c2') }}",
  "{{ lookup('password', '/dev/null length=30 chars=hexdigits,punctuation seed=c3') }}",
  // Failures, and unseeded draws compared by what they are.
  "{{ 0 | random(seed='x') }}",
  "{{ 5 | random(10, seed='x') }}",
  "{{ [] | random(seed='x') }}",
  "{{ 1.5 | random(seed='x') }}",
  "{{ [1, 2] | random(1, seed='x') }}",
  '{{ (10 | random) in range(10) }}',
  "{{ (hosts | random) in hosts }}",
  '{{ (hosts | shuffle | sort) == (hosts | sort) }}',
  "{{ lookup('password', '/dev/null length=9') | length }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));

describe('seeded random, shuffle and password pick what Python random.Random picks in Ansible', () => {
  itRendersAsAnsible(cases, { moreThan: 0.8 });
});
