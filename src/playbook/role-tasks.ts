// include_role and import_role: a role used as a task. import_role puts the role's tasks in place
// (a block carrying the import's keywords, as import_tasks); include_role is an include whose
// tasks are the role's, its keywords deciding whether to include, as Ansible's IncludeRole. Both
// load the role when the playbook loads, so its errors surface before anything runs; an
// include_role whose name uses variables only the run has (a loop item, host variables) loads
// it when the run reaches it, per name (src/runner/task-files.ts), as Ansible always does.
import { isMap } from 'yaml';
import { isUndefinedVariable, renderString } from '../template/render.js';
import { hasTemplate } from '../template/segments.js';
import { didYouMean } from '../text/did-you-mean.js';
import type { Entry } from '../yaml/yaml-source.js';
import type { Fields } from './fields.js';
import { initialInherited } from './keywords.js';
import { findRole, useRole } from './roles.js';
import { loadTimeVars } from './task-file-search.js';
import type { FileScope, LoadedRole, RoleSearch, TaskReader } from './task-loading.js';
import type { BlockTask, IncludedRole, IncludeTask, PlayTask, TaskCommon } from './types.js';

/** include_role's options (import_role's are the same without apply). */
const includeRoleOptions = ['name', 'role', 'tasks_from', 'vars_from', 'defaults_from', 'handlers_from', 'public', 'allow_duplicates', 'apply', 'rolespec_validate'];

/** The options of an action written as a mapping (`include_role: {name: x, tasks_from: y}`), by name; unknown ones are errors. */
export function actionOptions(entry: Entry, fields: Fields, allowed: readonly string[]): Map<string, Entry> | undefined {
  const map = fields.mapping(entry);
  if (map === undefined) return undefined;
  const options = new Map<string, Entry>();
  for (const item of fields.src.entries(map, fields.problems)) {
    if (allowed.includes(item.key)) {
      options.set(item.key, item);
      continue;
    }
    const near = didYouMean(item.key, allowed);
    fields.problems.add(fields.src.ref(item.keyNode), `'${entry.key}' has no option '${item.key}'`, near ? `did you mean '${near}'?` : `its options: ${allowed.join(', ')}; put when, tags and vars on the task itself`);
  }
  return options;
}

/**
 * `apply:` of include_tasks / include_role: keywords for every included task, read as the
 * keywords of a block around them (Ansible builds exactly that block).
 */
export function readApply(loader: TaskReader, entry: Entry, fields: Fields): TaskCommon | undefined {
  const map = fields.mapping(entry);
  if (map === undefined) return undefined;
  const entries = fields.src.entries(map, fields.problems);
  const allowed = loader.blockKeywords();
  for (const item of entries) {
    if (allowed.includes(item.key)) continue;
    const near = didYouMean(item.key, allowed);
    fields.problems.add(fields.src.ref(item.keyNode), `'apply' takes the keywords of a block, not '${item.key}'`, near ? `did you mean '${near}'?` : undefined);
  }
  return loader.common(new Map(entries.map((item) => [item.key, item])), fields.src.ref(map), fields, 'block');
}

/**
 * The role's name, rendered now when it is a template (over extra vars and play vars); `deferred`
 * (include_role) when it uses a variable only the run has.
 */
function roleName(loader: TaskReader, entry: Entry, scope: FileScope, action: string): { readonly name: string } | { readonly deferred: string } | undefined {
  const { fields } = scope;
  const written = fields.string(entry);
  if (written === undefined) return undefined;
  if (!hasTemplate(written)) return { name: written };
  const from = fields.src.ref(entry.value ?? entry.keyNode);
  try {
    return { name: String(renderString(written, loadTimeVars(loader.env.staticVars, scope), { source: from })) };
  } catch (error) {
    if (action === 'include_role' && isUndefinedVariable(error)) return { deferred: written };
    // import_role is static in Ansible too: its name must be known when the playbook is parsed.
    fields.problems.add(from, `${action} is static: its name can only use extra vars, play vars and role_path: ${(error as Error).message}`, 'pass the variable with -e NAME=VALUE, name the role directly, or use include_role');
    return undefined;
  }
}

/** Load the role `name` as include_role/import_role use it (dependencies first), its handlers recorded for the play. */
export function useRoleAsTask(loader: TaskReader, name: string, role: IncludedRole, source: TaskCommon['source'], action: 'include_role' | 'import_role', search?: RoleSearch): LoadedRole[] {
  const context = loader.env.roles;
  const loaded = useRole(
    {
      name,
      source,
      // The include's or import's keywords stay on its own node, which encloses the role's block.
      keywords: initialInherited(),
      params: {},
      files: { tasksFrom: role.tasksFrom, varsFrom: role.varsFrom, defaultsFrom: role.defaultsFrom, handlersFrom: role.handlersFrom },
      // An included role's variables are its own; with public, the runner gives them to the play once it ran.
      private: action === 'include_role' || !role.public,
      allowDuplicates: role.allowDuplicates,
    },
    loader,
    search ?? context.search,
    loader.env.problems,
  );
  for (const used of loaded) {
    for (const handler of used.handlers) if (!context.handlers.some((known) => known.source === handler.source)) context.handlers.push(handler);
    if (action === 'import_role' && role.public) context.exposed.push(used);
  }
  return loaded;
}

/** The roles (dependencies first) an include_role/import_role names, with what they give the play recorded. */
function loadUsedRole(
  loader: TaskReader,
  common: TaskCommon,
  options: ReadonlyMap<string, Entry>,
  scope: FileScope,
  action: 'include_role' | 'import_role',
): { role: IncludedRole; written: string; name: string; loaded: LoadedRole[] | undefined } | undefined {
  const { fields } = scope;
  // `role:` is an alias of `name:` (Ansible's IncludeRole reads name, then role).
  const nameEntry = options.get('name') ?? options.get('role');
  if (nameEntry === undefined) {
    fields.problems.add(common.source, `'${action}' needs the role's name`, `write ${action}: {name: ROLE}`);
    return undefined;
  }
  if (options.has('name') && options.has('role')) fields.problems.add(fields.src.ref(options.get('role')?.keyNode ?? null), `'${action}' takes name or its alias role, not both`, 'remove role:');
  const named = roleName(loader, nameEntry, scope, action);
  if (named === undefined) return undefined;
  const text = (key: string) => {
    const entry = options.get(key);
    return entry === undefined ? undefined : fields.string(entry);
  };
  const flag = (key: string) => {
    const entry = options.get(key);
    return entry === undefined ? undefined : fields.bool(entry);
  };
  const role: IncludedRole = {
    tasksFrom: text('tasks_from'),
    varsFrom: text('vars_from'),
    defaultsFrom: text('defaults_from'),
    handlersFrom: text('handlers_from'),
    // An imported role's defaults and vars are the play's from the start, as Ansible exposes them at parse time.
    public: flag('public') ?? action === 'import_role',
    allowDuplicates: flag('allow_duplicates') ?? true,
  };
  // rolespec_validate: beastie does not validate meta/argument_specs.yml (README), so it only reads as a boolean.
  flag('rolespec_validate');
  const written = fields.string(nameEntry) ?? '';
  if ('deferred' in named) return { role, written, name: named.deferred, loaded: undefined };
  // In a role's file the role's collection list resolves a short name, not the play's (roles do not inherit it).
  const search: RoleSearch = scope.role?.collections === undefined ? loader.env.roles.search : { ...loader.env.roles.search, collections: scope.role.collections };
  const found = findRole(named.name, search, undefined);
  if (action === 'include_role' && !('dir' in found)) {
    // Ansible loads an included role only when a host reaches it (a `when` may keep it from ever
    // running): a role not installed is a warning now and that host's failure then.
    fields.problems.warn(common.source, `role '${named.name}' not found (looked for ${found.tried.join(', ')}): the task fails on each host that reaches it`);
    return { role, written, name: named.name, loaded: undefined };
  }
  return { role, written, name: named.name, loaded: useRoleAsTask(loader, named.name, role, common.source, action, search) };
}

/** `include_role:` — an include of the role's tasks (a loop includes it once per item). */
export function includeRole(loader: TaskReader, common: TaskCommon, byKey: ReadonlyMap<string, Entry>, scope: FileScope): PlayTask[] {
  const { fields } = scope;
  const entry = byKey.get('include_role') as Entry;
  if (!isMap(entry.value)) {
    fields.problems.add(fields.src.ref(entry.value ?? entry.keyNode), "'include_role' takes options such as name: and tasks_from:", 'write include_role: {name: ROLE}');
    return [];
  }
  const options = actionOptions(entry, fields, includeRoleOptions);
  if (options === undefined) return [];
  const applyEntry = options.get('apply');
  const apply = applyEntry === undefined ? undefined : readApply(loader, applyEntry, fields);
  const used = loadUsedRole(loader, common, options, scope, 'include_role');
  if (used === undefined) return [];
  const include: IncludeTask = {
    ...common,
    ...loader.looping(byKey, fields),
    kind: 'include',
    // As written: the runner renders it per host and item, and uses `tasks` when it renders to `loadedAs`.
    file: used.written,
    // undefined: the name uses variables only the run has; the runner loads the role per name.
    tasks: used.loaded?.flatMap((role) => role.tasks),
    ...(used.loaded === undefined ? {} : { loadedAs: used.name }),
    baseDir: scope.baseDir,
    role: used.role,
    rolesPath: loader.env.roles.search.rolesPath,
    ...(loader.env.roles.search.collectionsPath === undefined ? {} : { collectionsPath: loader.env.roles.search.collectionsPath }),
    ...(apply === undefined ? {} : { apply }),
  };
  return [include];
}

/** `import_role:` — the role's tasks in place, in a block carrying the import's keywords. */
export function importRole(loader: TaskReader, common: TaskCommon, byKey: ReadonlyMap<string, Entry>, scope: FileScope): PlayTask[] {
  const { fields } = scope;
  const entry = byKey.get('import_role') as Entry;
  if (!isMap(entry.value)) {
    fields.problems.add(fields.src.ref(entry.value ?? entry.keyNode), "'import_role' takes options such as name: and tasks_from:", 'write import_role: {name: ROLE}');
    return [];
  }
  const options = actionOptions(entry, fields, includeRoleOptions.filter((key) => key !== 'apply'));
  if (options === undefined) return [];
  const used = loadUsedRole(loader, common, options, scope, 'import_role');
  if (used === undefined) return [];
  const block: BlockTask = { ...common, kind: 'block', block: (used.loaded ?? []).flatMap((role) => role.tasks), rescue: [], always: [] };
  return [block];
}
