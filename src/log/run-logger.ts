// Diagnostics log (STYLE.md principle 11): pino, JSON lines, to --log-file or $BEASTIE_LOG.
// Secrets are redacted twice over: Secret values serialise as ***, and known password paths are
// censored by pino's redact in case one arrives as a plain string.
import { pino, type Logger } from 'pino';

/** The run's diagnostic logger and how to flush it at exit. */
export interface RunLogger {
  readonly logger: Logger;
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

/** A logger writing to `file`, or a disabled one when there is no file. */
export function createRunLogger(file: string | undefined, level: 'info' | 'debug' = 'debug'): RunLogger {
  if (file === undefined) return { logger: pino({ enabled: false }), close: () => undefined };
  // Synchronous writes: one small write per command is cheap next to a remote command, and no
  // line is lost when the process exits (an asynchronous destination dropped early lines here).
  const destination = pino.destination({ dest: file, mkdir: true, sync: true });
  const logger = pino({ level, base: { pid: process.pid }, redact: { paths: [...REDACTED_PATHS], censor: '***' } }, destination);
  return {
    logger,
    close: () => {
      logger.flush();
      destination.flushSync();
    },
  };
}
