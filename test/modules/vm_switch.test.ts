import { describe, expect, it } from 'vitest';
import vmSwitch, { planVmSwitch, switchConfig } from '../../modules/vm_switch.js';
import { vmSwitchStateFact, type VmSwitchState } from '../../src/facts/vm-bhyve-state.js';
import type { Plan } from '../../src/module-api/module.js';
import { sectionsOutput } from '../helpers/sections-output.js';

const params = (extra: Record<string, unknown> = {}) => vmSwitch.params.parse({ name: 'public', interfaces: ['vnet0'], ...extra });
const ready = (systemConf: string | undefined, bridgeExists = true): VmSwitchState => ({
  version: 'vm-bhyve: Bhyve virtual machine management v1.4.2 (rev. 104002)',
  vmEnable: 'YES',
  vmDir: '/vms',
  vmDirExists: true,
  systemConf,
  bridgeExists,
});
const summary = (plan: Plan) => plan.steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));
const commands = (plan: Plan) => plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)) : []));
const configured = 'switch_list="public"\ntype_public="standard"\nports_public="vnet0"\n';

describe('vm_switch plan', () => {
  it('creates the switch and adds its port on a fresh vm_dir', () => {
    const plan = planVmSwitch(params(), ready(''));
    expect(commands(plan)).toEqual(['vm switch create -t standard public', 'vm switch add public vnet0']);
    expect(summary(plan)).toEqual(['change: create switch public with vnet0']);
  });

  it('second run: nothing (vm switch add would fail with EEXIST)', () => {
    expect(summary(planVmSwitch(params(), ready(configured)))).toEqual(['noop: switch public has ports vnet0']);
  });

  it('adds and removes only the ports that differ', () => {
    const plan = planVmSwitch(params({ interfaces: ['vnet0', 'vnet1'] }), ready('switch_list="public"\ntype_public="standard"\nports_public="vnet0 em1"\n'));
    expect(commands(plan)).toEqual(['vm switch remove public em1', 'vm switch add public vnet1']);
    expect(summary(plan)).toEqual(['change: add vnet1 to and remove em1 from switch public']);
    expect(commands(planVmSwitch(params({ interfaces: ['vnet0', 'vnet1'], exclusive: false }), ready('switch_list="public"\nports_public="vnet0 em1"\ntype_public="standard"\n')))).toEqual([
      'vm switch add public vnet1',
    ]);
  });

  it('runs vm init when the bridge vanished after a reboot', () => {
    expect(commands(planVmSwitch(params(), ready(configured, false)))).toEqual(['vm init']);
  });

  it('plans for a fresh vm_dir when vm-bhyve is not set up yet, and says what it lacks', () => {
    const notInstalled = planVmSwitch(params(), { ...ready(undefined), version: undefined });
    expect(commands(notInstalled)).toEqual(['vm switch create -t standard public', 'vm switch add public vnet0']);
    expect(notInstalled.notes).toEqual(['vm-bhyve is not installed here (pkg: name=vm-bhyve): planning for a fresh vm_dir']);
    expect(planVmSwitch(params(), { ...ready(''), vmEnable: 'NO' }).notes?.at(-1)).toBe(
      '$vm_enable is not enabled in /etc/rc.conf (sysrc: name=vm_enable value=YES): planning for a fresh vm_dir',
    );
    expect(planVmSwitch(params(), { ...ready(''), vmDirExists: false }).notes?.at(-1)).toMatch(/\/vms has not been configured or is not a valid directory/);
  });

  it('refuses to change a type, destroys when absent', () => {
    expect(planVmSwitch(params({ type: 'vale' }), ready(configured)).failure).toMatch(/is of type standard, not vale/);
    expect(commands(planVmSwitch(params({ state: 'absent' }), ready(configured)))).toEqual(['vm switch destroy public']);
    expect(summary(planVmSwitch(params({ state: 'absent' }), ready('')))).toEqual(['noop: switch public does not exist']);
  });

  it('rejects a one-character name as vm-bhyve does', () => {
    expect(() => vmSwitch.params.parse({ name: 'p' })).toThrow(/switch name rule/);
  });
});

describe('switchConfig and the fact', () => {
  it('reads system.conf as vm-bhyve does', () => {
    expect(switchConfig(configured, 'public')).toEqual({ exists: true, type: 'standard', ports: ['vnet0'], address: undefined });
    expect(switchConfig(undefined, 'public').exists).toBe(false);
  });

  it('parses the sectioned output', () => {
    const out = ['@@section version@@', 'vm-bhyve: x', '@@section vm_enable@@', 'YES', '@@section vm_dir@@', '/vms', '@@section vm_dir_exists@@', 'yes', '@@section bridge@@'].join('\n');
    expect(vmSwitchStateFact('public').parse({ stdout: sectionsOutput(out), stderr: '', exitCode: 0 })).toEqual({
      version: 'vm-bhyve: x',
      vmEnable: 'YES',
      vmDir: '/vms',
      vmDirExists: true,
      systemConf: undefined,
      bridgeExists: false,
    });
  });
});
