import { describe, expect, it } from 'vitest';
import pause, { pauseMilliseconds, planPause } from '../../modules/pause.js';
import { pythonDateTime, pythonDelta } from '../../modules/support/run-times.js';
import setup, { planSetup, selectedCollectors, setupFacts } from '../../modules/setup.js';
import { runLocal } from './helpers/three-way.js';

const gathered = {
  ansible_distribution: 'FreeBSD', ansible_distribution_version: '14.1', ansible_os_family: 'FreeBSD', ansible_hostname: 'sim01',
  ansible_env: { HOME: '/root' }, ansible_memtotal_mb: 2048, ansible_processor_count: 2, ansible_virtualization_type: 'jails',
  beastie_jails: [], ansible_facts: { distribution: 'FreeBSD' },
};

describe('setup: gather_subset and filter as Ansible selects them', () => {
  const p = (x: Record<string, unknown>) => setup.params.parse(x);
  it.each([
    [['all'], ['ansible_distribution', 'ansible_distribution_version', 'ansible_os_family', 'ansible_hostname', 'ansible_env', 'ansible_memtotal_mb', 'ansible_processor_count', 'ansible_virtualization_type', 'beastie_jails']],
    [['!all'], ['ansible_distribution', 'ansible_distribution_version', 'ansible_os_family', 'ansible_hostname', 'ansible_env']],
    [['!hardware'], ['ansible_distribution', 'ansible_distribution_version', 'ansible_os_family', 'ansible_hostname', 'ansible_env', 'ansible_virtualization_type']],
    [['!all', 'hardware'], ['ansible_distribution', 'ansible_distribution_version', 'ansible_os_family', 'ansible_hostname', 'ansible_env', 'ansible_memtotal_mb', 'ansible_processor_count']],
    [['!all', '!min', 'virtual'], ['ansible_virtualization_type']],
    [['mounts'], ['ansible_distribution', 'ansible_distribution_version', 'ansible_os_family', 'ansible_hostname', 'ansible_env', 'ansible_memtotal_mb', 'ansible_processor_count']],
  ])('%j', (subset, names) => {
    expect(Object.keys(setupFacts(p({ gather_subset: subset }), gathered))).toEqual(names);
  });
  it('network (and default_ipv4, a fact of it) brings the interfaces, addresses, defaults and ansible_IFACE; hardware the mounts', () => {
    const withNetwork = {
      ...gathered, ansible_interfaces: ['em0', 'lo0'], ansible_em0: { device: 'em0' }, ansible_lo0: { device: 'lo0' }, ansible_default_ipv4: { interface: 'em0' },
      ansible_all_ipv4_addresses: ['192.0.2.10'], ansible_mounts: [], ansible_devices: {},
    };
    const network = ['ansible_interfaces', 'ansible_em0', 'ansible_lo0', 'ansible_default_ipv4', 'ansible_all_ipv4_addresses'];
    expect(Object.keys(setupFacts(p({ gather_subset: ['!all', '!min', 'network'] }), withNetwork))).toEqual(network);
    expect(Object.keys(setupFacts(p({ gather_subset: ['!all', '!min', 'default_ipv4'] }), withNetwork))).toEqual(network);
    expect(Object.keys(setupFacts(p({ gather_subset: ['!all', '!min', 'hardware'] }), withNetwork))).toEqual(['ansible_memtotal_mb', 'ansible_processor_count', 'ansible_mounts', 'ansible_devices']);
    expect(Object.keys(setupFacts(p({ gather_subset: ['!network'] }), withNetwork))).not.toContain('ansible_em0');
  });
  it('takes a comma-separated string and filters with fnmatch patterns', () => {
    expect(setupFacts(p({ gather_subset: '!all', filter: 'ansible_distribution*' }), gathered)).toEqual({ ansible_distribution: 'FreeBSD', ansible_distribution_version: '14.1' });
    expect(selectedCollectors(['env'])).toContain('platform');
    expect(Object.keys(setupFacts(p({ gather_subset: '!all', filter: ['ansible_[!a-z]*', 'ansible_distribution_versio?'] }), gathered))).toEqual(['ansible_distribution_version']);
  });
  it('refuses an unknown subset with Ansible\'s message', () => {
    expect(() => p({ gather_subset: ['bogus'] })).toThrow(/Bad subset 'bogus' given to Ansible. gather_subset options allowed: all, all_ipv4_addresses,/);
  });
  it('registers ansible_facts with prefixed names and merges the host\'s ansible_facts', () => {
    const plan = planSetup(p({ filter: ['ansible_hostname'] }), gathered, { ansible_facts: { distribution: 'FreeBSD', custom: 1 } });
    expect(plan.values).toEqual({ ansible_facts: { ansible_hostname: 'sim01' } });
    expect(plan.setFacts).toEqual({ ansible_hostname: 'sim01', ansible_facts: { distribution: 'FreeBSD', custom: 1, hostname: 'sim01' } });
    expect(plan.steps).toEqual([{ kind: 'noop', reason: '1 facts' }]);
  });
});

describe('Python\'s time texts', () => {
  it('prints a timedelta as str() does', () => {
    expect(pythonDelta(1234)).toBe('0:00:01.234000');
    expect(pythonDelta(3_723_000)).toBe('1:02:03');
  });
});

describe('pause', () => {
  const p = (x: Record<string, unknown>) => pause.params.parse(x);
  it('waits seconds or minutes, at least one second; a prompt alone is not waited on', () => {
    expect(pauseMilliseconds(p({ seconds: 3 }))).toBe(3000);
    expect(pauseMilliseconds(p({ seconds: 0 }))).toBe(1000);
    expect(pauseMilliseconds(p({ minutes: 2 }))).toBe(120_000);
    expect(pauseMilliseconds(p({ prompt: 'Go?' }))).toBeUndefined();
    expect(() => p({ seconds: 1, minutes: 1 })).toThrow(/mutually exclusive: minutes\|seconds/);
  });
  it('registers Ansible\'s keys; never changed', () => {
    const start = new Date(2026, 11, 2, 1, 2, 3, 456).getTime();
    expect(planPause(p({ seconds: 2 }), { start, stop: start + 2004 })).toEqual({
      steps: [{ kind: 'noop', reason: 'Paused for 2.0 seconds' }],
      values: { rc: 0, stderr: '', stdout: 'Paused for 2.0 seconds', start: '2026-12-02 01:02:03.456000', stop: pythonDateTime(start + 2004), delta: 2, echo: true, user_input: '' },
    });
    expect(planPause(p({ minutes: 1 }), { start, stop: start + 61_000 }).values?.['stdout']).toBe('Paused for 1.02 minutes');
  });
  it('answers a prompt at once with Ansible\'s non-interactive warning', () => {
    const plan = planPause(p({ prompt: 'Continue?' }), { start: 0, stop: 5 });
    expect(plan.notes).toEqual(['[WARNING]: Not waiting for response to prompt as stdin is not interactive']);
    expect(plan.values).toMatchObject({ user_input: '', delta: 0 });
  });
  it('really waits, also in --check', async () => {
    const before = Date.now();
    const outcome = await runLocal(pause, { seconds: 1 }, { check: true });
    expect(outcome.status).toBe('ok');
    expect(Date.now() - before).toBeGreaterThanOrEqual(1000);
  });
});
