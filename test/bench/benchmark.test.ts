// The benchmark's smoke version: a real run on a tiny fleet, one repetition, with Ansible when it
// is installed; it must produce the report's tables and the chart, and the tools must leave the
// hosts in the same state. W1 runs on 1 host and W2 on 1 and 2, so the smoke goes through every
// step of the real benchmark: W1 per tool, the untimed converge of the hosts beyond W1's and their
// comparison with W1's host, and W2 cells; Ansible's W2 cell at 2 hosts is left out with
// ansibleReps (the way `npm run bench` trims Ansible at 500 hosts), since Ansible's runs are most of
// the smoke's time and W1 already compares its hosts' state with beastie's. No timing thresholds.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchmark, type BenchmarkResult } from '../../bench/benchmark.js';
import { renderChart } from '../../bench/chart.js';
import { chartSeries, renderReport } from '../../bench/report.js';

const ansibleInstalled = spawnSync('ansible-playbook', ['--version']).status === 0;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('npm run bench, smoke size', () => {
  let result: BenchmarkResult;

  it('runs W1 and W2 with every tool and finds the same state on the hosts', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'bb-test-'));
    dirs.push(workDir);
    const lines: string[] = [];
    result = await runBenchmark({
      w1Hosts: 1,
      w2Hosts: [1, 2],
      reps: 1,
      ansible: ansibleInstalled,
      ansibleReps: new Map([[2, 0]]),
      deadline: undefined,
      profile: false,
      compile: false,
      workDir,
      log: (line) => lines.push(line),
    });
    const tools = ansibleInstalled ? ['beastie', 'ansible', 'floor', 'exec1'] : ['beastie', 'floor', 'exec1'];
    for (const tool of tools) {
      expect(result.samples.some((s) => s.tool === tool && s.hosts === 1 && s.phase === 'second'), `${tool} W1 second run`).toBe(true);
      // Ansible's W2 cell at 2 hosts was given 0 repetitions; every other tool runs it.
      expect(result.samples.some((s) => s.tool === tool && s.hosts === 2 && s.phase === 'second'), `${tool} W2 at 2 hosts`).toBe(tool !== 'ansible');
    }
    for (const tool of ansibleInstalled ? ['beastie', 'ansible'] : ['beastie']) {
      expect(result.samples.some((s) => s.tool === tool && s.hosts === 1 && s.phase === 'first'), `${tool} W1 first run`).toBe(true);
    }
    for (const sample of result.samples) {
      expect(sample.run.exitCode).toBe(0);
      expect(sample.run.wallMs).toBeGreaterThan(0);
      expect(sample.run.memory.rssBytes).toBeGreaterThan(0);
      expect(sample.channels.sessions).toBeGreaterThan(0);
      // The two floors print no play recap (they only run commands); every playbook tool does.
      if (sample.tool === 'floor' || sample.tool === 'exec1') expect(sample.recap, sample.tool).toBeUndefined();
      else expect(sample.recap?.changed === 0, `${sample.tool} ${sample.phase} run at ${sample.hosts} hosts`).toBe(sample.phase === 'second');
    }
    // The floor runs one command per task per host over one connection per host.
    const floor = result.samples.find((s) => s.tool === 'floor' && s.hosts === 2);
    expect(floor?.channels).toMatchObject({ sessions: 40, exec: 40, connections: 2 });
    // The one-exec floor: one connection and one exec per host.
    const exec1 = result.samples.find((s) => s.tool === 'exec1' && s.hosts === 2);
    expect(exec1?.channels).toMatchObject({ sessions: 2, exec: 2, connections: 2 });
    const checks = result.stateChecks.map((c) => c.what).join('\n');
    // sim02, converged untimed for W2, must look like W1's sim01.
    expect(checks).toContain("W2: hosts 2–2 converged like W1's hosts (each host's name aside)");
    if (ansibleInstalled) expect(checks).toMatch(/beastie vs Ansible/);
    for (const check of result.stateChecks) expect(check.difference, check.what).toBeUndefined();
  }, 600_000);

  it('writes the report tables and an SVG chart from the run', () => {
    const report = renderReport({ result, tasks: 20, chartPath: 'bench/chart.svg', analysis: undefined, command: 'npm run bench -- --quick' });
    expect(report).toContain('## W1 "re-run after upgrade" on 1 hosts');
    expect(report).toContain('### 2 hosts\n');
    expect(report).toMatch(/^\| beastie \| [\d.]+ \(/m);
    expect(report).toMatch(/^\| OpenSSH floor \| [\d.]+ \(/m);
    if (ansibleInstalled) expect(report).toMatch(/^\| Ansible \| [\d.]+ \(/m);
    expect(report).toMatch(/\*\*(MET|MISSED)\*\* — SSH exec round trips/);
    const svg = renderChart('title', 'subtitle', chartSeries(result));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('beastie');
    // Two W2 points (1 and 2 hosts) for beastie and the two floors; Ansible's at 1 host only, when installed.
    expect((svg.match(/<circle /g) ?? []).length).toBe(ansibleInstalled ? 7 : 6);
  });
});
