// beastie's ansible.utils.resolvable test (src/jinja/ip-tests.ts, through getent(1)) against
// ansible.utils 2.10.3's plugins/test/resolvable.py (socket.gethostbyaddr for an address,
// socket.getaddrinfo for a name) through ansible-core 2.14's Templar, on this machine's resolver:
// the collection's integration target's names and addresses, and names that cannot resolve.
import { describe, expect, it } from 'vitest';
import { differences, renderWithAnsible, type Case } from './ansible-reference.js';

const vars = { bad_name: 'invalidhost', ipv4_localhost: '127.0.0.1', ipv6_localhost: '::1', name: 'localhost' };
const templates = [
  '{{ name is ansible.utils.resolvable }}',
  '{{ ipv4_localhost is ansible.utils.resolvable }}',
  '{{ ipv6_localhost is ansible.utils.resolvable }}',
  '{{ bad_name is ansible.utils.resolvable }}',
  "{{ 'invalidhost' is ansible.utils.resolvable }}",
  "{{ 'no-such-host.invalid' is ansible.utils.resolvable }}",
  "{{ '192.0.2.255' is ansible.utils.resolvable }}",
  "{{ 'localhost' is not ansible.utils.resolvable }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));
const ansible = renderWithAnsible(cases);

describe("ansible.utils' resolvable asks the controller's resolver as the collection's does", () => {
  it('answers every case as Ansible does', () => {
    expect(differences(cases, ansible)).toEqual([]);
  });

  it('compares answers, and both of them: localhost resolves, invalidhost does not', () => {
    expect(ansible.map((outcome) => (outcome.ok ? outcome.value : 'failed'))).toEqual(expect.arrayContaining([true, false]));
    expect(ansible.every((outcome) => outcome.ok)).toBe(true);
  });
});
