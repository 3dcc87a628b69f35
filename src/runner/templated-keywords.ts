// A task's number keywords (retries, delay, timeout, throttle, async, poll), run_once, no_log and loop_var written
// as templates (`retries: "{{ n }}"`, `loop_control: {loop_var: "{{ name }}"}`), rendered for one host when its task runs, as Ansible
// templates a task's fields before it runs (a wrong value fails that host's task, at the keyword).
import { InvalidInputError } from '../errors.js';
import { describeValue } from '../expression/values.js';
import type { LoopControl, ModuleTask, TaskCommon } from '../playbook/types.js';
import { ansibleBoolean } from '../text/ansible-boolean.js';
import { identifierPattern } from '../yaml/vars-file.js';
import type { Templates, Vars } from './services.js';

type NumberField = keyof NonNullable<ModuleTask['templated']>;

/** Each templated number field: the keyword it is written as, and its least value. */
const numberKeywords: Readonly<Record<NumberField, { readonly key: string; readonly min: number }>> = {
  retries: { key: 'retries', min: 0 },
  delaySeconds: { key: 'delay', min: 0 },
  timeoutSeconds: { key: 'timeout', min: 1 },
  throttle: { key: 'throttle', min: 1 },
  asyncSeconds: { key: 'async', min: 0 },
  pollSeconds: { key: 'poll', min: 0 },
};

/** Where a keyword is written, for its errors. */
function keywordSource(task: TaskCommon, key: string) {
  return task.keywordSources?.[key] ?? task.source;
}

/** One templated number keyword of `task`, rendered and checked. */
export function templatedNumber(task: ModuleTask, field: NumberField, vars: Vars, templates: Templates): number | undefined {
  const written = task.templated?.[field];
  if (written === undefined) return task[field];
  const { key, min } = numberKeywords[field];
  const source = keywordSource(task, key);
  const value = templates.render(written, vars, source);
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= min) return number;
  throw new InvalidInputError(`'${key}' must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'}: '${written}' rendered to ${describeValue(value)}`, {
    source,
    fix: `give the variable a number, or write ${key}: 3`,
  });
}

/**
 * A boolean keyword Ansible templates as the task runs (run_once, no_log: `"{{ not debug | bool }}"`),
 * rendered with `vars` (for run_once the first host's, as Ansible's linear strategy renders it:
 * templar.template(task.run_once); for no_log the task's host's), then read as a boolean.
 */
export function templatedBoolean(task: TaskCommon, key: 'run_once' | 'no_log', written: boolean | string, vars: Vars, templates: Templates): boolean {
  if (typeof written === 'boolean') return written;
  const source = keywordSource(task, key);
  const value = templates.render(written, vars, source);
  const bool = typeof value === 'boolean' ? value : typeof value === 'string' ? ansibleBoolean(value) : value === 0 || value === 1 ? value === 1 : undefined;
  if (bool !== undefined) return bool;
  throw new InvalidInputError(`'${key}' must be true or false: '${written}' rendered to ${describeValue(value)}`, { source, fix: `give the variable a boolean, or write ${key}: true` });
}

/** loop_control with its templated loop_var rendered. */
export function renderedLoopControl(task: TaskCommon, control: LoopControl, vars: Vars, templates: Templates): LoopControl {
  const written = control.loopVarTemplate;
  if (written === undefined) return control;
  const source = keywordSource(task, 'loop_control');
  const name = templates.render(written, vars, source);
  if (typeof name !== 'string' || !identifierPattern.test(name)) {
    throw new InvalidInputError(`'loop_var' must be a variable name: '${written}' rendered to ${describeValue(name)}`, { source, fix: 'use letters, digits and _, not starting with a digit' });
  }
  return { ...control, loopVar: name };
}

/** `task` with every templated keyword rendered for one host (the throttle is the walker's: it spans hosts). */
export function renderedTask(task: ModuleTask, vars: Vars, templates: Templates): ModuleTask {
  if (task.templated === undefined && task.loopControl.loopVarTemplate === undefined) return task;
  const retries = templatedNumber(task, 'retries', vars, templates);
  return {
    ...task,
    retries: retries ?? 0,
    delaySeconds: templatedNumber(task, 'delaySeconds', vars, templates) ?? task.delaySeconds,
    timeoutSeconds: templatedNumber(task, 'timeoutSeconds', vars, templates),
    asyncSeconds: templatedNumber(task, 'asyncSeconds', vars, templates),
    pollSeconds: templatedNumber(task, 'pollSeconds', vars, templates) ?? task.pollSeconds,
    loopControl: renderedLoopControl(task, task.loopControl, vars, templates),
  };
}
