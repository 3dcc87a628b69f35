// The jail wrapper: a task with `jail: NAME` runs through `jexec NAME /bin/sh -c …` on its host,
// and its files are written under the jail's root path as the host sees it.
import { posix } from 'node:path';
import { sh, type Command } from '../command/command.js';
import { CommandFailedError } from '../errors.js';
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

/** jexec(8)'s answer for an unknown jail: `jexec: jail "NAME" not found`, rc 1. */
const jexecNotFound = /^jexec: jail ".*" not found$/m;

/** Wraps a host's transport so commands and files land inside the named jail. */
export class JailTransport implements Transport {
  private rootPath: Promise<string> | undefined;

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
    const wrapped = sh`jexec ${this.jail} /bin/sh -c ${inner.text}`;
    return { text: wrapped.text, display: `jexec ${this.jail} ${command.display}` };
  }

  /** Runs inside the jail; a jail that does not run is an error, not an empty result. */
  async run(command: Command, options: RunOptions = {}): Promise<CommandResult> {
    const result = await this.parent.run(this.wrap(command), options);
    if (result.exitCode === 1 && result.stdout === '' && jexecNotFound.test(result.stderr)) {
      throw new JailNotRunningError(this.jail, this.parent.host, result.stderr.trim());
    }
    return result;
  }

  /** The jail's root directory on the host, from `jls -j NAME path` (read once). */
  root(): Promise<string> {
    this.rootPath ??= this.parent.run(sh`jls -j ${this.jail} path`).then((result) => {
      const path = result.stdout.trim();
      if (result.exitCode !== 0 || path === '') {
        this.rootPath = undefined;
        throw new JailNotRunningError(this.jail, this.parent.host, result.stderr.trim() || 'jls printed no path');
      }
      return path;
    });
    return this.rootPath;
  }

  async put(path: string, content: string | Buffer, options: PutOptions = {}): Promise<void> {
    await this.parent.put(posix.join(await this.root(), path), content, options);
  }

  async get(path: string, options: { readonly become?: PutOptions['become'] } = {}): Promise<Buffer | undefined> {
    return this.parent.get(posix.join(await this.root(), path), options);
  }

  async close(): Promise<void> {
    // The jail shares its host's connection; closing the host's transport is the runner's job.
  }
}
