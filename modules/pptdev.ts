// pptdev: PCI devices reserved for bhyve passthrough. Writes pptdevs in /boot/loader.conf
// (merged with what is there), makes sure vmm is loaded by the loader (the ppt driver lives in
// vmm.ko and must win the probe at boot: docs/freebsd/passthrough.md), and with `reboot: true` reboots and
// verifies every device is held by ppt (what `vm passthru` shows as READY Yes).
import { z } from 'zod';
import { pciStateFact, type PciState } from '../src/facts/pci-state.js';
import { isPassthroughReady } from '../src/freebsd/pciconf.js';
import { setShConf, shConfValues } from '../src/freebsd/sh-conf.js';
import { defineModule, planChanges, type ApplyOutcome, type Plan, type Step } from '../src/module-api/module.js';
import { rebootHost } from '../src/module-api/reboot-host.js';

const bhyveId = /^\d+\/\d+\/\d+$/;

const params = z.strictObject({
  devices: z
    .array(z.string().regex(/^(\d+\/\d+\/\d+|[a-z_]+\d+)$/, 'a bhyve id such as 1/0/0 or a device name such as igb0'))
    .min(1)
    .describe('Devices to reserve: bhyve ids (bus/slot/function, 1/0/0) or device names from pciconf -l (igb0).'),
  state: z.enum(['present', 'absent']).default('present').describe('present: reserved; absent: released (takes effect at reboot).'),
  reboot: z.boolean().default(false).describe('Reboot when the reservation is not in effect yet, then verify every device is held by ppt.'),
  reboot_timeout: z.number().int().min(10).default(600).describe('Seconds to wait for the host to come back.'),
});

type Params = z.output<typeof params>;

/** The loader.conf comment that remembers which name a reserved device had (it becomes pptN). */
const nameNote = (name: string, id: string) => `# beastie pptdev: ${name} is ${id}`;

/** Resolve names to bhyve ids: a bhyve id as is, a name from pciconf -l or from an earlier run's note. */
export function resolveDevices(devices: readonly string[], state: PciState): { ids: string[]; names: Map<string, string>; unknown: string[] } {
  const ids: string[] = [];
  const names = new Map<string, string>();
  const unknown: string[] = [];
  for (const device of devices) {
    if (bhyveId.test(device)) {
      ids.push(device);
      continue;
    }
    // What the name meant when it was reserved wins: once igb0 is ppt0, the next igb device may
    // be renumbered igb0 at boot.
    const noted = new RegExp(`^# beastie pptdev: ${device} is (\\d+/\\d+/\\d+)$`, 'm').exec(state.loaderConf)?.[1];
    const now = state.devices.find((d) => d.device === device)?.bhyveId;
    const id = noted ?? now;
    if (id === undefined) unknown.push(device);
    else {
      ids.push(id);
      names.set(device, id);
    }
  }
  return { ids, names, unknown };
}

/** pptdevs, pptdevs2, pptdevs3 as the kernel reads them (space-separated, 128 bytes each). */
export function reservedIds(loaderConf: string): string[] {
  const values = shConfValues(loaderConf);
  return ['pptdevs', 'pptdevs2', 'pptdevs3'].flatMap((key) => (values.get(key) ?? '').split(/\s+/).filter((word) => bhyveId.test(word)));
}

/** Spread ids over pptdevs, pptdevs2, pptdevs3 within the kernel's 128-byte environment limit. */
function spreadIds(ids: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { pptdevs: undefined, pptdevs2: undefined, pptdevs3: undefined };
  const keys = ['pptdevs', 'pptdevs2', 'pptdevs3'] as const;
  let slot = 0;
  for (const id of ids) {
    const key = keys[slot];
    if (key === undefined) break;
    const current = out[key];
    const next = current === undefined ? id : `${current} ${id}`;
    if (next.length > 127) {
      slot++;
      const spill = keys[slot];
      if (spill !== undefined) out[spill] = id;
    } else out[key] = next;
  }
  return out;
}

/** The loader.conf change and whether a reboot is needed for it to take effect. */
export function planPptdev(p: Params, state: PciState): Plan & { readonly rebootRequired: boolean } {
  const { ids, names, unknown } = resolveDevices(p.devices, state);
  if (unknown.length > 0) {
    const known = state.devices.map((d) => `${d.device} (${d.bhyveId})`).join(', ');
    return {
      steps: [],
      rebootRequired: false,
      failure: `no device ${unknown.join(', ')} in pciconf -l${state.pciconfError ? ` (${state.pciconfError})` : ''}; devices here: ${known || 'none listed'}`,
    };
  }
  const reserved = reservedIds(state.loaderConf);
  const wanted = p.state === 'present' ? [...reserved, ...ids.filter((id) => !reserved.includes(id))] : reserved.filter((id) => !ids.includes(id));
  const changes: Record<string, string | undefined> = {};
  if (wanted.join(' ') !== reserved.join(' ')) Object.assign(changes, spreadIds(wanted));
  const vmmLoad = shConfValues(state.loaderConf).get('vmm_load');
  if (p.state === 'present' && !/^yes$/i.test(vmmLoad ?? '')) changes['vmm_load'] = 'YES';
  let after = setShConf(state.loaderConf, changes);
  if (p.state === 'present') {
    for (const [name, id] of names) {
      if (!after.includes(nameNote(name, id))) after = `${after}${nameNote(name, id)}\n`;
    }
  }
  const steps: Step[] = [];
  if (after !== state.loaderConf) {
    steps.push({
      kind: 'change',
      summary: p.state === 'present' ? `reserve ${ids.join(', ')} for passthrough in /boot/loader.conf` : `release ${ids.join(', ')} in /boot/loader.conf`,
      actions: [{ kind: 'put', path: '/boot/loader.conf', content: after, mode: 0o644 }],
      diff: { header: '/boot/loader.conf', before: state.loaderConf, after },
    });
  } else {
    steps.push({ kind: 'noop', reason: `/boot/loader.conf ${p.state === 'present' ? 'reserves' : 'does not reserve'} ${ids.join(', ')}` });
  }
  const held = (id: string) => state.devices.some((d) => d.bhyveId === id && isPassthroughReady(d));
  const pending = p.state === 'present' ? ids.filter((id) => !held(id)) : ids.filter(held);
  const rebootRequired = pending.length > 0;
  if (rebootRequired && p.reboot) {
    steps.push({ kind: 'change', summary: `reboot so ${pending.join(', ')} ${p.state === 'present' ? 'attach to ppt' : 'return to their drivers'}`, actions: [] });
  } else if (rebootRequired) {
    steps.push({ kind: 'noop', reason: `${pending.join(', ')} take effect at the next reboot (reboot_required)` });
  } else {
    steps.push({ kind: 'noop', reason: p.state === 'present' ? `${ids.join(', ')} ${ids.length === 1 ? 'is' : 'are'} held by ppt` : `${ids.join(', ')} are not held by ppt` });
  }
  return { steps, rebootRequired, values: { reboot_required: rebootRequired, devices: ids } };
}

/** Devices that are not yet in the wanted state, per pciconf -l. */
function notInEffect(p: Params, state: PciState): string[] {
  const { ids } = resolveDevices(p.devices, state);
  return ids.filter((id) => {
    const held = state.devices.some((d) => d.bhyveId === id && isPassthroughReady(d));
    return p.state === 'present' ? !held : held;
  });
}

const pptdev = defineModule({
  name: 'pptdev',
  summary: 'Reserve PCI devices for bhyve passthrough (pptdevs in /boot/loader.conf), optionally rebooting to apply',
  description:
    'Devices are named by bhyve id (1/0/0) or by their name in pciconf -l (igb0). Reserved devices become ppt0, ppt1… after ' +
    'the reboot, so the module notes each name\'s id in loader.conf to resolve it on later runs. pptdevs is merged with the ' +
    'devices already there (spilling into pptdevs2/pptdevs3 past the kernel\'s 128-byte limit), and vmm_load="YES" is set ' +
    'because ppt lives in vmm.ko and must attach at boot. Returns reboot_required; with reboot: true it reboots, waits for ' +
    'kern.boottime to change and checks that every device is held by ppt (READY Yes in vm passthru).',
  params,
  example: `- name: igb0 is reserved for passthrough
  pptdev:
    devices: [igb0]
    reboot: true`,
  needs: () => [pciStateFact()],
  async observe(host) {
    const [state] = await host.facts(pciStateFact());
    return state;
  },
  plan({ params: p, facts }) {
    return planPptdev(p, facts);
  },
  verify({ params: p, facts }) {
    if (!p.reboot) return undefined;
    const pending = notInEffect(p, facts);
    return pending.length === 0 ? undefined : `after the reboot ${pending.join(', ')} ${p.state === 'present' ? 'are not held by ppt (pciconf -l)' : 'are still held by ppt'}`;
  },
  async apply(context, input): Promise<ApplyOutcome> {
    const plan = planPptdev(input.params, input.facts);
    for (const step of plan.steps) {
      if (step.kind !== 'change') continue;
      for (const action of step.actions) {
        if (action.kind === 'put') await context.put(action.path, action.content, action.mode === undefined ? {} : { mode: action.mode });
      }
    }
    if (plan.rebootRequired && input.params.reboot) {
      await rebootHost(context, { rebootTimeoutMs: input.params.reboot_timeout * 1000, reason: 'pptdevs take effect at boot' });
    }
    context.invalidateFacts();
    const after = await pptdev.observe(context, input.params);
    const pending = notInEffect(input.params, after);
    const failure = input.params.reboot && pending.length > 0
      ? `after the reboot ${pending.join(', ')} ${input.params.state === 'present' ? 'are not held by ppt (pciconf -l)' : 'are still held by ppt'}; is vmm loaded by the loader and VT-d enabled?`
      : undefined;
    return { changed: planChanges(plan), ...(failure === undefined ? {} : { failure }), values: { reboot_required: !input.params.reboot && pending.length > 0, devices: resolveDevices(input.params.devices, after).ids } };
  },
});

export default pptdev;
