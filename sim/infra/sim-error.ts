// Errors of the simulated fleet's infrastructure. They carry the host and, when a process failed,
// the command, its exit code and stderr, so a failed `up` says which host broke and why.

/** What went wrong where: `host` and the failed process's command, exit code and stderr. */
export interface SimErrorContext {
  readonly host?: string;
  readonly command?: readonly string[];
  readonly exitCode?: number | null;
  readonly stderr?: string;
  readonly cause?: unknown;
}

/** A failure of `npm run sim` (bad arguments, a host that did not start, a fleet that is not there). */
export class SimError extends Error {
  readonly host: string | undefined;
  readonly command: readonly string[] | undefined;
  readonly exitCode: number | null | undefined;
  readonly stderr: string | undefined;

  constructor(message: string, context: SimErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'SimError';
    this.host = context.host;
    this.command = context.command;
    this.exitCode = context.exitCode;
    this.stderr = context.stderr;
  }

  /** Several lines for a terminal: `[host] message`, then the command, exit code and stderr. */
  describe(): string {
    const lines = [`${this.host ? `[${this.host}] ` : ''}${this.message}`];
    if (this.command) lines.push(`  command: ${this.command.join(' ')}`);
    if (this.exitCode !== undefined) lines.push(`  exit code: ${String(this.exitCode)}`);
    const stderr = this.stderr?.trim();
    if (stderr) lines.push(...stderr.split('\n').slice(-20).map((line) => `  stderr: ${line}`));
    return lines.join('\n');
  }
}
