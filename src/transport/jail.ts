// The jail wrapper: a task with `jail: NAME` runs through `jexec NAME /bin/sh -c …` on its host,
// and its files are written and read inside the jail too, so the jail's own root resolves every path.
import { sh, type Command } from '../command/command.js';
import { CommandFailedError } from '../errors.js';
import { scriptCommand } from '../command/script-argument.js';
import { installFileCommand, putInstallFile } from './install-file.js';
import type { CommandResult, PutOptions, RunOptions, Transport } from './transport.js';

/** The task's jail does not run on its host (jexec or jls cannot find it). */
export class JailNotRunningError extends CommandFailedError {
  constructor(
    readonly jail: string,
    host: string,
    said: string,
  ) {
    super(`jail '${jail}' is not running: ${said}`, { host, fix: 'start the jail first (bastille_jail with state: started)' });
    this.name = 'JailNotRunningError';
  }
}

/** Exit status of the read when the file does not exist. */
const MISSING_EXIT = 3;

/** jexec(8)'s answer for an unknown jail: `jexec: jail "NAME" not found`, rc 1. */
const jexecNotFound = /^jexec: jail ".*" not found$/m;

/** Wraps a host's transport so commands and files land inside the named jail. */
export class JailTransport implements Transport {
  constructor(
    private readonly parent: Transport,
    readonly jail: string,
  ) {}

  get host(): string {
    return `${this.parent.host}/${this.jail}`;
  }

  /** The command as it runs on the host: `jexec NAME /bin/sh -c '…'` with LC_ALL=C inside too. */
  wrap(command: Command): Command {
    const inner: Command = { text: `LC_ALL=C; export LC_ALL; ${command.text}`, display: command.display };
    return { text: scriptCommand(sh`jexec ${this.jail} /bin/sh -c`.text, inner.text), display: `jexec ${this.jail} ${command.display}` };
  }

  /** Runs inside the jail; a jail that does not run is an error, not an empty result. */
  async run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const result = await this.parent.run(this.wrap(command), options);
    if (result.exitCode === 1 && result.stdout === '' && jexecNotFound.test(result.stderr)) {
      throw new JailNotRunningError(this.jail, this.parent.host, result.stderr.trim());
    }
    return result;
  }

  /**
   * Writes through the install script run inside the jail, so every path is resolved by the jail's
   * own root: a link the jail's root planted (say `/etc` → `/`) can point only inside the jail, where
   * writing from the host would follow it into the host's own files. Owner and group are the jail's
   * users, as they should be.
   */
  async put(path: string, content: string | Buffer, options: PutOptions = {}): Promise<void> {
    const result = await this.run(installFileCommand(putInstallFile(path, content, options)), { stdin: content, ...(options.become === undefined ? {} : { become: options.become }) });
    if (result.exitCode !== 0) {
      throw new CommandFailedError(`install ${path} in jail '${this.jail}' failed (exit ${result.exitCode}): ${result.stderr.trim()}`, { host: this.parent.host });
    }
  }

  /** Reads inside the jail too (see {@link put}), as hex from od(1) so that any bytes survive the text channel. */
  async get(path: string, options: { readonly become?: PutOptions['become'] } = {}): Promise<Buffer | undefined> {
    const result = await this.run(sh`[ -e ${path} ] || exit ${MISSING_EXIT}; od -An -v -tx1 -- ${path}`, options.become === undefined ? {} : { become: options.become });
    if (result.exitCode === MISSING_EXIT) return undefined;
    if (result.exitCode !== 0) {
      throw new CommandFailedError(`reading ${path} in jail '${this.jail}' failed (exit ${result.exitCode}): ${result.stderr.trim()}`, { host: this.parent.host });
    }
    return Buffer.from(result.stdout.replace(/\s+/g, ''), 'hex');
  }

  async close(): Promise<void> {
    // The jail shares its host's connection; closing the host's transport is the runner's job.
  }
}
