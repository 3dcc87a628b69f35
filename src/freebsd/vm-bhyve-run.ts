// A vm-bhyve guest's configuration and the bhyve command line of its latest run, and what differs
// between them. vm-bhyve reads NAME.conf once, when `vm start` launches its `vm _run` loop, and logs
// the bhyve command line it builds (`[bhyve options: -c 2 -m 2G … -S …]`, `[bhyve devices: …]`) in
// vm-bhyve.log: that is what the guest runs with until the loop ends. A guest reboot and `vm
// restart` run bhyve again with the SAME options (lib/vm-run vm::run; lib/vm-core core::restart), so
// a changed cpu, memory, wired_memory or passthruN applies only after `vm stop` and a new `vm start`
// (docs/freebsd/vm-bhyve.md). Used by `beastie doctor` and by vm_guest (a restart still pending).

/** A guest's NAME.conf and the bhyve command line of its latest run. */
export interface GuestRun {
  /** NAME.conf's keys, as vm-bhyve reads them (first match wins, quotes dropped). */
  readonly conf: ReadonlyMap<string, string>;
  /** The `[bhyve options: …]` of its latest run, undefined when it never ran. */
  readonly runOptions: string | undefined;
  /** The `[bhyve devices: …]` of its latest run. */
  readonly runDevices: string | undefined;
}

/** The bhyve options and devices of the latest run, from vm-bhyve.log lines. */
export function loggedRun(log: string): Pick<GuestRun, 'runOptions' | 'runDevices'> {
  const last = (pattern: RegExp) => [...log.matchAll(pattern)].at(-1)?.[1];
  return { runOptions: last(/\[bhyve options: ([^\]]*)\]/g), runDevices: last(/\[bhyve devices: ([^\]]*)\]/g) };
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

/** `4G`, `4096M`, `4096` (bytes) … as bytes, to compare memory sizes written differently. */
export function memoryBytes(text: string): number | undefined {
  const match = /^(\d+)([KMGT]?)B?$/i.exec(text.trim());
  if (!match) return undefined;
  const power = { '': 0, K: 1, M: 2, G: 3, T: 4 }[(match[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(match[1]) * 1024 ** power;
}

/** What differs between a running guest's NAME.conf and the bhyve command line it runs with. */
export function pendingChanges(guest: GuestRun): string[] {
  const options = guest.runOptions;
  if (options === undefined) return [];
  const changes: string[] = [];
  const runCpu = /(?:^|\s)-c (\S+)/.exec(options)?.[1];
  const runMemory = /(?:^|\s)-m (\S+)/.exec(options)?.[1];
  const cpu = guest.conf.get('cpu');
  const memory = guest.conf.get('memory');
  if (cpu !== undefined && runCpu !== undefined && cpu !== runCpu) changes.push(`cpu ${runCpu} → ${cpu}`);
  if (memory !== undefined && runMemory !== undefined && memoryBytes(memory) !== memoryBytes(runMemory)) changes.push(`memory ${runMemory} → ${memory}`);
  const devices = passthruDevices(guest.conf);
  const wired = vmYes(guest.conf.get('wired_memory')) || devices.length > 0;
  const runWired = /(?:^|\s)-S(?:\s|$)/.test(options);
  if (wired !== runWired) changes.push(wired ? 'wired memory (-S) added' : 'wired memory (-S) removed');
  const runDevices = [...(guest.runDevices ?? '').matchAll(/,passthru,(\d+\/\d+\/\d+)/g)].map((match) => match[1] ?? '');
  if (devices.join(' ') !== runDevices.join(' ')) changes.push(`passthru ${runDevices.join(' ') || '(none)'} → ${devices.join(' ') || '(none)'}`);
  return changes;
}

