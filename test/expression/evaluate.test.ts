import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { evaluateCondition, evaluateConditions, evaluateExpression } from '../../src/expression/evaluate.js';

const source = { file: 'playbooks/x.yml', line: 12, column: 9 };
const ctx = { source, keyword: 'when' };
const vars = {
  n: 3,
  s: '5',
  name: 'vm-web01',
  empty: '',
  list: ['a', 'b'],
  nums: [1, 2, 3],
  map: { k: 'v', nested: { deep: 1 } },
  pairs: [['x', 1], ['y', 2]],
  nothing: null,
  yes_string: 'yes',
  ok_result: { changed: true, failed: false, rc: 0, stdout: 'vmm\nnmdm' },
  bad_result: { changed: false, failed: true, rc: 1, stdout: '' },
  skipped_result: { changed: false, skipped: true },
  hostvars: { sim01: { x: 7 } },
};

const value = (text: string) => evaluateExpression(text, vars, ctx).value;
const cond = (text: string) => evaluateCondition(text, vars, ctx).value;

function failure(text: string): InvalidInputError {
  try {
    evaluateExpression(text, vars, ctx);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to fail`);
}

describe('evaluateExpression', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['false', false],
    ['False', false],
    ['none', null],
    ['None', null],
    ['42', 42],
    ['"str"', 'str'],
    ["'str'", 'str'],
    ['[1, "a", true]', [1, 'a', true]],
    ['n', 3],
    ['map.k', 'v'],
    ['map["k"]', 'v'],
    ['map.nested.deep', 1],
    ['list[0]', 'a'],
    ['list[-1]', 'b'],
    ['list.0', 'a'],
    ['list.1 == "b"', true],
    ['pairs.1.0', 'y'],
    ['pairs[0].1 + 1.5', 2.5],
    ['hostvars.sim01.x', 7],
    ['hostvars["sim01"].x', 7],
    ['n + 1', 4],
    ['n * 2 - 1', 5],
    ['7 % 3', 1],
    ['-n', -3],
    ['"a" + "b"', 'ab'],
  ])('%s → %j', (text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it.each([
    ['n == 3', true],
    ['n != 3', false],
    ['n < 4', true],
    ['n <= 3', true],
    ['n > 3', false],
    ['n >= 3', true],
    ['"a" < "b"', true],
    ['list == ["a", "b"]', true],
    ['map == {"k": "v"}'.replace('{"k": "v"}', 'map'), true],
    ['"a" in list', true],
    ['"c" in list', false],
    ['"c" not in list', true],
    ['"c" not   in list', true],
    ['"k" in map', true],
    ['"vm" in name', true],
    ['"nmdm" in ok_result.stdout', true],
    ['n > 1 and n < 5', true],
    ['n > 5 or n == 3', true],
    ['not n == 4', true],
    ['not "a" in list', false],
    ['not not true', true],
    ['n is defined', true],
    ['undefined_thing is defined', false],
    ['undefined_thing is not defined', true],
    ['undefined_thing is undefined', true],
    ['map.missing is defined', false],
    ['map.missing.deeper is defined', false],
    ['not undefined_thing is defined', true],
    ['nothing is none', true],
    ['ok_result is changed', true],
    ['ok_result is succeeded', true],
    ['ok_result is success', true],
    ['ok_result is failed', false],
    ['bad_result is failed', true],
    ['bad_result is not failed', false],
    ['skipped_result is skipped', true],
    ['ok_result.rc == 0', true],
    ['undefined_thing is defined and undefined_thing > 1', false],
    ['n == 3 or undefined_thing', true],
    ['empty', false],
    ['"13.2-RELEASE-p4" is version("13.0", ">=")', true],
    ['"13.2-RELEASE" is version("13.10", "<")', true],
    // LooseVersion, as Ansible: '-RELEASE' is a component of its own, and 14.1 is not 14.1.0.
    ['"12.2-RELEASE" is version("12.2")', false],
    ['"12.2-RELEASE" is version("12.2", ">")', true],
    ['"14.1" is version("14.1.0", "==")', false],
    ['"14.1" is version("14.1.0", "<")', true],
    ['"14.1" is not version("14", "gt")', false],
    ['ok_result.stdout is search("nmdm")', true],
    ['ok_result.stdout is search("^nm")', false],
    ['ok_result.stdout is match("nmdm")', false],
    ['ok_result.stdout is search("(?:^|\\\\n)nm")', true],
    ['ok_result.stdout is match("vm+")', true],
    ['name is regex("web\\\\d+$")', true],
    ['name is not match("web")', true],
    ['list', true],
    ['[]', false],
  ])('%s → %s', (text, expected) => {
    expect(cond(text)).toBe(expected);
  });

  it.each([
    ['list | length', 2],
    ['list|length > 1', true],
    ['map | length', 2],
    ['name | length', 8],
    ['s | int', 5],
    ['s | int + 1', 6],
    ['"3.7" | int', 3],
    ['"abc" | int', 0],
    ['"abc" | int(-1)', -1],
    ['yes_string | bool', true],
    ['"off" | bool', false],
    ['1 | bool', true],
    ['undefined_thing | default("x")', 'x'],
    ["undefined_thing | default('x') == 'x'", true],
    ['map.missing | default(5)', 5],
    ['n | default(5)', 3],
    ['empty | default("x")', ''],
    ['empty | default("x", true)', 'x'],
    ['undefined_thing | d(1)', 1],
    ['name | upper', 'VM-WEB01'],
    ['"ABC" | lower', 'abc'],
    ['n | string', '3'],
    ['list | join(",")', 'a,b'],
    ['not undefined_thing | default(false)', true],
    ['name | replace("-", "_")', 'vm_web01'],
    ['"/usr/local/etc/x.conf" | basename', 'x.conf'],
    ['"/usr/local/etc/x.conf" | dirname', '/usr/local/etc'],
    // Python's shlex.quote, json.dumps and yaml.dump, as Ansible's filters print them.
    ['"it\'s" | quote', `'it'"'"'s'`],
    ['map | to_json', '{"k": "v", "nested": {"deep": 1}}'],
    ['list | to_yaml', '[a, b]\n'],
    ['name ~ "-" ~ n', 'vm-web01-3'],
    ['"n=" ~ nothing', 'n=None'],
  ])('filter %s → %j', (text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it.each([
    ['name.startswith("vm")', true],
    ['name.startswith(["x", "vm"])', true],
    ['name.endswith("01")', true],
    ['name.find("web")', 3],
    ['name.find("zz")', -1],
    ['"a,b,c".split(",")', ['a', 'b', 'c']],
    ['"  a  b ".split()', ['a', 'b']],
    ['"a,b,c".split(",", 1)', ['a', 'b,c']],
    ['"  x  ".strip()', 'x'],
    ['"xxhixx".strip("x")', 'hi'],
    ['"Ab".lower()', 'ab'],
    ['"Ab".upper()', 'AB'],
    ['ok_result.stdout.split("\\n")', ['vmm', 'nmdm']],
  ])('method %s → %j', (text, expected) => {
    expect(value(text)).toEqual(expected);
  });

  it('tolerates a {{ }} wrapper and returns a warning', () => {
    const result = evaluateCondition('{{ n == 3 }}', vars, ctx);
    expect(result.value).toBe(true);
    expect(result.warnings).toEqual(['conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}: write the expression without {{ }}']);
    expect(evaluateCondition('n == 3', vars, ctx).warnings).toEqual([]);
  });

  it('ANDs a list of conditions and stops at the first false one', () => {
    expect(evaluateConditions(['n == 3', '"a" in list'], vars, ctx).value).toBe(true);
    // The second would fail on the undefined variable; it is never evaluated.
    expect(evaluateConditions(['n == 4', 'missing > 1'], vars, ctx).value).toBe(false);
  });

  it('does not reach JavaScript properties or prototypes', () => {
    expect(cond('list.length is defined')).toBe(false);
    expect(cond('map.constructor is defined')).toBe(false);
    expect(cond('map.__proto__ is defined')).toBe(false);
    expect(cond('name.length is defined')).toBe(false);
    expect(failure('toString').message).toContain("'toString' is undefined");
    expect(failure("''.constructor").message).toContain("'str object' has no attribute 'constructor'");
    expect(failure("''.constructor.constructor('return process')()").message).toContain("'str object' has no attribute 'constructor'");
    expect(failure('list.__proto__').message).toContain("'list object' has no attribute '__proto__'");
    expect(failure('map["__proto__"]').message).toContain("'dict object' has no attribute '__proto__'");
    expect(failure("name.split.call").message).toContain("'function object' has no attribute 'call'");
  });
});

describe('evaluation errors name the problem and the source', () => {
  it('an undefined variable', () => {
    const error = failure('vm_dir == "/vms"');
    expect(error.message).toBe(`'vm_dir' is undefined in when expression 'vm_dir == "/vms"' at playbooks/x.yml:12:9`);
    expect(error.source).toEqual(source);
    expect(error.fix).toBe("define 'vm_dir' (play vars, inventory, -e), or guard it: 'vm_dir is defined' or 'vm_dir | default(...)'");
  });

  it('an undefined attribute says what has no such attribute, as Jinja does', () => {
    expect(failure('ok_result.stdoutt == "x"').message).toContain("'dict object' has no attribute 'stdoutt'");
    expect(failure('missing.a.b').message).toContain("'missing' is undefined");
  });

  it('an undefined variable in a filter other than default', () => {
    expect(failure('missing | length').message).toContain("'missing' is undefined");
  });

  it('comparing a string with a number suggests | int', () => {
    const error = failure('s > 3');
    expect(error.message).toBe("'>' not supported between instances of 'str' and 'int' in when expression 's > 3' at playbooks/x.yml:12:9");
    expect(error.fix).toBe('convert with | int (registered stdout is a string)');
  });

  it('a result test on a non-mapping', () => {
    expect(failure('n is failed').message).toContain("The 'failed' test expects a dictionary");
  });

  it('a method on a non-string', () => {
    expect(failure('list.startswith("a")').message).toContain("'list object' has no attribute 'startswith'");
  });

  it('a version test with a bad operator or version', () => {
    expect(failure('"13.2" is version("13", "~")').message).toContain('Invalid operator type (~)');
    expect(failure('"abc" is version("13", ">")').message).toContain("Version comparison failed: '<' not supported between instances of 'str' and 'int'");
    expect(cond('"abc" is version("13")')).toBe(false);
  });

  it('a regex test with a bad pattern', () => {
    expect(failure('name is search("(")').message).toContain("invalid regular expression '('");
    expect(cond('n is search("3")')).toBe(true);
  });

  it('an attribute of none', () => {
    expect(failure('nothing.x').message).toContain("'None' has no attribute 'x'");
  });

  it('in on a number', () => {
    expect(failure('1 in n').message).toContain("argument of type 'int' is not iterable");
  });

  it('a syntax error', () => {
    expect(failure('n ==').message).toBe("unexpected end of expression in when expression 'n ==' at playbooks/x.yml:12:9");
  });
});
