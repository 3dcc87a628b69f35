// `npm run bench`: run the benchmark on a simulated fleet and write BENCHMARKS.md, the SVG chart
// and every sample as JSON (bench/README in BENCHMARKS.md, "How it was measured").
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from './bench-fleet.js';
import { runBenchmark, type BenchmarkResult } from './benchmark.js';
import { renderChart } from './chart.js';
import { parseCliOptions, USAGE } from './options.js';
import { mergeResults } from './merge-results.js';
import { chartSeries, renderReport } from './report.js';

/** Tasks in W1's beastie playbook (its single play). */
async function w1Tasks(): Promise<number> {
  const plays = parse(await readFile(join(PROJECT_ROOT, 'bench', 'workloads', 'w1.beastie.yml'), 'utf8')) as { tasks: unknown[] }[];
  return plays[0]?.tasks.length ?? 0;
}

/** Saved results, merged in order (bench/merge-results.ts). */
async function loadResults(files: readonly string[]): Promise<BenchmarkResult> {
  const results = await Promise.all(files.map(async (file) => JSON.parse(await readFile(resolve(PROJECT_ROOT, file), 'utf8')) as BenchmarkResult));
  const [first, ...rest] = results;
  if (first === undefined) throw new Error('--report-from needs at least one file');
  return rest.reduce(mergeResults, first);
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  const options = parseCliOptions(argv);
  const log = (line: string) => process.stderr.write(`bench ${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const out = resolve(PROJECT_ROOT, options.out);
  const chart = resolve(PROJECT_ROOT, options.chart);
  const json = resolve(PROJECT_ROOT, options.json);
  for (const file of [out, chart, json]) await mkdir(dirname(file), { recursive: true });
  const save = (partial: BenchmarkResult) => writeFile(json, `${JSON.stringify(partial, null, 2)}\n`);
  const result =
    options.reportFrom === undefined
      ? await runBenchmark({ ...options, mitogen: options.ansible, compile: true, workDir: await mkdtemp(join(tmpdir(), 'bb-')), log, onProgress: save })
      : await loadResults(options.reportFrom.split(','));
  await save(result);
  const analysis = await readFile(join(PROJECT_ROOT, 'bench', 'analysis.md'), 'utf8').catch(() => undefined);
  const env = result.environment;
  await writeFile(
    chart,
    renderChart(
      `W1 second run (${await w1Tasks()} tasks, nothing changes): wall time vs hosts`,
      `median of repetitions, whiskers min–max · ${env.cores} cores shared with the simulated hosts · ${result.startedAt.slice(0, 10)}`,
      chartSeries(result),
    ),
  );
  await writeFile(
    out,
    renderReport({
      result,
      tasks: await w1Tasks(),
      chartPath: relative(dirname(out), chart),
      analysis,
      command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    }),
  );
  log(`wrote ${relative(PROJECT_ROOT, out)}, ${relative(PROJECT_ROOT, chart)}, ${relative(PROJECT_ROOT, json)}`);
  if (result.aborted !== undefined) process.exitCode = 1;
  const differences = result.stateChecks.filter((c) => c.difference !== undefined);
  if (differences.length > 0) {
    log(`the tools left different state: ${differences.map((d) => d.what).join('; ')}`);
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
