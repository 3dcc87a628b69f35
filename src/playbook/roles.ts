// Loads a role from the standard layout — roles/NAME/{tasks,handlers,defaults,vars,meta}/main.yml,
// found beside the playbook or on roles_path, its meta/main.yml dependencies first — with
// templates/ and files/ searched by template, copy and lookup.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { describeValue } from '../expression/values.js';
import type { Problems } from '../yaml/problems.js';
import { readVarsFile } from '../yaml/vars-file.js';
import { YamlSource } from '../yaml/yaml-source.js';
import { Fields } from './fields.js';
import { initialInherited, keywordsAt, type InheritedValues } from './keywords.js';
import { roleSearchDirs } from './task-file-search.js';
import type { FileScope, LoadedRole, RoleSearch, TaskReader } from './task-loading.js';
import type { SourceRef } from '../source.js';
import type { BlockTask, Handler } from './types.js';

function mainFile(dir: string, part: string): string | undefined {
  for (const name of ['main.yml', 'main.yaml']) {
    const file = path.join(dir, part, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** A role named `NS.COLLECTION.ROLE`. */
const collectionRole = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.([A-Za-z_][\w-]*)$/;

function isCollectionRole(name: string): boolean {
  return collectionRole.test(name);
}

/**
 * Where a collection's role `NS.COLLECTION.ROLE` may lie: `ansible_collections/NS/COLLECTION/roles/ROLE`
 * under collections/ beside the playbook first (ansible-playbook's playbook paths,
 * lib/ansible/cli/playbook.py; ansible-core's handlers target keeps a role there), then under each
 * collections_path entry in order, the first found winning (_AnsibleCollectionFinder: an entry
 * named ansible_collections stands for its parent). Python's sys.path is not scanned. A short
 * name is tried as COLL.NAME for each of the play's `collections:` (see findRole).
 */
function collectionRoleDirs(name: string, search: RoleSearch): string[] {
  const parts = collectionRole.exec(name);
  if (parts === null) return [];
  const [, namespace, collection, role] = parts as unknown as [string, string, string, string];
  const roots = [path.join(search.playbookDir, 'collections'), ...(search.collectionsPath ?? [])].map((root) => (path.basename(root) === 'ansible_collections' ? path.dirname(root) : root));
  return roots.map((root) => path.join(root, 'ansible_collections', namespace, collection, 'roles', role));
}

/**
 * The directory of role `name`, as Ansible's role search finds it, and the collection it was found
 * in (RoleDefinition._role_collection: a collection role); every place tried when none.
 */
export function findRole(name: string, search: RoleSearch, besideDir: string | undefined): { dir: string; collection?: string } | { tried: string[] } {
  if (path.isAbsolute(name)) return existsSync(name) ? { dir: name } : { tried: [name] };
  const bases = [path.join(search.playbookDir, 'roles'), ...search.rolesPath, ...(besideDir === undefined ? [] : [besideDir, path.join(besideDir, 'roles')]), search.playbookDir];
  // A collection's role first, as RoleDefinition._load_role_path tries it, then the roles paths.
  // A short name is tried in each collection of the list first (_get_collection_role_path over
  // RoleDefinition's collection list, playbook/role/definition.py): the play's `collections:`,
  // or in a role's files the role's own list (see roleCollections).
  const fqcrs = isCollectionRole(name) ? [name] : (search.collections ?? []).map((collection) => `${collection}.${name}`);
  const inCollections = fqcrs.flatMap((fqcr) => collectionRoleDirs(fqcr, search).map((dir) => ({ dir, collection: fqcr.split('.').slice(0, 2).join('.') })));
  const candidates = [...inCollections, ...bases.map((base) => ({ dir: path.join(base, name) }))];
  const found = candidates.find((candidate) => existsSync(candidate.dir) && statSync(candidate.dir).isDirectory());
  return found === undefined ? { tried: [...new Set(candidates.map((candidate) => candidate.dir))] } : found;
}

/**
 * A role's collection list, as ansible-core 2.14's Role._load_role_data builds it
 * (playbook/role/__init__.py): roles do not inherit the play's; a collection role's own collection
 * first, then its meta/main.yml `collections:`. Its tasks resolve short names through it.
 */
function roleCollections(own: string | undefined, meta: readonly string[]): string[] {
  const list = own === undefined ? [] : [own];
  for (const collection of meta) if (!list.includes(collection)) list.push(collection);
  return list;
}

/** Which of a role's files to use instead of main.yml (include_role/import_role's *_from). */
export interface RoleFiles {
  readonly tasksFrom?: string | undefined;
  readonly varsFrom?: string | undefined;
  readonly defaultsFrom?: string | undefined;
  readonly handlersFrom?: string | undefined;
}

/** How a role is brought in: by a `roles:` entry or meta dependency, or by import_role/include_role. */
export interface RoleUse {
  readonly name: string;
  readonly source: SourceRef;
  /** Keywords of the roles: entry, on the role's block (import_role/include_role keep theirs on their own node). */
  readonly keywords: InheritedValues;
  /** Role parameters: the roles: entry's keys that are not keywords. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly files: RoleFiles;
  /** The role's defaults and vars stay with its own tasks (include_role without public). */
  readonly private: boolean;
  /**
   * Whether a role already loaded in this play with the same parameters runs again: undefined
   * lets the role's meta/main.yml decide (roles: and dependencies), a boolean overrides it.
   */
  readonly allowDuplicates: boolean | undefined;
  /** For a dependency: the dir of the role that depends on it (its siblings are searched). */
  readonly dependentDir?: string;
}

/**
 * The file of a role's part: main.yml, or the `*_from` name given (with or without .yml/.yaml, as
 * Ansible's role loader looks); undefined when the role has none (an error when one was named).
 */
function partFile(dir: string, part: string, from: string | undefined, use: RoleUse, problems: Problems): string | undefined {
  if (from === undefined) return mainFile(dir, part);
  const base = path.join(dir, part, from);
  const found = [base, `${base}.yml`, `${base}.yaml`].find((file) => existsSync(file) && statSync(file).isFile());
  if (found === undefined) problems.add(use.source, `role '${use.name}' has no ${part} file '${from}' (looked for ${base}, ${base}.yml, ${base}.yaml)`, `check the ${part}_from name; it is relative to the role's ${part}/ directory`);
  return found;
}

/** Read a role's handlers file. */
function roleHandlers(file: string, role: NonNullable<FileScope['role']>, loader: TaskReader, problems: Problems, source: SourceRef): Handler[] {
  const handlerSrc = YamlSource.read(file, problems, source);
  if (handlerSrc === undefined) return [];
  const scope: FileScope = { fields: new Fields(handlerSrc, problems), baseDir: path.dirname(file), stack: [path.resolve(file)], roleDirs: roleSearchDirs(role.dir, 'handlers'), role };
  const root = handlerSrc.root;
  if (isSeq(root)) return loader.handlers(root.items.map((item) => handlerSrc.resolve(item as Node)), scope);
  if (root !== null && !(isScalar(root) && root.value === null)) problems.add(handlerSrc.ref(root), 'a handlers file must be a list of handlers', 'start each handler with "- name: …"');
  return [];
}

/** A role's meta/main.yml: its dependencies (nodes to load as roles), allow_duplicates and collections. */
function roleMeta(dir: string, problems: Problems, source: SourceRef): { dependencies: Node[]; fields: Fields | undefined; allowDuplicates: boolean; collections: readonly string[] } {
  const metaFile = mainFile(dir, 'meta');
  const meta = metaFile === undefined ? undefined : YamlSource.read(metaFile, problems, source);
  const root = meta?.root;
  if (meta === undefined || !isMap(root)) return { dependencies: [], fields: undefined, allowDuplicates: false, collections: [] };
  const fields = new Fields(meta, problems);
  const entries = meta.entries(root, problems);
  const dependencies = entries.find((e) => e.key === 'dependencies');
  const allow = entries.find((e) => e.key === 'allow_duplicates');
  const collections = entries.find((e) => e.key === 'collections');
  return {
    dependencies: dependencies === undefined ? [] : (fields.list(dependencies) ?? []),
    fields,
    allowDuplicates: allow === undefined ? false : (fields.bool(allow) ?? false),
    collections: collections === undefined || collections.value === null ? [] : (fields.stringList(collections) ?? []),
  };
}

/**
 * Load the role a `roles:` entry (or a meta/main.yml dependency) names — a name, or a mapping with
 * role: and keywords; other keys are role parameters — with its dependencies first.
 */
export function loadRole(node: Node | null, fields: Fields, loader: TaskReader, search: RoleSearch, problems: Problems, dependentDir?: string, privately = false): LoadedRole[] {
  const src = fields.src;
  const source = src.ref(node);
  let name: string | undefined;
  let keywords: InheritedValues = initialInherited();
  let defaulted = false;
  const params: Record<string, unknown> = {};
  if (isScalar(node) && typeof node.value === 'string') {
    name = node.value;
  } else if (isMap(node)) {
    const entries = src.entries(node, problems);
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    const allowed = keywordsAt('role');
    for (const entry of entries) {
      if (entry.key === 'role' || entry.key === 'name') name = fields.string(entry);
      // As in Ansible, a key that is not a keyword is a role parameter.
      else if (!allowed.includes(entry.key)) {
        fields.templates(entry.value);
        params[entry.key] = src.value(entry.value);
      }
    }
    keywords = loader.common(byKey, source, fields, 'role');
    defaulted = byKey.has('module_defaults');
    if (name === undefined) {
      problems.add(source, 'a role entry needs role: NAME', 'write - role: NAME');
      return [];
    }
  } else {
    problems.add(source, `a role entry must be a name or a mapping (got ${describeValue(src.value(node))})`, 'write - NAME or - role: NAME');
    return [];
  }
  const use: RoleUse = { name, source, keywords, params, files: {}, private: privately, allowDuplicates: undefined, ...(dependentDir === undefined ? {} : { dependentDir }) };
  return loader.underModuleDefaults(defaulted, () => useRole(use, loader, search, problems));
}

/** Load a role as `use` says, its dependencies first; [] when it is a duplicate that does not run again. */
export function useRole(use: RoleUse, loader: TaskReader, search: RoleSearch, problems: Problems): LoadedRole[] {
  const { source, keywords, params } = use;
  const found = findRole(use.name, search, use.dependentDir === undefined ? undefined : path.dirname(use.dependentDir));
  if (!('dir' in found)) {
    const fix = isCollectionRole(use.name)
      ? 'install the collection into a collections_path directory (ansible-galaxy collection install NS.COLLECTION), or put it under collections/ beside the playbook'
      : 'create roles/NAME/tasks/main.yml beside the playbook, or add its directory to roles_path';
    problems.add(source, `role '${use.name}' not found (looked for ${found.tried.join(', ')})`, fix);
    return [];
  }
  const dir = found.dir;
  // A role named by its path is called by its directory's name (role_name), as in Ansible.
  const name = use.name.includes('/') ? path.basename(use.name) : use.name;
  const meta = roleMeta(dir, problems, source);
  // A role already loaded in this play with the same parameters runs once, as in Ansible, unless
  // duplicates are allowed (meta/main.yml allow_duplicates, or include_role/import_role's option).
  const identity = JSON.stringify([dir, params, keywords.vars, keywords.when, keywords.tags, use.files]);
  if (search.loaded.has(identity) && !(use.allowDuplicates ?? meta.allowDuplicates)) return [];
  search.loaded.add(identity);

  // Dependencies are looked for through the role's own collection only (RoleMetadata._load_dependencies
  // runs before the role's list takes its meta collections, and roles do not inherit the play's).
  const dependencies: LoadedRole[] = [];
  const dependencySearch: RoleSearch = { ...search, collections: 'collection' in found && found.collection !== undefined ? [found.collection] : [] };
  if (meta.fields !== undefined) for (const item of meta.dependencies) dependencies.push(...loadRole(item, meta.fields, loader, dependencySearch, problems, dir, use.private));

  const role = { name, dir, collections: roleCollections('collection' in found ? found.collection : undefined, meta.collections) };
  const tasksFile = partFile(dir, 'tasks', use.files.tasksFrom, use, problems);
  const tasks = tasksFile === undefined ? [] : (loader.taskFile(tasksFile, source, { stack: [], roleDirs: roleSearchDirs(dir, 'tasks'), role }) ?? []);
  const handlersFile = partFile(dir, 'handlers', use.files.handlersFrom, use, problems);
  const handlers = handlersFile === undefined ? [] : roleHandlers(handlersFile, role, loader, problems, source);
  const defaultsFile = partFile(dir, 'defaults', use.files.defaultsFrom, use, problems);
  const varsFile = partFile(dir, 'vars', use.files.varsFrom, use, problems);
  const defaults = (defaultsFile && readVarsFile(defaultsFile, problems, source)) || {};
  const vars = (varsFile && readVarsFile(varsFile, problems, source)) || {};
  // The role's tasks always sit in a block that carries Ansible's role magic variables, so
  // copy/template/kernel_patch find `src` under roles/NAME/files first, as in Ansible.
  const block: BlockTask = {
    keywordSources: {},
    ...keywords,
    kind: 'block',
    name: undefined,
    source,
    vars: { ...keywords.vars, ...params, role_name: name, role_path: dir },
    block: tasks,
    rescue: [],
    always: [],
    role: { name, ...(use.private ? { scope: { name, defaults, vars } } : {}) },
  };
  return [...dependencies, {
    name,
    dir,
    tasks: [block],
    handlers,
    defaults: use.private ? {} : defaults,
    vars: use.private ? {} : vars,
    searchDirs: [path.join(dir, 'templates'), path.join(dir, 'files'), dir],
  }];
}
