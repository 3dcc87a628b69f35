// vm-bhyve guests inside a jail, from the `guests` and `vm-list` probes: each guest's NAME.conf
// (read as vm-bhyve's config::load reads it) and the bhyve options and devices vm-bhyve logged
// for its latest run, which are what the running guest has (docs/freebsd/vm-bhyve.md).
import { loggedRun, parseGuestConf, type GuestRun } from '../freebsd/vm-bhyve-run.js';
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
  for (const block of jail.text('guests').split(/^@@guest /m).slice(1)) {
    const newline = block.indexOf('\n');
    const name = block.slice(0, newline < 0 ? undefined : newline).trim();
    const body = newline < 0 ? '' : block.slice(newline + 1);
    const [confText = '', runText = ''] = body.split(/^@@run$/m);
    guests.push({
      name,
      conf: parseGuestConf(confText),
      ...loggedRun(runText),
      state: states.get(name),
    });
  }
  return guests;
}

/** Whether `vm list` shows the guest running (or in its loader). */
export function isRunning(guest: GuestView): boolean {
  return guest.state !== undefined && /^(Running|Bootloader)/.test(guest.state);
}
