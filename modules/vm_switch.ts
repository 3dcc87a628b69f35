// vm_switch: a vm-bhyve virtual switch with exactly the wanted ports. `vm switch create` and
// `vm switch add` fail when repeated (docs/freebsd/vm-bhyve.md, docs/freebsd/idempotency.md), so the module reads vm-bhyve's
// own system.conf and acts only on the difference.
import { z } from 'zod';
import { sh, type Command } from '../src/command/command.js';
import { vmSwitchStateFact, type VmBhyveBase, type VmSwitchState } from '../src/facts/vm-bhyve-state.js';
import { shConfValues } from '../src/freebsd/sh-conf.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';

const params = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][.a-z0-9_-]*[a-z0-9]$/i, "vm-bhyve's switch name rule: letters, digits, . _ -, at least 2 characters")
    .describe('Switch name (the bridge is vm-NAME).'),
  type: z.enum(['standard', 'manual', 'vale', 'netgraph', 'vxlan']).default('standard').describe('vm-bhyve switch type.'),
  interfaces: z.array(z.string().min(1)).default([]).describe('Member ports (vnet0 inside a Bastille VNET jail, em0 on a host).'),
  exclusive: z.boolean().default(true).describe('Remove member ports that are not listed.'),
  address: z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'CIDR notation a.b.c.d/len').optional().describe('Address of the switch (vm switch create -a).'),
  state: z.enum(['present', 'absent']).default('present'),
});

type Params = z.output<typeof params>;

/** The switch's entry in system.conf, as vm-bhyve reads it. */
export interface SwitchConfig {
  readonly exists: boolean;
  readonly type: string | undefined;
  readonly ports: readonly string[];
  readonly address: string | undefined;
}

/** Read switch `name` out of system.conf text. */
export function switchConfig(systemConf: string | undefined, name: string): SwitchConfig {
  const values = shConfValues(systemConf ?? '');
  const words = (key: string) => (values.get(key) ?? '').split(/\s+/).filter((word) => word !== '');
  return {
    exists: words('switch_list').includes(name),
    type: values.get(`type_${name}`),
    ports: words(`ports_${name}`),
    address: values.get(`addr_${name}`),
  };
}

/** Why vm-bhyve cannot be used here yet, or undefined. */
export function vmBhyveNotReady(state: VmBhyveBase): string | undefined {
  if (state.version === undefined) return 'vm-bhyve is not installed here (pkg: name=vm-bhyve)';
  if (!/^(yes|true|on|1)$/i.test(state.vmEnable ?? '')) return '$vm_enable is not enabled in /etc/rc.conf (sysrc: name=vm_enable value=YES)';
  if (state.vmDir === undefined) return 'vm_dir is not set in /etc/rc.conf (sysrc: name=vm_dir value=/vms)';
  if (!state.vmDirExists) return `${state.vmDir} has not been configured or is not a valid directory (create it; vm never does)`;
  return undefined;
}

const run = (command: Command) => ({ kind: 'run' as const, command });

/** Steps that make the switch match params. */
export function planVmSwitch(p: Params, state: VmSwitchState): Plan {
  // vm-bhyve not set up (yet: in --check the earlier tasks have not run) is planned as a fresh
  // vm_dir; if it is still not set up when this runs, vm fails with its own message.
  const notReady = vmBhyveNotReady(state);
  const notes = [...(state.version ? [state.version] : []), ...(notReady ? [`${notReady}: planning for a fresh vm_dir`] : [])];
  const current = switchConfig(state.systemConf, p.name);
  const listText = (c: SwitchConfig) => (c.exists ? `switch_list has ${p.name}\ntype_${p.name}="${c.type ?? ''}"\nports_${p.name}="${c.ports.join(' ')}"\n` : '');

  if (p.state === 'absent') {
    return current.exists
      ? { steps: [{ kind: 'change', summary: `destroy switch ${p.name}`, actions: [run(sh`vm switch destroy ${p.name}`)], diff: { header: 'system.conf', before: listText(current), after: '' } }], notes }
      : { steps: [{ kind: 'noop', reason: `switch ${p.name} does not exist` }], notes };
  }

  const steps: Step[] = [];
  if (!current.exists) {
    const create = p.address === undefined ? sh`vm switch create -t ${p.type} ${p.name}` : sh`vm switch create -t ${p.type} -a ${p.address} ${p.name}`;
    const after: SwitchConfig = { exists: true, type: p.type, ports: p.interfaces, address: p.address };
    steps.push({
      kind: 'change',
      summary: `create switch ${p.name}${p.interfaces.length > 0 ? ` with ${p.interfaces.join(', ')}` : ''}`,
      actions: [run(create), ...p.interfaces.map((port) => run(sh`vm switch add ${p.name} ${port}`))],
      diff: { header: 'system.conf', before: '', after: listText(after) },
    });
    return { steps, notes };
  }
  if (current.type !== undefined && current.type !== p.type) {
    return { steps: [], notes, failure: `switch ${p.name} is of type ${current.type}, not ${p.type}; vm-bhyve cannot change a switch's type: destroy it (state: absent) and create it again` };
  }
  if (p.address !== undefined && current.address !== p.address) {
    return { steps: [], notes, failure: `switch ${p.name} has address ${current.address ?? '(none)'}, not ${p.address}; destroy it (state: absent) and create it again` };
  }
  if (!state.bridgeExists && p.type === 'standard') {
    steps.push({ kind: 'change', summary: `recreate the bridge vm-${p.name} (vm init; it is gone after a reboot)`, actions: [run(sh`vm init`)] });
  }
  const add = p.interfaces.filter((port) => !current.ports.includes(port));
  const remove = p.exclusive ? current.ports.filter((port) => !p.interfaces.includes(port)) : [];
  if (add.length === 0 && remove.length === 0) {
    steps.push({ kind: 'noop', reason: `switch ${p.name} has ports ${current.ports.length > 0 ? current.ports.join(', ') : '(none)'}` });
  } else {
    const after: SwitchConfig = { ...current, ports: [...current.ports.filter((port) => !remove.includes(port)), ...add] };
    steps.push({
      kind: 'change',
      summary: [add.length > 0 ? `add ${add.join(', ')} to` : '', remove.length > 0 ? `remove ${remove.join(', ')} from` : ''].filter(Boolean).join(' and ') + ` switch ${p.name}`,
      actions: [...remove.map((port) => run(sh`vm switch remove ${p.name} ${port}`)), ...add.map((port) => run(sh`vm switch add ${p.name} ${port}`))],
      diff: { header: 'system.conf', before: listText(current), after: listText(after) },
    });
  }
  return { steps, notes };
}

export default defineModule({
  name: 'vm_switch',
  summary: 'A vm-bhyve virtual switch with exactly the listed member ports',
  description:
    "Reads vm-bhyve's own $vm_dir/.config/system.conf (vm_dir from rc.conf, zfs: datasets resolved) and whether the bridge " +
    'vm-NAME exists. Creates the switch, adds and removes only the ports that differ (vm switch add fails when the port is ' +
    'already a member), and runs `vm init` when the bridge is gone after a reboot. Inside a Bastille VNET jail the NIC is vnet0, not vtnet0.',
  params,
  example: `- name: switch public on the jail's NIC
  vm_switch:
    name: public
    interfaces: [vnet0]
  jail: bhyve`,
  needs: (p) => [vmSwitchStateFact(p.name)],
  async observe(host, p) {
    const [state] = await host.facts(vmSwitchStateFact(p.name));
    return state;
  },
  plan({ params: p, facts }) {
    return planVmSwitch(p, facts);
  },
  verify({ params: p, facts }) {
    const current = switchConfig(facts.systemConf, p.name);
    if (p.state === 'absent') return current.exists ? `switch ${p.name} is still in system.conf after vm switch destroy` : undefined;
    if (!current.exists) return `switch ${p.name} is not in system.conf after vm switch create`;
    const missing = p.interfaces.filter((port) => !current.ports.includes(port));
    return missing.length > 0 ? `switch ${p.name} lacks ${missing.join(', ')} after vm switch add` : undefined;
  },
});

