// A task's loop: the items of `loop:` or of a `with_<lookup>:` (Ansible maps `with_X` onto lookup X,
// TaskExecutor._get_loop_items), and the variables each item gives the task.
import { InvalidInputError } from '../errors.js';
import type { Looping } from '../playbook/types.js';
import type { SourceRef } from '../source.js';
import { taskVars, type TaskVarLayers } from './host-vars.js';
import type { PlayRuntime } from './play-runtime.js';
import type { RunHost } from './run-host.js';
import type { Vars } from './services.js';

/** The variable the lookup's rendered terms are passed in, for the one render that calls it. */
const termsVar = 'beastie_loop_terms';

/**
 * A mapping as the whole of a with_X's terms: listify_lookup_plugin_terms leaves an iterable as it
 * is, so the lookup gets the dict itself — list.py and indexed_items.py refuse it ("with_list
 * expects a list"), items.py iterates it (its keys); the others take it as one term.
 */
function mappingTerms(lookup: string, rendered: unknown, source: SourceRef): unknown[] | undefined {
  if (rendered === null || typeof rendered !== 'object' || Array.isArray(rendered)) return undefined;
  if (lookup === 'list' || lookup === 'indexed_items') throw new InvalidInputError(`with_${lookup} expects a list`, { source });
  if (lookup === 'items') return Object.keys(rendered);
  return undefined;
}

/**
 * The task's loop rendered for `host`: for `loop:` the rendered value (the caller checks it is a
 * list); for `with_X:` the list lookup X returns for the rendered terms — a list stays the list of
 * terms, anything else is one term (listify_lookup_plugin_terms), so `with_items: "{{ pkgs }}"`
 * flattens pkgs one level and `with_dict: "{{ users }}"` walks the mapping.
 */
export function loopItems(runtime: PlayRuntime, host: RunHost, task: Looping, layers: TaskVarLayers, vars: Vars, source: SourceRef): unknown {
  const { templates } = runtime.services;
  const rendered = templates.render(task.loop, vars, source);
  if (task.loopWith === undefined) return rendered;
  const terms = Array.isArray(rendered) ? rendered : mappingTerms(task.loopWith, rendered, source) ?? [rendered];
  // Through the template engine's own query(), so with_X and query('X') are one implementation.
  const lookupVars = taskVars(runtime.vars, host, { ...layers, loop: { [termsVar]: terms } }, source);
  return templates.render(`{{ query(${JSON.stringify(task.loopWith)}, *${termsVar}) }}`, lookupVars, source);
}

/**
 * The loop variables of one item: `item` (or loop_var), the index_var, and ansible_loop with
 * every field of Ansible's `loop_control: extended: true` (README: always there in beastie).
 */
export function loopItemVars(task: Looping, item: unknown, index: number, items: readonly unknown[]): Record<string, unknown> {
  const { loopVar, indexVar } = task.loopControl;
  const length = items.length;
  return {
    [loopVar]: item,
    ansible_loop_var: loopVar,
    ansible_loop: {
      allitems: items,
      index: index + 1,
      index0: index,
      revindex: length - index,
      revindex0: length - index - 1,
      first: index === 0,
      last: index === length - 1,
      length,
      ...(index > 0 ? { previtem: items[index - 1] } : {}),
      ...(index < length - 1 ? { nextitem: items[index + 1] } : {}),
    },
    ...(indexVar === undefined ? {} : { [indexVar]: index, ansible_index_var: indexVar }),
  };
}
