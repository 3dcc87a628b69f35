// The shape of a lookup plugin and the file search every file-reading lookup shares: Ansible's
// find_file_in_search_path (the role's files/ or templates/ first, then the playbook's).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { JinjaRenderError } from '../errors.js';
import type { RenderScope } from '../registry.js';

/** A lookup: its terms and keyword options, returning the list Ansible's plugin returns. */
export type Lookup = (terms: readonly unknown[], options: Readonly<Record<string, unknown>>, scope: RenderScope) => unknown[];

/** The first `dir/subdir/name`, then `dir/name`, over the search dirs; undefined when none exists. */
export function findInSearchPath(name: string, subdir: 'files' | 'templates' | 'vars', scope: RenderScope): string | undefined {
  if (path.isAbsolute(name)) return existsSync(name) ? name : undefined;
  for (const dir of scope.searchDirs) {
    for (const candidate of [path.join(dir, subdir, name), path.join(dir, name)]) if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A lookup option's text, refusing anything but the listed names. */
export function checkOptions(lookup: string, options: Readonly<Record<string, unknown>>, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new JinjaRenderError(`lookup '${lookup}': unknown option '${key}'`, allowed.length > 0 ? `options: ${allowed.join(', ')}` : 'this lookup takes no options');
  }
}
