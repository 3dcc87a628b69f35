import { describe, expect, it } from 'vitest';
import { isPassthroughReady, parsePciconfList } from '../../src/freebsd/pciconf.js';

describe('parsePciconfList', () => {
  it('reads the 12.x card=/chip= form of the seed machine', () => {
    const devices = parsePciconfList(
      'igb0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\n' +
        'ppt0@pci0:1:0:1:    class=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\n',
    );
    expect(devices).toEqual([
      { device: 'igb0', selector: 'pci0:1:0:0', bhyveId: '1/0/0', className: '0x020000' },
      { device: 'ppt0', selector: 'pci0:1:0:1', bhyveId: '1/0/1', className: '0x020000' },
    ]);
    expect(devices.map(isPassthroughReady)).toEqual([false, true]);
  });

  it('reads the 13+/14 vendor=/device= form and skips -v detail lines', () => {
    const devices = parsePciconfList(
      'vgapci0@pci0:2:0:0:\tclass=0x030000 rev=0xa2 hdr=0x00 vendor=0x10de device=0x13bb subvendor=0x10de subdevice=0x1098\n' +
        "    vendor     = 'NVIDIA Corporation'\n",
    );
    expect(devices).toEqual([{ device: 'vgapci0', selector: 'pci0:2:0:0', bhyveId: '2/0/0', className: '0x030000' }]);
  });
});
