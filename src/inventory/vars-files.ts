// group_vars/ and host_vars/ beside the inventory, found as Ansible's host_group_vars plugin and
// DataLoader.find_vars_files do: the first of NAME, NAME.yml, NAME.yaml, NAME.json that exists
// is used (a directory NAME/ is read whole: its YAML files, recursively, in lexical order, later
// files overriding earlier ones key by key).
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InvalidInputError } from '../errors.js';
import type { Problems } from '../yaml/problems.js';
import { parseVarsFile } from '../yaml/vars-file.js';
import { readTextFile } from './text-file.js';

/** Which folder a name is looked up in. */
export type VarsFolder = 'group_vars' | 'host_vars';

const EXTENSIONS = ['.yml', '.yaml', '.json'] as const;

/**
 * The variables for one group or host from `baseDir/folder/`, `{}` when there are none; a file's
 * problems go to `problems` (the caller throws them once every file is read).
 */
export async function loadVarsFor(
  baseDir: string,
  folder: VarsFolder,
  name: string,
  problems: Problems,
  /** Directory listings kept across the calls of one load, so a host without a file costs no stat. */
  listings: Map<string, Promise<ReadonlySet<string> | undefined>> = new Map(),
): Promise<Record<string, unknown>> {
  // A host named like an absolute path (a chroot) has no vars file, as in Ansible.
  if (name.startsWith('/')) return {};
  const dir = join(baseDir, folder);
  let listing = listings.get(dir);
  if (listing === undefined) {
    listing = listFolder(dir, folder);
    listings.set(dir, listing);
  }
  const names = await listing;
  if (names === undefined) return {};
  const first = name.split('/')[0] ?? name;
  if (![first, ...EXTENSIONS.map((ext) => first + ext)].some((entry) => names.has(entry))) return {};
  const files = await findVarsFiles(dir, name);
  let vars: Record<string, unknown> = {};
  for (const file of files) {
    const text = await readTextFile(file, `${folder} file ${file}`);
    vars = { ...vars, ...parseVarsFile(file, text, problems) };
  }
  return vars;
}

/** The entries of group_vars/ or host_vars/, undefined when there is none. */
async function listFolder(dir: string, folder: VarsFolder): Promise<ReadonlySet<string> | undefined> {
  const dirInfo = await statOrUndefined(dir);
  if (!dirInfo) return undefined;
  if (!dirInfo.isDirectory()) {
    throw new InvalidInputError(`${dir} is not a directory`, {
      source: { file: dir, line: 1, column: 1 },
      fix: `make ${folder} a directory holding NAME.yml files, or remove it`,
    });
  }
  return new Set(await readdir(dir));
}

/** The files that hold `name`'s variables, in the order they are merged. */
export async function findVarsFiles(dir: string, name: string): Promise<string[]> {
  for (const ext of ['', ...EXTENSIONS]) {
    const candidate = join(dir, name + ext);
    const info = await statOrUndefined(candidate);
    if (!info) continue;
    return info.isDirectory() ? listVarsDir(candidate) : [candidate];
  }
  return [];
}

/** YAML files under a NAME/ directory: hidden and backup~ files skipped, subdirectories recursed. */
async function listVarsDir(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = (await readdir(dir)).sort();
  for (const entry of entries) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const path = join(dir, entry);
    const ext = extname(entry);
    const info = await statOrUndefined(path);
    if (!info) continue;
    if (info.isDirectory()) {
      if (ext === '') found.push(...(await listVarsDir(path)));
    } else if (ext === '' || (EXTENSIONS as readonly string[]).includes(ext)) {
      found.push(path);
    }
  }
  return found;
}

async function statOrUndefined(path: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidInputError(`cannot read ${path}: ${(error as Error).message}`, {
      source: { file: path, line: 1, column: 1 },
      fix: 'make it readable by the user running beastie (check its mode and owner)',
      cause: error,
    });
  }
}
