// Every lookup by name, and how lookup() / query() return their results: query() always a list,
// lookup() the values joined with commas (or the one non-text value) unless wantlist=True —
// Ansible's Templar._lookup. The `lang` workstream's with_* loops call runLookupByName.
import { JinjaRenderError } from '../errors.js';
import type { RenderScope } from '../registry.js';
import { pyStr, truthy, Undefined, type CallArgs } from '../values.js';
import { dependentLookup } from './dependent.js';
import { envLookup } from './env.js';
import { fileLookup } from './file.js';
import { fileglobLookup } from './fileglob.js';
import { firstFoundLookup } from './first-found.js';
import type { Lookup } from './lookup.js';
import { dictLookup, flattenedLookup, indexedItemsLookup, itemsLookup, listLookup, nestedLookup, randomChoiceLookup, subelementsLookup, togetherLookup } from './lists.js';
import { mergeVariablesLookup } from './merge-variables.js';
import { passwordLookup } from './password.js';
import { linesLookup, pipeLookup } from './pipe.js';
import { sequenceLookup } from './sequence.js';
import { templateLookup } from './template.js';
import { getPathLookup, indexOfLookup, toPathsLookup } from './utils-paths.js';
import { varnamesLookup } from './varnames.js';
import { varsLookup } from './vars.js';

const lookups: ReadonlyMap<string, Lookup> = new Map([
  ['file', fileLookup],
  ['env', envLookup],
  ['template', templateLookup],
  ['pipe', pipeLookup],
  ['lines', linesLookup],
  ['vars', varsLookup],
  ['varnames', varnamesLookup],
  ['first_found', firstFoundLookup],
  ['fileglob', fileglobLookup],
  ['password', passwordLookup],
  ['items', itemsLookup],
  ['list', listLookup],
  ['flattened', flattenedLookup],
  ['dict', dictLookup],
  ['indexed_items', indexedItemsLookup],
  ['together', togetherLookup],
  ['nested', nestedLookup],
  ['subelements', subelementsLookup],
  ['sequence', sequenceLookup],
  ['random_choice', randomChoiceLookup],
  // community.general's, found by Ansible 2.14 under these names only.
  ['community.general.merge_variables', mergeVariablesLookup],
  ['community.general.flattened', flattenedLookup],
  ['community.general.dependent', dependentLookup],
  ['ansible.utils.index_of', indexOfLookup],
  ['ansible.utils.get_path', getPathLookup],
  ['ansible.utils.to_paths', toPathsLookup],
]);

/** Names of the lookups beastie has. */
export const lookupNames: readonly string[] = [...lookups.keys()].sort();

/** The list a lookup returns for `terms` (what `query()` and a with_* loop see). */
export function runLookupByName(name: string, terms: readonly unknown[], options: Readonly<Record<string, unknown>>, scope: RenderScope): unknown[] {
  const lookup = lookups.get(name.replace(/^ansible\.builtin\./, ''));
  if (lookup === undefined) throw new JinjaRenderError(`lookup plugin (${name}) not found`, `beastie's lookups: ${lookupNames.join(', ')}`);
  return lookup(terms, options, scope);
}

/** `lookup(name, …)` / `query(name, …)` as templates call them. */
export function runLookup(call: CallArgs, scope: RenderScope, mode: 'lookup' | 'query'): unknown {
  const [name, ...terms] = call.args;
  if (name === undefined) throw new JinjaRenderError(`${mode}() needs the name of a lookup`);
  const { wantlist, errors, ...options } = call.kwargs;
  // Templar templates the terms before the plugin runs: an undefined one fails there, whatever `errors` says.
  for (const term of terms) if (term instanceof Undefined) term.fail();
  let results: unknown[];
  try {
    results = runLookupByName(pyStr(name), terms, options, scope);
  } catch (error) {
    const policy = errors === undefined ? 'strict' : pyStr(errors);
    if (policy === 'ignore' || policy === 'warn') return mode === 'query' || truthy(wantlist ?? false) ? [] : null;
    throw error;
  }
  if (mode === 'query' || truthy(wantlist ?? false)) return results;
  if (results.length === 0) return results;
  if (results.every((r) => typeof r === 'string')) return results.join(',');
  return results.length === 1 ? results[0] : results;
}
