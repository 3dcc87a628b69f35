// include_vars: read variables from YAML/JSON files on the controller into the host's variables for
// the rest of the play (Ansible's include_vars action: file or dir, name, files_matching,
// ignore_files, extensions, depth), through the one vars-file reader (src/yaml/vars-file.ts).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../src/errors.js';
import { defineModule } from '../src/module-api/module.js';
import type { VaultKeyring } from '../src/vault/vault-keyring.js';
import { Problems } from '../src/yaml/problems.js';
import { identifierPattern, readVarsFile } from '../src/yaml/vars-file.js';
import { searchRoots } from './support/local-source.js';

const params = z
  .strictObject({
    file: z.string().min(1).optional().describe('A vars file; relative names are looked for in the role\'s vars/, then the playbook\'s vars/ and directory.'),
    dir: z.string().min(1).optional().describe('A directory whose files (by extension) are read in sorted order, below it as deep as depth.'),
    name: z.string().regex(identifierPattern).optional().describe('Put every variable read under this one name instead of at the top level.'),
    depth: z.number().int().nonnegative().default(0).describe('With dir: how many directory levels to read (0: all).'),
    files_matching: z.string().optional().describe('With dir: only files whose name matches this regular expression.'),
    ignore_files: z.array(z.string()).default([]).describe('With dir: file names (regular expressions) to leave out.'),
    extensions: z.array(z.string()).default(['json', 'yaml', 'yml']).describe('With dir: the file extensions read.'),
    ignore_unknown_extensions: z.boolean().default(false).describe('With dir: skip files of other extensions instead of failing.'),
    hash_behaviour: z.enum(['replace', 'merge']).optional().describe('Accepted; variables of later files replace earlier ones.'),
  })
  .superRefine((p, context) => {
    if ((p.file === undefined) === (p.dir === undefined)) context.addIssue({ code: 'custom', message: 'give exactly one of file and dir' });
  });

type Params = z.output<typeof params>;

/** Where a relative file or dir is looked for, as Ansible's _find_needle('vars', …): role first, then the playbook. */
function candidates(name: string, vars: Readonly<Record<string, unknown>>): string[] {
  if (isAbsolute(name)) return [name];
  return searchRoots(vars).flatMap((root) => [join(root, 'vars', name), join(root, name)]);
}

function find(name: string, vars: Readonly<Record<string, unknown>>, what: 'file' | 'dir'): string {
  const tried = candidates(name, vars);
  const found = tried.find((path) => existsSync(path) && (what === 'dir' ? statSync(path).isDirectory() : statSync(path).isFile()));
  if (found !== undefined) return found;
  throw new InvalidInputError(`include_vars: could not find or access '${name}' (looked at ${tried.join(', ')})`, {
    fix: `check the ${what} name; relative names are looked for in the role's vars/ and the playbook's vars/`,
  });
}

/** The files of `dir` to read, in Ansible's order (sorted, each directory's files before deeper ones). */
function dirFiles(dir: string, p: Params): string[] {
  const matching = p.files_matching === undefined ? undefined : new RegExp(p.files_matching);
  const ignored = p.ignore_files.map((pattern) => new RegExp(pattern));
  const out: string[] = [];
  const walk = (current: string, level: number) => {
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (p.depth === 0 || level < p.depth) walk(path, level + 1);
        continue;
      }
      if (ignored.some((pattern) => pattern.test(entry.name))) continue;
      if (matching !== undefined && !matching.test(entry.name)) continue;
      const extension = entry.name.includes('.') ? entry.name.slice(entry.name.lastIndexOf('.') + 1) : '';
      if (!p.extensions.includes(extension)) {
        if (p.ignore_unknown_extensions) continue;
        throw new InvalidInputError(`include_vars: ${path} does not have a valid extension: ${p.extensions.join(', ')}`, { fix: 'add it to ignore_files, or set ignore_unknown_extensions: true' });
      }
      out.push(path);
    }
  };
  walk(dir, 1);
  return out;
}

/** The variables of the files (vaulted ones decrypted with the run's `vault`), later files winning, with the files read. */
function read(p: Params, vars: Readonly<Record<string, unknown>>, vault: VaultKeyring | undefined): { facts: Record<string, unknown>; files: string[] } {
  const files = p.file !== undefined ? [find(p.file, vars, 'file')] : dirFiles(find(p.dir ?? '', vars, 'dir'), p);
  const problems = new Problems(vault);
  const merged: Record<string, unknown> = {};
  for (const file of files) Object.assign(merged, readVarsFile(file, problems) ?? {});
  problems.throwIfAny();
  return { facts: p.name === undefined ? merged : { [p.name]: merged }, files };
}

export default defineModule({
  name: 'include_vars',
  summary: 'Read variables from YAML or JSON files on the controller',
  description:
    "Ansible's include_vars, on the controller: the variables of file (or of every file under dir) become " +
    'host variables for the rest of the play, at set_fact\'s precedence; with name: they are put under that ' +
    'one variable. Vault-encrypted files and !vault values are decrypted with the run\'s vault secrets. ' +
    'Registers ansible_facts and ansible_included_var_files. Never changed. Difference: hash_behaviour merge replaces.',
  params,
  controllerOnly: true,
  example: `- name: The OS's variables
  include_vars: "{{ ansible_facts['distribution'] }}.yml"`,
  needs: () => [],
  async observe() {
    return undefined;
  },
  plan({ params: p, vars, vault }) {
    const { facts, files } = read(p, vars, vault);
    const root = typeof vars['playbook_dir'] === 'string' ? vars['playbook_dir'] : process.cwd();
    return {
      steps: [{ kind: 'noop', reason: `read ${files.map((file) => relative(root, file) || file).join(', ') || 'no files'}` }],
      setFacts: facts,
      values: { ansible_facts: facts, ansible_included_var_files: files },
    };
  },
});
