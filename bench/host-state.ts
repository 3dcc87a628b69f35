// The state W1 touches on a host: hashed after each tool's runs (both tools must leave the same
// bytes, modes and owners), saved on a fresh host and put back before every first-run repetition.
// All of it over the plain OpenSSH client, outside the timed runs.
import { createHash } from 'node:crypto';
import PQueue from 'p-queue';
import { quoteShellWord } from '../src/command/quote.js';
import { runChecked, type BenchFleet, type BenchHost } from './bench-fleet.js';

/** Every path W1 creates or edits (tasks 1–20 of bench/workloads/w1.*.yml). */
export const W1_PATHS: readonly string[] = [
  '/etc/rc.conf',
  '/boot/loader.conf',
  '/etc/devfs.rules',
  '/usr/local/etc/bench',
  '/usr/local/etc/bench/jail.conf',
  '/usr/local/etc/bench/motd',
  '/usr/local/etc/bench/app.conf',
  '/usr/local/etc/bench/bench.conf',
  '/usr/local/etc/bench/initialised',
  '/usr/local/vms',
  '/etc/sysctl.conf',
];

/** Where a host keeps its fresh copies (its own /root, outside every W1 path). */
const SAVED = '/root/.bench-fresh';

/** One host's state as text (path, type, mode, owner, content hash per path) and its digest. */
export interface HostState {
  readonly text: string;
  readonly digest: string;
}

/**
 * The shell text that describes W1's paths on a host. A file's hash is taken with the host's own
 * name written as @HOST@: bench.conf names the host (its template renders inventory_hostname) and
 * the fresh install's rc.conf holds hostname="simK", so only then can hosts be compared with each
 * other (W2's hosts with W1's); the same host compared with itself loses nothing.
 */
function describeScript(): string {
  const paths = W1_PATHS.map(quoteShellWord).join(' ');
  return [
    'h=$(hostname)',
    `for p in ${paths}; do`,
    '  if [ -e "$p" ]; then',
    '    printf "%s %s " "$p" "$(stat -c "%F %a %U:%G" "$p")"',
    '    if [ -f "$p" ]; then sed "s/$h/@HOST@/g" < "$p" | sha256sum | cut -d" " -f1; else echo; fi',
    '  else echo "$p absent"; fi',
    'done',
  ].join('\n');
}

/** Save W1's files as a fresh host has them (paths that do not exist yet are recorded as absent). */
function saveScript(): string {
  const lines = [`rm -rf ${SAVED} && mkdir -p ${SAVED}`];
  W1_PATHS.forEach((path, index) => {
    const p = quoteShellWord(path);
    lines.push(`if [ -f ${p} ]; then cp -p ${p} ${SAVED}/${index}; elif [ -e ${p} ]; then touch ${SAVED}/${index}.kept; fi`);
  });
  return lines.join('\n');
}

/** Put a host back as saveScript found it: saved files restored, paths that were absent removed. */
function restoreScript(): string {
  const lines: string[] = [];
  // Deepest paths first, so a directory is emptied before it is removed.
  [...W1_PATHS.entries()].reverse().forEach(([index, path]) => {
    const p = quoteShellWord(path);
    lines.push(`if [ -f ${SAVED}/${index} ]; then cp -p ${SAVED}/${index} ${p}; elif [ ! -e ${SAVED}/${index}.kept ]; then rm -rf ${p}; fi`);
  });
  return lines.join('\n');
}

/** Run `script` with /bin/sh on every host (at most `parallel` at once); resolves with each host's stdout. */
async function onEveryHost(fleet: BenchFleet, hosts: readonly BenchHost[], script: string, parallel = 24): Promise<Map<string, string>> {
  const queue = new PQueue({ concurrency: parallel });
  const results = new Map<string, string>();
  await Promise.all(
    hosts.map((host) =>
      queue.add(async () => {
        const command = `/bin/sh -c ${quoteShellWord(script)}`;
        results.set(host.name, await runChecked([...fleet.sshArgs(host), command]));
      }),
    ),
  );
  return results;
}

/** Save every host's fresh W1 files. */
export async function saveFreshState(fleet: BenchFleet, hosts: readonly BenchHost[]): Promise<void> {
  await onEveryHost(fleet, hosts, saveScript());
}

/** Put every host back to its saved fresh state. */
export async function restoreFreshState(fleet: BenchFleet, hosts: readonly BenchHost[]): Promise<void> {
  await onEveryHost(fleet, hosts, restoreScript());
}

/** Every host's W1 state. */
export async function readHostStates(fleet: BenchFleet, hosts: readonly BenchHost[]): Promise<Map<string, HostState>> {
  const texts = await onEveryHost(fleet, hosts, describeScript());
  return new Map([...texts].map(([name, text]) => [name, { text, digest: createHash('sha256').update(text).digest('hex') }]));
}

/** The first difference between two fleets' states, or undefined when every host matches. */
export function firstStateDifference(
  left: ReadonlyMap<string, HostState>,
  right: ReadonlyMap<string, HostState>,
  names: readonly [string, string],
): string | undefined {
  for (const [host, state] of left) {
    const other = right.get(host);
    if (other === undefined) return `${host}: no state after ${names[1]}`;
    if (other.digest === state.digest) continue;
    const a = state.text.split('\n');
    const b = other.text.split('\n');
    const lines = a.flatMap((line, i) => (line === b[i] ? [] : [`  ${names[0]}: ${line}\n  ${names[1]}: ${b[i] ?? '(none)'}`]));
    return `${host}:\n${lines.join('\n')}`;
  }
  if (right.size !== left.size) return `${names[0]} has ${left.size} hosts, ${names[1]} ${right.size}`;
  return undefined;
}
