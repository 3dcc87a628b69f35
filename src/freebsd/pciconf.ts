// `pciconf -l` lines (docs/freebsd/passthrough.md): driver+unit, selector, and the bhyve id vm-bhyve derives.

/** One PCI device as `pciconf -l` lists it. */
export interface PciDevice {
  /** Attached driver and unit (`igb0`, `ppt0`) or `noneN`. */
  readonly device: string;
  /** `pci0:1:0:0` */
  readonly selector: string;
  /** `bus/slot/function`, the form of pptdevs and passthru0 (domain dropped, as vm-bhyve does). */
  readonly bhyveId: string;
  readonly className: string | undefined;
}

const line = /^([a-z_]+\d+)@(pci(\d+):(\d+):(\d+):(\d+)):\s+(.*)$/;

/** Parse `pciconf -l` output, both the ≤12.x `card=/chip=` and the 13+ `vendor=/device=` forms. */
export function parsePciconfList(text: string): PciDevice[] {
  return text.split('\n').flatMap((row) => {
    const match = line.exec(row.trim());
    if (!match) return [];
    const className = /class=(0x[0-9a-f]+)/.exec(match[7] ?? '')?.[1];
    return [{ device: match[1] ?? '', selector: match[2] ?? '', bhyveId: `${match[4]}/${match[5]}/${match[6]}`, className }];
  });
}

/** Whether the device is held by the ppt driver, i.e. `vm passthru` shows READY Yes. */
export function isPassthroughReady(device: PciDevice): boolean {
  return device.device.startsWith('ppt');
}
