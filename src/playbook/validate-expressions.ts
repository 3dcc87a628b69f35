// Parses (never evaluates) every expression of a loaded playbook — when, until, changed_when,
// failed_when, in every play, block, include, role and handler — so a syntax error is an input
// error before the run. The loader already does this per YAML node with exact columns; this
// walk is for playbooks built or changed after loading (and runtime includes).
import type { InvalidInputError } from '../errors.js';
import { checkExpression } from '../expression/check.js';
import type { Playbook, PlayTask } from './types.js';

/** The task's own expressions (not those of the tasks inside a block or include). */
function* ownExpressions(task: PlayTask): Generator<{ readonly keyword: string; readonly text: string }> {
  for (const text of task.when) yield { keyword: 'when', text };
  if (task.kind !== 'task') return;
  for (const text of task.changedWhen ?? []) yield { keyword: 'changed_when', text };
  for (const text of task.failedWhen ?? []) yield { keyword: 'failed_when', text };
  if (task.until !== undefined) yield { keyword: 'until', text: task.until };
}

/** Syntax errors of every expression in `tasks`, each located at its task. */
export function validateTaskExpressions(tasks: readonly PlayTask[]): InvalidInputError[] {
  const errors: InvalidInputError[] = [];
  const visit = (task: PlayTask) => {
    for (const { keyword, text } of ownExpressions(task)) {
      const error = checkExpression(text, { source: task.source, keyword });
      if (error) errors.push(error);
    }
    if (task.kind === 'block') [...task.block, ...task.rescue, ...task.always].forEach(visit);
    if (task.kind === 'include') (task.tasks ?? []).forEach(visit);
  };
  tasks.forEach(visit);
  return errors;
}

/** Syntax errors of every expression in the playbook (empty when all parse). */
export function validatePlaybookExpressions(playbook: Playbook): InvalidInputError[] {
  return playbook.plays.flatMap((play) => validateTaskExpressions([...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers]));
}
