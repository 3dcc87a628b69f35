// beastie's Jinja against ansible-core's Templar on the same templates and variables: filters,
// tests, methods, operators, whitespace, statements, types and failures. One python process
// renders the whole batch (ansible-reference.ts).
import { describe, expect, it } from 'vitest';
import type { TemplateEnvironmentParams } from '../../src/template/template-environment.js';
import { agrees, renderWithAnsible, renderWithBeastie, type Case } from './ansible-reference.js';

const vars = {
  n: 3,
  f: 2.5,
  neg: -7,
  s: '5',
  word: 'hello World',
  name: 'vm-web01',
  csv: 'a,b,,c',
  spaced: '  padded  ',
  empty: '',
  nothing: null,
  yes: true,
  no: false,
  list: ['b', 'a', 'C'],
  nums: [3, 1, 2],
  nested: [[1, 2], [3, [4, 5]], null, 'x'],
  map: { k: 'v', n: 1, sub: { deep: true } },
  users: [
    { name: 'alice', uid: 1001, groups: ['wheel', 'staff'], shell: '/bin/sh', enabled: true },
    { name: 'bob', uid: 1002, groups: ['staff'], shell: '/usr/local/bin/bash', enabled: false },
    { name: 'carol', uid: 1003, groups: [], shell: '/bin/sh', enabled: true },
  ],
  ports: [22, 80, 443],
  result: { changed: true, failed: false, rc: 0, stdout: 'vmm\nnmdm\n', stdout_lines: ['vmm', 'nmdm'], skipped: false },
  bad: { changed: false, failed: true, rc: 2, stdout: '', msg: 'boom' },
  loopres: { results: [{ changed: false }, { changed: true }] },
  version: '13.2-RELEASE-p4',
  path: '/usr/local/etc/rc.d/vm.sh',
  multi: 'line one\nline two\n\nline four',
  unicode: 'café',
  quoted: "it's",
  d1: { a: 1, b: { x: 1, y: [1, 2] }, l: [1] },
  d2: { b: { y: [3], z: 2 }, c: 3, l: [2] },
  kv: [
    { key: 'a', value: 1 },
    { key: 'b', value: 2 },
  ],
  size: 1536000,
};

/** Expressions printed inside text, so Ansible's result is always the text it rendered. */
const expressions: readonly string[] = [
  // literals and printing
  'n', 'f', 'neg', 's', 'yes', 'no', 'nothing', 'list', 'nums', 'map', 'users[0]', '1.0', '10 / 5', '7 / 2', '1e3', '0.1 + 0.2',
  'True', 'false', 'None', "'x'", '"y"', "'a' 'b'", '[1, [2, 3]]', "{'a': 1, 'b': [2]}", '(1, 2)', '(1,)', '()', '[]', '{}',
  "'it\\'s'", 'quoted', "[quoted]", 'unicode', '[unicode]', "'tab\\there'", "['a\\nb']",
  // arithmetic
  'n + 1', 'n - 10', 'n * f', '7 // 2', '-7 // 2', '7 % 3', '-7 % 3', '2 ** 10', '2 ** -1', 'n / 2', 'f * 2', '-n', '+n', '- n + 1',
  "'ab' * 3", "[1] * 3", "[1, 2] + [3]", "'a' + 'b'", "n ~ 'x' ~ nothing", "'x' ~ yes", "1 + 1.5", "n // 2.0", "10 % 4.5",
  // comparisons and logic
  'n == 3', 'n == 3.0', 'n != 4', '1 < n < 5', '1 < n > 5', 'n >= 3', "'a' < 'b'", '[1, 2] < [1, 3]', 'yes == 1', "'1' == 1",
  'n > 1 and n < 5', 'n > 5 or n == 3', 'not yes', 'not n == 4', 'empty or "fallback"', 'list and n', 'nothing or 0', "0 or '' or []",
  "'b' in list", "'z' not in list", "'k' in map", "'ell' in word", '3 in nums', "'v' in map.values()",
  // conditional expressions
  "'big' if n > 2 else 'small'", "'a' if no else 'b' if yes else 'c'", "(n if yes else 0) + 1",
  // attribute and item access, slicing
  'map.k', "map['k']", 'map.sub.deep', 'users[1].name', 'users.0.uid', 'list[-1]', 'list[1:]', 'list[:-1]', 'list[::-1]', 'nums[::2]',
  "word[0:5]", "word[-5:]", "word[::-1]", 'result.stdout_lines[0]', "users | map(attribute='groups') | list",
  // string methods
  "word.upper()", "word.lower()", "word.title()", "word.capitalize()", "word.swapcase()", "spaced.strip()", "spaced.lstrip()",
  "spaced.rstrip()", "'xxhixx'.strip('x')", "csv.split(',')", "csv.split(',', 1)", "csv.rsplit(',', 1)", "'a b  c'.split()",
  "multi.splitlines()", "word.startswith('hell')", "word.startswith(('x', 'he'))", "word.endswith('ld')", "word.replace('l', 'L')",
  "word.replace('l', 'L', 1)", "word.find('o')", "word.rfind('o')", "word.index('W')", "word.count('l')", "'-'.join(list)",
  "'{}-{}'.format(n, 'x')", "'{0}{1}{0}'.format('a', 'b')", "'{name}!'.format(name='hi')", "'{:>6}|'.format('ab')",
  "'{:05.2f}'.format(f)", "'{:x}'.format(255)", "'%s-%d' % ('a', 3)", "'%05d' % n", "'%.2f' % f", "'%s' % list",
  "'42'.isdigit()", "'4x'.isdigit()", "'ab'.isalpha()", "'  '.isspace()", "'abc'.islower()", "'ABC'.isupper()",
  "'ab'.center(6, '*')", "'ab'.ljust(4, '.')", "'ab'.rjust(4)", "'7'.zfill(3)", "'a=b=c'.partition('=')",
  // list and dict methods
  'map.get("k")', 'map.get("zz", "d")', 'map.get("zz")', 'map.keys() | list', 'map.items() | list', 'map.values() | list',
  'nums.index(1)', 'nums.count(3)', 'list.copy()',
  // builtin filters
  'list | length', 'map | length', 'word | length', 'list | count', 'list | first', 'list | last', 'nums | min', 'nums | max',
  'nums | sum', "users | sum(attribute='uid')", 'list | sort', 'list | sort(case_sensitive=true)', 'nums | sort(reverse=true)',
  "users | sort(attribute='uid', reverse=true) | map(attribute='name') | list", 'list | reverse | list', "word | reverse",
  "list | join(', ')", "users | join(',', attribute='name')", "users | map(attribute='name') | join(' ')", "nums | map('string') | list",
  "list | map('upper') | list", "users | selectattr('enabled') | map(attribute='name') | list",
  "users | rejectattr('enabled') | map(attribute='name') | list", "users | selectattr('shell', 'equalto', '/bin/sh') | list | length",
  "users | selectattr('uid', '>', 1001) | map(attribute='name') | list", "nums | select('odd') | list", "nums | reject('odd') | list",
  "nums | select('>', 1) | list", "users | map(attribute='groups') | flatten | unique | list", "list | unique | list",
  "['a', 'A', 'b'] | unique | list",
  // Ansible's unique falls back to its own (equality, case kept) where Jinja2's meets an unhashable key, unless told case_sensitive=False or an attribute.
  "[{'foo': 'bar'}, 'A', 'a', {'foo': 'bar'}] | unique", "[{'foo': 'bar', 'moo': 'cow'}] | unique(case_sensitive=False)", "[{'a': [1]}, {'a': [1]}] | unique(attribute='a')",
  "[{'a': 1}, {'a': 1}] | unique(case_sensitive=0)", "[[1], [1], 'x'] | unique(case_sensitive=true)", "word | upper", "word | lower", "word | title", "word | capitalize", "spaced | trim",
  "'xxhixx' | trim('x')", "word | replace('o', '0')", "word | center(15)", "'1.9' | float", "'abc' | float", "'abc' | int",
  "'12' | int + 1", "'3.7' | int", "'0x1F' | int(base=16)", "f | int", "f | round", "2.567 | round(2)", "2.5 | round(0, 'floor')",
  "-3 | abs", "3 | string", "nums | list", "'abc' | list", "map | list", "map | dictsort", "map | dictsort(by='value') | first",
  "users | groupby('shell') | map('first') | list", "nums | batch(2) | list", "nums | slice(2) | list", "'a b c' | wordcount",
  "'hello world foo' | truncate(9, true, '', 0)", "multi | indent(2)", "multi | indent(2, true)", "'<b>x</b>' | striptags",
  "'a&b' | escape", "'%s=%s' | format('a', 1)", "nothing | default('d')", "undefined_thing | default('d')", "empty | default('d')",
  "empty | default('d', true)", "undefined_thing | d(n)", "map | tojson", "'x' | pprint", "users[0] | attr('name')",
  "'a b' | urlencode", "{'a': 1, 'b': 'c d'} | urlencode", "list | items | list" ,
  // Ansible filters
  "map | to_json", "list | to_json", "map | to_nice_json", "'{\"a\": [1, 2]}' | from_json", "map | to_yaml", "users[0] | to_yaml",
  "users[0] | to_nice_yaml", "list | to_yaml", "d1 | to_nice_yaml(indent=2)", "'a: 1\\nb: [x, y]' | from_yaml", "'yes' | bool",
  "'off' | bool", "1 | bool", "'maybe' | bool", "yes | ternary('on', 'off')", "nothing | ternary('t', 'f', 'n')",
  "'vm-web01' | regex_replace('^vm-', '')", "'a1b22' | regex_replace('\\\\d+', '#')", "'abc' | regex_replace('(b)', '[\\\\1]')",
  "'host12' | regex_search('\\\\d+')", "'host12' | regex_search('(?P<n>\\\\d+)', '\\\\g<n>')", "'ab12cd34' | regex_findall('\\\\d+')",
  "'x' | regex_search('y')", "'a.b*c' | regex_escape", "'Hello' | regex_replace('hello', 'bye', ignorecase=true)",
  "d1 | combine(d2)", "d1 | combine(d2, recursive=true)", "d1 | combine(d2, list_merge='append')",
  "d1 | combine(d2, recursive=true, list_merge='prepend')", "[d1, d2] | combine", "map | dict2items", "kv | items2dict",
  "map | dict2items(key_name='k', value_name='v')", "nested | flatten", "nested | flatten(levels=1)", "[1, [2, [3]]] | flatten(1)",
  "users | subelements('groups') | map('last') | list", "[1, 2] | zip(['a', 'b']) | list", "[1, 2, 3] | zip_longest(['a']) | list",
  "[1, 2] | product(['a', 'b']) | list", "[1, 2, 3] | permutations(2) | list | length", "[1, 2, 3] | combinations(2) | list",
  "[1, 2, 2, 3] | union([3, 4])", "[1, 2, 3] | intersect([2, 3, 4])", "[1, 2, 3] | difference([2])",
  "[1, 2, 3] | symmetric_difference([3, 4])", "'k' | extract(map)", "[0, 2] | map('extract', nums) | list",
  "path | basename", "path | dirname", "'/etc/' | dirname", "'x.tar.gz' | splitext", "['/usr', 'local', 'etc'] | path_join",
  "'/a/b/../c' | relpath('/a')", "'hello' | b64encode", "'aGVsbG8=' | b64decode", "'hello' | hash('sha256')", "'hello' | md5",
  "'hello' | sha1", "'hello' | checksum", "'x y' | quote", "quoted | quote", "'' | quote", "'plain' | quote", "'text' | comment",
  "'a\\nb' | comment('c')", "'x' | comment('cblock')", "n | type_debug", "list | type_debug", "map | type_debug", "s | type_debug",
  "f | type_debug", "nothing | type_debug", "size | human_readable", "1024 | human_readable", "'2K' | human_to_bytes",
  "'1.5 MB' | human_to_bytes", "100 | log(10)", "2 | pow(3)", "9 | root", "'a,b' | split(',')", "'a b' | split",
  "'example.com' | to_uuid", "'secret' | password_hash('sha512', 'saltsalt', rounds=5000)", "'secret' | password_hash('sha512', 'saltsalt', rounds=1000)",
  "'secret' | password_hash('sha256', 'abc', rounds=5000)",
  "'2024-01-02 03:04:05' | to_datetime", "('2024-01-03' | to_datetime('%Y-%m-%d') - '2024-01-01' | to_datetime('%Y-%m-%d')).days",
  "'%Y' | strftime(0, utc=true)", "users | rekey_on_member('name') | list", "[3, 1] | random(seed='x') in [3, 1]",
  // tests
  'n is defined', 'undefined_thing is defined', 'undefined_thing is undefined', 'map.zz is defined', 'map.zz.yy is defined',
  'nothing is none', 'yes is true', 'no is false', 'yes is boolean', 'n is integer', 'f is float', 'n is number', 's is string',
  'map is mapping', 'list is sequence', 'list is iterable', 'n is odd', 'n is even', 'n is divisibleby 3', 'n is divisibleby(2)',
  'n is eq 3', 'n is gt 2', 'n is lt(2)', "'b' is in list", 'list is contains "a"', "word is lower", "'AB' is upper",
  'result is changed', 'result is succeeded', 'result is success', 'result is failed', 'bad is failed', 'bad is not succeeded',
  'result is skipped', 'loopres is changed', '{} is changed', 'result is finished', 'result is started',
  "word is match('hel')", "word is match('World')", "word is search('World')", "word is regex('w', ignorecase=true)",
  "version is version('13.0', '>=')", "version is version('13.2', '==')", "'1.10' is version('1.9', '>')",
  "'1.2.3' is version('1.2.4', 'lt', version_type='semver')", "'2.0' is version_compare('1.9', 'gt')",
  "[1, 2] is subset([1, 2, 3])", "[1, 2, 3] is superset([2])", '[yes, 1] is all', '[no, 0] is any', "'yes' is truthy",
  "'no' is truthy(convert_bool=true)", "'' is falsy", "'/etc' is abs", "'etc' is abs",
  // Ansible's lists of results
  "result.stdout_lines | select('match', 'n') | list", "users | selectattr('groups', 'contains', 'wheel') | map(attribute='name') | list",
  // none and empty handling in text
  "[nothing]", "{'a': nothing}", "nothing ~ ''",
];

/** Whole templates, rendered as the template module renders a file. */
const templates: readonly string[] = [
  'a\n{% if yes %}\nb\n{% endif %}\nc\n',
  '{% for u in users %}\n{{ loop.index }}: {{ u.name }}{% if not loop.last %},{% endif %}\n{% endfor %}\n',
  '{% for u in users -%}\n  {{ u.name }}\n{%- endfor %}\n',
  '{% for i in [] %}x{% else %}none{% endfor %}\n',
  '{% for k, v in map.items() %}{{ k }}={{ v }};{% endfor %}\n',
  '{% for i in nums if i > 1 %}{{ i }}{% endfor %}\n',
  '{% for i in range(3) %}{{ loop.revindex }}{{ loop.first }}{{ loop.length }}{% endfor %}\n',
  '{% for a in [1, 2] %}{% for b in [3, 4] %}{{ loop.depth }}{{ a }}{{ b }} {% endfor %}{% endfor %}\n',
  '{% for x in "ab" %}{{ loop.cycle("odd", "even") }}{% endfor %}\n',
  '{% for x in [1, 1, 2] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}\n',
  '{% for x in nums %}{{ loop.previtem | default("-") }}{{ x }}{{ loop.nextitem | default("-") }} {% endfor %}\n',
  '{% set x = 5 %}{{ x * 2 }}\n',
  '{% set a, b = 1, 2 %}{{ a }}{{ b }}\n',
  '{% set block %}\ninside {{ n }}\n{% endset %}[{{ block }}]\n',
  '{% set upper | upper %}shout{% endset %}{{ upper }}\n',
  '{% set ns = namespace(total=0) %}{% for i in nums %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}\n',
  '{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}\n',
  '{% raw %}{{ not rendered }}{% endraw %}\n',
  '{% macro line(k, v="-") %}{{ k }} = {{ v }}{% endmacro %}\n{{ line("a") }}\n{{ line("b", v=2) }}\n',
  '{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}in {{ n }}{% endcall %}\n',
  '{% macro m(a) %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, x=3) }}\n',
  '{# a comment #}\nafter\n',
  'x {#- trimmed -#} y\n',
  '  {%- if yes %} left{% endif %}\n',
  '{% if yes +%}\nkept newline\n{% endif %}\n',
  '#jinja2: trim_blocks: False\n{% if yes %}\nkeep\n{% endif %}\n',
  '#jinja2: lstrip_blocks: True\n    {% if yes %}\nstripped\n    {% endif %}\n',
  // #jinja2: overrides, as the public templates and ansible's template target write them
  "#jinja2: variable_start_string:'<<',variable_end_string:'>>'\nUse.\n\n{% macro m() %}\n\"foo\" \"bar\"\n{% endmacro %}\n<< m() >>\n",
  "#jinja2:variable_start_string:'<<' , variable_end_string:'>>'\nname: << name >>\n{{ name }}\n",
  '#jinja2: line_statement_prefix:":"\n: if true\nfoo\n: endif\n',
  '#jinja2: line_statement_prefix:"%"\n  % for i in nums\n- {{ i }}\n  % endfor\nend\n',
  '#jinja2: line_comment_prefix:"##"\na ## comment\nb\n## whole\nc\n',
  '#jinja2: trim_blocks:False\n{% if yes %}\nkeep\n{% endif %}\n',
  '#jinja2: lstrip_blocks=True\n  {% if yes %}\nx\n  {% endif %}\n',
  '#jinja2: lstrip_blocks: True, trim_blocks: False\n  {% if yes %}\nx\n  {% endif %}\n',
  '#jinja2: keep_trailing_newline: True\nx\n',
  "#jinja2: newline_sequence:'\\r\\n'\na\nb\n{{ 'c\\nd' }}\n\n",
  "#jinja2: block_start_string:'<%', block_end_string:'%>'\n<% for i in nums %>[{{ i }}]<% endfor %>\n{% raw %}\n<% raw %>{% x %}<% endraw %>\n",
  "#jinja2: comment_start_string:'[#', comment_end_string:'#]'\nBefore\n[# Test comment_start_string #]\nAfter\n{# kept #}\n",
  "#jinja2: trim_blocks: 'yes'\n{% if yes %}\nx\n{% endif %}\n",
  '#jinja2: trim_blocks: yes\n{% if yes %}\nx\n{% endif %}\n',
  "#jinja2: variable_start_string: '[[', variable_end_string: ']]'\n[[ nums[0] ]] [[ [1] ]] {{ nums }}\n",
  '#jinja2: lstrip_blocks: True\nx{% if yes %}  {% if yes %}y{% endif %}{% endif %}\n',
  '#jinja2: lstrip_blocks: True\n  {% raw %}\n  a\n  {% endraw %}\n',
  // newlines as Jinja2 reads them: CRLF and CR become the newline_sequence
  'a\r\nb\rc\r\n{% if yes %}\r\nx\r\n{% endif %}\r\n',
  '{% raw %}\nx\n{% endraw %}\ny\n',
  'no newline at end',
  'two newlines\n\n',
  '{{ word }}\n\n\n',
  '{% filter upper %}shout {{ n }}{% endfilter %}\n',
  '{% with a = 1, b = n %}{{ a + b }}{% endwith %}\n',
  '{% if n > 5 %}big{% elif n > 2 %}medium{% else %}small{% endif %}\n',
  '{% for u in users %}{% if u.enabled %}{{ u.name }}\n{% endif %}{% endfor %}',
  '{% for u in users | sort(attribute="name", reverse=true) %}{{ u.name[:1] }}{% endfor %}\n',
  'Value: {{ yes }} {{ nothing }} {{ list }} {{ map }} {{ f }} {{ 4 / 2 }}\n',
  '{{ "%-10s|" | format(name) }}\n',
  '{% for line in multi.splitlines() %}> {{ line }}\n{% endfor %}',
  '{{ users | map(attribute="name") | join("\\n") }}\n',
  '{% for item in d1 | dict2items %}{{ item.key }}: {{ item.value }}\n{% endfor %}',
  'rc_conf="{{ ports | join(" ") }}"\n{% for p in ports %}\nport_{{ p }}=YES\n{% endfor %}\n',
];

/** Typed whole values: lists, mappings and booleans survive as Ansible 2.14 gives them back. */
const typed: readonly string[] = [
  '{{ list }}', '{{ map }}', '{{ users | map(attribute="uid") | list }}', '{{ n > 1 }}', '{{ d1 | combine(d2) }}',
  '{{ map | dict2items }}', '{{ csv.split(",") }}', '{{ [1, "a", none] }}', '{{ {"a": yes} }}', '{{ nested | flatten }}',
  '{{ undefined_thing }}', '{{ map.nope }}', '{{ users[9] }}', '{{ undefined_thing | mandatory }}', '{{ nothing.attr }}',
  '{{ undefined_thing + 1 }}', '{{ n + "x" }}', '{{ "x" + n }}', '{{ n > "1" }}', '{{ 1 / 0 }}',
];

/** The template module's own Jinja2 arguments (the template action's copy_with_new_env), under and over `#jinja2:` lines. */
const environmentTemplates: readonly string[] = [
  '{% for u in users %}\n  {{ u.name }}\n{% endfor %}\nend\n',
  '  {% if yes %}\n    yes\n  {% endif %}\n{# c #}\nx\n',
  '[[ name ]] {{ name }} <% if yes %>on<% endif %> <# c #>\n',
  '#jinja2: trim_blocks: True\n{% for i in nums %}\n{{ i }}\n{% endfor %}\n',
  '#jinja2: variable_start_string: "((", variable_end_string: "))"\n(( name )) [[ name ]]\n',
  'a\nb\n\n',
];
const environments: readonly TemplateEnvironmentParams[] = [
  { trim_blocks: false }, { lstrip_blocks: true }, { trim_blocks: false, lstrip_blocks: true }, { newline_sequence: '\r\n' }, { newline_sequence: '\r' },
  { variable_start_string: '[[', variable_end_string: ']]' },
  { block_start_string: '<%', block_end_string: '%>', comment_start_string: '<#', comment_end_string: '#>' },
];

/**
 * Ansible's literal read-back (ansible_eval_concat): a value whose rendered text starts with `[` or
 * `{`, or is True/False, becomes the Python or JSON literal it spells; else it stays text. Not
 * here: set, bytes and complex literals (beastie keeps a set as a list and bytes/complex as text).
 */
const readBackVars = { a: 1, b: 'x', l: [1, 2], s: '[1, 2]', d: "{'a': 1}", t: 'True', j: '{"k": true, "n": null}', bad: '[1, 2', f: 'False ', n: 5, sq: "['a', 'b']" };
const readBack = [
  "[{{ a }}, {{ a }}]", "{{ '[1, 2]' }}", "{{ s }}", "{{ d }}", "{{ t }}", "{{ j }}", "{{ bad }}", "{{ f }}", "{{ sq }}", "[{{ b }}]", "['{{ b }}']", "{{ 'True' }}", "{{ 'true' }}",
  "{{ 'False' }}", "{{ '[1, 2]' | to_json }}", "{{ l | to_json }}", "{{ l | string }}", "{{ l | to_json | trim }}", "{{ l | ansible.builtin.to_json }}", "{{ l | to_yaml }}", "{{ l | to_nice_json }}",
  "{{ '{}' }}", "{{ '[]' }}", "{{ '[1,]' }}", "{{ '(1, 2)' }}", "{{ '[(1, 2)]' }}", "{{ '[-1, +2, -1.5, 1e3, 0x1f, 0o17, 0b11, 1_000, .5, 5.]' }}", "{{ '[--1]' }}", "{{ '[1 + 2]' }}",
  "{{ '[\"a\" \"b\", r\"\\\\n\", u\"x\", \"\\\\x41\\\\u00e9\\\\101\"]' }}", "{{ '{1: 2, \"a\": [3]}' }}", "{{ '{\"a\": 1, \"a\": 2}' }}", "{{ '[1, # c\\n 2]' }}",
  "{{ '[\\n1,\\n2\\n]' }}", "{{ '[1]\\n' }}", "{{ '[1] [2]' }}", "{{ '[none]' }}", "{{ '[True, False, None, true, false, null]' }}", "{{ '[x]' }}", "{{ ' [1]' }}", "{{ '[1] ' }}",
  "{{ '[\"\"\"a\"\"\"]' }}", "{{ '[\"a\\nb\"]' }}", "{{ '[99999999999999999999]' }}", "{{ '[1.0, 2.50]' }}", "{% if true %}[1, 2]{% endif %}", "{{ l }}", "{{ n }}",
  "True", "{{ 'Tr' }}{{ 'ue' }}", "{{ '{' }}'a': {{ l }}{{ '}' }}", "{{ a }}{{ '[1]' }}", "[{{ l | join(', ') }}]", "{{ '[1, 2]' ~ '' }}",
];

const cases: Case[] = [
  ...readBack.map((template) => ({ template, vars: readBackVars })),
  ...expressions.map((expression) => ({ template: `<{{ ${expression} }}>`, vars })),
  ...templates.map((template) => ({ template, vars, mode: 'file' as const })),
  ...environmentTemplates.flatMap((template) => environments.map((environment) => ({ template, vars, mode: 'file' as const, environment }))),
  ...typed.map((template) => ({ template, vars })),
];
const ansible = renderWithAnsible(cases);

describe('beastie renders as ansible-core 2.14 does', () => {
  it('renders the whole batch identically', () => {
    const differences = cases
      .map((item, i) => ({ template: item.template, ansible: ansible[i], beastie: renderWithBeastie(item) }))
      .filter(({ ansible: reference, beastie }) => reference === undefined || !agrees(reference, beastie));
    expect(differences).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
    // Each environment case is real output, not two failures that agree — except a loop variable
    // used where `{% for %}` is only text (block strings moved to <% %>), which fails in both.
    const loopAsText = (item: Case): boolean => item.environment?.block_start_string !== undefined && item.template.includes('{% for');
    expect(cases.filter((item, i) => item.environment !== undefined && ansible[i]?.ok !== !loopAsText(item))).toEqual([]);
  });
});
