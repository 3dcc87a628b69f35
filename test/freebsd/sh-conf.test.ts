import { describe, expect, it } from 'vitest';
import { parseShConf, setShConf, shConfValues } from '../../src/freebsd/sh-conf.js';

const guest = `loader="bhyveload"
cpu=1
memory=256M
network0_type="virtio-net"
network0_switch="public"
disk0_type="virtio-blk"
disk0_name="disk0.img"
uuid="a179833c-204e-11eb-97b6-90e2ba4673cc"
network0_mac="58:9c:fc:0c:fa:98"
`;

describe('sh-style conf', () => {
  it('reads values as vm-bhyve does: quotes removed, comments dropped, first match wins', () => {
    const values = shConfValues(`a="x" # note\nb=y # c\na="second"\n# z=1\n  c='q'\n`);
    expect(Object.fromEntries(values)).toEqual({ a: 'x', b: 'y', c: 'q' });
    expect(parseShConf(guest)).toHaveLength(9);
  });

  it("sets the seed's passthrough keys: rewrites memory in place, appends the new ones", () => {
    const result = setShConf(guest, { memory: '4G', cpu: '2', wired_memory: 'yes', passthru0: '1/0/0' });
    expect(result).toBe(
      guest.replace('cpu=1', 'cpu="2"').replace('memory=256M', 'memory="4G"') + 'wired_memory="yes"\npassthru0="1/0/0"\n',
    );
    expect(setShConf(result, { memory: '4G', cpu: '2', wired_memory: 'yes', passthru0: '1/0/0' })).toBe(result);
  });

  it('keeps an unchanged line exactly as written and removes keys set to undefined', () => {
    expect(setShConf(guest, { cpu: '1', network0_mac: undefined })).toBe(guest.replace('network0_mac="58:9c:fc:0c:fa:98"\n', ''));
  });

  it('creates a file from nothing and adds a missing final newline', () => {
    expect(setShConf('', { pptdevs: '1/0/0' })).toBe('pptdevs="1/0/0"\n');
    expect(setShConf('vmm_load="YES"', { pptdevs: '1/0/0' })).toBe('vmm_load="YES"\npptdevs="1/0/0"\n');
  });

  it('removes later duplicates so the value vm-bhyve reads is the one written', () => {
    expect(setShConf('memory=1G\nmemory=2G\n', { memory: '4G' })).toBe('memory="4G"\n');
  });
});
