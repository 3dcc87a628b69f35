// beastie's ansible.utils get_path and to_paths (src/jinja/filters/var-paths.ts) against
// ansible.utils 2.10.3's through ansible-core 2.14's Templar: the plugins' documented examples
// (to_paths then get_path on its keys), the paths to_paths writes for keys that are no Python
// identifier, empty containers, scalars, prepend; get_path's text read back as Ansible's
// concat reads it, its render over the dict's keys alone, and both argument specs' failures.
import { describe } from 'vitest';
import type { Case } from './ansible-reference.js';
import { itRendersAsAnsible } from './differential-fixture.js';

const vars = {
  nested: { a: { b: [1, { c: 'deep' }] }, 'x-y': 5, e: {}, l: [] },
  interfaces: [
    { name: 'eth0', enabled: true, ipv4: { address: '10.0.0.1', prefix: 24 } },
    { name: 'eth1', enabled: false, tags: ['a', 'b'] },
  ],
  a: { b: { c: { d: [0, 1] } } },
  odd: { '1x': 1, _ok: 2, 'é': 3, "k'q": 4, 'a b': { c: 5 }, 'nl\n': 6, '': 7, 'ends_': [] },
  texts: { t: 'x', u: 'y', n: 2, f: 1.5, none: null, yes: true, list_text: '[1, 2]', dict_text: "{'a': 1}", bool_text: 'True' },
  paths: ['a.b', 'a.b[1].c', "a['b'][0]", 'x-y', "['x-y']", 'e', 'l'],
};

const templates = [
  // to_paths
  '{{ nested | ansible.utils.to_paths }}',
  "{{ nested | ansible.utils.to_paths(prepend='nested') }}",
  "{{ nested | ansible.utils.to_paths('nested', true) }}",
  '{{ nested | ansible.utils.to_paths(wantlist=true) }}',
  "{{ interfaces | ansible.utils.to_paths('interfaces') }}",
  '{{ interfaces | ansible.utils.to_paths }}',
  '{{ a | ansible.utils.to_paths }}',
  '{{ odd | ansible.utils.to_paths }}',
  "{{ odd | ansible.utils.to_paths('o') }}",
  "{{ {'odd': odd} | ansible.utils.to_paths }}",
  '{{ [[1, [2]], {"k": []}] | ansible.utils.to_paths }}',
  "{{ [[]] | ansible.utils.to_paths('x') }}",
  "{{ {'': {}} | ansible.utils.to_paths }}",
  "{{ {'': {'': 1}} | ansible.utils.to_paths }}",
  "{{ {'a': (1, 2)} | ansible.utils.to_paths }}",
  '{{ [] | ansible.utils.to_paths }}',
  '{{ {} | ansible.utils.to_paths }}',
  "{{ [] | ansible.utils.to_paths('p') }}",
  "{{ {} | ansible.utils.to_paths('p') }}",
  '{{ 5 | ansible.utils.to_paths }}',
  "{{ 'x' | ansible.utils.to_paths('p') }}",
  '{{ none | ansible.utils.to_paths }}',
  '{{ texts | ansible.utils.to_paths }}',
  '{{ nested | ansible.utils.to_paths(5) }}',
  "{{ nested | ansible.utils.to_paths('') }}",
  "{{ nested | ansible.utils.to_paths(prepend=['x']) }}",
  "{{ nested | ansible.utils.to_paths('p', false, 3) }}",
  '{{ nested | ansible.utils.to_paths(var=a) }}',
  "{{ (nested | ansible.utils.to_paths)['a.b[1].c'] }}",
  '{{ (nested | ansible.utils.to_paths).keys() | list }}',
  '{{ nested | ansible.utils.to_paths(bogus=1) }}',
  "{{ nested | ansible.utils.to_paths(wantlist='maybe') }}",
  "{{ nested | ansible.utils.to_paths('p', 'maybe') }}",
  '{{ nope | ansible.utils.to_paths }}',
  '{{ nested | to_paths }}',
  // get_path
  "{{ nested | ansible.utils.get_path('a.b') }}",
  "{{ nested | ansible.utils.get_path('a.b[1].c') }}",
  "{{ nested | ansible.utils.get_path(\"a['b'][0]\") }}",
  "{{ nested | ansible.utils.get_path('a.b[0]') }}",
  "{{ nested | ansible.utils.get_path('a.b[0]') + 1 }}",
  "{{ nested | ansible.utils.get_path('a.b[0]') | type_debug }}",
  "{{ nested | ansible.utils.get_path('a.b[0]', wantlist=true) }}",
  "{{ nested | ansible.utils.get_path('a.b', wantlist=true) }}",
  "{{ nested | ansible.utils.get_path(\"['x-y']\") }}",
  "{{ nested | ansible.utils.get_path('e') }}",
  "{{ nested | ansible.utils.get_path('l') }}",
  "{{ nested | ansible.utils.get_path('a.b | length') }}",
  "{{ nested | ansible.utils.get_path('a.b | map(\"string\") | list') }}",
  "{{ nested | ansible.utils.get_path(path='a.b') }}",
  "{{ nested | ansible.utils.get_path('a', 'yes') }}",
  "{{ nested | ansible.utils.get_path('a', 'maybe') }}",
  "{{ nested | ansible.utils.get_path('a', wantlist='maybe') }}",
  "{{ nested | ansible.utils.get_path(5) }}",
  "{{ nested | ansible.utils.get_path(['a']) }}",
  "{{ nested | ansible.utils.get_path(none) }}",
  "{{ texts | ansible.utils.get_path('t ~ u') }}",
  "{{ texts | ansible.utils.get_path('t | upper') }}",
  "{{ texts | ansible.utils.get_path('t }}{{ u') }}",
  "{{ texts | ansible.utils.get_path('n') * 2 }}",
  "{{ texts | ansible.utils.get_path('n + 1') | type_debug }}",
  "{{ texts | ansible.utils.get_path('f') }}",
  "{{ texts | ansible.utils.get_path('none') }}",
  "{{ texts | ansible.utils.get_path('none', wantlist=true) }}",
  "{{ texts | ansible.utils.get_path('yes') }}",
  "{{ texts | ansible.utils.get_path('n is even') }}",
  "{{ texts | ansible.utils.get_path('list_text') }}",
  "{{ texts | ansible.utils.get_path('dict_text') }}",
  "{{ texts | ansible.utils.get_path('bool_text') }}",
  "{{ texts | ansible.utils.get_path('missing | default(5)') }}",
  "{{ {'t': (1, 2)} | ansible.utils.get_path('t') }}",
  "{{ {'t': [1, (2, 3)]} | ansible.utils.get_path('t') }}",
  "x{{ nested | ansible.utils.get_path('a.b') }}",
  "{{ a | ansible.utils.get_path('b.c.d') }}",
  "{{ a | ansible.utils.get_path('b.c.d[1]') }}",
  "{{ interfaces[0] | ansible.utils.get_path('ipv4.address') }}",
  "{{ interfaces[1] | ansible.utils.get_path('tags', wantlist=true) }}",
  // Only the dict's own keys: no other variable, no globals
  "{{ nested | ansible.utils.get_path('texts') }}",
  "{{ nested | ansible.utils.get_path('range(3) | list') }}",
  "{{ nested | ansible.utils.get_path('dict(a=1)') }}",
  "{{ nested | ansible.utils.get_path('lookup(\"env\", \"HOME\")') }}",
  "{{ {'lookup': 'mine'} | ansible.utils.get_path('lookup') }}",
  // Failures
  "{{ nested | ansible.utils.get_path('a.zz') }}",
  "{{ nested | ansible.utils.get_path('zz') }}",
  "{{ nested | ansible.utils.get_path('a.b[5]') }}",
  "{{ nested | ansible.utils.get_path('a.b[') }}",
  "{{ nested | ansible.utils.get_path('{{ a }}') }}",
  "{{ nested | ansible.utils.get_path('a | nosuchfilter') }}",
  "{{ interfaces | ansible.utils.get_path('a') }}",
  "{{ 'x' | ansible.utils.get_path('a') }}",
  "{{ none | ansible.utils.get_path('a') }}",
  '{{ nested | ansible.utils.get_path() }}',
  "{{ nested | ansible.utils.get_path('a', bogus=1) }}",
  "{{ nested | get_path('a') }}",
  // The documented pairing: every path to_paths gives, read back with get_path
  "{% for path, value in (nested | ansible.utils.to_paths).items() %}{{ path }}={{ nested | ansible.utils.get_path(path) == value }} {% endfor %}",
  "{% for path in paths %}{{ nested | ansible.utils.get_path(path) }};{% endfor %}",
  "{{ {'nested': nested} | ansible.utils.to_paths | dict2items | map(attribute='key') | map('regex_replace', '^', 'nested.') | list }}",
];
const cases: Case[] = templates.map((template) => ({ template, vars }));

describe("ansible.utils get_path and to_paths answer as the collection's do", () => {
  itRendersAsAnsible(cases, { moreThan: 0.7 });
});
