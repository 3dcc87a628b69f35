// ansible.utils' index_of, get_path and to_paths as lookups (plugins/lookup/index_of.py,
// get_path.py, to_paths.py of ansible.utils 2.10.3): the filters' code over the terms zipped with
// the lookup's own positional names (get_path: var, path; to_paths: var, prepend) and the keyword
// options, checked by the same argument spec, then run with wantlist=True. The Templar has taken
// `wantlist` and `errors` out of the options before (lookups/index.ts); the one-item list a
// lookup() returns becomes its item there. Only under their ansible.utils names, as Ansible 2.14
// finds them.
import { indexOf, indexOfOptions, indexOfPositional } from '../filters/index-of.js';
import { pluginArguments } from '../filters/plugin-argspec.js';
import { getPath, getPathOptions, toPaths, toPathsOptions } from '../filters/var-paths.js';
import type { RenderScope } from '../registry.js';
import type { Lookup } from './lookup.js';

function checked(options: Parameters<typeof pluginArguments>[0], positional: readonly string[], terms: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const params = pluginArguments(options, positional, terms[0], { args: terms.slice(1), kwargs });
  return { ...params, wantlist: true };
}

/** The plugins return a list (wantlist=True): one index alone is still a list. */
export const indexOfLookup: Lookup = (terms, options, scope: RenderScope) => indexOf(checked(indexOfOptions, indexOfPositional, terms, options), scope) as unknown[];

export const getPathLookup: Lookup = (terms, options, scope) => getPath(checked(getPathOptions, ['var', 'path'], terms, options), (text, vars) => scope.renderBare(text, vars)) as unknown[];

export const toPathsLookup: Lookup = (terms, options) => toPaths(checked(toPathsOptions, ['var', 'prepend'], terms, options)) as unknown[];
