// vm-bhyve guests inside a jail, from the `guests` and `vm-list` probes: each guest's NAME.conf
// (read as vm-bhyve's config::load reads it) and the bhyve options and devices vm-bhyve logged
// for its latest run, which are what the running guest has (docs/freebsd/vm-bhyve.md).
import type { ProbeResults } from './probe.js';

/** One guest. */
export interface GuestView {
  readonly name: string;
  /** NAME.conf's keys, as vm-bhyve reads them (first match wins, quotes dropped). */
  readonly conf: ReadonlyMap<string, string>;
  /** The `[bhyve options: …]` of its latest run, undefined when it never ran. */
  readonly runOptions: string | undefined;
  /** The `[bhyve devices: …]` of its latest run. */
  readonly runDevices: string | undefined;
  /** `vm list`'s STATE: `Stopped`, `Running (PID)`, … */
  readonly state: string | undefined;
}

/**
 * NAME.conf as config::core::load reads it: lines that start with a letter, `#` comments and
 * trailing blanks dropped, every double quote removed; the first occurrence of a key wins.
 */
export function parseGuestConf(text: string): Map<string, string> {
  const conf = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!/^[A-Za-z]/.test(line)) continue;
    const cleaned = line.replace(/#.*$/, '').replace(/\s+$/, '').replaceAll('"', '');
    const eq = cleaned.indexOf('=');
    if (eq < 0) continue;
    const key = cleaned.slice(0, eq);
    if (!conf.has(key)) conf.set(key, cleaned.slice(eq + 1));
  }
  return conf;
}

/** vm-bhyve's yes: anything but empty, no, false, off, 0. */
export function vmYes(value: string | undefined): boolean {
  return value !== undefined && !/^(|no|false|off|0)$/i.test(value.trim());
}

/** The `passthruN` values of a guest, in order (vm-bhyve stops at the first missing N). */
export function passthruDevices(conf: ReadonlyMap<string, string>): string[] {
  const devices: string[] = [];
  for (let n = 0; conf.get(`passthru${n}`) !== undefined && conf.get(`passthru${n}`) !== ''; n++) devices.push(conf.get(`passthru${n}`) ?? '');
  return devices;
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
      runOptions: /\[bhyve options: ([^\]]*)\]/.exec(runText)?.[1],
      runDevices: /\[bhyve devices: ([^\]]*)\]/.exec(runText)?.[1],
      state: states.get(name),
    });
  }
  return guests;
}

/** Whether `vm list` shows the guest running (or in its loader). */
export function isRunning(guest: GuestView): boolean {
  return guest.state !== undefined && /^(Running|Bootloader)/.test(guest.state);
}
