// The benchmark's smoke version: a real run on a tiny fleet (2 hosts for W1, 1 and 2 for W2, one
// repetition), with Ansible when it is installed; it must produce the report's tables and the
// chart, and both tools must leave the hosts in the same state. No timing thresholds.
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
      w1Hosts: 2,
      w2Hosts: [1, 2],
      reps: 1,
      ansible: ansibleInstalled,
      ansibleReps: new Map(),
      deadline: undefined,
      profile: false,
      compile: false,
      workDir,
      log: (line) => lines.push(line),
    });
    const tools = ansibleInstalled ? ['beastie', 'ansible', 'floor', 'exec1'] : ['beastie', 'floor', 'exec1'];
    for (const tool of tools) {
      expect(result.samples.some((s) => s.tool === tool && s.hosts === 1), `${tool} at 1 host`).toBe(true);
      expect(result.samples.some((s) => s.tool === tool && s.hosts === 2 && s.phase === 'second'), `${tool} W1 second run`).toBe(true);
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
    expect(result.stateChecks.length).toBeGreaterThan(ansibleInstalled ? 1 : 0);
    for (const check of result.stateChecks) expect(check.difference, check.what).toBeUndefined();
    if (ansibleInstalled) expect(result.stateChecks.map((c) => c.what).join('\n')).toMatch(/beastie vs Ansible/);
  }, 600_000);

  it('writes the report tables and an SVG chart from the run', () => {
    const report = renderReport({ result, tasks: 20, chartPath: 'bench/chart.svg', analysis: undefined, command: 'npm run bench -- --quick' });
    expect(report).toContain('## W1 "re-run after upgrade" on 2 hosts');
    expect(report).toMatch(/^\| beastie \| [\d.]+ \(/m);
    expect(report).toMatch(/^\| OpenSSH floor \| [\d.]+ \(/m);
    if (ansibleInstalled) expect(report).toMatch(/^\| Ansible \| [\d.]+ \(/m);
    expect(report).toMatch(/\*\*(MET|MISSED)\*\* — SSH exec round trips/);
    const svg = renderChart('title', 'subtitle', chartSeries(result));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('beastie');
    // Two W2 points (1 and 2 hosts) per series: beastie, the two floors, and Ansible when installed.
    expect((svg.match(/<circle /g) ?? []).length).toBe(ansibleInstalled ? 8 : 6);
  });
});
