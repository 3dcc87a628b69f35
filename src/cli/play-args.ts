// `beastie play`: its option table (ansible-playbook's options plus beastie's own) and what the
// parsed command line means. The help text and the parsed type come from the same table.
import { InvalidInputError } from '../errors.js';
import { BECOME_OPTIONS, CONNECTION_OPTIONS, HELP_OPTIONS, INVENTORY_OPTIONS, RUN_OPTIONS, VAULT_OPTIONS } from './common-options.js';
import { defineCommand, parseCommandLine, type ParsedOptions, type SettingLookup } from './option-spec.js';

/** `beastie play`, declared once. */
export const PLAY_COMMAND = defineCommand({
  name: 'play',
  usage: 'beastie play PLAYBOOK -i INVENTORY [options]',
  summary: 'Run a playbook, as ansible-playbook does. Options fall back to their ANSIBLE_* variable, then ansible.cfg.',
  options: {
    ...INVENTORY_OPTIONS,
    tags: { type: 'string', short: 't', repeatable: true, arg: 'TAGS', help: 'only tasks with these tags (comma separated)' },
    'skip-tags': { type: 'string', repeatable: true, arg: 'TAGS', help: 'skip tasks with these tags' },
    'start-at-task': { type: 'string', arg: 'NAME', help: 'skip the tasks before the first task of this name (glob allowed)' },
    step: { type: 'boolean', help: 'confirm each task on the terminal before it runs' },
    'list-hosts': { type: 'boolean', help: 'print the hosts each play targets, run nothing' },
    'list-tasks': { type: 'boolean', help: 'print the tasks each play would run, run nothing' },
    'list-tags': { type: 'boolean', help: 'print the tags of each play, run nothing' },
    'syntax-check': { type: 'boolean', help: 'load and validate the playbook, run nothing' },
    'flush-cache': { type: 'boolean', help: 'accepted: beastie keeps no fact cache between runs' },
    preflight: { type: 'boolean', help: "before any change, run doctor's CPU and IOMMU checks on the hosts of plays using the bhyve modules; refuse the run (exit 2) on an error" },
    ...RUN_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...BECOME_OPTIONS,
    ...VAULT_OPTIONS,
    'retry-file': { type: 'string', arg: 'PATH', help: 'where to list the hosts that did not finish (default PLAYBOOK.retry)' },
    grace: { type: 'integer', default: 30, arg: 'S', help: 'after Ctrl-C, seconds running commands may take to finish' },
    'break-stale-locks': { type: 'boolean', help: 'take over host locks left by runs that are gone' },
    report: { type: 'string', arg: 'FILE', help: 'write a self-contained HTML run report (timeline, failures, diffs, recap)' },
    ...HELP_OPTIONS,
  },
});

/** The parsed options of `beastie play`, typed from {@link PLAY_COMMAND}. */
export type PlayOptions = ParsedOptions<typeof PLAY_COMMAND.options>;

/** What `beastie play` was asked to do. */
export interface PlayArgs {
  readonly playbook: string;
  readonly mode: 'run' | 'list-hosts' | 'list-tasks' | 'list-tags' | 'syntax-check';
  readonly options: PlayOptions;
  /** -t and --skip-tags, comma lists split. */
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  /** Option names the command line itself gave (not from the environment or ansible.cfg). */
  readonly given: ReadonlySet<string>;
}

function usage(message: string): InvalidInputError {
  return new InvalidInputError(message, { fix: 'run `beastie play --help` for the options' });
}

/** Comma-separated, repeatable tag lists → one list. */
export function tagList(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
}

/** At least `min`; options named as the user wrote them. */
export function atLeast(value: number, min: number, option: string): number {
  if (value < min) throw usage(`${option} must be ${min === 1 ? 'a positive whole number' : `at least ${min}`}, got ${value}`);
  return value;
}

/** Parse `beastie play` arguments; 'help' and 'version' when asked. Usage errors are InvalidInputError. */
export function parsePlayArgs(argv: readonly string[], settings?: SettingLookup): PlayArgs | 'help' | 'version' {
  const { options, positionals, given } = parseCommandLine(PLAY_COMMAND, argv, settings);
  if (options.help) return 'help';
  if (options.version) return 'version';
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw usage(positionals.length === 0 ? 'no playbook given' : `one playbook at a time, got ${positionals.join(' ')}`);
  }
  if (options.inventory.length === 0) throw usage('no inventory given (-i INVENTORY, $ANSIBLE_INVENTORY or ansible.cfg inventory)');
  const modes = (['list-hosts', 'list-tasks', 'list-tags', 'syntax-check'] as const).filter((mode) => given.has(mode));
  if (modes.length > 1) throw usage(`--${modes.join(' and --')} cannot be combined`);
  atLeast(options.forks, 1, '--forks');
  atLeast(options.grace, 1, '--grace');
  if (options.timeout !== undefined) atLeast(options.timeout, 1, '--timeout');
  return {
    playbook: positionals[0],
    mode: modes[0] ?? 'run',
    options,
    tags: tagList(options.tags),
    skipTags: tagList(options.skipTags),
    given,
  };
}
