// The ad-hoc mode, `beastie PATTERN -i INVENTORY -m MODULE -a ARGS`, as ansible's own command
// line: a one-task play (hosts: PATTERN, gather_facts: false, the module with its arguments) that
// goes through the same loader — module names, FQCNs, free-form and key=value arguments,
// validation — and the same runner as `beastie play`. `-m` defaults to command; `-m setup`
// gathers the facts and shows them.
import { resolve } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { settingEnvName } from '../config/settings.js';
import { resolveLimit } from '../inventory/limit.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { JsonReporter } from '../output/json-reporter.js';
import { inventoryView } from '../runner/inventory-view.js';
import { playHostNames } from '../runner/run-playbook.js';
import { AdhocReporter } from './adhoc-reporter.js';
import type { CliIO } from './cli-io.js';
import { cliConfig } from './cli-config.js';
import { BECOME_OPTIONS, CONNECTION_OPTIONS, HELP_OPTIONS, INVENTORY_OPTIONS, RUN_OPTIONS, VAULT_OPTIONS } from './common-options.js';
import { collectExtraVars } from './extra-vars.js';
import { defineCommand, helpText, parseCommandLine } from './option-spec.js';
import type { PlayWiring } from './play-wiring.js';
import { atLeast } from './play-args.js';
import { runPreamble, runSession } from './run-session.js';
import { versionText } from './version.js';

/** The ad-hoc mode, declared once. */
export const ADHOC_COMMAND = defineCommand({
  name: 'PATTERN',
  usage: 'beastie PATTERN -i INVENTORY [-m MODULE] [-a ARGS] [options]',
  summary: 'Run one module on the hosts matching PATTERN, as `ansible PATTERN -m MODULE -a ARGS` does.',
  options: {
    ...INVENTORY_OPTIONS,
    'module-name': { type: 'string', short: 'm', default: 'command', arg: 'MODULE', help: 'the module to run' },
    args: { type: 'string', short: 'a', arg: 'ARGS', help: 'its arguments: key=value pairs, free-form text for command/shell/raw, or a JSON mapping' },
    'one-line': { type: 'boolean', short: 'o', help: 'one line per host' },
    tree: { type: 'string', short: 't', arg: 'DIR', help: 'write each host\'s result as JSON to DIR/HOST' },
    'list-hosts': { type: 'boolean', help: 'print the matching hosts, run nothing' },
    ...RUN_OPTIONS,
    ...CONNECTION_OPTIONS,
    ...BECOME_OPTIONS,
    ...VAULT_OPTIONS,
    ...HELP_OPTIONS,
  },
  epilog: 'Exit codes as ansible: 0 ok, 2 a host failed, 4 a host was unreachable, 5 invalid input.',
});

const SETUP_NAMES = new Set(['setup', 'ansible.builtin.setup', 'ansible.legacy.setup', 'gather_facts', 'ansible.builtin.gather_facts']);

/** Ansible reads `-a '{"k": 1}'` as JSON when it is a mapping, else as key=value / free-form text. */
function moduleArgs(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return null;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    } catch {
      // Not JSON: key=value text after all.
    }
  }
  return text;
}

/** The one-task playbook, as YAML text (JSON scalars, so no value is re-read as YAML syntax). */
export function adhocPlaybookText(pattern: string, module: string, args: string | undefined): string {
  const setup = SETUP_NAMES.has(module);
  const task = setup ? `{ "debug": { "var": "ansible_facts" } }` : `{ ${JSON.stringify(module)}: ${JSON.stringify(moduleArgs(args))} }`;
  return ['- name: Ansible Ad-Hoc', `  hosts: ${JSON.stringify(pattern)}`, `  gather_facts: ${setup ? 'true' : 'false'}`, '  tasks:', `    - ${task}`, ''].join('\n');
}

/** Run the ad-hoc mode; `argv` starts with the pattern (options may come first, as with ansible). */
export async function adhocCommand(argv: readonly string[], io: CliIO, wiring: PlayWiring): Promise<number> {
  const config = cliConfig(io);
  const { options, positionals } = parseCommandLine(ADHOC_COMMAND, argv, (name) => config.settings.get(name));
  if (options.help) {
    io.stdout.write(helpText(ADHOC_COMMAND, settingEnvName));
    return 0;
  }
  if (options.version) {
    io.stdout.write(versionText('', config.settings.configFile).replace('beastie  [', 'beastie ['));
    return 0;
  }
  const usage = (message: string) => new InvalidInputError(message, { fix: 'run `beastie PATTERN -i INVENTORY -m MODULE -a ARGS` (see `beastie all --help`)' });
  if (positionals.length !== 1 || positionals[0] === undefined) throw usage(positionals.length === 0 ? 'no host pattern given' : `one host pattern at a time, got ${positionals.join(' ')}`);
  const pattern = positionals[0];
  if (options.inventory.length === 0) throw usage('no inventory given (-i INVENTORY, $ANSIBLE_INVENTORY or ansible.cfg inventory)');
  atLeast(options.forks, 1, '--forks');
  for (const warning of config.warnings) io.stderr.write(`[WARNING]: ${warning}\n`);
  const notes = (line: string) => {
    if (options.verbose >= 1) io.stderr.write(`[NOTE]: ${line}\n`);
  };
  for (const note of config.settings.ignoredNotes()) notes(note);
  const module = options.moduleName;
  if (['command', 'shell', 'raw', 'ansible.builtin.command', 'ansible.builtin.shell', 'ansible.builtin.raw'].includes(module) && (options.args ?? '').trim() === '') {
    throw usage(`No argument passed to ${module} module`);
  }
  const preamble = await runPreamble(options, config.settings, io, notes);
  const extraVars = await collectExtraVars(options.extraVars, io.cwd, preamble.vault);
  const where = resolve(io.cwd, '(ad-hoc command line)');
  const [inventory, playbook, limit] = await Promise.all([
    loadInventory(options.inventory.map((path) => (path.includes(',') ? path : resolve(io.cwd, path))), { vault: preamble.vault }),
    wiring.loadPlaybook(where, { extraVars, vault: preamble.vault, text: adhocPlaybookText(pattern, module, options.args) }),
    options.limit === undefined ? Promise.resolve(undefined) : resolveLimit(options.limit),
  ]);
  const view = inventoryView(inventory);
  const runOptions = {
    check: options.check,
    diff: options.diff,
    verbosity: options.verbose,
    forks: options.forks,
    tags: { only: [], skip: [] },
    limit,
    extraVars,
    startAtTask: undefined,
    reportResults: true,
  };
  const [hosts = []] = playHostNames({ playbook, inventory: view, services: wiring.services, options: { ...runOptions, becomePassword: undefined, signal: undefined } });
  if (options.listHosts) {
    io.stdout.write(`  hosts (${hosts.length}):\n${hosts.map((host) => `    ${host}\n`).join('')}`);
    return 0;
  }
  if (hosts.length === 0) {
    // As ansible: nothing to do is a warning and exit 0.
    io.stderr.write('[WARNING]: No hosts matched, nothing to do\n');
    return 0;
  }
  return runSession(
    {
      playbook,
      inventory: view,
      options: runOptions,
      reporter: () =>
        options.json
          ? new JsonReporter(io.stdout)
          : new AdhocReporter(io.stdout, io.stderr, { oneLine: options.oneLine, tree: options.tree === undefined ? undefined : resolve(io.cwd, options.tree), module, setup: SETUP_NAMES.has(module) }),
      takeLocks: !options.check,
      logFile: options.logFile,
      graceMs: 30_000,
      breakStaleLocks: false,
    },
    preamble,
    io,
    wiring,
  );
}
