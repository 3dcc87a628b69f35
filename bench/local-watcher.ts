// What the orphan watcher costs a local command (issue 17; src/transport/local.ts
// guardAgainstOrphaning): every command on the local connection starts, beside its own /bin/sh, a
// second /bin/sh that waits on a pipe to kill the command's process group if beastie dies. This
// times the same command three ways, in interleaved rounds so drift in the machine's load falls on
// each alike:
//   alone    — spawn('/bin/sh', ['-c', CMD]) as runLocalRaw spawns it (own process group, pipes), to its close;
//   watched  — the same, plus guardAgainstOrphaning(pid) at the spawn and its release at the close;
//   run      — LocalTransport.run(CMD), the whole path (become none, output buffers, lead cut off).
// For each: wall milliseconds per command (median, p90) and CPU milliseconds per command, the
// controller's own (process.cpuUsage) plus its reaped children's (/proc/self/stat cutime+cstime,
// Linux, clock ticks), which is where the watcher's sh is counted. CPU is the figure to read on a
// shared machine. Not a test: `npx tsx bench/local-watcher.ts [COMMANDS_PER_WAY]`; figures go in
// BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { sh, type Command } from '../src/command/command.js';
import { batchFactCommand } from '../src/facts/read-facts.js';
import { guardAgainstOrphaning, LocalTransport } from '../src/transport/local.js';

type Way = 'alone' | 'watched' | 'run';

/** CPU seconds of this process's reaped children so far (utime+stime of the waited-for ones). */
function childrenCpuS(): number {
  // Fields after the command's `(…)`: state is field 3, cutime 16, cstime 17.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return ticks / 100;
}

/** One command spawned as runLocalRaw does, with or without the watcher; resolves at its close. */
function spawnOnce(text: string, watched: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', text], { env: { ...process.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const guard = watched ? guardAgainstOrphaning(child.pid) : undefined;
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', () => undefined);
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.on('close', () => {
      guard?.released();
      resolve();
    });
    child.stdin.end('');
  });
}

async function once(way: Way, command: Command, transport: LocalTransport): Promise<void> {
  if (way === 'run') {
    const result = await transport.run(command);
    if (result.exitCode !== 0) throw new Error(`${command.display}: exit ${result.exitCode}: ${result.stderr}`);
    return;
  }
  await spawnOnce(command.text, way === 'watched');
}

interface Figures {
  readonly wallMs: number[];
  cpuMs: number;
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

async function measure(name: string, command: Command, perWay: number): Promise<void> {
  const transport = new LocalTransport();
  const ways: Way[] = ['alone', 'watched', 'run'];
  const figures = new Map<Way, Figures>(ways.map((way) => [way, { wallMs: [], cpuMs: 0 }]));
  const round = 25;
  // Warm up each way once (module loading, the page cache of /bin/sh).
  for (const way of ways) for (let i = 0; i < 5; i += 1) await once(way, command, transport);
  await sleep(200);
  for (let done = 0; done < perWay; done += round) {
    for (const way of ways) {
      const figure = figures.get(way)!;
      const cpu = process.cpuUsage();
      const children = childrenCpuS();
      for (let i = 0; i < round; i += 1) {
        const started = performance.now();
        await once(way, command, transport);
        figure.wallMs.push(performance.now() - started);
      }
      // The watchers exit once released; wait for them to be reaped so their CPU is counted here.
      await sleep(100);
      const own = process.cpuUsage(cpu);
      figure.cpuMs += (own.user + own.system) / 1000 + (childrenCpuS() - children) * 1000;
    }
  }
  const alone = figures.get('alone')!;
  const row = (way: Way): string => {
    const f = figures.get(way)!;
    const median = quantile(f.wallMs, 0.5);
    const cpu = f.cpuMs / f.wallMs.length;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    return `| ${name} | ${way} | ${f.wallMs.length} | ${median.toFixed(2)} | ${quantile(f.wallMs, 0.9).toFixed(2)} | ${ratio(median, quantile(alone.wallMs, 0.5))} | ${cpu.toFixed(2)} | ${ratio(cpu, alone.cpuMs / alone.wallMs.length)} |`;
  };
  for (const way of ways) console.log(row(way));
  await transport.close();
}

const perWay = Number(process.argv[2] ?? 200);
// A fact batch as the play reads one (five facts), beside the floor (`true`).
const batch = batchFactCommand(
  [sh`uname -sr`, sh`id -un`, sh`cat /etc/hostname 2>/dev/null || hostname`, sh`ls /etc | head -n 20`, sh`date +%s`].map((command, index) => ({ key: String(index), command, parse: () => undefined })),
  'bench0000000',
);
console.log(`load average at start ${loadavg().map((n) => n.toFixed(2)).join(' ')}; ${perWay} commands per way`);
console.log('| command | way | commands | wall median (ms) | wall p90 (ms) | wall ÷ alone | CPU per command (ms) | CPU ÷ alone |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
await measure('`true`', sh`true`, perWay);
await measure('fact batch (5 facts)', batch, perWay);
console.log(`load average at end ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
