// A read-only program's run, read ahead like a fact (src/runner/read-ahead.ts): its command is the
// program itself, so what the batch records is exactly what the task would get at its turn —
// stdout and stderr as printed, and the exit code. It says nothing of what it reads, so any change
// on the host forgets it (src/facts/fact.ts, affectedBy), and it serves one task (oneShot).
import type { Command } from '../command/command.js';
import type { Fact, FactOutput } from './fact.js';

/** The recorded run of `command` (a program src/command/read-only-programs.ts allows). */
export function recordedRunFact(command: Command): Fact<FactOutput> {
  return { key: `run:${command.text}`, command, oneShot: true, parse: (output) => output };
}
