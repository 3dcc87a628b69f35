// Task files: reading one (a role's tasks/main.yml, an include or import target) with cycle
// detection, finding the file an include or import names, and the include_tasks and import_tasks
// nodes. import_tasks is expanded here; include_tasks is loaded here when its file name has no
// template, so the errors of every file surface before anything runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { describeValue } from '../expression/values.js';
import { formatSourceRef, type SourceRef } from '../source.js';
import { renderString } from '../template/render.js';
import { hasTemplate } from '../template/segments.js';
import { Problems } from '../yaml/problems.js';
import { YamlSource, type Entry } from '../yaml/yaml-source.js';
import { Fields } from './fields.js';
import { parseKeyValues } from './free-form.js';
import { actionOptions, readApply } from './role-tasks.js';
import { loadTimeVars, taskFileCandidates } from './task-file-search.js';
import type { FileScope, Notification, ParentScope, TaskReader } from './task-loading.js';
import type { BlockTask, PlayTask, TaskCommon } from './types.js';

/** Read a task file as a list of tasks, keeping the `parent`'s role and handler status; undefined (with the problem recorded) when it cannot be. */
export function readTaskFile(loader: TaskReader, file: string, from: SourceRef, parent: ParentScope): PlayTask[] | undefined {
  const { stack } = parent;
  const { problems, playbookDir } = loader.env;
  const resolved = path.resolve(file);
  if (stack.includes(resolved)) {
    const chain = [...stack.slice(stack.indexOf(resolved)), resolved].map((f) => path.relative(playbookDir, f) || f).join(' → ');
    problems.add(from, `include cycle: ${chain}`, 'remove the include that leads back to an earlier file');
    return undefined;
  }
  const src = YamlSource.read(file, problems, from);
  if (src === undefined) return undefined;
  const fields = new Fields(src, problems);
  const scope: FileScope = { fields, baseDir: path.dirname(file), stack: [...stack, resolved], roleDirs: parent.roleDirs, handlers: parent.handlers, role: parent.role };
  const root = src.root;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isSeq(root)) {
    problems.add(src.ref(root), `a task file must be a list of tasks (got ${describeValue(src.value(root))})`, 'start each task with "- name: …"');
    return undefined;
  }
  return loader.tasks(root.items.map((item) => src.resolve(item as Node)), scope);
}

/**
 * The file an include/import names (taskFileCandidates); undefined, with the places tried
 * recorded, when there is none: an error for an import, a warning for an include (Ansible reads
 * an include's file only when it runs, so a handler including a file that is not there loads).
 */
export function resolveTaskFile(loader: TaskReader, name: string, scope: FileScope, from: SourceRef, missing: 'error' | 'warning' = 'error'): string | undefined {
  const { playbookDir, problems } = loader.env;
  const candidates = taskFileCandidates(name, { ...scope, playbookDir });
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found !== undefined) return found;
  const message = `task file '${name}' not found (looked at ${candidates.join(', ')})`;
  if (missing === 'warning') {
    problems.warn(from, `${message}: the include fails if it runs`);
    return undefined;
  }
  const fix = scope.roleDirs === undefined ? 'check the file name; paths are relative to the including file or the playbook' : "check the file name; paths are relative to the including file, the role's tasks/ or the playbook";
  problems.add(from, message, fix);
  return undefined;
}

/** The file name of `include_tasks: FILE` or `include_tasks: {file: FILE}` (with `apply:` for include_tasks). */
function fileOptions(loader: TaskReader, entry: Entry, fields: Fields): { file: string; apply?: TaskCommon } | undefined {
  if (!isMap(entry.value)) {
    const file = fields.string(entry);
    return file === undefined ? undefined : { file };
  }
  const options = actionOptions(entry, fields, entry.key === 'include_tasks' ? ['file', 'apply'] : ['file']);
  if (options === undefined) return undefined;
  const applyEntry = options.get('apply');
  const apply = applyEntry === undefined ? undefined : readApply(loader, applyEntry, fields);
  const file = options.get('file');
  if (file === undefined) {
    fields.problems.add(fields.src.ref(entry.value), `'${entry.key}' needs a file`, `write ${entry.key}: FILE.yml`);
    return undefined;
  }
  const name = fields.string(file);
  return name === undefined ? undefined : { file: name, ...(apply === undefined ? {} : { apply }) };
}

/**
 * The old `include: FILE k=v …` (Ansible removed it in 2.16): include_tasks of FILE, the words
 * after it being the include's vars; Ansible's deprecation warning is shown.
 */
function oldInclude(entry: Entry, common: TaskCommon, fields: Fields): { file: string; common: TaskCommon } | undefined {
  const { src, problems } = fields;
  problems.warn(src.ref(entry.keyNode), "'include' is deprecated (Ansible 2.16 removed it): beastie reads it as include_tasks; write include_tasks: or import_tasks:");
  const written = fields.string(entry);
  if (written === undefined) return undefined;
  const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(written);
  const file = match?.[1];
  if (file === undefined) {
    problems.add(src.ref(entry.value ?? entry.keyNode), "'include' needs a file", 'write include_tasks: FILE.yml');
    return undefined;
  }
  const words = match?.[2] ?? '';
  const vars = words === '' ? {} : parseKeyValues(words);
  if (vars === undefined) {
    problems.add(src.ref(entry.value ?? entry.keyNode), `'include: ${written}': the words after the file must be NAME=VALUE`, 'write the variables under vars: on the task');
    return undefined;
  }
  return { file, common: { ...common, vars: { ...common.vars, ...vars } } };
}

/**
 * An include_tasks file read ahead, when the playbook loads. Ansible reads it only when the include
 * runs, so when the include may never run (a handler, or a `when:`), a file that does not load (a
 * Windows module in a handler never notified on FreeBSD, as in ansible-core's
 * setup_remote_tmp_dir) refuses nothing now: a warning with its first problem, and the run reads
 * it again when the include runs, failing there at the same line. An include that always runs
 * would fail anyway: its file's problems stay errors, found before any host is contacted.
 */
function readIncludedFile(loader: TaskReader, file: string, from: SourceRef, parent: ParentScope, mayNotRun: boolean): PlayTask[] | undefined {
  if (!mayNotRun) return readTaskFile(loader, file, from, parent);
  const trial = new Problems(loader.env.problems.vault);
  const notified: Notification[] = [];
  const tasks = readTaskFile(loader.withProblems(trial, notified), file, from, parent);
  for (const warning of trial.warnings()) loader.env.problems.warn(warning.source, warning.message);
  const first = trial.list()[0];
  if (first === undefined) {
    loader.env.notified.push(...notified);
    return tasks;
  }
  loader.env.problems.warn(from, `${path.basename(file)} does not load (${formatSourceRef(first.source ?? from)}: ${first.message}): it is read again when the include runs, and fails there`);
  return undefined;
}

/** include_tasks (and the old include): resolved per host at run time; its file read now when the name has no template. */
export function includeTasks(loader: TaskReader, written: TaskCommon, byKey: ReadonlyMap<string, Entry>, scope: FileScope, asHandler: boolean): PlayTask[] {
  const { fields } = scope;
  const entry = (byKey.get('include_tasks') ?? byKey.get('include')) as Entry;
  fields.templates(entry.value);
  const old = entry.key === 'include' ? oldInclude(entry, written, fields) : undefined;
  const options = entry.key === 'include' ? old : fileOptions(loader, entry, fields);
  if (options === undefined) return [];
  const common = old?.common ?? written;
  const { file } = options;
  const apply = 'apply' in options ? options.apply : undefined;
  const from = fields.src.ref(entry.value);
  let tasks: PlayTask[] | undefined;
  if (!hasTemplate(file)) {
    const resolved = resolveTaskFile(loader, file, scope, from, 'warning');
    if (resolved !== undefined) tasks = readIncludedFile(loader, resolved, from, { stack: scope.stack, roleDirs: scope.roleDirs, role: scope.role }, asHandler || byKey.has('when'));
  }
  return [
    {
      ...common,
      ...loader.looping(byKey, fields),
      kind: 'include',
      file,
      tasks,
      baseDir: scope.baseDir,
      ...(scope.roleDirs === undefined ? {} : { roleDirs: scope.roleDirs }),
      rolesPath: loader.env.roles.search.rolesPath,
      ...(loader.env.roles.search.collectionsPath === undefined ? {} : { collectionsPath: loader.env.roles.search.collectionsPath }),
      ...(apply === undefined ? {} : { apply }),
    },
  ];
}

/** import_tasks: the file's tasks in place; wrapped in a block when the import carries keywords. */
export function importTasks(loader: TaskReader, common: TaskCommon, byKey: ReadonlyMap<string, Entry>, scope: FileScope, asHandler: boolean): PlayTask[] {
  const { fields } = scope;
  const { problems, staticVars } = loader.env;
  const entry = byKey.get('import_tasks') as Entry;
  const written = fileOptions(loader, entry, fields)?.file;
  if (written === undefined) return [];
  const from = fields.src.ref(entry.value);
  let file = written;
  if (hasTemplate(written)) {
    try {
      file = String(renderString(written, loadTimeVars(staticVars, scope), { source: from }));
    } catch (error) {
      problems.add(from, `import_tasks is expanded when the playbook loads, so its file name can only use extra vars, play vars and role_path: ${(error as Error).message}`, 'use include_tasks for a file name that depends on host variables');
      return [];
    }
  }
  const resolved = resolveTaskFile(loader, file, scope, from);
  if (resolved === undefined) return [];
  const tasks = readTaskFile(loader, resolved, from, { stack: scope.stack, roleDirs: scope.roleDirs, handlers: asHandler, role: scope.role }) ?? [];
  const carries = [...byKey.keys()].some((key) => key !== 'import_tasks' && key !== 'name');
  if (!carries) return tasks;
  const block: BlockTask = { ...common, kind: 'block', block: tasks, rescue: [], always: [] };
  return [block];
}
