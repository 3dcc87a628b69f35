// Where copy's and template's `src` lives on the controller: Ansible's search order, from the
// magic variables the runner sets (`role_path`, `playbook_dir`), then the current directory.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

/** The directories relative sources are looked up under: role_path, playbook_dir, the current directory. */
export function searchRoots(vars: Readonly<Record<string, unknown>>): string[] {
  const roots = [vars['role_path'], vars['playbook_dir']].filter((root): root is string => typeof root === 'string' && root !== '');
  return [...roots, process.cwd()];
}

/** The candidate paths for a relative `src`, in the order they are tried. */
export function localSourceCandidates(src: string, vars: Readonly<Record<string, unknown>>, folder: 'files' | 'templates'): string[] {
  if (isAbsolute(src)) return [src];
  return searchRoots(vars).flatMap((root) => [join(root, folder, src), join(root, src)]);
}

/** A controller file's bytes, or why it could not be read (every place that was tried). */
export type LocalSource = { readonly kind: 'found'; readonly path: string; readonly content: Buffer } | { readonly kind: 'missing'; readonly message: string };

/** Read `src` from the first candidate that exists. */
export async function readLocalSource(src: string, vars: Readonly<Record<string, unknown>>, folder: 'files' | 'templates'): Promise<LocalSource> {
  const candidates = localSourceCandidates(src, vars, folder);
  for (const path of candidates) {
    try {
      return { kind: 'found', path, content: await readFile(path) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      return { kind: 'missing', message: `cannot read ${path} on the controller: ${(error as Error).message}` };
    }
  }
  return { kind: 'missing', message: `could not find '${src}' on the controller; tried ${candidates.join(', ')}` };
}
