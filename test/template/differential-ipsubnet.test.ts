// beastie's ansible.utils subnet and MAC filters (src/jinja/filters/ip-subnets.ts, hwaddr.ts)
// against ansible.utils' own on netaddr, through ansible-core 2.14's Templar: ipsubnet's counts,
// picks and positions, cidr_merge's merge and span, ip4_hex, hwaddr / macaddr in every dialect
// on EUI-48 and EUI-64 texts and integers, slaac, and the names Ansible 2.14 routes them by; and
// ansible.utils' address tests (src/jinja/ip-tests.ts, on Python's ipaddress) on addresses,
// networks with and without host bits, masks, scopes, special ranges and non-text values.
import { describe, expect, it } from 'vitest';
import { agrees, renderWithAnsible, renderWithBeastie, type Case } from './ansible-reference.js';

const t = (template: string): Case => ({ template });

const subnetValues = [
  "'10.0.0.0/24'", "'10.0.0.1/24'", "'10.0.0.5'", "'2001:db8::/48'", "'2001:db8::1'", "'::/64'", '42', "'x'", 'none', "'10.1.2.0/23'",
  "'0.0.0.0/0'", "'192.168.1.1/32'", "'::1/128'",
];
const subnetArguments = [
  '', "('')", '(26)', "('26')", '(22)', '(24)', '(32)', '(33)', '(0)', '(8)', '(26, 0)', '(26, 3)', '(26, 4)', '(26, -1)', '(26, -4)', '(26, -5)',
  '(20, 0)', '(20, 1)', '(20, -1)', '(8, 0)', '(8, 1)', '(8, -1)', '(8, 30)', '(8, 24)', '(8, -24)', '(8, -25)', '(30, 2)', "(26, 'x')", "(26, '2')",
  "('10.0.0.0/16')", "('10.0.0.0/8')", "('10.0.0.0/24')", "('10.0.1.0/24')", "('2001:db8::/32')", "('x')", "('::/0')", "('0.0.0.0/0')", '(64, 1)',
  '(72, 0)', '(72, 255)', '(120, 3)', '(128, 5)', '(126)', "(query='25', index=1)", '(-1)',
];
const mergeValues = [
  "['10.0.0.0/25','10.0.0.128/25']", "['10.0.0.1/24']", "['10.0.0.1/24', '10.0.0.2/24']", "['192.168.1.0/24', '10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16']",
  "['10.0.0.0/24', '10.0.2.0/24']", "['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']", "['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']",
  "['2001:db8::/33', '2001:db8:8000::/33', '10.0.0.0/31', '10.0.0.2/31']", '[]', "['x']", "'10.0.0.0/24,10.0.1.0/24'", '42',
  "['10.0.0.5/30', '10.0.0.0/30']", "['0.0.0.0/1', '128.0.0.0/1']", "['10.0.0.0/8', '10.5.0.0/16', '11.0.0.0/8', '9.0.0.0/8']", "['1.2.3', '1.2.3.4']",
  "['fe80::1', 'fe80::2', 'fe80::3', '::ffff:10.0.0.1']", 'none', "{'a': 1}", "['10.0.0.0/24', none]", "['10.0.0.7', '10.0.0.0/30', '10.0.0.4/31', '10.0.0.6']",
];
const hexValues = ["'10.0.0.1'", "'192.168.255.1'", "'1.2.3'", "'1.2.3.4.5'", "'256.1.-1.0'", "' 1.2.3.4'", "'a.b.c.d'", '42', "'1_0.2.3.4'"];
const macs = [
  "'aa:bb:cc:dd:ee:ff'", "'AA-BB-CC-DD-EE-FF'", "'a:b:c:d:e:f'", "'aabb.ccdd.eeff'", "'aabb:ccdd:eeff'", "'aabb-ccdd-eeff'", "'aabbcc-ddeeff'", "'aabbcc:ddeeff'",
  "'aabbccddeeff'", "'abbccddeeff'", "'01:23:45:67:89:ab:cd:ef'", "'0123:4567:89ab:cdef'", "'0123456789abcdef'", "'00:00:00:00:00:00:00:01'", "'123'",
  "'281474976710656'", "'-1'", "'aa:bb:cc:dd:ee'", "'gg:bb:cc:dd:ee:ff'", "'aa:bb:cc:dd:ee:ff\\n'", "''", '42', 'none', "'aa:bb-cc:dd:ee:ff'",
  "' aa:bb:cc:dd:ee:ff'", "'1_000'", "'0'", "'02:00:00:00:00:01'",
];
const macQueries = ['', "('')", "('bare')", "('bool')", "('int')", "('cisco')", "('eui48')", "('linux')", "('pgsql')", "('postgresql')", "('psql')", "('unix')", "('win')", "('bogus')", "(query='linux')"];
const slaacNetworks = ["'2001:db8::/64'", "'2001:db8::1/64'", "'fe80::/64'", "'2001:db8::/48'", "'2001:db8::5'", "'10.0.0.0/24'", "'x'", "'ffff:ffff:ffff:ffff::/64'", "'::/0'", 'none'];
const slaacMacs = ["'aa:bb:cc:dd:ee:ff'", "'02:00:00:00:00:01'", "'0123:4567:89ab:cdef'", "'x'", "''", "'12'", 'none'];
/** The names Ansible 2.14 finds them by: no short ip4_hex or macaddr, no ansible.netcommon.ip4_hex. */
const names = [
  "{{ '10.0.0.1' | ip4_hex }}", "{{ '10.0.0.1' | ansible.netcommon.ip4_hex }}", "{{ '10.0.0.0/24' | ansible.utils.ipsubnet(25) }}", "{{ '10.0.0.0/24' | ansible.netcommon.ipsubnet(25, 1) }}",
  "{{ ['10.0.0.0/25','10.0.0.128/25'] | ansible.netcommon.cidr_merge }}", "{{ ['10.0.0.0/25'] | ansible.utils.cidr_merge('span') }}",
  "{{ 'aa:bb:cc:dd:ee:ff' | macaddr }}", "{{ 'aa:bb:cc:dd:ee:ff' | ansible.netcommon.macaddr('cisco') }}", "{{ 'aa:bb:cc:dd:ee:ff' | ansible.netcommon.hwaddr('cisco') }}",
  "{{ 'aa:bb:cc:dd:ee:ff' | ansible.utils.hwaddr('linux') }}", "{{ '2001:db8::/64' | ansible.utils.slaac('aa:bb:cc:dd:ee:ff') }}", "{{ 'x' | hwaddr('cisco', 'myalias') }}",
  "{{ '2001:db8::/64' | slaac }}",
];

const testValues = [
  "'10.0.0.1'", "'10.0.0.0/8'", "'10.0.0.1/24'", "'192.168.1.0/255.255.255.0'", "'10.0.0.0/0.255.255.255'", "'2001:db8::1'", "'2001:db8::/32'", "'fe80::1%em0'",
  "'fe80::1%'", "'::ffff:10.0.0.1'", "'::1'", "'::'", "'0.0.0.0'", "'127.0.0.2'", "'224.0.0.5'", "'ff02::1'", "'100.64.1.1'", "'8.8.8.8'", "'2606:4700::1111'",
  "'2002:c000:204::1'", "'2001:0:4136:e378::1'", "'240.0.0.1'", "'255.255.255.255'", "'192.0.0.9'", "'1.2.3'", "'010.0.0.1'", "'10.0.0.256'", "'nope'", "''", '42',
  'none', "['10.0.0.1']", "'10.0.0.0/33'", "'10.0.0.0/'", "'2001:db8::/129'", "'2001:db8::/ffff::'", "'1::2::3'", "'::1.2.3.4'", "'1:2:3:4:5:6:7::'", "'169.254.1.1'",
  "'172.31.255.255'", "'2001:db8::1/128'", "'192.0.2.1'", "'fc00::1'",
];
const valueTests = [
  'ip', 'ipv4', 'ipv6', 'ip_address', 'ipv4_address', 'ipv6_address', 'ipv6_ipv4_mapped', 'ipv6_sixtofour', 'ipv6_teredo', 'loopback', 'multicast', 'private', 'public',
  'reserved', 'unspecified',
];
const testNetworks = ["'10.0.0.0/8'", "'10.0.0.0/24'", "'2001:db8::/32'", "'0.0.0.0/0'", "'10.0.0.1/8'", "'x'"];
const masks = ["'255.255.255.0'", "'255.255.0.255'", "'0.0.0.0'", "'255.255.255.255'", "'0.0.0.255'", "'0.255.255.255'", "'255.0.0.0'", "'24'", '24', "'x'", "'254.0.0.0'", "'128.0.0.0'", "'0.0.0.1'"];
const macTexts = ["'aa:bb:cc:dd:ee:ff'", "'AA-BB-CC-DD-EE-FF'", "'aa:bb-cc:dd:ee:ff'", "'aabb.ccdd.eeff'", "'aabbccddeeff'", "'aabbccddeef'", "'aa:bb:cc:dd:ee:ff\\n'", "'aa:bb:cc:dd:ee:ff:00'", "'a:b:c:d:e:f'", '42', "''"];
const networkLists = ["['10.0.0.0/8', '192.168.0.0/16']", "['10.0.0.0/8', '10.0.0.0/16']", "['192.168.0.0/16']", '[]', "'10.0.0.0/8'", '42', "{'a': 1}", "['x', 10]", 'none', "('10.0.0.0/8',)"];
const testCalls = [
  "{{ '10.0.0.1' is ip }}", "{{ '10.0.0.1' is ansible.netcommon.ip }}", "{{ '10.0.0.1' is ansible.utils.in_network }}", "{{ '10.0.0.1' is ansible.utils.in_network(network='10.0.0.0/8') }}",
  "{{ '10.0.0.1' is not ansible.utils.ipv6 }}", '{{ undefined_thing is ansible.utils.ip }}', "{{ '10.0.0.0/24' is ansible.utils.subnet_of(network_b='10.0.0.0/8') }}",
  "{{ ['10.0.0.1', 'x', '::1'] | select('ansible.utils.ip') | list }}", "{{ '1' is ansible.utils.in_any_network('1') }}",
];
const rangeValues = [
  "'10.0.0.0/30'", "'10.0.0.1/30'", "'10.0.0.0/255.255.255.252'", "'10.0.0.0/0.0.0.3'", "'10.0.0.4/31'", "'10.0.0.9/32'", "'10.0.0.9'", "'192.168.0.0/24'",
  "'10.0.0.0/22'", "'::ffff:1.2.3.0/126'", "'::1.2.3.4/128'", "'2001:db8::/126'", "'2001:db8::1/128'", "'fe80::/125'", "'2001:db8:0:0:1::/124'", "'::/127'",
  '167772160', 'none', "['10.0.0.0/30']", "'x'", "''", "'10.0.0.0/33'", "'2001:db8::/129'", "' 10.0.0.0/30'", "'10.0.0.0/30 '", 'true', "'10.0.0.0/24/1'",
  "'1.2.3/30'", "'10.0.0.0/030'", "'fe80::%em0/127'",
];
const rangeCases: Case[] = [
  ...rangeValues.flatMap((value) => ['', '.number_of_ips', '.usable_ips | last'].map((part) => t(`{{ (${value} | ansible.utils.usable_range)${part} }}`))),
  ...["{{ '10.0.0.0/30' | usable_range }}", "{{ '10.0.0.0/30' | ansible.netcommon.usable_range }}", "{{ '10.0.0.0/30' | ansible.utils.usable_range('x') }}",
    "{{ '10.0.0.0/30' | ansible.utils.usable_range(ip='10.0.0.0/30') }}", '{{ nope | ansible.utils.usable_range }}'].map(t),
];
const testCases: Case[] = [
  ...testValues.flatMap((value) => valueTests.map((test) => t(`{{ ${value} is ansible.utils.${test} }}`))),
  ...testValues.slice(0, 12).flatMap((value) => testNetworks.map((network) => t(`{{ ${value} is ansible.utils.in_network(${network}) }}`))),
  ...testValues.slice(0, 12).flatMap((value) => testNetworks.map((network) => t(`{{ ${network} is ansible.utils.subnet_of(${value}) }}|{{ ${value} is ansible.utils.supernet_of(${network}) }}`))),
  ...masks.flatMap((mask) => ['ipv4_netmask', 'ipv4_hostmask'].map((test) => t(`{{ ${mask} is ansible.utils.${test} }}`))),
  ...macTexts.map((mac) => t(`{{ ${mac} is ansible.utils.mac }}`)),
  ...networkLists.flatMap((list) => ['in_any_network', 'in_one_network'].map((test) => t(`{{ '10.0.0.1' is ansible.utils.${test}(${list}) }}`))),
  ...testCalls.map(t),
];

const cases: Case[] = [
  ...subnetValues.flatMap((value) => subnetArguments.map((args) => t(`{{ ${value} | ipsubnet${args} }}`))),
  ...mergeValues.flatMap((value) => ['', "('merge')", "('span')", "('bogus')", "(action='span')"].map((args) => t(`{{ ${value} | cidr_merge${args} }}`))),
  ...hexValues.flatMap((value) => ['', "(':')", "(delimiter='.')", '(none)'].map((args) => t(`{{ ${value} | ansible.utils.ip4_hex${args} }}`))),
  ...macs.flatMap((mac) => macQueries.map((query) => t(`{{ ${mac} | hwaddr${query} }}`))),
  ...macs.slice(0, 6).flatMap((mac) => ['', "('unix')", "('bogus')"].map((query) => t(`{{ ${mac} | ansible.utils.macaddr${query} }}`))),
  ...slaacNetworks.flatMap((network) => slaacMacs.map((mac) => t(`{{ ${network} | slaac(${mac}) }}`))),
  ...names.map(t),
  ...rangeCases,
  ...testCases,
];
const ansible = renderWithAnsible(cases);

describe('the subnet and MAC filters and the address tests answer as ansible.utils does', () => {
  it('renders every case identically', () => {
    const differences = cases
      .map((item, i) => ({ template: item.template, ansible: ansible[i], beastie: renderWithBeastie(item) }))
      .filter(({ ansible: reference, beastie }) => reference === undefined || !agrees(reference, beastie));
    expect(differences).toEqual([]);
  });

  it('compares answers, not failures: Ansible answered most cases', () => {
    expect(ansible.filter((outcome) => outcome.ok).length).toBeGreaterThan(cases.length * 0.6);
    expect(renderWithBeastie(t("{{ ['10.0.0.0/25', '10.0.0.128/25', '10.0.2.0/24'] | cidr_merge }}"))).toEqual({ ok: true, value: ['10.0.0.0/24', '10.0.2.0/24'] });
    expect(renderWithBeastie(t("{{ 'aa:bb:cc:dd:ee:ff' | hwaddr('cisco') }}"))).toEqual({ ok: true, value: 'aabb.ccdd.eeff' });
    const tests = ansible.slice(cases.length - testCases.length);
    expect(tests.filter((outcome) => outcome.ok && outcome.value === true).length).toBeGreaterThan(testCases.length * 0.15);
    expect(renderWithBeastie(t("{{ '10.0.0.1' is ansible.utils.in_network('10.0.0.0/8') }}|{{ '10.0.0.1/24' is ansible.utils.ip }}"))).toEqual({ ok: true, value: 'True|False' });
  });
});
