// The benchmark's smoke version: the bench code end to end at its smallest, one simulated host and
// the fewest runs that still pass through every step `npm run bench` takes for a tool: the fresh
// state saved and put back, beastie's W1 first and second run checked by their recap, both floors,
// sshd's channel counts, the host state read, and the report and chart written from the result.
// Ansible's and Mitogen's runs are left out (they were most of this file's time: 92 s in CI);
// their part of the bench is checked without hosts: the command lines and configuration the bench
// builds, and `ansible-playbook --syntax-check` of W1's Ansible playbook with that configuration.
// No timing thresholds.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { BenchFleet } from '../../bench/bench-fleet.js';
import { runBenchmark, type BenchmarkResult } from '../../bench/benchmark.js';
import { renderChart } from '../../bench/chart.js';
import { firstStateDifference, type HostState } from '../../bench/host-state.js';
import { chartSeries, renderReport } from '../../bench/report.js';
import { MITOGEN_STRATEGY_DIR, toolCommand, WORKLOADS_DIR, type ToolContext } from '../../bench/tools.js';

const ansibleInstalled = spawnSync('ansible-playbook', ['--version']).status === 0;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bb-test-'));
  dirs.push(dir);
  return dir;
}

describe('npm run bench, smoke size', () => {
  let result: BenchmarkResult;

  it('runs W1 with beastie and both floors on one host, counting channels', async () => {
    const lines: string[] = [];
    result = await runBenchmark({
      w1Hosts: 1,
      w2Hosts: [1],
      reps: 1,
      ansible: false,
      ansibleReps: new Map(),
      profile: false,
      compile: false,
      workDir: await scratch(),
      log: (line) => lines.push(line),
    });
    expect(result.aborted, lines.join('\n')).toBeUndefined();
    const runs = result.samples.map((s) => `${s.tool} ${s.phase} ${s.hosts}`);
    expect(runs).toEqual(['beastie first 1', 'beastie second 1', 'floor second 1', 'exec1 second 1']);
    for (const sample of result.samples) {
      expect(sample.run.exitCode).toBe(0);
      expect(sample.run.wallMs).toBeGreaterThan(0);
      expect(sample.run.memory.rssBytes).toBeGreaterThan(0);
      expect(sample.channels.connections, `${sample.tool} ${sample.phase}`).toBeGreaterThan(0);
      // The two floors print no play recap (they only run commands); beastie does.
      if (sample.tool === 'floor' || sample.tool === 'exec1') expect(sample.recap, sample.tool).toBeUndefined();
      else expect(sample.recap, `beastie ${sample.phase}`).toMatchObject({ hosts: 1, failed: 0, unreachable: 0 });
    }
    const [first, second] = result.samples;
    expect(first?.recap?.changed).toBeGreaterThan(0);
    expect(second?.recap?.changed).toBe(0);
    // The first run changes every task, so it needs more round trips than the no-change run.
    expect(first?.channels.exec).toBeGreaterThan(second?.channels.exec ?? Infinity);
    // The floor runs one command per task over one connection; the one-exec floor one exec.
    expect(result.samples.find((s) => s.tool === 'floor')?.channels).toMatchObject({ sessions: 20, exec: 20, connections: 1 });
    expect(result.samples.find((s) => s.tool === 'exec1')?.channels).toMatchObject({ sessions: 1, exec: 1, connections: 1 });
    // One tool, one repetition, W2's only cell is W1's: nothing to compare, nothing skipped.
    expect(result.stateChecks).toEqual([]);
    expect(result.skipped).toEqual([]);
  }, 300_000);

  it('writes the report tables and an SVG chart from the run', () => {
    const report = renderReport({ result, tasks: 20, chartPath: 'bench/chart.svg', analysis: undefined, command: 'npm run bench -- --quick' });
    expect(report).toContain('## W1 "re-run after upgrade" on 1 hosts');
    expect(report).toContain('### 1 hosts (the W1 second-run cell above)\n');
    expect(report).toMatch(/^\| beastie \| [\d.]+ \(/m);
    expect(report).toMatch(/^\| OpenSSH floor \| [\d.]+ \(/m);
    expect(report).toMatch(/\*\*(MET|MISSED)\*\* — SSH exec round trips/);
    const svg = renderChart('title', 'subtitle', chartSeries(result));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('beastie');
    // One W2 point (1 host) for beastie and each floor.
    expect((svg.match(/<circle /g) ?? []).length).toBe(3);
  });
});

describe("the bench's Ansible runs, without hosts", () => {
  const fleet = (dir: string): BenchFleet => ({
    dir,
    hosts: [{ name: 'sim01', address: '127.0.0.1', port: 2201 }],
    cpuGroup: '',
    cpuGroupOwner: 'bench',
    clientKey: join(dir, 'key'),
    knownHosts: join(dir, 'known_hosts'),
    sshdLog: () => join(dir, 'sshd.log'),
    inventory: async () => join(dir, 'inventory'),
    sshArgs: () => [],
  });

  it('runs W1 with pipelining and ControlPersist, and Mitogen with its strategy', async () => {
    const dir = await scratch();
    const context: ToolContext = { fleet: fleet(dir), workDir: dir, beastieEntry: undefined };
    for (const tool of ['ansible', 'mitogen'] as const) {
      const command = await toolCommand(tool, 1, context);
      expect(command.argv).toEqual(['ansible-playbook', '-i', join(dir, 'inventory'), '--forks', '1', 'w1.ansible.yml']);
      expect(command.cwd).toBe(WORKLOADS_DIR);
      const config = await readFile(command.env['ANSIBLE_CONFIG'] ?? '', 'utf8');
      expect(config).toMatch(/^pipelining = True$/m);
      expect(config).toMatch(/^ssh_args = .*ControlPersist=60s/m);
      expect(config).toMatch(/^gathering = explicit$/m);
      expect(config.includes(`strategy_plugins = ${MITOGEN_STRATEGY_DIR}`), tool).toBe(tool === 'mitogen');
    }
  });

  it("W1's Ansible playbook loads in ansible-playbook with the bench's configuration: beastie's 20 tasks", async () => {
    const plays = parse(await readFile(join(WORKLOADS_DIR, 'w1.beastie.yml'), 'utf8')) as { tasks: unknown[] }[];
    expect(plays[0]?.tasks.length).toBe(20);
    // Without Ansible the bench runs beastie and the floors only (as this file's smoke does).
    if (!ansibleInstalled) return;
    const dir = await scratch();
    const command = await toolCommand('ansible', 1, { fleet: fleet(dir), workDir: dir, beastieEntry: undefined });
    const listed = spawnSync('ansible-playbook', ['-i', 'localhost,', '--list-tasks', 'w1.ansible.yml'], { cwd: command.cwd, env: command.env, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.match(/^ +\d+ .*\tTAGS: \[/gm)?.length).toBe(20);
  });
});

describe('firstStateDifference', () => {
  const state = (text: string): HostState => ({ text, digest: text });
  it('names the first host whose state differs, line by line', () => {
    const left = new Map([['sim01', state('/a file 644 root:wheel x\n/b absent')], ['sim02', state('same')]]);
    const right = new Map([['sim01', state('/a file 600 root:wheel x\n/b absent')], ['sim02', state('same')]]);
    expect(firstStateDifference(left, right, ['beastie', 'ansible'])).toBe('sim01:\n  beastie: /a file 644 root:wheel x\n  ansible: /a file 600 root:wheel x');
    expect(firstStateDifference(left, left, ['beastie', 'ansible'])).toBeUndefined();
    expect(firstStateDifference(left, new Map([['sim01', state('/a file 644 root:wheel x\n/b absent')]]), ['x', 'y'])).toBe('sim02: no state after y');
  });
});
