// Loads a role from the standard layout — roles/NAME/{tasks,handlers,defaults,vars,meta}/main.yml,
// found beside the playbook or on roles_path, its meta/main.yml dependencies first — with
// templates/ and files/ searched by template, copy and lookup.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { describeValue } from '../expression/values.js';
import { didYouMean } from '../text/did-you-mean.js';
import type { Problems } from '../yaml/problems.js';
import { readVarsFile } from '../yaml/vars-file.js';
import { YamlSource } from '../yaml/yaml-source.js';
import { Fields } from './fields.js';
import { initialInherited, keywordsAt, type InheritedValues } from './keywords.js';
import type { TaskLoader } from './load-task.js';
import type { FileScope } from './task-loading.js';
import type { BlockTask, Handler, PlayTask } from './types.js';

/** A role as the play uses it. */
export interface LoadedRole {
  readonly name: string;
  readonly dir: string;
  /** The role's tasks, in a block carrying the role entry's when/tags/vars when it has any. */
  readonly tasks: readonly PlayTask[];
  readonly handlers: readonly Handler[];
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly vars: Readonly<Record<string, unknown>>;
  /** The role's own dirs for template/copy/lookup sources. */
  readonly searchDirs: readonly string[];
}

function mainFile(dir: string, part: string): string | undefined {
  for (const name of ['main.yml', 'main.yaml']) {
    const file = path.join(dir, part, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Where roles are looked for, and which role dirs a play has loaded (dependencies run once). */
export interface RoleSearch {
  readonly playbookDir: string;
  /** roles_path (ansible.cfg, ANSIBLE_ROLES_PATH): searched after roles/ beside the playbook. */
  readonly rolesPath: readonly string[];
  /** Roles already loaded as a dependency in this play. */
  readonly loaded: Set<string>;
}

/** The directory of role `name`, as Ansible's role search finds it; every place tried when none. */
function findRole(name: string, search: RoleSearch, besideDir: string | undefined): { dir: string } | { tried: string[] } {
  if (path.isAbsolute(name)) return existsSync(name) ? { dir: name } : { tried: [name] };
  const bases = [path.join(search.playbookDir, 'roles'), ...search.rolesPath, ...(besideDir === undefined ? [] : [besideDir, path.join(besideDir, 'roles')]), search.playbookDir];
  const tried = [...new Set(bases.map((base) => path.join(base, name)))];
  const dir = tried.find((candidate) => existsSync(candidate) && statSync(candidate).isDirectory());
  return dir === undefined ? { tried } : { dir };
}

/**
 * Load the role a `roles:` entry (or a meta/main.yml dependency) names — a name, or a mapping with
 * role: and keywords; other keys are role parameters — with its dependencies first.
 */
export function loadRole(node: Node | null, fields: Fields, loader: TaskLoader, search: RoleSearch, problems: Problems, dependentDir?: string): LoadedRole[] {
  const src = fields.src;
  const source = src.ref(node);
  let name: string | undefined;
  let keywords: InheritedValues = initialInherited();
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
    if (name === undefined) {
      problems.add(source, 'a role entry needs role: NAME', 'write - role: NAME');
      return [];
    }
  } else {
    problems.add(source, `a role entry must be a name or a mapping (got ${describeValue(src.value(node))})`, 'write - NAME or - role: NAME');
    return [];
  }

  const found = findRole(name, search, dependentDir === undefined ? undefined : path.dirname(dependentDir));
  if (!('dir' in found)) {
    problems.add(source, `role '${name}' not found (looked for ${found.tried.join(', ')})`, 'create roles/NAME/tasks/main.yml beside the playbook, or add its directory to roles_path');
    return [];
  }
  const dir = found.dir;
  // A dependency already loaded in this play runs once, as in Ansible (without allow_duplicates).
  if (dependentDir !== undefined && search.loaded.has(dir)) return [];
  if (dependentDir !== undefined) search.loaded.add(dir);

  const dependencies: LoadedRole[] = [];
  const metaFile = mainFile(dir, 'meta');
  if (metaFile !== undefined) {
    const meta = YamlSource.read(metaFile, problems, source);
    const root = meta?.root;
    if (meta !== undefined && isMap(root)) {
      const metaFields = new Fields(meta, problems);
      const entry = meta.entries(root, problems).find((e) => e.key === 'dependencies');
      const items = entry === undefined ? [] : (metaFields.list(entry) ?? []);
      for (const item of items) dependencies.push(...loadRole(item, metaFields, loader, search, problems, dir));
    }
  }

  const tasksFile = mainFile(dir, 'tasks');
  const tasks = tasksFile === undefined ? [] : (loader.taskFile(tasksFile, source, []) ?? []);
  const handlersFile = mainFile(dir, 'handlers');
  let handlers: Handler[] = [];
  if (handlersFile !== undefined) {
    const handlerSrc = YamlSource.read(handlersFile, problems, source);
    if (handlerSrc !== undefined) {
      const scope: FileScope = { fields: new Fields(handlerSrc, problems), baseDir: path.dirname(handlersFile), stack: [] };
      const root = handlerSrc.root;
      if (isSeq(root)) handlers = loader.handlers(root.items.map((item) => handlerSrc.resolve(item as Node)), scope);
      else if (root !== null && !(isScalar(root) && root.value === null)) problems.add(handlerSrc.ref(root), 'a handlers file must be a list of handlers', 'start each handler with "- name: …"');
    }
  }
  const defaultsFile = mainFile(dir, 'defaults');
  const varsFile = mainFile(dir, 'vars');
  // The role's tasks always sit in a block that carries Ansible's role magic variables, so
  // copy/template/kernel_patch find `src` under roles/NAME/files first, as in Ansible.
  const wrap = true;
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
  };
  return [...dependencies, {
    name,
    dir,
    tasks: wrap ? [block] : tasks,
    handlers,
    defaults: (defaultsFile && readVarsFile(defaultsFile, problems, source)) || {},
    vars: (varsFile && readVarsFile(varsFile, problems, source)) || {},
    searchDirs: [path.join(dir, 'templates'), path.join(dir, 'files'), dir],
  }];
}
