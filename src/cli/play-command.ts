// `beastie play`: parse, load and validate everything (inventory, playbook, extra vars, limit)
// before any host is contacted — invalid input is exit 5 with nothing run — then run the plays
// with the human or JSON reporter and the run log.
import { relative, resolve } from 'node:path';
import { EXIT_INTERRUPTED, InvalidInputError, InvalidInputErrors } from '../errors.js';
import { resolveLimit } from '../inventory/limit.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { wantsColour } from '../output/colour.js';
import type { Reporter } from '../output/events.js';
import { HumanReporter } from '../output/human-reporter.js';
import { JsonReporter } from '../output/json-reporter.js';
import { FanOutReporter } from '../output/fan-out-reporter.js';
import { HtmlReporter } from '../report/html-reporter.js';
import type { Playbook } from '../playbook/types.js';
import { createRunLogger, logFilePath } from '../log/run-logger.js';
import { inventoryView } from '../runner/inventory-view.js';
import { playHostNames, runPlaybook } from '../runner/run-playbook.js';
import type { RunnerServices } from '../runner/services.js';
import type { TransportFactory } from '../transport/transport.js';
import { HostLocks, newLockRecord, pidAlive } from '../rollout/host-locks.js';
import { RunInterrupt } from '../rollout/interrupt.js';
import { interruptHandlers } from '../rollout/interrupt-handlers.js';
import { defaultRetryPath } from '../rollout/retry-file.js';
import { RetryTap } from '../rollout/retry-tap.js';
import type { CliIO } from './cli-io.js';
import { collectExtraVars } from './extra-vars.js';
import { PLAY_HELP } from './help.js';
import { listHosts, listTasks } from './listings.js';
import { parsePlayArgs, type PlayArgs } from './play-args.js';

/** SSH settings from the command line, for the transport factory. */
export interface SshOptions {
  readonly acceptNewHostKeys: boolean;
  readonly allowPassword: boolean;
  readonly connectTimeoutMs: number | undefined;
  /** Asks for an encrypted private key's passphrase on the terminal; absent without one. */
  readonly askSecret: ((prompt: string) => Promise<string>) | undefined;
}

/** What the play command needs wired in: the playbook loader, the services, the transports. */
export interface PlayWiring {
  /** Loads and validates the whole playbook; throws InvalidInputError(s) with file:line:column. */
  loadPlaybook(path: string, extraVars: Readonly<Record<string, unknown>>): Promise<Playbook>;
  readonly services: RunnerServices;
  transports(options: SshOptions): TransportFactory;
}

/** Run `beastie play`; returns the exit code. Invalid input throws before any host is contacted. */
export async function playCommand(argv: readonly string[], io: CliIO, wiring: PlayWiring): Promise<number> {
  const args = parsePlayArgs(argv);
  if (args === 'help') {
    io.stdout.write(PLAY_HELP);
    return 0;
  }
  const prepared = await prepare(args, io, wiring);
  if (args.mode === 'syntax-check') {
    io.stdout.write(`\nplaybook: ${args.playbook}\n`);
    return 0;
  }
  if (args.mode === 'list-tasks') {
    io.stdout.write(listTasks(prepared.playbook));
    return 0;
  }
  const hostsPerPlay = playHostNames({ playbook: prepared.playbook, inventory: prepared.inventory, services: wiring.services, options: prepared.options });
  if (args.limit !== undefined && hostsPerPlay.every((hosts) => hosts.length === 0)) {
    // As ansible-playbook: a limit that leaves no host to target is an error, not an empty run.
    throw new InvalidInputError(`--limit '${args.limit}' leaves no host of the playbook to target`, {
      fix: 'check the host names (`beastie inventory -i INV --graph`) or the limit file',
    });
  }
  if (args.mode === 'list-hosts') {
    io.stdout.write(listHosts(prepared.playbook, hostsPerPlay));
    return 0;
  }
  const becomePassword = args.askBecomePass ? await askBecomePassword(io) : undefined;
  const live: Reporter = args.json
    ? new JsonReporter(io.stdout)
    : new HumanReporter({ out: io.stdout, colour: wantsColour(io.stdout, io.env), verbosity: args.verbosity, diff: args.diff });
  // --report FILE: the HTML run report sees every event the live output sees, and is written at close.
  const shown: Reporter = args.reportFile === undefined ? live : new FanOutReporter([live, new HtmlReporter(resolve(io.cwd, args.reportFile), { onWriteError: (message) => io.stderr.write(`[WARNING]: ${message}\n`) })]);
  // Every run but --check lists the hosts that did not finish in the retry file (PLAYBOOK.retry).
  const retryPath = resolve(io.cwd, args.retryFile ?? defaultRetryPath(args.playbook));
  const reporter: Reporter = args.check ? shown : new RetryTap(shown, retryPath, relative(io.cwd, retryPath) || retryPath, () => interrupt.interrupted);
  const log = createRunLogger(logFilePath(args.logFile, io.env));
  const transports = wiring.transports({
    acceptNewHostKeys: args.acceptNewHostKeys,
    allowPassword: args.allowPassword,
    connectTimeoutMs: args.connectTimeoutMs,
    askSecret: io.askSecret,
  });
  // Ctrl-C: stop starting work, give running commands --grace, then cut them; twice: exit now.
  const interrupt = new RunInterrupt(
    process,
    args.graceMs,
    interruptHandlers({
      emit: (event) => reporter.emit(event),
      cutConnections: () => transports.closeAll(),
      exitNow: (message) => {
        io.stderr.write(message);
        process.exit(EXIT_INTERRUPTED);
      },
    }),
  );
  try {
    const result = await runPlaybook({
      playbook: prepared.playbook,
      inventory: prepared.inventory,
      services: wiring.services,
      transports,
      // --check changes nothing on the hosts, so it takes no lock either.
      hostLocks: args.check ? undefined : new HostLocks({ self: newLockRecord(), isAlive: pidAlive }, args.breakStaleLocks),
      reporter,
      logger: log.logger,
      options: { ...prepared.options, becomePassword, signal: interrupt.signal },
    });
    return result.exitCode;
  } finally {
    interrupt.dispose();
    await reporter.close?.();
    log.close();
  }
}

/** Everything loaded and checked; nothing contacted yet. */
async function prepare(args: PlayArgs, io: CliIO, wiring: PlayWiring) {
  const playbookPath = resolve(io.cwd, args.playbook);
  // Load everything even when one part fails, so every input error is reported at once. The
  // playbook needs the extra vars (they may name vars_files and imports).
  const extraVarsLoad = collectExtraVars(args.extraVars, io.cwd);
  const [inventory, playbook, extraVars, limit] = await Promise.allSettled([
    loadInventory(resolve(io.cwd, args.inventory)),
    extraVarsLoad.then((vars) => wiring.loadPlaybook(playbookPath, vars)),
    extraVarsLoad,
    args.limit === undefined ? Promise.resolve(undefined) : resolveLimit(args.limit),
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
  return {
    playbook: { ...playbook.value, path: args.playbook },
    inventory: inventoryView(inventory.value),
    options: {
      check: args.check,
      diff: args.diff,
      verbosity: args.verbosity,
      forks: args.forks,
      tags: { only: args.tags, skip: args.skipTags },
      limit: limit.value,
      extraVars: extraVars.value,
      startAtTask: args.startAtTask,
      becomePassword: undefined,
      signal: undefined,
    },
  };
}

/** --ask-become-pass: ask once, before anything runs. */
async function askBecomePassword(io: CliIO): Promise<string> {
  if (io.askSecret === undefined) {
    throw new InvalidInputError('--ask-become-pass needs a terminal to ask on', { fix: 'run beastie from a terminal, or set ansible_become_password in the inventory (vaulted)' });
  }
  return io.askSecret('BECOME password: ');
}
