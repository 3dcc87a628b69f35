// `beastie play` options, parsed with node:util parseArgs (built into Node 20: no dependency for
// a flat option list; strict mode rejects unknown options, which is exit 5).
import { parseArgs } from 'node:util';
import { InvalidInputError } from '../errors.js';

const playOptions = {
  inventory: { type: 'string', short: 'i' },
  limit: { type: 'string', short: 'l' },
  tags: { type: 'string', short: 't', multiple: true },
  'skip-tags': { type: 'string', multiple: true },
  check: { type: 'boolean', short: 'C' },
  diff: { type: 'boolean', short: 'D' },
  forks: { type: 'string', short: 'f' },
  'extra-vars': { type: 'string', short: 'e', multiple: true },
  'start-at-task': { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v', multiple: true },
  'list-hosts': { type: 'boolean' },
  'list-tasks': { type: 'boolean' },
  'syntax-check': { type: 'boolean' },
  'log-file': { type: 'string' },
  'accept-new-host-keys': { type: 'boolean' },
  'ask-become-pass': { type: 'boolean', short: 'K' },
  'allow-password': { type: 'boolean' },
  'connect-timeout': { type: 'string' },
  'retry-file': { type: 'string' },
  grace: { type: 'string' },
  'break-stale-locks': { type: 'boolean' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What `beastie play` was asked to do. */
export interface PlayArgs {
  readonly playbook: string;
  readonly inventory: string;
  readonly limit: string | undefined;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly check: boolean;
  readonly diff: boolean;
  readonly forks: number;
  readonly extraVars: readonly string[];
  readonly startAtTask: string | undefined;
  readonly json: boolean;
  readonly verbosity: number;
  readonly mode: 'run' | 'list-hosts' | 'list-tasks' | 'syntax-check';
  readonly logFile: string | undefined;
  readonly acceptNewHostKeys: boolean;
  readonly askBecomePass: boolean;
  readonly allowPassword: boolean;
  readonly connectTimeoutMs: number | undefined;
  /** Where the retry file goes; beside the playbook (PLAYBOOK.retry) when absent. */
  readonly retryFile: string | undefined;
  /** After a Ctrl-C, how long running commands may still take before their connections are cut. */
  readonly graceMs: number;
  /** Take over host locks left by runs that are gone. */
  readonly breakStaleLocks: boolean;
  /** --report FILE: write the self-contained HTML run report there when the run ends. */
  readonly reportFile: string | undefined;
}

function usage(message: string): InvalidInputError {
  return new InvalidInputError(message, { fix: 'run `beastie play --help` for the options' });
}

function positiveInteger(value: string, option: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw usage(`${option} must be a positive whole number, got '${value}'`);
  return Number(value);
}

/** Comma-separated, repeatable tag lists → one list. */
function tagList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((value) => value.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
}

/** Parse `beastie play` arguments; `'help'` when --help was asked. Usage errors are InvalidInputError. */
export function parsePlayArgs(argv: readonly string[]): PlayArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: playOptions, allowPositionals: true, strict: true });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw usage(positionals.length === 0 ? 'no playbook given' : `one playbook at a time, got ${positionals.join(' ')}`);
  }
  if (values.inventory === undefined) throw usage('no inventory given (-i INVENTORY)');
  const modes = (['list-hosts', 'list-tasks', 'syntax-check'] as const).filter((mode) => values[mode] === true);
  if (modes.length > 1) throw usage(`--${modes.join(' and --')} cannot be combined`);
  return {
    playbook: positionals[0],
    inventory: values.inventory,
    limit: values.limit,
    tags: tagList(values.tags),
    skipTags: tagList(values['skip-tags']),
    check: values.check ?? false,
    diff: values.diff ?? false,
    forks: values.forks === undefined ? 50 : positiveInteger(values.forks, '--forks'),
    extraVars: values['extra-vars'] ?? [],
    startAtTask: values['start-at-task'],
    json: values.json ?? false,
    verbosity: values.verbose?.length ?? 0,
    mode: modes[0] ?? 'run',
    logFile: values['log-file'],
    acceptNewHostKeys: values['accept-new-host-keys'] ?? false,
    askBecomePass: values['ask-become-pass'] ?? false,
    allowPassword: values['allow-password'] ?? false,
    connectTimeoutMs: values['connect-timeout'] === undefined ? undefined : positiveInteger(values['connect-timeout'], '--connect-timeout') * 1000,
    retryFile: values['retry-file'],
    graceMs: values.grace === undefined ? 30_000 : positiveInteger(values.grace, '--grace') * 1000,
    breakStaleLocks: values['break-stale-locks'] ?? false,
    reportFile: values.report,
  };
}
