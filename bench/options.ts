// `npm run bench -- [options]`: what to run, parsed from the command line.
import { parseArgs } from 'node:util';

/** The command line's choices. */
export interface CliOptions {
  readonly w1Hosts: number;
  readonly w2Hosts: readonly number[];
  readonly reps: number;
  readonly ansible: boolean;
  readonly ansibleReps: ReadonlyMap<number, number>;
  readonly deadline?: number;
  readonly profile: boolean;
  readonly out: string;
  readonly chart: string;
  readonly json: string;
  /** Render the report from a saved result (--json of an earlier, possibly cut-short, run) instead of running. */
  readonly reportFrom: string | undefined;
}

/** Usage text. */
export const USAGE = `usage: npm run bench -- [options]
  --w1-hosts N          hosts for W1's first and second run (default 50)
  --hosts A,B,…         W2 host counts (default 10,50,200,500)
  --reps N              repetitions per cell, median reported (default 3)
  --ansible-reps H:N,…  fewer Ansible repetitions at some W2 host counts (e.g. 500:1)
  --deadline HH:MM      (UTC) skip Ansible W2 repetitions that would not finish by then
  --no-ansible          beastie and the floor only
  --no-profile          skip the node --cpu-prof run
  --quick               --w1-hosts 5 --hosts 2,5,10 --reps 1 (a check that everything works)
  --out FILE            the report (default BENCHMARKS.md)
  --chart FILE          the SVG chart (default bench/chart.svg)
  --json FILE           every sample, saved after each run (default bench/results/result.json)
  --report-from F[,F2]  write the report and chart from saved --json files, without running
                        (F2's second-run cells at host counts F lacks are added)
`;

function positive(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} expects a whole number ≥ 1, got ${JSON.stringify(value)}\n${USAGE}`);
  return number;
}

/**
 * The next UTC time HH:MM as epoch ms: today's, or tomorrow's when today's has passed (a sitting
 * started at 23:40 with --deadline 00:10 means ten past midnight, not a deadline already gone).
 */
export function deadlineAt(value: string, now: Date = new Date()): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!match) throw new Error(`--deadline expects HH:MM (UTC), got ${JSON.stringify(value)}`);
  const date = new Date(now.getTime());
  date.setUTCHours(Number(match[1]), Number(match[2]), 0, 0);
  if (date.getTime() <= now.getTime()) date.setUTCDate(date.getUTCDate() + 1);
  return date.getTime();
}

/** Parse `argv` (after `npm run bench --`). */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'w1-hosts': { type: 'string' },
      hosts: { type: 'string' },
      reps: { type: 'string' },
      'ansible-reps': { type: 'string' },
      deadline: { type: 'string' },
      'no-ansible': { type: 'boolean' },
      'no-profile': { type: 'boolean' },
      quick: { type: 'boolean' },
      out: { type: 'string' },
      chart: { type: 'string' },
      json: { type: 'string' },
      'report-from': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick === true;
  const ansibleReps = new Map<number, number>();
  for (const pair of (values['ansible-reps'] ?? '').split(',').filter(Boolean)) {
    const [hosts, reps] = pair.split(':');
    ansibleReps.set(positive(hosts ?? '', 'ansible-reps'), positive(reps ?? '', 'ansible-reps'));
  }
  return {
    w1Hosts: positive(values['w1-hosts'] ?? (quick ? '5' : '50'), 'w1-hosts'),
    w2Hosts: (values.hosts ?? (quick ? '2,5,10' : '10,50,200,500')).split(',').map((h) => positive(h, 'hosts')),
    reps: positive(values.reps ?? (quick ? '1' : '3'), 'reps'),
    ansible: values['no-ansible'] !== true,
    ansibleReps,
    ...(values.deadline === undefined ? {} : { deadline: deadlineAt(values.deadline) }),
    profile: values['no-profile'] !== true,
    out: values.out ?? 'BENCHMARKS.md',
    chart: values.chart ?? 'bench/chart.svg',
    json: values.json ?? 'bench/results/result.json',
    reportFrom: values['report-from'],
  };
}
