import { describe, expect, it } from 'vitest';
import { InvalidInputErrors } from '../../src/errors.js';
import { paramIssues, validateParams } from '../../src/playbook/validate-params.js';
import { testModules } from './test-modules.js';

const vmGuest = testModules.find((m) => m.name === 'vm_guest');
if (vmGuest === undefined) throw new Error('test module vm_guest missing');
const source = { file: 'playbooks/x.yml', line: 12, column: 9 };

function runtimeErrors(params: unknown): string[] {
  try {
    validateParams(vmGuest!, params, source);
  } catch (error) {
    if (error instanceof InvalidInputErrors) return error.errors.map((e) => e.describe());
    throw error;
  }
  throw new Error('expected validation to fail');
}

describe('validateParams (after rendering, at run time)', () => {
  it('returns the parsed parameters with defaults', () => {
    expect(validateParams(vmGuest, { name: 'web01' }, source)).toEqual({ name: 'web01', state: 'present' });
  });

  it('reports rendered values that are wrong, at the task', () => {
    expect(runtimeErrors({ name: 'web01', state: 'runing', cpu: 'two' })).toEqual([
      "playbooks/x.yml:12:9: vm_guest: parameter 'state' must be one of present, running, stopped, absent (got 'runing') — did you mean 'running'?",
      "playbooks/x.yml:12:9: vm_guest: parameter 'cpu' must be a number (got string 'two') — write a number",
    ]);
  });

  it('does not defer templated values: they should have been rendered', () => {
    expect(runtimeErrors({ name: 'web01', state: '{{ x }}' })).toHaveLength(1);
  });
});

describe('YAML 1.1 spellings, where the schema wants them', () => {
  it('booleans from yes/no/on/off/y/n/1/0 (any case) and numbers from numeric strings, nested too', () => {
    expect(validateParams(vmGuest, { name: 'web01', autostart: 'Yes', cpu: '2' }, source)).toMatchObject({ autostart: true, cpu: 2 });
    expect(validateParams(vmGuest, { name: 'web01', autostart: 'off' }, source)).toMatchObject({ autostart: false });
    expect(validateParams(vmGuest, { name: 'web01', autostart: 0 }, source)).toMatchObject({ autostart: false });
  });

  it('a string parameter keeps the scalar\'s own text', () => {
    expect(validateParams(vmGuest, { name: 'YES' }, source)).toMatchObject({ name: 'YES' });
  });
});

describe('paramIssues', () => {
  it('defers issues at or under a templated value at load time', () => {
    expect(paramIssues(vmGuest, { name: '{{ n }}', state: '{{ s }}', disks: '{{ d }}' }, { deferTemplated: true })).toEqual([]);
    expect(paramIssues(vmGuest, { name: 'a', disks: [{ size: '{{ s }}', type: '{{ t }}' }] }, { deferTemplated: true })).toEqual([]);
  });

  it('keeps issues about keys and other values even when something else is templated', () => {
    expect(paramIssues(vmGuest, { name: '{{ n }}', nmae: 'x', cpu: 0 }, { deferTemplated: true })).toEqual([
      { path: ['cpu'], about: 'value', message: "vm_guest: parameter 'cpu': Too small: expected number to be >=1 (got number 0)", fix: undefined },
      { path: ['nmae'], about: 'key', message: "vm_guest: unknown parameter 'nmae'", fix: "did you mean 'name'?" },
    ]);
  });

  it("defers an unknown parameter whose template may render to omit (another init system's option), not one that cannot", () => {
    const written = { name: 'a', 'daemon-reload': "{{ (service_mgr == 'systemd') | ternary(true, omit) }}", nmae: '{{ x }}' };
    expect(paramIssues(vmGuest, written, { deferTemplated: true }).map((issue) => issue.message)).toEqual(["vm_guest: unknown parameter 'nmae'"]);
    expect(paramIssues(vmGuest, written, { deferTemplated: false })).toHaveLength(2);
  });

  it('defers a missing parameter under module_defaults (deferMissing), not a wrong one', () => {
    expect(paramIssues(vmGuest, {}, { deferTemplated: true, deferMissing: true })).toEqual([]);
    expect(paramIssues(vmGuest, {}, { deferTemplated: true }).map((issue) => issue.message)).toEqual(["vm_guest: missing required parameter 'name'"]);
    expect(paramIssues(vmGuest, { cpu: 0 }, { deferTemplated: true, deferMissing: true })).toHaveLength(1);
  });

  it('lists the parameters when nothing is close', () => {
    expect(paramIssues(vmGuest, { name: 'a', zzzzzz: 1 }, { deferTemplated: false })[0]?.fix).toBe('parameters: name, state, cpu, memory, autostart, disks, mode');
  });
});

describe('a list parameter given one value', () => {
  it('says what that value was when it is wrong (the list is the value as its only item)', async () => {
    const find = (await import('../../modules/find.js')).default;
    let messages: string[] = [];
    try {
      validateParams(find, { paths: 'one\ntwo' }, source);
    } catch (error) {
      if (!(error instanceof InvalidInputErrors)) throw error;
      messages = error.errors.map((e) => e.describe());
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("(got string 'one\ntwo')");
    expect(messages[0]).not.toContain('got nothing');
  });
});
