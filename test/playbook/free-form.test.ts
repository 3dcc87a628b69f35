import { describe, expect, it } from 'vitest';
import { parseFreeForm, parseKeyValues } from '../../src/playbook/free-form.js';

describe('parseFreeForm', () => {
  it.each([
    ['ls -l', { cmd: 'ls -l' }],
    ['  ls   -l  ', { cmd: 'ls   -l' }],
    ['ls -l chdir=/tmp', { cmd: 'ls -l', chdir: '/tmp' }],
    ['make creates=/usr/obj/done removes="/tmp/a b"', { cmd: 'make', creates: '/usr/obj/done', removes: '/tmp/a b' }],
    ["echo 'x=1' FOO=bar", { cmd: "echo 'x=1' FOO=bar" }],
    ['echo "a  b" chdir=/', { cmd: 'echo "a  b"', chdir: '/' }],
    ['sysrc vm_dir=/vms', { cmd: 'sysrc vm_dir=/vms' }],
  ])('%s', (input, expected) => {
    expect(parseFreeForm(input)).toEqual(expected);
  });
});

describe('parseKeyValues', () => {
  it.each([
    ['path=/x state=touch', { path: '/x', state: 'touch' }],
    ['msg="hello world"', { msg: 'hello world' }],
    ["msg='it is'", { msg: 'it is' }],
    ['msg="say \\"hi\\""', { msg: 'say "hi"' }],
    ['', {}],
    // a template is one word, spaces and quotes inside it included (Ansible's split_args)
    ['msg="{{ a }} b" name={{ x | default("y z") }}', { msg: '{{ a }} b', name: '{{ x | default("y z") }}' }],
    // a templated key, as set_fact takes it
    ["{{ 'x' + item }}={{ item }}", { "{{ 'x' + item }}": '{{ item }}' }],
    ['pkg_{{ item.0 }}={{ item.1 }} done=yes', { 'pkg_{{ item.0 }}': '{{ item.1 }}', done: 'yes' }],
  ])('%s', (input, expected) => {
    expect(parseKeyValues(input)).toEqual(expected);
  });

  it('refuses words that are not key=value', () => {
    expect(parseKeyValues('web01')).toBeUndefined();
    expect(parseKeyValues('path=/x touch')).toBeUndefined();
  });
});
