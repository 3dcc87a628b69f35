import { describe, expect, it } from 'vitest';
import pptdev, { planPptdev, reservedIds, resolveDevices } from '../../modules/pptdev.js';
import { pciStateFact, type PciState } from '../../src/facts/pci-state.js';
import { parsePciconfList } from '../../src/freebsd/pciconf.js';
import { sectionsOutput } from '../helpers/sections-output.js';

const before = parsePciconfList(
  [
    'em0@pci0:0:31:6:\tclass=0x020000 card=0x06e41028 chip=0x15b78086 rev=0x31 hdr=0x00',
    'igb0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00',
    'igb1@pci0:1:0:1:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00',
  ].join('\n'),
);
const afterBoot = parsePciconfList(
  [
    'em0@pci0:0:31:6:\tclass=0x020000 card=0x06e41028 chip=0x15b78086 rev=0x31 hdr=0x00',
    'ppt0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00',
    'igb1@pci0:1:0:1:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00',
  ].join('\n'),
);
const params = (extra: Record<string, unknown> = {}) => pptdev.params.parse({ devices: ['igb0'], ...extra });
const state = (loaderConf: string, devices = before): PciState => ({ devices, loaderConf, pciconfError: undefined });
const reservedConf = 'zfs_load="YES"\npptdevs="1/0/0"\nvmm_load="YES"\n# beastie pptdev: igb0 is 1/0/0\n';

describe('pptdev plan', () => {
  it('reserves igb0 by its bhyve id, loads vmm from the loader, and remembers the name', () => {
    const plan = planPptdev(params(), state('zfs_load="YES"\n'));
    expect(plan.steps[0]).toMatchObject({
      summary: 'reserve 1/0/0 for passthrough in /boot/loader.conf',
      diff: { before: 'zfs_load="YES"\n', after: reservedConf },
    });
    expect(plan.rebootRequired).toBe(true);
    expect(plan.values).toEqual({ reboot_required: true, devices: ['1/0/0'] });
    expect(plan.steps[1]).toEqual({ kind: 'noop', reason: '1/0/0 take effect at the next reboot (reboot_required)' });
  });

  it('with reboot: true the reboot is part of the plan', () => {
    expect(planPptdev(params({ reboot: true }), state('')).steps.map((s) => s.kind === 'change' && s.summary)).toEqual([
      'reserve 1/0/0 for passthrough in /boot/loader.conf',
      'reboot so 1/0/0 attach to ppt',
    ]);
  });

  it('after the reboot igb0 is ppt0, and the next run still knows it: nothing to do', () => {
    const plan = planPptdev(params({ reboot: true }), state(reservedConf, afterBoot));
    expect(plan.steps).toEqual([
      { kind: 'noop', reason: '/boot/loader.conf reserves 1/0/0' },
      { kind: 'noop', reason: '1/0/0 is held by ppt' },
    ]);
    expect(plan.rebootRequired).toBe(false);
  });

  it('keeps meaning the reserved device when the next igb is renumbered igb0 at boot', () => {
    const renumbered = parsePciconfList(
      ['ppt0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00', 'igb0@pci0:1:0:1:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00'].join('\n'),
    );
    expect(resolveDevices(['igb0'], state(reservedConf, renumbered)).ids).toEqual(['1/0/0']);
    expect(planPptdev(params({ reboot: true }), state(reservedConf, renumbered)).steps.every((s) => s.kind === 'noop')).toBe(true);
  });

  it('merges with devices already reserved and releases only the named ones', () => {
    const merged = planPptdev(params({ devices: ['1/0/1'] }), state(reservedConf, afterBoot));
    expect(merged.steps[0]).toMatchObject({ diff: { after: reservedConf.replace('pptdevs="1/0/0"', 'pptdevs="1/0/0 1/0/1"') } });
    const released = planPptdev(params({ devices: ['1/0/0'], state: 'absent' }), state('pptdevs="1/0/0 1/0/1"\n', afterBoot));
    expect(released.steps[0]).toMatchObject({ diff: { after: 'pptdevs="1/0/1"\n' } });
    expect(released.rebootRequired).toBe(true);
  });

  it('spills past the 128-byte limit into pptdevs2', () => {
    const many = Array.from({ length: 30 }, (_, i) => `${i + 10}/0/0`);
    const plan = planPptdev(params({ devices: many }), state('vmm_load="YES"\n', []));
    const after = plan.steps[0]?.kind === 'change' ? String(plan.steps[0].diff?.after) : '';
    expect(after).toMatch(/^pptdevs2="/m);
    expect(reservedIds(after)).toEqual(many);
  });

  it('names the devices it knows when one is unknown', () => {
    expect(planPptdev(params({ devices: ['igb7'] }), state('')).failure).toBe(
      'no device igb7 in pciconf -l; devices here: em0 (0/31/6), igb0 (1/0/0), igb1 (1/0/1)',
    );
    expect(resolveDevices(['1/0/0', 'igb1'], state('')).ids).toEqual(['1/0/0', '1/0/1']);
  });

  it('verify after reboot: a device not held by ppt fails the task', () => {
    expect(pptdev.verify?.({ params: params({ reboot: true }), facts: state(reservedConf, before), results: [] })).toBe(
      'after the reboot 1/0/0 are not held by ppt (pciconf -l)',
    );
  });
});

describe('pciStateFact', () => {
  it('reports pciconf failing (e.g. /dev/pci hidden in a jail)', () => {
    const out = '@@section pciconf@@\npciconf: /dev/pci: No such file or directory\n@@section pciconf:rc@@\n1\n';
    expect(pciStateFact().parse({ stdout: sectionsOutput(out), stderr: '', exitCode: 0 })).toEqual({
      devices: [],
      loaderConf: '',
      pciconfError: 'pciconf: /dev/pci: No such file or directory',
    });
  });

  it("takes pciconf's failure from its exit status, never from what it printed", () => {
    // The old read appended `@@failed@@` on failure and looked for it anywhere in the output.
    const out = '@@section pciconf@@\nppt0@pci0:1:0:0:\tclass=0x020000 rev=0x01 hdr=0x00 vendor=0x8086 device=0x10d3 subvendor=0x8086 subdevice=0xa01f\n@@failed@@\n@@section pciconf:rc@@\n0\n';
    const parsed = pciStateFact().parse({ stdout: sectionsOutput(out), stderr: '', exitCode: 0 });
    expect(parsed.pciconfError).toBeUndefined();
    expect(parsed.devices).toHaveLength(1);
  });
});
