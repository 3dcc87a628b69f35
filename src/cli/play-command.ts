// `beastie play`: parse (command line > ANSIBLE_* > ansible.cfg > default), ask the passwords,
// load and validate everything (inventory, playbook, extra vars, limit) before any host is
// contacted — invalid input is exit 5 with nothing run — then run the plays with the human or
// JSON reporter and the run log.
import { checkPlaybookTemplateFiles } from '../template/check-template-files.js';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pythonSysPath } from '../config/python-sys-path.js';
import { InvalidInputError, InvalidInputErrors } from '../errors.js';
import type { AnsibleSettings } from '../config/ansible-settings.js';
import { resolveLimit } from '../inventory/limit.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { wantsColour } from '../output/colour.js';
import type { Reporter } from '../output/events.js';
import { HumanReporter } from '../output/human-reporter.js';
import { JsonReporter } from '../output/json-reporter.js';
import { FanOutReporter } from '../output/fan-out-reporter.js';
import { HtmlReporter } from '../html-report/html-reporter.js';
import { inventoryView } from '../runner/inventory-view.js';
import { playHostNames } from '../runner/run-playbook.js';
import { defaultRetryPath } from '../retry/retry-file.js';
import { RetryTap } from '../retry/retry-tap.js';
import { settingEnvName } from '../config/settings.js';
import { formatSourceRef } from '../source.js';
import type { CliIO } from './cli-io.js';
import { cliConfig } from './cli-config.js';
import { collectExtraVars } from './extra-vars.js';
import { listHosts, listTags, listTasks } from './listings.js';
import { preflightHosts, runPreflight } from './preflight.js';
import { helpText } from './option-spec.js';
import { parsePlayArgs, PLAY_COMMAND, type PlayArgs } from './play-args.js';
import { runPreamble, runSession, type RunPreamble } from './run-session.js';
import { stepper } from './step.js';
import { answerVarsPrompts } from './vars-prompt.js';
import { versionText } from './version.js';
import type { PlayWiring } from './play-wiring.js';

/** `beastie play --help`, from the option table. */
export function playHelp(): string {
  return helpText(PLAY_COMMAND, settingEnvName);
}

/** Run `beastie play`; returns the exit code. Invalid input throws before any host is contacted. */
export async function playCommand(argv: readonly string[], io: CliIO, wiring: PlayWiring): Promise<number> {
  const config = cliConfig(io);
  const args = parsePlayArgs(argv, (name) => config.settings.get(name));
  if (args === 'help') {
    io.stdout.write(playHelp());
    return 0;
  }
  if (args === 'version') {
    io.stdout.write(versionText('play', config.settings.configFile));
    return 0;
  }
  for (const warning of config.warnings) io.stderr.write(`[WARNING]: ${warning}\n`);
  const notes = (line: string) => {
    if (args.options.verbose >= 1) io.stderr.write(`[NOTE]: ${line}\n`);
  };
  for (const note of config.settings.ignoredNotes()) notes(note);
  if (args.options.flushCache) notes('--flush-cache: beastie keeps no fact cache between runs, so there is nothing to flush');
  const preamble = await runPreamble(args.options, config.settings, io, notes);
  const prepared = await prepare(args, io, wiring, preamble, config.settings);
  // A run shows the load warnings as events; the modes that run nothing print them here, as Ansible does.
  if (args.mode !== 'run') for (const warning of prepared.playbook.warnings) io.stderr.write(`[WARNING]: ${formatSourceRef(warning.source)}: ${warning.message}\n`);
  if (args.mode === 'syntax-check') {
    io.stdout.write(`\nplaybook: ${args.playbook}\n`);
    return 0;
  }
  if (args.mode === 'list-tasks') {
    io.stdout.write(listTasks(prepared.playbook));
    return 0;
  }
  if (args.mode === 'list-tags') {
    io.stdout.write(listTags(prepared.playbook));
    return 0;
  }
  const hostsPerPlay = playHostNames({ playbook: prepared.playbook, inventory: prepared.inventory, services: wiring.services, options: prepared.options });
  if (args.options.limit !== undefined && hostsPerPlay.every((hosts) => hosts.length === 0)) {
    // As ansible-playbook: a limit that leaves no host to target is an error, not an empty run.
    throw new InvalidInputError(`--limit '${args.options.limit}' leaves no host of the playbook to target`, {
      fix: 'check the host names (`beastie inventory -i INV --graph`) or the limit file',
    });
  }
  if (args.mode === 'list-hosts') {
    io.stdout.write(listHosts(prepared.playbook, hostsPerPlay));
    return 0;
  }
  const { options } = args;
  if (options.preflight) {
    const refused = await runPreflight(preflightHosts(prepared.playbook, hostsPerPlay), prepared.inventory, preamble, io, wiring, { json: options.json, forks: options.forks });
    if (refused !== undefined) return refused;
  }
  const live: Reporter = options.json
    ? new JsonReporter(io.stdout)
    : new HumanReporter({ out: io.stdout, colour: wantsColour(io.stdout, io.env), verbosity: options.verbose, diff: options.diff });
  // --report FILE: the HTML run report sees every event the live output sees, and is written at close.
  const shown: Reporter = options.report === undefined ? live : new FanOutReporter([live, new HtmlReporter(resolve(io.cwd, options.report), { onWriteError: (message) => io.stderr.write(`[WARNING]: ${message}\n`) })]);
  const retryPath = retryFilePath(args, config.settings, io.cwd);
  const step = options.step ? stepper(io) : undefined;
  // vars_prompt: every question is asked now, before any host is contacted.
  const playbook = await answerVarsPrompts(prepared.playbook, prepared.options.extraVars, io);
  return runSession(
    {
      playbook,
      inventory: prepared.inventory,
      options: { ...prepared.options, ...(step === undefined ? {} : { confirmTask: step }) },
      reporter: (interrupted) =>
        options.check || retryPath === undefined ? shown : new RetryTap(shown, retryPath, relative(io.cwd, retryPath) || retryPath, interrupted),
      takeLocks: !options.check,
      logFile: options.logFile,
      graceMs: options.grace * 1000,
      breakStaleLocks: options.breakStaleLocks,
    },
    preamble,
    io,
    wiring,
  );
}

/**
 * Every run but --check lists the hosts that did not finish in a retry file: --retry-file, else
 * PLAYBOOK.retry beside the playbook or in retry_files_save_path. `retry_files_enabled = False`
 * (ansible.cfg or $ANSIBLE_RETRY_FILES_ENABLED) turns it off; beastie's default is on.
 */
function retryFilePath(args: PlayArgs, settings: AnsibleSettings, cwd: string): string | undefined {
  if (args.options.retryFile !== undefined) return resolve(cwd, args.options.retryFile);
  if (settings.get('retry_files_enabled') === false) return undefined;
  const saveDir = settings.get('retry_files_save_path');
  const beside = resolve(cwd, defaultRetryPath(args.playbook));
  if (typeof saveDir !== 'string') return beside;
  // As ansible-playbook, the save directory is created when missing.
  mkdirSync(saveDir, { recursive: true });
  return join(saveDir, relative(dirname(beside), beside));
}

/** roles_path from ansible.cfg or $ANSIBLE_ROLES_PATH (absolute directories), if set. */
function rolesPathSetting(settings: AnsibleSettings): readonly string[] | undefined {
  const value = settings.get('roles_path');
  return Array.isArray(value) ? value.map(String) : undefined;
}

/**
 * collections_path from $ANSIBLE_COLLECTIONS_PATH(S) or ansible.cfg, else Ansible's default:
 * ANSIBLE_HOME/collections (ANSIBLE_HOME is ~/.ansible unless set) and /usr/share/ansible/collections
 * (ansible-core 2.14 config/base.yml COLLECTIONS_PATHS, ANSIBLE_HOME); then, unless
 * collections_scan_sys_path is false, Python's sys.path (src/config/python-sys-path.ts).
 */
export function collectionsPathSetting(settings: AnsibleSettings, env: NodeJS.ProcessEnv, root = '/'): readonly string[] {
  const value = settings.get('collections_path');
  const configured = settings.get('home');
  const home = typeof configured === 'string' ? configured : join(env['HOME'] ?? '/', '.ansible');
  const paths = Array.isArray(value) ? value.map(String) : [join(home, 'collections'), '/usr/share/ansible/collections'];
  return settings.get('collections_scan_sys_path') === false ? paths : [...paths, ...pythonSysPath(env, root)];
}

/** Everything loaded and checked; nothing contacted yet. */
async function prepare(args: PlayArgs, io: CliIO, wiring: PlayWiring, preamble: RunPreamble, settings: AnsibleSettings) {
  const playbookPath = resolve(io.cwd, args.playbook);
  // Load everything even when one part fails, so every input error is reported at once. The
  // playbook needs the extra vars (they may name vars_files and imports).
  const extraVarsLoad = collectExtraVars(args.options.extraVars, io.cwd, preamble.vault);
  const [inventory, playbook, extraVars, limit] = await Promise.allSettled([
    loadInventory(
      args.options.inventory.map((path) => (path.includes(',') ? path : resolve(io.cwd, path))),
      // group_vars/ and host_vars/ beside the playbook apply too, as in Ansible.
      { vault: preamble.vault, playbookDir: dirname(playbookPath) },
    ),
    extraVarsLoad.then((vars) => wiring.loadPlaybook(playbookPath, { extraVars: vars, vault: preamble.vault, rolesPath: rolesPathSetting(settings), collectionsPath: collectionsPathSetting(settings, io.env) })),
    extraVarsLoad,
    args.options.limit === undefined ? Promise.resolve(undefined) : resolveLimit(args.options.limit),
  ]);
  // A bad -e rejects the playbook load too: report it once.
  const failures = [...new Set([inventory, playbook, extraVars, limit].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])))];
  const first = failures[0];
  if (first !== undefined) {
    const inputErrors = failures.filter((f): f is InvalidInputError => f instanceof InvalidInputError);
    if (inputErrors.length !== failures.length) throw first;
    if (inputErrors.length === 1) throw inputErrors[0];
    throw new InvalidInputErrors(inputErrors);
  }
  if (inventory.status !== 'fulfilled' || playbook.status !== 'fulfilled' || extraVars.status !== 'fulfilled' || limit.status !== 'fulfilled') {
    throw new Error('unreachable: a rejected load was not reported');
  }
  // Template files the play reaches are parsed now, so their syntax errors stop the run (and
  // --syntax-check) at the template's own line before any host is contacted.
  const templateErrors = checkPlaybookTemplateFiles(playbook.value);
  if (templateErrors.length === 1) throw templateErrors[0];
  if (templateErrors.length > 1) throw new InvalidInputErrors(templateErrors);
  return {
    playbook: { ...playbook.value, path: args.playbook },
    inventory: inventoryView(inventory.value),
    options: {
      check: args.options.check,
      diff: args.options.diff,
      verbosity: args.options.verbose,
      forks: args.options.forks,
      tags: { only: args.tags, skip: args.skipTags },
      limit: limit.value,
      extraVars: extraVars.value,
      startAtTask: args.options.startAtTask,
      // Ansible's default is on: a changed task notifying no handler ends the run.
      errorOnMissingHandler: settings.get('error_on_missing_handler') !== false,
      becomePassword: undefined,
      signal: undefined,
    },
  };
}
