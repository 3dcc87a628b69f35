import { describe, expect, it } from 'vitest';
import assert, { planAssert } from '../../modules/assert.js';
import debug, { planDebug } from '../../modules/debug.js';
import fail from '../../modules/fail.js';
import set_fact from '../../modules/set_fact.js';
import { runLocal } from './helpers/three-way.js';

const vars = { beastie_securelevel: -1, beastie_kernel_modules: ['kernel', 'vmm'], result: { rc: 0, stdout_lines: ['a', 'b'] } };

describe('assert', () => {
  const params = (p: Record<string, unknown>) => assert.params.parse(p);

  it('passes when every expression holds', () => {
    expect(planAssert(params({ that: ['beastie_securelevel <= 0', "'vmm' in beastie_kernel_modules"] }), vars)).toMatchObject({
      steps: [{ kind: 'noop', reason: 'All assertions passed' }],
      values: { msg: 'All assertions passed' },
    });
  });

  it('fails on the first false one with fail_msg (or msg), registering it', () => {
    const plan = planAssert(params({ that: ['result.rc == 0', "'nmdm' in beastie_kernel_modules", 'false'], msg: 'nmdm missing' }), vars);
    expect(plan).toMatchObject({ failure: 'nmdm missing', values: { assertion: "'nmdm' in beastie_kernel_modules", evaluated_to: false } });
    expect(planAssert(params({ that: 'false' }), vars).failure).toBe('Assertion failed');
  });

  it('an undefined variable fails the task naming it', () => {
    expect(planAssert(params({ that: 'nosuch == 1' }), vars).failure).toMatch(/The conditional check 'nosuch == 1' failed: .*nosuch/);
  });

  it('a syntax error is caught when the playbook loads', () => {
    expect(() => params({ that: 'a ==' })).toThrow(/'a =='/);
  });

  it('is controller-only and never changed', async () => {
    expect(assert.controllerOnly).toBe(true);
    expect((await runLocal(assert, { that: 'x > 1' }, { vars: { x: 2 } })).status).toBe('ok');
    expect((await runLocal(assert, { that: 'x > 1' }, { vars: { x: 0 } })).status).toBe('failed');
  });
});

describe('fail', () => {
  it('fails with msg, or Ansible\'s default', async () => {
    expect(await runLocal(fail, { msg: 'no VT-x' })).toMatchObject({ status: 'failed', msg: 'no VT-x' });
    expect(await runLocal(fail, {})).toMatchObject({ status: 'failed', msg: 'Failed as requested from task' });
  });
});

describe('debug', () => {
  const params = (p: Record<string, unknown>) => debug.params.parse(p);

  it('shows msg (any value) or a variable by expression', () => {
    expect(planDebug(params({ msg: 'hello' }), vars).values).toEqual({ msg: 'hello' });
    expect(planDebug(params({}), vars).values).toEqual({ msg: 'Hello world!' });
    expect(planDebug(params({ msg: ['a', 1] }), vars).values).toEqual({ msg: ['a', 1] });
    expect(planDebug(params({ var: 'result.stdout_lines' }), vars).values).toEqual({ 'result.stdout_lines': ['a', 'b'] });
    expect(planDebug(params({ var: 'nosuch' }), vars).values).toEqual({ nosuch: 'VARIABLE IS NOT DEFINED!' });
  });

  it('respects verbosity against ansible_verbosity', () => {
    expect(planDebug(params({ msg: 'x', verbosity: 1 }), vars)).toEqual({ steps: [{ kind: 'noop', reason: 'skipped: needs verbosity 1' }] });
    expect(planDebug(params({ msg: 'x', verbosity: 1 }), { ansible_verbosity: 1 }).values).toEqual({ msg: 'x' });
  });

  it('refuses msg with var', () => {
    expect(() => params({ msg: 'a', var: 'b' })).toThrow(/mutually exclusive/);
  });
});

describe('set_fact', () => {
  it('sets variables, ignoring cacheable', async () => {
    const outcome = await runLocal(set_fact, { jail_root: '/usr/local/bastille/jails/bhyve/root', ports: [22], cacheable: true });
    expect(outcome).toMatchObject({ status: 'ok', setFacts: { jail_root: '/usr/local/bastille/jails/bhyve/root', ports: [22] } });
    expect(outcome.setFacts).not.toHaveProperty('cacheable');
  });

  it("takes cacheable in any of Ansible's boolean spellings (cacheable=yes in key=value form), refuses other words", () => {
    for (const spelled of ['yes', 'no', 'True', 'off', '{{ keep }}']) expect(set_fact.params.parse({ x: 1, cacheable: spelled })).toEqual({ x: 1 });
    expect(() => set_fact.params.parse({ x: 1, cacheable: 'sometimes' })).toThrow(/cacheable must be true or false/);
  });

  it('refuses names that are not variable names, and an empty call', () => {
    expect(() => set_fact.params.parse({ 'bad-name': 1 })).toThrow(/not a valid variable name/);
    expect(() => set_fact.params.parse({})).toThrow(/at least one/);
  });
});
