// Diagnostics log (STYLE.md principle 11): pino, JSON lines, to --log-file or $BEASTIE_LOG.
// Secrets are redacted twice over: Secret values serialise as ***, and known password paths are
// censored by pino's redact in case one arrives as a plain string.
import { mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Logger, pino as Pino } from 'pino';

/** What beastie logs through: pino's methods it calls (a run without a log file gets silent ones). */
export type DiagnosticLogger = Pick<Logger, 'info' | 'warn' | 'debug' | 'flush'>;

/** The run's diagnostic logger and how to flush it at exit. */
export interface RunLogger {
  readonly logger: DiagnosticLogger;
  /** Flush pending lines to the file; safe to call when logging is off. */
  close(): void;
}

/** Paths pino censors wherever they appear in a log record. */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  '*.password',
  'become.password',
  'becomePassword',
  'vars.ansible_become_pass',
  'vars.ansible_become_password',
  'vars.ansible_password',
  'vars.ansible_ssh_pass',
  '*.ansible_become_pass',
  '*.ansible_become_password',
  '*.ansible_password',
  '*.ansible_ssh_pass',
];

/** The log file from the command line, else $BEASTIE_LOG, else none. */
export function logFilePath(option: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const path = option ?? env['BEASTIE_LOG'];
  return path === undefined || path === '' ? undefined : path;
}

const ignore = (): void => undefined;

/** The logger of a run without a log file: pino is not even loaded (a dozen files at every start). */
const SILENT: DiagnosticLogger = { info: ignore, warn: ignore, debug: ignore, flush: ignore };

/** A logger writing to `file`, or a silent one when there is no file. */
export function createRunLogger(file: string | undefined, level: 'info' | 'debug' = 'debug', censorLine?: (line: string) => string): RunLogger {
  if (file === undefined) return { logger: SILENT, close: () => undefined };
  const { pino } = createRequire(import.meta.url)('pino') as { pino: typeof Pino };
  // Buffered writes on a descriptor opened here, synchronously: no write(2) per line (a
  // synchronous destination took half the main thread at 200 hosts), and no early line lost (a
  // destination that opens its file asynchronously drops what comes before it is ready). The
  // buffer is flushed at close and at process exit (a second Ctrl-C exits at once).
  mkdirSync(dirname(file), { recursive: true });
  // 0600: the log holds command output, which may be secret (issue 17).
  const destination = pino.destination({ dest: openSync(file, 'a', 0o600), sync: false, minLength: 8 * 1024 });
  // censorLine: the last filter on each serialised line (decrypted vault values, src/vault/censor.ts).
  const hooks = censorLine === undefined ? {} : { hooks: { streamWrite: censorLine } };
  const logger = pino({ level, base: { pid: process.pid }, redact: { paths: [...REDACTED_PATHS], censor: '***' }, ...hooks }, destination);
  const flush = () => {
    try {
      destination.flushSync();
    } catch {
      // Nothing buffered, or the descriptor is already closed.
    }
  };
  process.once('exit', flush);
  return {
    logger,
    close: () => {
      // Not logger.flush(): it starts an asynchronous write, and flushSync refuses to run beside one.
      flush();
      process.removeListener('exit', flush);
    },
  };
}
