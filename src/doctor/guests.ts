// vm-bhyve guests inside a jail, from the `guests` and `vm-list` probes: each guest's NAME.conf
// (read as vm-bhyve's config::load reads it) and the bhyve options and devices vm-bhyve logged
// for its latest run, which are what the running guest has (docs/freebsd/vm-bhyve.md).
import { loggedRun, parseGuestConf, type GuestRun } from '../freebsd/vm-bhyve-run.js';
import { guestSections } from './jail-probes.js';
import type { ProbeResults } from './probe.js';

/** One guest. */
export interface GuestView extends GuestRun {
  readonly name: string;
  /** `vm list`'s STATE: `Stopped`, `Running (PID)`, … */
  readonly state: string | undefined;
}

/** Every guest of the jail. */
export function guestsOf(jail: ProbeResults): GuestView[] {
  const states = new Map<string, string>();
  for (const row of jail.text('vm-list').split('\n').slice(1)) {
    const name = row.trim().split(/\s+/)[0];
    const state = /(Stopped|Running \(\d+\)|Bootloader \(\d+\)|Locked \([^)]*\))\s*$/.exec(row)?.[1];
    if (name !== undefined && name !== '' && state !== undefined) states.set(name, state);
  }
  const guests: GuestView[] = [];
  for (const guest of guestSections(jail.sections('guests'))) {
    guests.push({
      name: guest.name,
      conf: parseGuestConf(guest.conf),
      ...loggedRun(guest.run),
      state: states.get(guest.name),
    });
  }
  return guests;
}

/** Whether `vm list` shows the guest running (or in its loader). */
export function isRunning(guest: GuestView): boolean {
  return guest.state !== undefined && /^(Running|Bootloader)/.test(guest.state);
}
