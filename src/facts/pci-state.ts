// PCI devices and their reservation for passthrough: `pciconf -l` (which driver holds each
// device now) and /boot/loader.conf (pptdevs, pptdevs2, pptdevs3, vmm_load) — docs/freebsd/host.md, docs/freebsd/passthrough.md.
import { sh } from '../command/command.js';
import { parsePciconfList, type PciDevice } from '../freebsd/pciconf.js';
import { defineFact, type Fact } from './fact.js';
import { catOrAbsent, fileSection, parseSections, sectionedCommand, sectionStatus, withStatus } from './sections.js';

export interface PciState {
  readonly devices: readonly PciDevice[];
  /** Text of /boot/loader.conf ('' when missing). */
  readonly loaderConf: string;
  /** `pciconf -l`'s complaint when it could not list (e.g. /dev/pci hidden in a jail). */
  readonly pciconfError: string | undefined;
}

/** `pciconf -l` and /boot/loader.conf, in one command. */
export function pciStateFact(): Fact<PciState> {
  return defineFact(
    'pci-state',
    sectionedCommand([
      ['pciconf', withStatus(sh`pciconf -l 2>&1`)],
      ['loader.conf', catOrAbsent('/boot/loader.conf')],
    ]),
    (output) => {
      const sections = parseSections(output.stdout);
      const pciconf = sections.get('pciconf') ?? '';
      const failed = sectionStatus(sections, 'pciconf') !== 0;
      return {
        devices: failed ? [] : parsePciconfList(pciconf),
        loaderConf: fileSection(sections, 'loader.conf') ?? '',
        pciconfError: failed ? pciconf.trim() || 'pciconf -l failed' : undefined,
      };
    },
  );
}
