// --step: before each task, ask "Perform task: TASK: NAME (N)o/(y)es/(c)ontinue:" as
// ansible-playbook does (strategy _take_step): y runs it, c runs it and every later task without
// asking, anything else skips it.
import { InvalidInputError } from '../errors.js';
import type { CliIO } from './cli-io.js';

/** The confirm function the runner calls before each task. */
export function stepper(io: CliIO): (task: string) => Promise<boolean> {
  const ask = io.askLine;
  if (ask === undefined) throw new InvalidInputError('--step needs a terminal to ask on', { fix: 'run beastie from a terminal, or drop --step' });
  let stepping = true;
  return async (task) => {
    if (!stepping) return true;
    const answer = (await ask(`Perform task: TASK: ${task} (N)o/(y)es/(c)ontinue: `)).trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') return true;
    if (answer === 'c' || answer === 'continue') {
      stepping = false;
      return true;
    }
    return false;
  };
}
