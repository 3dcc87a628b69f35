// Whether a host means to pass PCI devices to a guest: a guest in an examined jail has passthruN,
// or /boot/loader.conf reserves devices with pptdevs (docs/freebsd/passthrough.md).
import { loaderVar } from './boot-config.js';
import type { DoctorEvidence } from './check.js';
import { passthruDevices } from '../freebsd/vm-bhyve-run.js';
import { guestsOf, type GuestView } from './guests.js';

/** A guest that passes devices through, and the jail it lives in. */
export interface PassthroughGuest {
  readonly jail: string;
  readonly guest: GuestView;
  readonly devices: readonly string[];
}

/** Every guest of the examined jails with a passthruN. */
export function passthroughGuests(evidence: DoctorEvidence): PassthroughGuest[] {
  return evidence.examined.flatMap((jail) => {
    const inside = evidence.inside.get(jail);
    if (inside === undefined) return [];
    return guestsOf(inside).flatMap((guest) => {
      const devices = passthruDevices(guest.conf);
      return devices.length === 0 ? [] : [{ jail, guest, devices }];
    });
  });
}

/** The `bus/slot/function` triples of pptdevs, pptdevs2 and pptdevs3 (vmm_is_pptdev reads only those three). */
export function reservedDevices(evidence: DoctorEvidence): string[] {
  return ['pptdevs', 'pptdevs2', 'pptdevs3'].flatMap((key) => (loaderVar(evidence.host, key) ?? '').split(/\s+/).filter((word) => word !== ''));
}

/** Whether passthrough is part of this host's setup. */
export function wantsPassthrough(evidence: DoctorEvidence): boolean {
  return passthroughGuests(evidence).length > 0 || reservedDevices(evidence).length > 0;
}
