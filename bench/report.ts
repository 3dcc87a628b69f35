// BENCHMARKS.md from a benchmark result: how it was run, the W1 and W2 tables, each target of
// issue 6 as met or missed with the numbers behind it, the state checks and the profile.
import type { BenchmarkResult, Phase, Sample } from './benchmark.js';
import type { ChartSeries } from './chart.js';
import { median, pairwiseRatios, range } from './stats.js';
import { ansibleConfig, KEX, type ToolName } from './tools.js';

/** What the report is built from. */
export interface ReportInput {
  readonly result: BenchmarkResult;
  /** Tasks in W1 (for channels per task per host). */
  readonly tasks: number;
  /** The chart's path relative to BENCHMARKS.md. */
  readonly chartPath: string;
  /** Hand-written analysis of this run (bench/analysis.md), included as is. */
  readonly analysis: string | undefined;
  /** The command that produced it. */
  readonly command: string;
}

const TOOL_LABEL: Record<ToolName, string> = { beastie: 'beastie', ansible: 'Ansible', mitogen: 'Ansible + Mitogen', floor: 'OpenSSH floor', exec1: 'one-exec ssh2 floor' };

/** The samples of one cell, in repetition order. */
function cell(samples: readonly Sample[], tool: ToolName, hosts: number, phase: Phase): Sample[] {
  return samples.filter((s) => s.tool === tool && s.hosts === hosts && s.phase === phase).sort((a, b) => a.rep - b.rep);
}

/** Pair-wise ratio of two cells' wall times, matched by repetition. */
function ratio(numerator: readonly Sample[], denominator: readonly Sample[]): number[] {
  const byRep = new Map(denominator.map((s) => [s.rep, s.run.wallMs]));
  const matched = numerator.filter((s) => byRep.has(s.rep));
  return pairwiseRatios(matched.map((s) => s.run.wallMs), matched.map((s) => byRep.get(s.rep) ?? Number.NaN));
}

/** Pair-wise ratio of two cells' CPU seconds (controller + fleet), matched by repetition: what load moves least. */
function cpuRatio(numerator: readonly Sample[], denominator: readonly Sample[]): number[] {
  const cpu = (s: Sample) => s.run.controllerCpuMs + s.run.fleetCpuMs;
  const byRep = new Map(denominator.map((s) => [s.rep, cpu(s)]));
  const matched = numerator.filter((s) => byRep.has(s.rep));
  return pairwiseRatios(matched.map(cpu), matched.map((s) => byRep.get(s.rep) ?? Number.NaN));
}

const seconds = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const times = (value: number) => (Number.isNaN(value) ? '–' : `${value.toFixed(value < 10 ? 2 : 1)}×`);

/** A row's cells for one tool's samples. */
function columns(samples: readonly Sample[], tasks: number): string[] {
  if (samples.length === 0) return ['–', '–', '–', '–', '–', '–', '–', '–'];
  const walls = samples.map((s) => s.run.wallMs);
  const { min, max } = range(walls);
  const hosts = samples[0]?.hosts ?? 1;
  const perTaskHost = median(samples.map((s) => s.channels.sessions)) / (tasks * hosts);
  return [
    `${seconds(median(walls))} (${seconds(min)}–${seconds(max)}, n=${samples.length})`,
    seconds(median(samples.map((s) => s.run.controllerCpuMs))),
    seconds(median(samples.map((s) => s.run.fleetCpuMs))),
    `${mib(Math.max(...samples.map((s) => s.run.memory.rssBytes)))} / ${mib(Math.max(...samples.map((s) => s.run.memory.pssBytes)))}`,
    perTaskHost.toFixed(2),
    (perTaskHost * tasks).toFixed(2),
    (median(samples.map((s) => s.channels.connections)) / hosts).toFixed(2),
    samples[0]?.recap === undefined ? '–' : String(median(samples.map((s) => s.recap?.changed ?? 0))),
  ];
}

const HEADER =
  '| tool | wall s, median (min–max) | Ansible ÷ beastie | Mitogen ÷ beastie | beastie ÷ floor | beastie ÷ one-exec floor | controller CPU s | fleet CPU s | controller peak RSS / PSS MiB | exec channels per task per host | exec channels per host per play | connections per host | changed |\n' +
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|';

/** Rows of one (hosts, phase) cell: each tool, with the pair-wise ratios on beastie's row. */
function cellRows(samples: readonly Sample[], hosts: number, phase: Phase, tasks: number): string[] {
  const beastie = cell(samples, 'beastie', hosts, phase);
  const ansible = cell(samples, 'ansible', hosts, phase);
  const mitogen = cell(samples, 'mitogen', hosts, phase);
  const floor = cell(samples, 'floor', hosts, 'second');
  const exec1 = cell(samples, 'exec1', hosts, 'second');
  const rows: string[] = [];
  const second = phase === 'second';
  for (const [tool, list] of [['beastie', beastie], ['ansible', ansible], ['mitogen', mitogen], ['floor', second ? floor : []], ['exec1', second ? exec1 : []]] as const) {
    if (list.length === 0) continue;
    const [wall, ...rest] = columns(list, tasks);
    const mine = tool === 'beastie';
    // The floors are what a second run must at least pay; a first run also writes, so no ratio there.
    const ratios = [
      mine && ansible.length > 0 ? times(median(ratio(ansible, beastie))) : '',
      mine && mitogen.length > 0 ? times(median(ratio(mitogen, beastie))) : '',
      mine && second && floor.length > 0 ? times(median(ratio(beastie, floor))) : '',
      mine && second && exec1.length > 0 ? times(median(ratio(beastie, exec1))) : '',
    ];
    rows.push(`| ${TOOL_LABEL[tool]} | ${wall ?? ''} | ${ratios.join(' | ')} | ${rest.join(' | ')} |`);
  }
  return rows;
}

/** One target's verdict line. */
function verdict(met: boolean | undefined, text: string): string {
  return `- **${met === undefined ? 'NOT MEASURED' : met ? 'MET' : 'MISSED'}** — ${text}`;
}

/** The targets of issue 6, judged on this run. */
function targets(result: BenchmarkResult, tasks: number): string[] {
  const { samples } = result;
  const w1 = result.options.w1Hosts;
  const lines: string[] = [];
  const beastieSecond = cell(samples, 'beastie', w1, 'second');
  const ansibleSecond = cell(samples, 'ansible', w1, 'second');
  const speedup = median(ratio(ansibleSecond, beastieSecond));
  lines.push(
    verdict(
      ansibleSecond.length === 0 ? undefined : speedup >= 30,
      `W1 second run on ${w1} hosts: beastie ${times(speedup)} faster than Ansible (pair-wise median; target ≥ 30×).`,
    ),
  );
  // Issue 13's targets: against Mitogen and the one-exec floor, and exec channels per host per play.
  const mitogenSecond = cell(samples, 'mitogen', w1, 'second');
  const exec1Second = cell(samples, 'exec1', w1, 'second');
  const vsAnsible = median(ratio(ansibleSecond, beastieSecond));
  const vsMitogen = median(ratio(mitogenSecond, beastieSecond));
  const vsExec1 = median(ratio(beastieSecond, exec1Second));
  const perHostPlay = median(beastieSecond.map((s) => s.channels.sessions / s.hosts));
  lines.push(
    verdict(ansibleSecond.length === 0 ? undefined : vsAnsible >= 50, `issue 13: W1 second run on ${w1} hosts ${times(vsAnsible)} faster than Ansible (target ≥ 50× at 50 × 20).`),
    verdict(mitogenSecond.length === 0 ? undefined : vsMitogen >= 20, `issue 13: ${times(vsMitogen)} faster than Ansible + Mitogen (target ≥ 20× at 50 × 20).`),
    verdict(exec1Second.length === 0 ? undefined : vsExec1 <= 1.3, `issue 13: ${times(vsExec1)} the one-exec ssh2 floor (target ≤ 1.3×).`),
    `- By CPU seconds (controller + fleet, pair-wise medians; the 2 cores were shared, so this is the steadier figure): Ansible ${times(median(cpuRatio(ansibleSecond, beastieSecond)))} beastie's, Ansible + Mitogen ${times(median(cpuRatio(mitogenSecond, beastieSecond)))}, beastie ${times(median(cpuRatio(beastieSecond, exec1Second)))} the one-exec floor's.`,
    verdict(beastieSecond.length === 0 ? undefined : perHostPlay <= 1.2, `issue 13: ${perHostPlay.toFixed(2)} exec channels per host per play on a no-change run (counted by sshd; target ≤ 1.2).`),
  );
  const w2 = [...result.options.w2Hosts].sort((a, b) => a - b);
  const largest = w2[w2.length - 1] ?? w1;
  const big = cell(samples, 'beastie', largest, 'second');
  const bigRss = Math.max(0, ...big.map((s) => s.run.memory.rssBytes));
  lines.push(
    verdict(
      big.length === 0 ? undefined : bigRss < 2 ** 30,
      `W2 on ${largest} hosts: beastie finished ${big.length} of ${result.options.reps} repetitions; controller peak RSS ${mib(bigRss)} MiB (target < 1024 MiB).`,
    ),
  );
  const points = w2.map((hosts) => ({ hosts, ms: median(cell(samples, 'beastie', hosts, 'second').map((s) => s.run.wallMs)) })).filter((p) => !Number.isNaN(p.ms));
  const steps = points.slice(1).map((p, i) => {
    const previous = points[i] as { hosts: number; ms: number };
    return { from: previous.hosts, to: p.hosts, growth: p.ms / previous.ms, hostsGrowth: p.hosts / previous.hosts, marginalMs: (p.ms - previous.ms) / (p.hosts - previous.hosts) };
  });
  const last = steps[steps.length - 1];
  lines.push(
    verdict(
      last === undefined ? undefined : last.growth <= last.hostsGrowth * 1.1,
      `time vs hosts beyond saturation: ${steps.map((s) => `${s.from}→${s.to} hosts: time ×${s.growth.toFixed(2)} for hosts ×${s.hostsGrowth.toFixed(2)} (${s.marginalMs.toFixed(1)} ms per extra host)`).join('; ')} (target: time grows no faster than hosts on the last step, 10 % tolerance).`,
    ),
  );
  const perTaskHost = median(beastieSecond.map((s) => s.channels.sessions)) / (tasks * w1);
  lines.push(
    verdict(
      beastieSecond.length === 0 ? undefined : perTaskHost <= 1.5,
      `SSH exec round trips on a second run: beastie opened ${perTaskHost.toFixed(2)} session channels per task per host on ${w1} hosts (counted by sshd; target ≤ 1.5).`,
    ),
  );
  const floorRatios = w2.map((hosts) => ({ hosts, value: median(ratio(cell(samples, 'beastie', hosts, 'second'), cell(samples, 'floor', hosts, 'second'))) })).filter((r) => !Number.isNaN(r.value));
  const worst = Math.max(...floorRatios.map((r) => r.value));
  lines.push(
    verdict(
      floorRatios.length === 0 ? undefined : worst <= 2,
      `within 2× of the OpenSSH floor (second runs): ${floorRatios.map((r) => `${r.hosts} hosts ${times(r.value)}`).join(', ')}.`,
    ),
  );
  return lines;
}

/** The whole BENCHMARKS.md. */
export function renderReport(input: ReportInput): string {
  const { result, tasks } = input;
  const env = result.environment;
  const w1 = result.options.w1Hosts;
  const w2 = [...result.options.w2Hosts].sort((a, b) => a - b);
  const kexSeen = (tool: ToolName) => {
    const totals: Record<string, number> = {};
    for (const s of result.samples.filter((x) => x.tool === tool)) for (const [k, v] of Object.entries(s.channels.kex)) totals[k] = (totals[k] ?? 0) + v;
    return Object.keys(totals).join(', ') || '–';
  };
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    `Written by \`${input.command}\` from the run of ${result.startedAt} – ${result.finishedAt} (commit ${env.commit}). ` +
      'Every number below comes from a real run on this machine; re-run the command to refresh the file and the chart.',
    '',
  );
  if (result.aborted !== undefined) out.push(`**A run stopped before its end**; everything measured until then is below. Why:`, '', '```', result.aborted.slice(0, 2500), '```', '');
  out.push(`![wall time vs hosts, W1 second run](${input.chartPath})`, '');
  out.push('## Targets (issue 6)', '', ...targets(result, tasks), '');
  if (input.analysis !== undefined) out.push('## Analysis of this run', '', input.analysis.trim(), '');
  out.push(`## W1 "re-run after upgrade" on ${w1} hosts`, '');
  out.push(`${tasks} tasks (bench/workloads/w1.*.yml). First run: fresh hosts, everything changes. Second run: nothing changes.`, '');
  for (const phase of ['first', 'second'] as const) {
    out.push(`### ${phase} run`, '', HEADER, ...cellRows(result.samples, w1, phase, tasks), '');
  }
  out.push('## W2 "fleet": W1\'s second run by host count', '');
  for (const hosts of w2) {
    const reused = hosts === w1;
    out.push(`### ${hosts} hosts${reused ? ' (the W1 second-run cell above)' : ''}`, '', HEADER, ...cellRows(result.samples, hosts, 'second', tasks), '');
  }
  if (result.skipped.length > 0) out.push('## Left out of this run', '', ...result.skipped.map((s) => `- ${s}`), '');
  out.push('## Every run, in order', '', ...runRows(result.samples), '');
  out.push('## Same state on the hosts', '');
  out.push(
    'After each tool\'s runs the benchmark reads, on every host, type, mode, owner and SHA-256 of every path W1 manages, and compares:',
    '',
    ...result.stateChecks.map((c) => `- **${c.difference === undefined ? 'same' : 'DIFFERENT'}** — ${c.what} (${c.hosts} hosts)${c.difference === undefined ? '' : `:\n\n\`\`\`\n${c.difference}\n\`\`\``}`),
    '',
  );
  if (result.profile !== undefined) {
    const p = result.profile;
    out.push(`## Where beastie's controller CPU goes (node --cpu-prof, W1 second run, ${p.hosts} hosts)`, '');
    out.push(`Profiled run: ${seconds(p.wallMs)} s wall, ${seconds(p.sampledMs)} s sampled on the main thread (idle included as \`(idle)\`).`, '');
    out.push('| package | self ms | share |', '|---|---|---|', ...p.packages.map((e) => `| ${e.name} | ${e.selfMs.toFixed(0)} | ${(e.share * 100).toFixed(1)} % |`), '');
    out.push('| function (self time) | self ms | share |', '|---|---|---|', ...p.functions.map((e) => `| \`${e.name}\` | ${e.selfMs.toFixed(0)} | ${(e.share * 100).toFixed(1)} % |`), '');
  }
  out.push('## How it was measured', '');
  out.push(
    `- Machine: ${env.cores} × ${env.cpu}, ${env.memoryGiB} GiB, ${env.kernel}. The simulated hosts (one real sshd per host on loopback, sim/) share these cores with the controller.`,
    `- Versions: beastie ${env.beastie} (Node ${env.node}, ${env.beastieBuild === 'bundled' ? 'the esbuild bundle, built at the start of the run (the profile: tsc\'s output)' : env.beastieBuild === 'compiled' ? 'compiled with tsc at the start of the run' : 'TypeScript through tsx — the build failed'}); ${env.ansible}; ${env.python}; ${env.openssh} on both ends.`,
    `- beastie: \`beastie play w1.beastie.yml -i INVENTORY --forks N\` (N = hosts), gather_facts off.`,
    '- Ansible: `ansible-playbook -i INVENTORY --forks N w1.ansible.yml` (N = hosts), gather_facts off, with this ansible.cfg:',
    '',
    '```ini',
    ansibleConfig('WORKDIR').trim(),
    '```',
    '',
    `- Key exchange seen by sshd: beastie ${kexSeen('beastie')}; Ansible ${kexSeen('ansible')}; floor ${kexSeen('floor')} (OpenSSH clients are set to ${KEX}; \`curve25519-sha256@libssh.org\` is the same algorithm under its pre-RFC 8731 name, which ssh2 offers first. OpenSSH 9.2's default sntrup761x25519 costs ≈ 70 ms more CPU per connection here).`,
    '- The floor (bench/floor.sh): every host in parallel, one OpenSSH ControlMaster connection per host, then one command per task over it (the read a second run needs: bench/floor-commands.ts).',
    `- Repetitions: ${result.options.reps} per cell; the tools' repetitions are interleaved (W1: beastie and Ansible alternate who goes first; W2: beastie, Ansible and the floor rotate), and ratios are the median of the per-repetition ratios. Each W1 repetition restores the hosts' saved fresh files first.`,
    '- Wall time: from spawning the tool to its exit. Controller CPU: cgroup v2 `cpu.stat` of a group the tool joins before it execs (everything it forks, ControlPersist masters included; leftovers are killed after each run so every run starts cold). ' +
      `Fleet CPU: the fleet's cgroup (${result.fleetCpuGroup === 'sim' ? 'made by `sim up`' : 'made by the benchmark for the hosts\' sshd listeners'}) over the same interval.`,
    '- Controller peak RSS: the largest sum over the controller group\'s processes of their resident sets (/proc/PID/statm, every 100 ms); PSS: the same with proportional set sizes (smaps_rollup, every 500 ms), which counts pages shared by Ansible\'s forks once.',
    '- Channels: every host\'s sshd logs at DEBUG1; session channels opened (`server_input_channel_open: ctype session`) and new connections (`kex: algorithm`) are counted in what each run appended to the logs.',
    `- Other work on the machine: the 1-minute load average as each run started was ${loadSummary(result.samples)} (the simulated hosts and the tools themselves account for most of it; a load well above 2 before a run means other processes shared the cores).`,
    '- State: see "Same state on the hosts". W2 reuses W1\'s second-run repetitions for the cell with W1\'s host count.',
    '',
  );
  return out.join('\n');
}

/**
 * Each timed run as it happened, with the machine's load as it started: wall times move with what
 * else ran on the 2 cores, CPU seconds (cgroups) much less, channel counts not at all.
 */
function runRows(samples: readonly Sample[]): string[] {
  return [
    '| # | tool | run | hosts | repetition | load average at start | wall s | controller CPU s | fleet CPU s | controller + fleet CPU s | exec channels per host |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...samples.map(
      (s, i) =>
        `| ${i + 1} | ${TOOL_LABEL[s.tool]} | ${s.phase} | ${s.hosts} | ${s.rep} | ${s.run.loadBefore.toFixed(1)} | ${seconds(s.run.wallMs)} | ${seconds(s.run.controllerCpuMs)} | ${seconds(s.run.fleetCpuMs)} | ${seconds(s.run.controllerCpuMs + s.run.fleetCpuMs)} | ${(s.channels.sessions / s.hosts).toFixed(2)} |`,
    ),
  ];
}

/** Median and maximum load average at run starts. */
function loadSummary(samples: readonly Sample[]): string {
  const loads = samples.map((s) => s.run.loadBefore);
  return loads.length === 0 ? '–' : `median ${median(loads).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}`;
}

/** The chart's series: each tool's W2 medians with their ranges. */
export function chartSeries(result: BenchmarkResult): ChartSeries[] {
  const colors: Record<ToolName, string> = { beastie: '#d62728', ansible: '#1f77b4', mitogen: '#2ca02c', floor: '#7f7f7f', exec1: '#bcbd22' };
  return (['ansible', 'mitogen', 'beastie', 'floor', 'exec1'] as const)
    .map((tool) => ({
      name: TOOL_LABEL[tool],
      color: colors[tool],
      points: result.options.w2Hosts.flatMap((hosts) => {
        const walls = cell(result.samples, tool, hosts, 'second').map((s) => s.run.wallMs / 1000);
        return walls.length === 0 ? [] : [{ hosts, seconds: median(walls), ...range(walls) }];
      }),
    }))
    .filter((s) => s.points.length > 0);
}
