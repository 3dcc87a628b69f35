// How a command's failure reads everywhere (task messages, module failures, reboots, facts,
// vault password scripts): `WHAT exited N (timed out):` then the last lines of what it printed.
// A text helper, not a transport's: the language layer (src/vault) may not import src/transport.

/** What a finished command left: its exit code, its output, whether it was killed by a timeout. */
export interface ExitOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut?: boolean;
}

/** The last `lines` lines of stderr, or of stdout when stderr is empty. */
export function outputTail(result: Pick<ExitOutput, 'stdout' | 'stderr'>, lines = 20): string {
  const output = result.stderr.trim() || result.stdout.trim();
  return output === '' ? '' : output.split('\n').slice(-lines).join('\n');
}

/** `WHAT exited N`, ` (timed out)` when it was killed, and the output's tail on the lines below. */
export function exitedText(what: string, result: ExitOutput, lines = 20): string {
  const tail = outputTail(result, lines);
  return `${what} exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}${tail ? `:\n${tail}` : ''}`;
}
