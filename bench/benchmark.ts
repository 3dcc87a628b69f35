// One benchmark run (issue 6): W1's first and second run on one host count for each tool, W2 =
// W1's second run on several host counts, the OpenSSH floor beside each, repetitions of the tools
// interleaved so that their ratios are taken pair-wise under the same machine load, and the
// hosts' state compared between the tools.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createGroup, removeGroup } from './cgroup.js';
import { countChannelsSince, markLogs, type ChannelCount } from './channel-count.js';
import { PROJECT_ROOT, startBenchFleet, stopBenchFleet, type BenchFleet, type BenchHost } from './bench-fleet.js';
import { firstStateDifference, readHostStates, restoreFreshState, saveFreshState, type HostState } from './host-state.js';
import { measuredRun, type MeasuredRun } from './measured-run.js';
import { profileBeastie, type ProfileSummary } from './profile-summary.js';
import { parseRecap, type RecapTotals } from './recap.js';
import { buildBeastie, describeEnvironment, ensureAnsible, type Environment } from './setup.js';
import { median } from './stats.js';
import { toolCommand, type ToolContext, type ToolName } from './tools.js';

/** Which run of W1: on fresh hosts (everything changes) or again (nothing changes). */
export type Phase = 'first' | 'second';

/** What to run. */
export interface BenchmarkOptions {
  /** Hosts for W1's first and second run. */
  readonly w1Hosts: number;
  /** Host counts of W2 (W1's second run). */
  readonly w2Hosts: readonly number[];
  /** Repetitions per cell (the median is reported). */
  readonly reps: number;
  /** Include Ansible (the smoke test runs without it when it is not installed). */
  readonly ansible: boolean;
  /** Include Ansible + Mitogen beside Ansible (`npm run bench` does; the smoke test does not, for time). */
  readonly mitogen?: boolean;
  /** Repetitions of Ansible per W2 host count, where fewer than `reps` (e.g. 500 → 1). */
  readonly ansibleReps: ReadonlyMap<number, number>;
  /** Stop starting Ansible W2 cells that would not finish before this time (epoch ms). */
  readonly deadline?: number;
  /** Profile one beastie second run with node --cpu-prof. */
  readonly profile: boolean;
  /** Compile beastie with tsc first (the smoke test runs the sources through tsx instead). */
  readonly compile: boolean;
  /** Scratch directory (fleet, inventories, configs); removed at the end. */
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Called with the result so far after every timed run (the CLI saves it, so a cut-short run still reports). */
  readonly onProgress?: ((partial: BenchmarkResult) => Promise<void>);
}

/** One timed run. */
export interface Sample {
  readonly tool: ToolName;
  readonly hosts: number;
  readonly phase: Phase;
  readonly rep: number;
  readonly run: MeasuredRun;
  readonly channels: ChannelCount;
  readonly recap: RecapTotals | undefined;
}

/** A state comparison and its outcome. */
export interface StateCheck {
  readonly what: string;
  readonly hosts: number;
  /** Undefined when every host matched; else the first difference. */
  readonly difference: string | undefined;
}

/** Everything a benchmark run measured. */
export interface BenchmarkResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: Omit<BenchmarkOptions, 'log' | 'ansibleReps' | 'workDir' | 'onProgress'> & { readonly ansibleReps: Record<string, number> };
  readonly environment: Environment;
  readonly fleetCpuGroup: 'sim' | 'bench';
  readonly samples: readonly Sample[];
  readonly stateChecks: readonly StateCheck[];
  /** Cells left out, and why. */
  readonly skipped: readonly string[];
  readonly profile: ProfileSummary | undefined;
  /** Why the run stopped before the end, if it did (what was measured until then is kept). */
  readonly aborted: string | undefined;
}

/** A run that failed: its tool's exit status and output tail. */
export class BenchRunError extends Error {}

const RUN_TIMEOUT_MS = 60 * 60 * 1000;

/** Run the whole benchmark. */
export async function runBenchmark(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const startedAt = new Date().toISOString();
  const { log } = options;
  if (options.ansible) await ensureAnsible(log, options.mitogen === true);
  const distDir = join(PROJECT_ROOT, 'bench', 'results', `dist-${process.pid}`);
  if (options.compile) log('compiling beastie');
  const build = options.compile ? await buildBeastie(distDir) : undefined;
  const environment = await describeEnvironment(build === undefined ? 'tsx' : 'bundled');
  await mkdir(options.workDir, { recursive: true });
  const groupName = `beastie-bench-${process.pid}`;
  const controllerGroup = await createGroup(`${groupName}/controller`);
  const w2Hosts = [...options.w2Hosts].sort((a, b) => a - b);
  const fleetDir = join(options.workDir, 'fleet');
  const samples: Sample[] = [];
  const stateChecks: StateCheck[] = [];
  const skipped: string[] = [];
  let profile: ProfileSummary | undefined;
  let aborted: string | undefined;
  let fleetCpuGroup: BenchmarkResult['fleetCpuGroup'] = 'bench';
  const result = (): BenchmarkResult => ({
    startedAt,
    finishedAt: new Date().toISOString(),
    options: { w1Hosts: options.w1Hosts, w2Hosts: options.w2Hosts, reps: options.reps, ansible: options.ansible, ...(options.deadline === undefined ? {} : { deadline: options.deadline }), profile: options.profile, compile: options.compile, ansibleReps: Object.fromEntries([...options.ansibleReps].map(([k, v]) => [String(k), v])) },
    environment,
    fleetCpuGroup,
    samples: samples.filter((s) => s.rep > 0),
    stateChecks,
    skipped,
    profile,
    aborted,
  });
  try {
    const fleet = await startLargestFleet(fleetDir, w2Hosts, options.w1Hosts, groupName, skipped, log);
    const maxHosts = fleet.hosts.length;
    fleetCpuGroup = fleet.cpuGroupOwner;
    const context: ToolContext = { fleet, workDir: options.workDir, beastieEntry: build?.bundled };
    const runOnce = timedRunner(fleet, context, controllerGroup, log);
    const timed = async (tool: ToolName, hosts: number, phase: Phase, rep: number): Promise<Sample> => {
      const sample = await runOnce(tool, hosts, phase, rep);
      samples.push(sample);
      await options.onProgress?.(result());
      return sample;
    };
    const tools: ToolName[] = options.ansible ? ['beastie', 'ansible', ...(options.mitogen === true ? (['mitogen'] as const) : [])] : ['beastie'];

    // W1: first and second run per tool from the same fresh state, tools alternating who goes first.
    const w1 = fleet.hosts.slice(0, options.w1Hosts);
    log(`W1 on ${w1.length} hosts: saving the fresh state`);
    await saveFreshState(fleet, w1);
    const w1States = new Map<string, Map<string, HostState>>();
    for (let rep = 1; rep <= options.reps; rep += 1) {
      const order = rep % 2 === 1 ? tools : [...tools].reverse();
      for (const tool of order) {
        await restoreFreshState(fleet, w1);
        await timed(tool, w1.length, 'first', rep);
        await timed(tool, w1.length, 'second', rep);
        const states = await readHostStates(fleet, w1);
        const reference = w1States.get(tool);
        if (reference === undefined) w1States.set(tool, states);
        else stateChecks.push({ what: `W1 ${tool} repetition ${rep} vs repetition 1`, hosts: w1.length, difference: firstStateDifference(reference, states, [`${tool} #1`, `${tool} #${rep}`]) });
      }
      await timed('floor', w1.length, 'second', rep);
      await timed('exec1', w1.length, 'second', rep);
    }
    const beastieState = w1States.get('beastie');
    const ansibleState = w1States.get('ansible');
    if (beastieState !== undefined && ansibleState !== undefined) {
      stateChecks.push({ what: 'W1: beastie vs Ansible, after first + second run from the same fresh state', hosts: w1.length, difference: firstStateDifference(beastieState, ansibleState, ['beastie', 'ansible']) });
    }

    // W2: converge every host once (beastie, untimed), then second runs at each host count.
    const all = fleet.hosts.slice(0, maxHosts);
    if (maxHosts > w1.length) {
      log(`W2: converging all ${maxHosts} hosts (untimed beastie first run)`);
      const converge = await timed('beastie', maxHosts, 'first', 0);
      if (converge.recap?.failed !== 0) throw new BenchRunError(`converging ${maxHosts} hosts failed`);
    }
    const convergedState = await readHostStates(fleet, all);
    if (beastieState !== undefined) {
      // Hosts beyond W1's must look like W1's hosts did (same files, the template's hostname aside).
      stateChecks.push(...compareBeyond(beastieState, convergedState, all, w1.length));
    }
    // Largest first: if the run must be cut short, the cheap small cells are what is lost.
    for (const hosts of [...w2Hosts].reverse()) {
      const reuse = hosts === options.w1Hosts;
      const cellTools: ToolName[] = reuse ? [] : [...tools, 'floor', 'exec1'];
      let ansibleReps = options.ansibleReps.get(hosts) ?? options.reps;
      if (options.ansible && options.deadline !== undefined) {
        const fitting = repsBefore(options.deadline, estimateAnsibleMs(samples, hosts), ansibleReps + 0);
        if (fitting < ansibleReps) {
          skipped.push(`Ansible at ${hosts} hosts: ${fitting} of ${ansibleReps} repetitions fit before the deadline (estimated ${(estimateAnsibleMs(samples, hosts) / 1000).toFixed(0)} s each)`);
          ansibleReps = fitting;
        }
      }
      // W1's second-run cell is this cell: its repetitions count for W2 too.
      if (reuse) continue;
      for (let rep = 1; rep <= options.reps; rep += 1) {
        const rotation = cellTools.map((_, i) => cellTools[(i + rep - 1) % cellTools.length] as ToolName);
        for (const tool of rotation) {
          if ((tool === 'ansible' || tool === 'mitogen') && rep > ansibleReps) continue;
          await timed(tool, hosts, 'second', rep);
        }
      }
    }
    if (options.ansible) {
      const after = await readHostStates(fleet, all);
      stateChecks.push({ what: 'W2: every host after all second runs (Ansible included) vs after beastie converged it', hosts: all.length, difference: firstStateDifference(convergedState, after, ['converged', 'after W2']) });
    }

    if (options.profile) profile = await profileBeastie({ ...context, beastieEntry: build?.compiled }, options.w1Hosts, log);
  } catch (error) {
    // Keep what was measured: the report says where the run stopped and why.
    aborted = error instanceof Error ? error.message : String(error);
    log(`aborted: ${aborted}`);
  } finally {
    log('stopping the fleet');
    await stopBenchFleet(fleetDir).catch((error: unknown) => log(`sim down failed: ${String(error)}`));
    await removeGroup(join(controllerGroup, '..'), ['controller', 'fleet']);
    await rm(options.workDir, { recursive: true, force: true });
    await rm(distDir, { recursive: true, force: true });
  }
  return result();
}

/**
 * The fleet for the largest host count that comes up; when `sim up` keeps failing at a W2 size
 * beyond W1's, that size is left out (and said so) and the next one down is tried.
 */
async function startLargestFleet(dir: string, w2Hosts: number[], w1Hosts: number, groupName: string, skipped: string[], log: (line: string) => void): Promise<BenchFleet> {
  for (;;) {
    const count = Math.max(w1Hosts, ...w2Hosts);
    log(`starting ${count} simulated hosts`);
    try {
      return await startBenchFleet(dir, count, groupName);
    } catch (error) {
      if (count <= w1Hosts) throw error;
      skipped.push(`W2 at ${count} hosts: the simulated fleet of ${count} hosts did not come up (${String(error).split('\n').slice(0, 3).join(' ')})`);
      w2Hosts.splice(w2Hosts.indexOf(count), 1);
    }
  }
}

/** A function that times one run of a tool and checks that it did what that run must do. */
function timedRunner(fleet: BenchFleet, context: ToolContext, controllerGroup: string, log: (line: string) => void) {
  return async (tool: ToolName, hosts: number, phase: Phase, rep: number): Promise<Sample> => {
    const command = await toolCommand(tool, hosts, context);
    const marks = await markLogs(fleet.hosts.slice(0, hosts).map((h) => fleet.sshdLog(h)));
    const run = await measuredRun({ ...command, controllerGroup, fleetGroup: fleet.cpuGroup, timeoutMs: RUN_TIMEOUT_MS });
    const channels = await countChannelsSince(marks);
    const recap = tool === 'floor' || tool === 'exec1' ? undefined : parseRecap(run.stdout);
    const label = `${tool} ${phase} run, ${hosts} hosts${rep > 0 ? `, repetition ${rep}` : ''}`;
    log(`${label}: ${(run.wallMs / 1000).toFixed(2)} s, exit ${run.exitCode}, ${channels.sessions} channels${recap ? `, changed ${recap.changed}` : ''}`);
    const failure = checkRun(tool, hosts, phase, run, recap);
    if (failure !== undefined) {
      throw new BenchRunError(`${label}: ${failure}\n--- stdout (end)\n${run.stdout.slice(-3000)}\n--- stderr (end)\n${run.stderr.slice(-3000)}`);
    }
    return { tool, hosts, phase, rep, run, channels, recap };
  };
}

/** Why a run does not count, or undefined when it does. */
function checkRun(tool: ToolName, hosts: number, phase: Phase, run: MeasuredRun, recap: RecapTotals | undefined): string | undefined {
  if (run.exitCode !== 0) return `exited ${run.exitCode}`;
  if (tool === 'floor' || tool === 'exec1') return undefined;
  if (recap === undefined) return 'printed no play recap';
  if (recap.hosts !== hosts) return `recap lists ${recap.hosts} hosts, expected ${hosts}`;
  if (recap.failed > 0 || recap.unreachable > 0) return `${recap.failed} failed, ${recap.unreachable} unreachable`;
  if (phase === 'second' && recap.changed > 0) return `a second run changed ${recap.changed} task results (W1 must be idempotent)`;
  if (phase === 'first' && recap.changed === 0) return 'a first run changed nothing (the hosts were not fresh)';
  return undefined;
}

/** Each host beyond the first `w1` must match a W1 host's state (which writes each host's own name as @HOST@). */
function compareBeyond(reference: ReadonlyMap<string, HostState>, converged: ReadonlyMap<string, HostState>, all: readonly BenchHost[], w1: number): StateCheck[] {
  const [template] = [...reference];
  if (template === undefined || all.length <= w1) return [];
  const [templateHost, templateState] = template;
  const mismatch = all.slice(w1).find((host) => converged.get(host.name)?.text !== templateState.text);
  return [
    {
      what: `W2: hosts ${w1 + 1}–${all.length} converged like W1's hosts (each host's name aside)`,
      hosts: all.length - w1,
      difference: mismatch === undefined ? undefined : `${mismatch.name}:\n${converged.get(mismatch.name)?.text ?? '(no state)'}\n${templateHost} (W1):\n${templateState.text}`,
    },
  ];
}

/** Ansible's second-run time at `hosts`, scaled linearly from its W1 second runs. */
function estimateAnsibleMs(samples: readonly Sample[], hosts: number): number {
  const w1 = samples.filter((s) => s.tool === 'ansible' && s.phase === 'second' && s.rep > 0);
  const perHost = median(w1.map((s) => s.run.wallMs / s.hosts));
  return Number.isNaN(perHost) ? 0 : perHost * hosts;
}

/** How many runs of `eachMs` fit before `deadline` (beastie's and the floor's runs are short beside Ansible's). */
function repsBefore(deadline: number, eachMs: number, wanted: number): number {
  if (eachMs <= 0) return wanted;
  return Math.max(0, Math.min(wanted, Math.floor((deadline - Date.now()) / (eachMs * 1.15))));
}
