// What a plan made after a run still wants to change: the check behind a module's `verify` (file,
// the openssl modules) and behind converge's last word, written once.
import type { Plan } from './module.js';

/** The summaries of the plan's change steps, in order. */
export function changesLeft(plan: Plan): string[] {
  return plan.steps.flatMap((step) => (step.kind === 'change' ? [step.summary] : []));
}

/**
 * A module's verify answer for `path`, re-planned from the facts read after the run: the plan's
 * failure, else what it would still change, else undefined (the path is as wanted).
 */
export function stillNotAsWanted(path: string, again: Plan): string | undefined {
  if (again.failure !== undefined) return again.failure;
  const left = changesLeft(again);
  return left.length === 0 ? undefined : `${path} is still not as wanted: ${left.join('; ')}`;
}
