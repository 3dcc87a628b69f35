// `beastie doctor -i INVENTORY [--limit P] [--jail NAME] [--json] [--report FILE]`: read every host
// (read-only, two round trips at most) and report each pitfall of the bhyve-in-a-jail chain with
// its evidence and its fix (src/doctor/). Exit 0 when no host has an error finding (warnings
// alone pass), 2 when one has, 4 when a host could not be reached and none has an error, 5 for
// bad input.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { settingEnvName } from '../config/settings.js';
import { resolveLimit } from '../inventory/limit.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { painter, wantsColour } from '../output/colour.js';
import { inventoryView } from '../runner/inventory-view.js';
import type { InventoryView } from '../runner/services.js';
import { lazyVars } from '../runner/lazy-vars.js';
import { ALL_CHECKS } from '../doctor/checks/all.js';
import { doctorExitCode } from '../doctor/diagnosis-summary.js';
import { doctorReportHtml } from '../doctor/html-report.js';
import { renderDoctor } from '../doctor/human-output.js';
import { doctorJsonLines } from '../doctor/json-output.js';
import { runDoctor, type DoctorTarget } from '../doctor/run-doctor.js';
import type { CliIO } from './cli-io.js';
import { cliConfig } from './cli-config.js';
import { withConnectionDefaults } from './command-line-defaults.js';
import { BECOME_OPTIONS, CONNECTION_OPTIONS, HELP_OPTIONS, INVENTORY_OPTIONS, VAULT_OPTIONS } from './common-options.js';
import { defineCommand, helpText, parseCommandLine } from './option-spec.js';
import type { PlayWiring } from './play-wiring.js';
import { atLeast } from './play-args.js';
import { preambleSecrets, runPreamble, type RunPreamble } from './run-session.js';
import { censor } from '../vault/censor.js';

/** `beastie doctor`, declared once. */
export const DOCTOR_COMMAND = defineCommand({
  name: 'doctor',
  usage: 'beastie doctor -i INVENTORY [--limit PATTERN] [--jail NAME] [--json] [--report FILE]',
  summary: 'Examine hosts for the pitfalls of bhyve in a jail (read-only); each finding has its evidence and a fix to paste.',
  options: {
    ...INVENTORY_OPTIONS,
    jail: { type: 'string', arg: 'NAME', help: 'examine this jail (default: every jail with allow.vmm)' },
    json: { type: 'boolean', help: 'JSON Lines on stdout: one doctor_host object per host, then doctor_recap' },
    report: { type: 'string', arg: 'FILE', help: 'also write the findings as a self-contained HTML page' },
    forks: { type: 'integer', short: 'f', default: 50, arg: 'N', setting: 'forks', help: 'hosts examined at once' },
    ...CONNECTION_OPTIONS,
    ...BECOME_OPTIONS,
    ...VAULT_OPTIONS,
    ...HELP_OPTIONS,
  },
  epilog: `Checks:\n${ALL_CHECKS.map((check) => `  ${check.id.padEnd(22)} ${check.summary}`).join('\n')}\n\nExit codes: 0 no host has an error finding (warnings alone pass), 2 a host has one,\n4 a host was unreachable (and none has an error), 5 invalid input.`,
});

/** Run `beastie doctor`; returns the exit code. */
export async function doctorCommand(argv: readonly string[], io: CliIO, wiring: PlayWiring): Promise<number> {
  const config = cliConfig(io);
  const { options, positionals } = parseCommandLine(DOCTOR_COMMAND, argv, (name) => config.settings.get(name));
  if (options.help) {
    io.stdout.write(helpText(DOCTOR_COMMAND, settingEnvName));
    return 0;
  }
  const usage = (message: string) => new InvalidInputError(message, { fix: 'run `beastie doctor -i INVENTORY [--limit PATTERN] [--jail NAME]` (see `beastie doctor --help`)' });
  if (positionals.length > 0) throw usage(`beastie doctor takes no arguments, got '${positionals.join(' ')}'`);
  if (options.inventory.length === 0) throw usage('no inventory given (-i INVENTORY, $ANSIBLE_INVENTORY or ansible.cfg inventory)');
  if (options.jail !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(options.jail)) throw usage(`--jail ${JSON.stringify(options.jail)} is not a jail name`);
  atLeast(options.forks, 1, '--forks');
  for (const warning of config.warnings) io.stderr.write(`[WARNING]: ${warning}\n`);
  const preamble = await runPreamble({ ...options, extraVars: [], check: false, diff: false, verbose: 0, logFile: undefined, modulePath: undefined, version: false }, config.settings, io, () => undefined);
  const [inventory, limit] = await Promise.all([
    loadInventory(options.inventory.map((path) => (path.includes(',') ? path : resolve(io.cwd, path))), { vault: preamble.vault }),
    options.limit === undefined ? Promise.resolve(undefined) : resolveLimit(options.limit),
  ]);
  const view = inventoryView(inventory);
  const hosts = view.selectHosts('all', limit);
  if (hosts.length === 0) throw usage(options.limit === undefined ? 'the inventory has no hosts' : `--limit ${options.limit} leaves no host to examine`);
  const targets = doctorTargets(view, hosts, preamble, wiring);
  const transports = wiring.transports({ acceptNewHostKeys: preamble.acceptNewHostKeys, allowPassword: preamble.allowPassword, connectTimeoutMs: undefined, askSecret: io.askSecret });
  // As play's output: no vault value or password reaches the terminal, --json or the report, whatever
  // host file or error message carries it (a vaulted ansible_host in an unreachable host's error).
  const secrets = preambleSecrets(preamble);
  for (const target of targets) for (const password of [target.connection.password, target.become?.password]) if (password !== undefined) secrets.remember(password);
  const diagnoses = censor(await runDoctor(targets, { checks: ALL_CHECKS, transports, jail: options.jail, forks: options.forks }), secrets.values);
  io.stdout.write(options.json ? doctorJsonLines(diagnoses) : renderDoctor(diagnoses, painter(wantsColour(io.stdout, io.env))));
  if (options.report !== undefined) writeFileSync(resolve(io.cwd, options.report), doctorReportHtml(diagnoses, new Date()));
  return doctorExitCode(diagnoses);
}

/** How to reach each host and become root there, from the inventory and the command line; a bad ansible_port is invalid input before any host is contacted. */
export function doctorTargets(inventory: InventoryView, hosts: readonly string[], preamble: RunPreamble, wiring: PlayWiring): DoctorTarget[] {
  const view = withConnectionDefaults(inventory, preamble.connection);
  return hosts.map((host) => {
    const vars = lazyVars({ ...view.hostVars(host) }, wiring.services.templates, view.sourceOf(host));
    const become = view.become(host, vars);
    const wanted = become.become ?? preamble.become.become;
    const user = become.user ?? preamble.become.user;
    const password = become.password ?? preamble.becomePassword;
    return {
      host,
      connection: view.connection(host, vars),
      become: wanted ? { method: become.method ?? preamble.become.method ?? 'sudo', ...(user === undefined ? {} : { user }), ...(password === undefined ? {} : { password }) } : undefined,
    };
  });
}
