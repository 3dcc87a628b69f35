// How a host command's failure reads everywhere (task messages, module failures, reboots):
// `WHAT exited N (timed out):` then the last lines of what it printed.
import type { CommandResult } from './transport.js';

/** The last `lines` lines of stderr, or of stdout when stderr is empty. */
export function outputTail(result: Pick<CommandResult, 'stdout' | 'stderr'>, lines = 20): string {
  const output = result.stderr.trim() || result.stdout.trim();
  return output === '' ? '' : output.split('\n').slice(-lines).join('\n');
}

/** `WHAT exited N`, ` (timed out)` when it was killed, and the output's tail on the lines below. */
export function exitedText(what: string, result: Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr' | 'timedOut'>, lines = 20): string {
  const tail = outputTail(result, lines);
  return `${what} exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}${tail ? `:\n${tail}` : ''}`;
}
