// Decides what a task mapping is — a block, include_tasks, import_tasks, a meta task, or a call of
// which module — from its keys, recording unknown keywords and modules with "did you mean".
import type { SourceRef } from '../source.js';
import type { Entry } from '../yaml/yaml-source.js';
import { didYouMean } from '../text/did-you-mean.js';
import type { Fields } from './fields.js';
import { actionKeywords, anyTaskKeyword } from './keywords.js';
import type { ModuleLookup } from './task-loading.js';
import { resolveModuleName } from './module-names.js';

/** What a task is. */
export type TaskKind = (typeof actionKeywords)[keyof typeof actionKeywords];

/** A task's kind, and for a module call the entry that names the module and the module's name. */
export type Classified = { readonly kind: TaskKind; readonly moduleEntry?: undefined; readonly moduleName?: undefined } | { readonly kind: 'module'; readonly moduleEntry: Entry; readonly moduleName: string };

/** The module a task key names (FQCN, alias or plain name), or undefined. */
export function moduleName(key: string, modules: ModuleLookup): string | undefined {
  return resolveModuleName(key, (name) => modules.find(name) !== undefined);
}

function isActionKey(key: string): key is keyof typeof actionKeywords {
  return Object.hasOwn(actionKeywords, key);
}

/** Classify a task from its entries; undefined (with the problems recorded) when it cannot be. */
export function classifyTask(entries: readonly Entry[], source: SourceRef, fields: Fields, modules: ModuleLookup, asHandler: boolean): Classified | undefined {
  const { src, problems } = fields;
  const actions = entries.filter((entry) => isActionKey(entry.key));
  const calls: { entry: Entry; name: string }[] = [];
  let unknown = false;
  for (const entry of entries) {
    if (anyTaskKeyword.includes(entry.key)) continue;
    const name = moduleName(entry.key, modules);
    if (name !== undefined) {
      calls.push({ entry, name });
      continue;
    }
    unknown = true;
    const keyword = didYouMean(entry.key, anyTaskKeyword);
    const module = didYouMean(entry.key, modules.names());
    const hasAction = actions.length > 0 || entries.some((other) => other !== entry && moduleName(other.key, modules) !== undefined);
    if (hasAction || (keyword !== undefined && module === undefined)) {
      problems.add(src.ref(entry.keyNode), `unknown task keyword '${entry.key}'`, keyword ? `did you mean '${keyword}'?` : `a task has one module; its other keys are keywords: ${anyTaskKeyword.join(', ')}`);
    } else {
      const fix = module ? `did you mean '${module}'?` : keyword ? `did you mean the keyword '${keyword}'?` : "run 'beastie doc' to list the modules";
      problems.add(src.ref(entry.keyNode), `unknown module '${entry.key}'`, fix);
    }
  }
  if (actions.length > 1) {
    problems.add(source, `a task can only be one of ${actions.map((entry) => entry.key).join(', ')}`, 'split it into separate tasks');
    return undefined;
  }
  const action = actions[0];
  if (action !== undefined && isActionKey(action.key)) {
    for (const call of calls) {
      problems.add(src.ref(call.entry.keyNode), `a task with '${action.key}' cannot also call module '${call.entry.key}'`, 'split it into separate tasks');
    }
    if (calls.length > 0) return undefined;
    if (asHandler && action.key === 'block') {
      // Ansible's load_list_of_tasks with use_handlers: "Using a block as a handler is not supported" (a block directly under handlers: is read by load_list_of_blocks).
      problems.add(src.ref(action.keyNode), 'a block inside a handler\'s block or handler task file: Ansible refuses it too ("Using a block as a handler is not supported")', "write its tasks in a block directly under handlers: (with the inner block's keywords on each), or in a task file notified through an include_tasks handler");
      return undefined;
    }
    return { kind: actionKeywords[action.key] };
  }
  const [first, second] = calls;
  if (second !== undefined && first !== undefined) {
    problems.add(src.ref(second.entry.keyNode), `a task has two modules, '${first.entry.key}' and '${second.entry.key}'`, 'split it into two tasks, one module each');
    return undefined;
  }
  if (first === undefined) {
    if (!unknown) problems.add(source, 'task has no module', "add one module (e.g. 'command: …'), or use block, include_tasks, import_tasks or meta");
    return undefined;
  }
  return { kind: 'module', moduleEntry: first.entry, moduleName: first.name };
}
