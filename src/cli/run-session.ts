// What `beastie play` and the ad-hoc mode share around one run: the passwords asked before
// anything loads (SSH, become, vault, in ansible's order), the command line's connection and
// become defaults, the transports, the log, Ctrl-C handling, and the run itself through the one
// runner (src/runner/run-playbook.ts).
import { EXIT_INTERRUPTED, InvalidInputError } from '../errors.js';
import type { AnsibleSettings } from '../config/ansible-settings.js';
import { createRunLogger, logFilePath } from '../log/run-logger.js';
import type { Reporter } from '../output/events.js';
import type { SecretValues } from '../output/secret-values.js';
import type { Playbook } from '../playbook/types.js';
import { HostLocks, newLockRecord, pidAlive } from '../runner/host-locks.js';
import { RunInterrupt } from '../interrupt/interrupt.js';
import { interruptHandlers } from '../interrupt/interrupt-handlers.js';
import { runPlaybook, type PlaybookOptions } from '../runner/run-playbook.js';
import type { InventoryView } from '../runner/services.js';
import { CensoringReporter, censorJsonLine } from '../vault/censor.js';
import { ExplainingReporter } from '../explain/explaining-reporter.js';
import { VaultSecrets } from '../vault/vault-keyring.js';
import { loadVaultSecrets, vaultIdList } from '../vault/vault-secret-sources.js';
import type { CliIO } from './cli-io.js';
import { becomeMethod, withBecomeDefaults, withConnectionDefaults, type BecomeDefaults, type ConnectionDefaults } from './command-line-defaults.js';
import type { BECOME_OPTIONS, CONNECTION_OPTIONS, HELP_OPTIONS, INVENTORY_OPTIONS, RUN_OPTIONS, VAULT_OPTIONS } from './common-options.js';
import type { ParsedOptions } from './option-spec.js';
import type { PlayWiring } from './play-wiring.js';

/** The options every running command has (play and ad-hoc). */
export type CommonOptions = ParsedOptions<typeof INVENTORY_OPTIONS & typeof CONNECTION_OPTIONS & typeof BECOME_OPTIONS & typeof VAULT_OPTIONS & typeof RUN_OPTIONS & typeof HELP_OPTIONS>;

/** Secrets and defaults settled before anything is loaded. */
export interface RunPreamble {
  readonly vault: VaultSecrets;
  readonly becomePassword: string | undefined;
  readonly connection: ConnectionDefaults;
  readonly become: BecomeDefaults;
  readonly acceptNewHostKeys: boolean;
  readonly allowPassword: boolean;
}

async function ask(io: CliIO, option: string, prompt: string): Promise<string> {
  if (io.askSecret === undefined) throw new InvalidInputError(`${option} needs a terminal to ask on`, { fix: 'run beastie from a terminal, or give the secret in a file (vaulted)' });
  return io.askSecret(prompt);
}

/** Check the option values and ask for the passwords, before anything is loaded (as ansible does). */
export async function runPreamble(options: CommonOptions, settings: AnsibleSettings, io: CliIO, notes: (line: string) => void): Promise<RunPreamble> {
  const method = becomeMethod(options.becomeMethod, '--become-method');
  if (options.modulePath !== undefined) notes(`-M/--module-path ${options.modulePath} is accepted and ignored: beastie's modules are built in`);
  const sshPassword = options.askPass ? await ask(io, '--ask-pass', 'SSH password: ') : undefined;
  const becomePassword = options.askBecomePass ? await ask(io, '--ask-become-pass', 'BECOME password: ') : undefined;
  const secrets = await loadVaultSecrets(
    vaultIdList({ vaultIds: options.vaultId, passwordFiles: options.vaultPasswordFile, askVaultPass: options.askVaultPass }, false),
    io.cwd,
    io.askSecret,
  );
  const sshArgs = settings.get('ssh_args');
  const common = [typeof sshArgs === 'string' ? sshArgs : undefined, options.sshCommonArgs].filter((a) => a !== undefined && a.trim() !== '').join(' ');
  return {
    vault: new VaultSecrets(secrets),
    becomePassword,
    connection: {
      ...(options.connection === undefined ? {} : { ansible_connection: options.connection }),
      ...(options.user === undefined ? {} : { ansible_user: options.user }),
      ...(options.privateKey === undefined ? {} : { ansible_private_key_file: options.privateKey }),
      ...(common === '' ? {} : { ansible_ssh_common_args: common }),
      ...(options.sshExtraArgs === undefined ? {} : { ansible_ssh_extra_args: options.sshExtraArgs }),
      ...(options.timeout === undefined ? {} : { ansible_timeout: options.timeout }),
      ...(sshPassword === undefined ? {} : { ansible_password: sshPassword }),
    },
    become: { become: options.become, method, user: options.becomeUser },
    // host_key_checking = False: beastie trusts and records unknown keys; a changed key is still refused.
    acceptNewHostKeys: options.acceptNewHostKeys || settings.get('host_key_checking') === false,
    allowPassword: options.allowPassword || sshPassword !== undefined,
  };
}

/** One run to execute: everything loaded and checked, nothing contacted yet. */
export interface SessionRun {
  readonly playbook: Playbook;
  readonly inventory: InventoryView;
  readonly options: Omit<PlaybookOptions, 'becomePassword' | 'signal'>;
  /** What the user sees (human, JSON, ad-hoc), given whether Ctrl-C stopped the run; censored of vault values before it. */
  readonly reporter: (interrupted: () => boolean) => Reporter;
  /** --check takes no host lock; neither does a listing. */
  readonly takeLocks: boolean;
  readonly logFile: string | undefined;
  readonly graceMs: number;
  readonly breakStaleLocks: boolean;
}

/** The values no output may show: what the vault revealed, and the passwords asked for; later additions count. */
export function preambleSecrets(preamble: RunPreamble): SecretValues {
  const secrets = preamble.vault.censored;
  for (const password of [preamble.becomePassword, preamble.connection.ansible_password]) if (password !== undefined) secrets.remember(password);
  return secrets;
}

/** Run through the runner with the preamble's defaults and secrets; returns the exit code. */
export async function runSession(run: SessionRun, preamble: RunPreamble, io: CliIO, wiring: PlayWiring): Promise<number> {
  const revealed = () => preamble.vault.revealed;
  const secrets = preambleSecrets(preamble);
  let interrupt: RunInterrupt | undefined;
  // Recognised failures get their cause and fix (src/explain/) after vault values are censored.
  const reporter = new CensoringReporter(new ExplainingReporter(run.reporter(() => interrupt?.interrupted ?? false)), revealed);
  const log = createRunLogger(logFilePath(run.logFile, io.env), 'debug', (line) => censorJsonLine(line, revealed()));
  const transports = wiring.transports({
    acceptNewHostKeys: preamble.acceptNewHostKeys,
    allowPassword: preamble.allowPassword,
    connectTimeoutMs: undefined,
    askSecret: io.askSecret,
  });
  // Ctrl-C: stop starting work, give running commands --grace, then cut them; twice: exit now.
  interrupt = new RunInterrupt(
    process,
    run.graceMs,
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
      playbook: withBecomeDefaults(run.playbook, preamble.become),
      inventory: withConnectionDefaults(run.inventory, preamble.connection),
      services: wiring.services,
      transports,
      ...(run.takeLocks ? { hostLocks: new HostLocks({ self: newLockRecord(), isAlive: pidAlive }, run.breakStaleLocks) } : {}),
      reporter,
      logger: log.logger,
      options: { ...run.options, becomePassword: preamble.becomePassword, signal: interrupt.signal, secrets, vault: preamble.vault },
    });
    return result.exitCode;
  } finally {
    interrupt.dispose();
    await reporter.close();
    log.close();
  }
}
