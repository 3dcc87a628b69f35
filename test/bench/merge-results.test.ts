// Merging a later run's W2 cells into a first run's result.
import { describe, expect, it } from 'vitest';
import type { BenchmarkResult, Sample } from '../../bench/benchmark.js';
import { mergeResults } from '../../bench/merge-results.js';

function sample(tool: Sample['tool'], hosts: number, phase: Sample['phase']): Sample {
  return {
    tool,
    hosts,
    phase,
    rep: 1,
    run: { argv: [], exitCode: 0, wallMs: hosts, controllerCpuMs: 1, fleetCpuMs: 1, memory: { rssBytes: 1, pssBytes: 1, processes: 1, samples: 1 }, stdout: '', stderr: '', leftovers: 0, loadBefore: 0 },
    channels: { sessions: 20 * hosts, exec: 20 * hosts, subsystem: 0, connections: hosts, kex: {} },
    recap: undefined,
  };
}

function result(startedAt: string, w2Hosts: number[], samples: Sample[], aborted?: string, finishedAt = `${startedAt}-end`, commit = 'abc'): BenchmarkResult {
  return {
    startedAt,
    finishedAt,
    options: { w1Hosts: 50, w2Hosts, reps: 3, ansible: true, profile: false, compile: true, ansibleReps: {} },
    environment: { node: 'v20', beastie: '0.1.0', beastieBuild: 'compiled', ansible: 'core', python: '3', openssh: '9.2', cpu: 'x', cores: 2, memoryGiB: 1, kernel: 'Linux', commit },
    fleetCpuGroup: 'sim',
    samples,
    stateChecks: [{ what: 'check', hosts: 1, difference: undefined }],
    skipped: [],
    profile: undefined,
    aborted,
  };
}

describe('mergeResults', () => {
  const first = result('t1', [10, 50, 500], [sample('beastie', 50, 'first'), sample('beastie', 50, 'second'), sample('ansible', 50, 'second')], 'beastie first run, 500 hosts: exited 4\n--- stdout (end)\n…');
  const second = result('t2', [10, 500], [sample('beastie', 10, 'first'), sample('beastie', 10, 'second'), sample('floor', 10, 'second'), sample('beastie', 50, 'second'), sample('beastie', 500, 'second')]);
  const merged = mergeResults(first, second);

  it('adds the second-run samples at host counts the first run lacks, and nothing else', () => {
    expect(merged.samples.map((s) => `${s.tool}:${s.hosts}:${s.phase}`)).toEqual([
      'beastie:50:first',
      'beastie:50:second',
      'ansible:50:second',
      'beastie:10:second',
      'floor:10:second',
      'beastie:500:second',
    ]);
    expect(merged.options.w1Hosts).toBe(50);
    expect(merged.options.w2Hosts).toEqual([10, 50, 500]);
  });

  it('keeps where each part came from and why a run stopped (first line only)', () => {
    expect(merged.aborted).toBe('Run of t1: beastie first run, 500 hosts: exited 4');
    expect(merged.skipped.at(-1)).toBe('W2 cells at 10, 500 hosts come from the run of t2, commit abc (beastie, floor)');
    expect(merged.stateChecks.map((c) => c.what)).toEqual(['check', '(run of t2) check']);
  });

  it('spans both sittings when the added one ran first, and names its commit', () => {
    const later = result('2026-12-02T04:49', [5], [sample('beastie', 5, 'second')], undefined, '2026-12-02T05:21');
    const earlier = result('2026-12-02T03:18', [20], [sample('beastie', 20, 'second')], undefined, '2026-12-02T04:46', 'def');
    const both = mergeResults(later, earlier);
    expect([both.startedAt, both.finishedAt]).toEqual(['2026-12-02T04:49', '2026-12-02T05:21']);
    expect(both.skipped.at(-1)).toBe('W2 cells at 20 hosts come from the run of 2026-12-02T03:18, commit def (beastie)');
  });

  it('takes a host count whole from the later sitting where it ran a tool the first left out', () => {
    const withoutAnsible = result('t1', [5, 20], [sample('beastie', 5, 'second'), sample('ansible', 5, 'second'), sample('beastie', 20, 'second'), sample('floor', 20, 'second')]);
    const withAnsible = result('t2', [20], [sample('beastie', 5, 'second'), sample('beastie', 20, 'second'), sample('ansible', 20, 'second'), sample('mitogen', 20, 'second')], undefined, 't2-end', 'def');
    const both = mergeResults({ ...withoutAnsible, options: { ...withoutAnsible.options, w1Hosts: 5 }, skipped: ['Ansible at 20 hosts: 0 of 3 repetitions fit before the deadline (estimated 131 s each)', 'Ansible at 200 hosts: 0 of 3 repetitions fit'] }, withAnsible);
    expect(both.samples.map((s) => `${s.tool}:${s.hosts}:${s.phase}`)).toEqual(['beastie:5:second', 'ansible:5:second', 'beastie:20:second', 'ansible:20:second', 'mitogen:20:second']);
    expect(both.skipped).toEqual(['Ansible at 200 hosts: 0 of 3 repetitions fit', 'W2 cells at 20 hosts come from the run of t2, commit def (beastie, ansible, mitogen)']);
  });
});
