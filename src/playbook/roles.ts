// Loads a role from the standard layout beside the playbook — roles/NAME/{tasks,handlers,
// defaults,vars}/main.yml, with templates/ and files/ searched by template, copy and lookup.
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
import type { FileScope, TaskLoader } from './load-task.js';
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

/** Load the role a `roles:` entry names (a name, or a mapping with role/vars/tags/when). */
export function loadRole(node: Node | null, fields: Fields, loader: TaskLoader, playbookDir: string, problems: Problems): LoadedRole | undefined {
  const src = fields.src;
  const source = src.ref(node);
  let name: string | undefined;
  let keywords: InheritedValues = initialInherited();
  if (isScalar(node) && typeof node.value === 'string') {
    name = node.value;
  } else if (isMap(node)) {
    const entries = src.entries(node, problems);
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    const allowed = keywordsAt('role');
    for (const entry of entries) {
      if (entry.key === 'role' || entry.key === 'name') name = fields.string(entry);
      else if (!allowed.includes(entry.key)) {
        const near = didYouMean(entry.key, allowed);
        problems.add(src.ref(entry.keyNode), `unknown role keyword '${entry.key}'`, near ? `did you mean '${near}'?` : 'give role parameters under vars:');
      }
    }
    keywords = loader.common(byKey, source, fields, 'role');
    if (name === undefined) {
      problems.add(source, 'a role entry needs role: NAME', 'write - role: NAME');
      return undefined;
    }
  } else {
    problems.add(source, `a role entry must be a name or a mapping (got ${describeValue(src.value(node))})`, 'write - NAME or - role: NAME');
    return undefined;
  }

  const dir = path.isAbsolute(name) ? name : path.join(playbookDir, name.includes('/') ? name : path.join('roles', name));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.add(source, `role '${name}' not found (looked for ${dir})`, 'create roles/NAME/tasks/main.yml beside the playbook');
    return undefined;
  }

  const metaFile = mainFile(dir, 'meta');
  if (metaFile !== undefined) {
    const meta = YamlSource.read(metaFile, problems, source);
    const value = meta?.value(meta.root);
    const dependencies = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)['dependencies'] : undefined;
    if (Array.isArray(dependencies) && dependencies.length > 0) {
      problems.add(meta?.ref(meta.root) ?? source, `role '${name}' has dependencies, which beastie does not resolve`, 'list the dependent roles in the play\'s roles: before this one');
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
    vars: { ...keywords.vars, role_name: name, role_path: dir },
    block: tasks,
    rescue: [],
    always: [],
  };
  return {
    name,
    dir,
    tasks: wrap ? [block] : tasks,
    handlers,
    defaults: (defaultsFile && readVarsFile(defaultsFile, problems, source)) || {},
    vars: (varsFile && readVarsFile(varsFile, problems, source)) || {},
    searchDirs: [path.join(dir, 'templates'), path.join(dir, 'files'), dir],
  };
}
