// One report from two benchmark runs on this machine: the first run's W1 cells (and whatever else
// it measured) plus the second-run cells of a later run (its W2 host counts), when a run had to be
// completed in a second sitting. Each run's own start, end and stop reason stay in the report.
import type { BenchmarkResult } from './benchmark.js';

/**
 * `base` with `extra`'s second-run cells at the W2 host counts where `extra` measured more: a count
 * `base` has none for, or one where `extra` ran a tool `base` left out (Ansible past a deadline).
 * Such a count is taken whole from `extra`, every tool of it, so its ratios stay side by side
 * from one sitting; base's W1 host count is never replaced.
 */
export function mergeResults(base: BenchmarkResult, extra: BenchmarkResult): BenchmarkResult {
  const tools = (run: BenchmarkResult, hosts: number) => new Set(run.samples.filter((s) => s.phase === 'second' && s.hosts === hosts).map((s) => s.tool));
  const extraHosts = new Set(extra.samples.filter((s) => s.phase === 'second').map((s) => s.hosts));
  const hosts = new Set(
    [...extraHosts].filter((count) => {
      if (count === base.options.w1Hosts && base.samples.some((s) => s.hosts === count)) return false;
      const had = tools(base, count);
      return [...tools(extra, count)].some((tool) => !had.has(tool));
    }),
  );
  const added = extra.samples.filter((s) => s.phase === 'second' && hosts.has(s.hosts));
  const kept = base.samples.filter((s) => !(s.phase === 'second' && hosts.has(s.hosts)));
  const note = (text: string) => `(run of ${extra.startedAt}) ${text}`;
  // The later run may be the earlier sitting (a smaller cell run after a bigger one): the report's
  // span ends with whichever finished last, and the added cells name their own sitting's commit.
  const finishedAt = extra.finishedAt > base.finishedAt ? extra.finishedAt : base.finishedAt;
  // The reason's first line; the tool's output that follows it is in each run's JSON.
  const reason = (run: BenchmarkResult) => (run.aborted === undefined ? undefined : `Run of ${run.startedAt}: ${run.aborted.split('\n')[0] ?? ''}`);
  const stops = [reason(base), reason(extra)].filter((s) => s !== undefined);
  return {
    ...base,
    finishedAt,
    options: { ...base.options, w2Hosts: [...new Set([...base.options.w2Hosts, ...hosts])].sort((a, b) => a - b) },
    samples: [...kept, ...added],
    stateChecks: [...base.stateChecks, ...extra.stateChecks.map((c) => ({ ...c, what: note(c.what) }))],
    // What base left out at a count now taken from extra is no longer left out.
    skipped: [...base.skipped.filter((line) => ![...hosts].some((count) => line.includes(` at ${count} hosts:`))), ...extra.skipped.map(note), ...(added.length > 0 ? [`W2 cells at ${[...hosts].sort((a, b) => a - b).join(', ')} hosts come from the run of ${extra.startedAt}, commit ${extra.environment.commit} (${[...new Set(added.map((s) => s.tool))].join(', ')})`] : [])],
    profile: extra.profile ?? base.profile,
    aborted: stops.length === 0 ? undefined : stops.join('\n\n'),
  };
}
