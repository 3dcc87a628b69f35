// One timed run of a tool: its wall time, its process tree's peak memory, its own CPU time and
// the fleet's CPU time over the run, each measured apart (the two share this machine's cores).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { emptyGroup, groupCpuMs, groupPids, inGroup } from './cgroup.js';
import { MemoryPeakTracker, type MemoryPeaks } from './process-tree-memory.js';

/** How to run it. */
export interface MeasuredRunInput {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The controller's group: the run's processes join it before they exec. */
  readonly controllerGroup: string;
  /** The fleet's group, whose CPU time over the run is the fleet's share. */
  readonly fleetGroup: string;
  readonly timeoutMs: number;
  /** How often the process tree's memory is summed. */
  readonly sampleMs?: number;
}

/** What one run cost. */
export interface MeasuredRun {
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly controllerCpuMs: number;
  readonly fleetCpuMs: number;
  readonly memory: MemoryPeaks;
  readonly stdout: string;
  readonly stderr: string;
  /** Processes still in the controller's group when the tool exited (killed before the next run). */
  readonly leftovers: number;
  /** The machine's 1-minute load average as the run started (other work on the machine shows here). */
  readonly loadBefore: number;
}

/** Time to let the fleet's session processes finish after the controller exits, so their CPU is counted. */
const FLEET_SETTLE_MS = 300;

/** Run `argv` to completion inside the controller's group, sampling its tree's memory. */
export async function measuredRun(input: MeasuredRunInput): Promise<MeasuredRun> {
  const sampleMs = input.sampleMs ?? 100;
  const controllerBefore = await groupCpuMs(input.controllerGroup);
  const fleetBefore = await groupCpuMs(input.fleetGroup);
  const tracker = new MemoryPeakTracker();
  const loadBefore = loadavg()[0] ?? 0;
  const argv = inGroup(input.controllerGroup, input.argv);
  const started = process.hrtime.bigint();
  const child = spawn(argv[0] ?? '/bin/sh', argv.slice(1), { cwd: input.cwd, env: { ...input.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let samples = 0;
  const sampler = setInterval(() => {
    void groupPids(input.controllerGroup).then((pids) => tracker.sample(pids, samples++ % 5 === 0));
  }, sampleMs);
  const killer = setTimeout(() => child.kill('SIGKILL'), input.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  clearTimeout(killer);
  const leftovers = await emptyGroup(input.controllerGroup);
  await new Promise((resolve) => setTimeout(resolve, FLEET_SETTLE_MS));
  return {
    argv: input.argv,
    exitCode,
    wallMs,
    controllerCpuMs: (await groupCpuMs(input.controllerGroup)) - controllerBefore,
    fleetCpuMs: (await groupCpuMs(input.fleetGroup)) - fleetBefore,
    memory: tracker.peaks(),
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
    leftovers,
    loadBefore,
  };
}
