// beastie against ansible-core 2.14's Templar on expressions written in the idioms of public
// FreeBSD roles (vbotka.freebsd) and of ansible-core's own filter/test/templating integration
// targets: `assert: that:` conditions, set_fact values and debug messages, undefined values
// probed by tests, url and encoding filters, dates. The cases are our own; they came from running
// those sources through both renderers (the note of session 4 gives the counts).
import { describe, expect, it } from 'vitest';
import { agrees, renderWithAnsible, renderWithBeastie, type Case } from './ansible-reference.js';

const vars = {
  jails: [
    { name: 'www', ip4: '10.1.0.2', release: '14.1-RELEASE', state: 'up', boot: 'on' },
    { name: 'db', ip4: '10.1.0.3', release: '13.4-RELEASE', state: 'down', boot: 'off' },
  ],
  pkgs: { nginx: { module: 'pkgng', state: 'present' }, vim: { module: 'apt', state: 'absent' } },
  rc: { sshd_enable: 'YES', ntpd_enable: 'NO' },
  devs: { md0: { node: 'vnode', unit: '0' } },
  skipped_result: { skipped: true, changed: false },
  nothing: null,
  stamp: '2024-03-26 01:23:45',
  text: 'Ansible - FreeBSD\n',
  results: [
    { changed: true, invocation: { module_args: { path: '/etc/rc.conf' } } },
    { changed: false, invocation: { module_args: { path: '/etc/hosts' } } },
  ],
  release: '14.1-RELEASE-p5',
  vault_password: 'letmein',
  secret_data: 'secret text\nline 2 é',
};

/** Conditions as `assert: that:` and `when:` write them: printed as yes/no so Ansible's text is compared. */
const conditions: readonly string[] = [
  // tests on an undefined value look at it without touching it (AnsibleUndefined)
  'nope is none', 'nope is string', 'nope is mapping', 'nope is sequence', 'nope is number', 'nope is boolean',
  'nope is true', 'nope is false', 'nope.x.y is none', 'nope.attr is string', 'nope is sameas false',
  "nope | type_debug == 'AnsibleUndefined'", 'groups_nope[nope2] is defined',
  "jails[nope] is defined", "nope[0] is undefined",
  // filters and tests from the integration targets' families
  "'x' | b64encode(encoding='utf-16-le') == 'eAA='", "text | b64encode(encoding='utf-16-le') | b64decode(encoding='utf-16-le') == text",
  'None | combine == {}', "[None, {'a': 1}] | combine == {'a': 1}", "{'a': 1} | combine(None) == {'a': 1}",
  "stamp | to_datetime < '2025-01-01 00:00:00' | to_datetime", "stamp | to_datetime == stamp | to_datetime",
  "(stamp | to_datetime - '2024-03-25 01:23:45' | to_datetime) > ('2024-03-26 01:00:00' | to_datetime - '2024-03-26 00:00:00' | to_datetime)",
  '22 | shuffle == 22', "'nan' | float is isnan", "'1.5' | float is nan",
  "now(fmt='%Y') | length == 4", "now(utc=true, fmt='%H:%M:%S.%f') | length == 15",
  "'a%20b+c%C3%A9' | urldecode == 'a b cé'", "() | urlencode == ''",
  "release is version('14.0', '>=')", "release.split('-')[0] is version('14.1', '==')",
  "jails | selectattr('state', 'eq', 'up') | map(attribute='name') | list == ['www']",
  "pkgs.values() | selectattr('module', 'equalto', 'pkgng') | list | length == 1",
  "rc | dict2items | selectattr('value', 'equalto', 'YES') | map(attribute='key') | list == ['sshd_enable']",
  "lookup('subelements', skipped_result, 'ports', wantlist=true) == []",
];

/** Values as set_fact and debug write them. */
const values: readonly string[] = [
  '{{ nothing }}', '{{ none }}', '{{ nothing | default(1) }}', '{{ devs[nope] is defined }}', '{{ [nope] }}', "{{ {'k': nope} }}", '{{ [1, nope] | length }}',
  "{{ 'https://user:pw@Example.org:8443/p/q.html?x=1&y=2#top' | urlsplit }}",
  "{{ 'https://user:pw@Example.org:8443/p/q.html?x=1#top' | urlsplit('netloc') }}",
  "{{ 'https://Example.org/p' | urlsplit('hostname') }}", "{{ 'https://example.org/p' | urlsplit('port') }}",
  "{{ 'http://[::1]:8080/x' | urlsplit('hostname') }}", "{{ 'http://[::1]:8080/x' | urlsplit('port') }}",
  "{{ 'ftp://example.org' | urlsplit('path') }}", "{{ 'https://user@example.org/' | urlsplit('password') }}",
  "{{ [['a', 1], ['b', 'c d']] | urlencode }}", "{{ 'caf%C3%A9' | urldecode }}",
  "{{ 'hello' | b64encode(encoding='utf-16-le') }}", "{{ 'aABlAGwAbABvAA==' | b64decode(encoding='utf-16-le') }}",
  "{{ 'caf\u00e9' | b64encode(encoding='latin-1') }}",
  "{{ 'md' ~ (devs[nope]['unit'] | d('UNDEFINED')) }}", "{{ devs['md0']['unit'] | d('UNDEFINED') }}",
  // an undefined argument fails before the filter reads its undefined input, as Python evaluates it
  "{{ nope | combine({nope2.name: 1}) }}", '{{ nope | difference(nope2.keys()) }}', '{{ devs.get(nope) }}',
  "{{ nope | ternary('a', 'b') }}",
];

/** community.general.json_query as the roles call it (backtick literals in JMESPath's old loose form too). */
const queries: readonly string[] = [
  "{{ results | json_query('[?changed].invocation.module_args.path') }}",
  "{{ pkgs.values() | list | json_query('[?module == `pkgng`].state') }}", "{{ pkgs.values() | list | json_query('[?module == `yum`]') }}",
  "{{ jails | json_query('[].name') }}", "{{ jails | json_query('[?state==`up`].name | [0]') }}",
  "{{ jails | json_query('[*].{n: name, r: release}') }}", "{{ jails | json_query('length(@)') }}",
  "{{ jails | json_query('sort_by(@, &name)[].name') }}", "{{ jails | json_query('[?contains(ip4, `10.1.0.3`)].name') }}",
  "{{ jails | json_query('nomatch') }}", "<{{ jails | json_query('nomatch') }}>", "{{ jails | json_query('[?name==\\'www\\'].boot') }}",
  "{{ pkgs | json_query('*.state') }}", "{{ pkgs | json_query('keys(@)') }}", "{{ jails | community.general.json_query('[0].name') }}",
  "{{ jails | json_query('[.') }}", "{{ jails | json_query('join(`, `, [].name)') }}", "{{ jails | json_query('[?release == `\\`x`]') }}",
];

/** The vault and unvault filters as ansible-core's filter_encryption target uses them; a salt makes the text comparable. */
const vaults: readonly string[] = [
  "{{ secret_data | vault(vault_password, salt='fixedsalt') }}", "{{ secret_data | vault(vault_password, salt='fixedsalt', vaultid='prod') }}",
  "{{ secret_data | vault(vault_password, 'fixedsalt', 'default') }}", "{{ '' | ansible.builtin.vault(vault_password, salt='s') }}",
  '{{ secret_data | vault(vault_password) | unvault(vault_password) }}', "{{ secret_data | vault(vault_password) | unvault('wrong') }}",
  "{{ 'plain' | unvault(vault_password) }}", '{{ 5 | vault(vault_password) }}', '{{ secret_data | vault(5) }}', "{{ secret_data | vault(vault_password, salt='') }}",
  "{{ '$ANSIBLE_VAULT;1.1;AES256\\nzz' | unvault(vault_password) }}", "{{ secret_data | vault(vault_password, vault_id='x') }}",
  "{{ secret_data | vault(vault_password) | unvault(vault_password, vault_id='x') }}",
];

/** Templates as the roles' .j2 files write them. */
const templates: readonly string[] = [
  "{% for v in q('varnames', '^rc$|^dev') | sort %}\n{{ v }}: {{ lookup('vars', v) | length }}\n{% endfor %}\n",
  "{% for v in query('varnames', 'nomatch_') %}{{ v }}{% endfor %}end\n",
  '{% for j in jails %}\n{{ j.name }}_ip4="{{ j.ip4 }}"\n{% endfor %}\n',
  '{% for k, v in rc.items() | sort %}\n{{ k }}="{{ v }}"\n{% endfor %}\n',
];

const cases: Case[] = [
  ...conditions.map((condition) => ({ template: `{% if ${condition} %}yes{% else %}no{% endif %}`, vars })),
  ...values.map((template) => ({ template, vars })),
  ...queries.map((template) => ({ template, vars })),
  ...vaults.map((template) => ({ template, vars })),
  ...templates.map((template) => ({ template, vars, mode: 'file' as const })),
];
const ansible = renderWithAnsible(cases);

describe('beastie renders the idioms of public roles and ansible-core tests as ansible-core 2.14 does', () => {
  it('renders the whole batch identically', () => {
    const differences = cases
      .map((item, i) => ({ template: item.template, ansible: ansible[i], beastie: renderWithBeastie(item) }))
      .filter(({ ansible: reference, beastie }) => reference === undefined || !agrees(reference, beastie));
    expect(differences).toEqual([]);
    // Every condition is a real check: Ansible answered each of them (none failed).
    expect(ansible.slice(0, conditions.length).map((outcome, i) => (outcome.ok ? undefined : conditions[i])).filter((c) => c !== undefined)).toEqual([]);
  });
});
