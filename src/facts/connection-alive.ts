// Whether the host runs a command at all (ping, wait_for_connection). Its key carries the
// caller's nonce, so a value cached before the host went away never answers for it.
import { sh } from '../command/command.js';
import { defineFact, type Fact, type FactOutput } from './fact.js';

/** True when `true` ran and exited 0. */
export function parseConnectionAlive(output: FactOutput): boolean {
  return output.exitCode === 0 && output.stdout.trim() === 'alive';
}

/** One `true` on the host; `nonce` makes every probe its own cache entry. */
export function connectionAliveFact(nonce: string): Fact<boolean> {
  return defineFact(`connection-alive:${nonce}`, sh`true && echo alive`, parseConnectionAlive);
}
