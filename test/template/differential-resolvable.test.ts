// beastie's ansible.utils.resolvable test (src/jinja/ip-tests.ts, through getent(1)) against
// ansible.utils 2.10.3's plugins/test/resolvable.py (socket.gethostbyaddr for an address,
// socket.getaddrinfo for a name) through ansible-core 2.14's Templar, on this machine's resolver:
// the collection's integration target's names and addresses, and names that cannot resolve.
import { describe, expect, it } from 'vitest';
import { differences, renderWithAnsible, renderWithBeastie, type Case } from './ansible-reference.js';

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

describe('resolvable without getent on the controller (macOS has none)', () => {
  it('fails with the reason and a fix instead of answering "not resolvable"', () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      const outcome = renderWithBeastie({ template: '{{ name is ansible.utils.resolvable }}', vars });
      expect(outcome.ok).toBe(false);
      expect(JSON.stringify(outcome)).toContain('needs getent(1) on the controller');
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('a name starting with - is not resolvable, and is never given to getent as an option', () => {
    expect(renderWithBeastie({ template: "{{ '--help' is ansible.utils.resolvable }}", vars })).toMatchObject({ ok: true, value: false });
  });
});
