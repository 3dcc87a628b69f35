// Loads and validates a playbook before anything runs: every play, role, include and import is
// read, every keyword, module, parameter, expression and template checked, and all problems are
// thrown together as one InvalidInputErrors, each with file:line:column, the fix and the source line.
import path from 'node:path';
import type { VaultKeyring } from '../vault/vault-keyring.js';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { describeValue } from '../expression/values.js';
import type { ModuleRegistry } from '../module-api/registry.js';
import type { SourceRef } from '../source.js';
import { InvalidInputError } from '../errors.js';
import { isUndefinedVariable, renderString } from '../template/render.js';
import { hasTemplate } from '../template/segments.js';
import { didYouMean } from '../text/did-you-mean.js';
import { handlerNames } from './handler-names.js';
import { Problems } from '../yaml/problems.js';
import { readVarsFile } from '../yaml/vars-file.js';
import { YamlSource, type Entry } from '../yaml/yaml-source.js';
import { Fields } from './fields.js';
import { initialInherited, playKeywords, readInherited } from './keywords.js';
import { TaskLoader, warnIgnored } from './load-task.js';
import type { ModuleLookup, Notification, RoleContext } from './task-loading.js';
import { useRoleAsTask } from './role-tasks.js';
import { loadRole } from './roles.js';
import type { DeferredVarsFile, Handler, IncludedRole, LoadedVarsFile, Play, Playbook, PlayTask, SerialSpec } from './types.js';
import { readVarsPrompt } from './vars-prompt.js';

/** How to load: extra vars (for templated vars_files and imports) and where modules come from. */
export interface LoadOptions {
  /** `-e` variables: they may name vars_files and import_tasks files. */
  readonly extraVars?: Readonly<Record<string, unknown>>;
  /** The run's module set (src/cli/wiring.ts builds it from modules/all.ts; tests pass their own). */
  readonly modules: ModuleRegistry;
  /** Opens `!vault` values and vault-encrypted files (vars_files, roles' vars); without it they are input errors. */
  readonly vault?: VaultKeyring | undefined;
  /** The playbook's text when it is not read from `file` (the ad-hoc mode's one-task play). */
  readonly text?: string;
  /** Directories roles are looked for in after roles/ beside the playbook (ansible.cfg roles_path). */
  readonly rolesPath?: readonly string[] | undefined;
  /** Directories collections are looked for in after collections/ beside the playbook (collections_path). */
  readonly collectionsPath?: readonly string[] | undefined;
}

function lookup(options: LoadOptions): ModuleLookup {
  return { find: (name) => options.modules.find(name), names: () => options.modules.names() };
}

type SerialItem = number | `${number}%`;

function serialItem(value: unknown): SerialItem | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) >= 1 ? Number(text) : undefined;
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent?.[1] === undefined) return undefined;
  const share = Number(percent[1]);
  return share > 0 && share <= 100 ? (`${share}%` as const) : undefined;
}

/**
 * serial: as Ansible takes it; a template (the whole value or a list item) is rendered when the
 * playbook loads, over play vars and extra vars (Ansible renders it with the play's variables too).
 */
function serial(entry: Entry, fields: Fields, problems: Problems, vars: Readonly<Record<string, unknown>>): SerialSpec | undefined {
  const from = fields.src.ref(entry.value ?? entry.keyNode);
  const render = (item: unknown): unknown => {
    if (typeof item !== 'string' || !hasTemplate(item)) return item;
    try {
      return renderString(item, vars, { source: from });
    } catch (error) {
      problems.add(from, `'serial' is read when the play starts, so its template can only use extra vars and play vars: ${(error as Error).message}`, 'pass the variable with -e NAME=VALUE');
      return undefined;
    }
  };
  const rendered = render(fields.src.value(entry.value));
  if (rendered === undefined) return undefined;
  const value = Array.isArray(rendered) ? rendered.map(render) : rendered;
  if (Array.isArray(value) && value.includes(undefined)) return undefined;
  const items = Array.isArray(value) ? value : [value];
  const parsed = items.map(serialItem);
  if (items.length > 0 && parsed.every((item): item is SerialItem => item !== undefined)) return parsed;
  problems.add(
    fields.src.ref(entry.value ?? entry.keyNode),
    `'serial' must be a whole number of hosts (at least 1), a percentage from 1% to 100%, or a list of them (got ${describeValue(value)})`,
    'write serial: 5, serial: "30%" or serial: [1, 5, "50%"]',
  );
  return undefined;
}

/** Ansible's strategies beastie runs: host_pinned runs as free (each host on its own, bounded by --forks). */
const strategies = ['linear', 'free', 'host_pinned'] as const;

/** strategy: one of Ansible's names (a template rendered over play vars and extra vars). */
function strategy(entry: Entry, fields: Fields, vars: Readonly<Record<string, unknown>>): Play['strategy'] | undefined {
  const name = fields.loadTimeString(entry, vars, 'read when the play starts');
  if (name === undefined) return undefined;
  if ((strategies as readonly string[]).includes(name)) return name === 'host_pinned' ? 'free' : (name as Play['strategy']);
  const near = didYouMean(name, strategies);
  fields.problems.add(fields.src.ref(entry.value ?? entry.keyNode), `'strategy' must be one of ${strategies.join(', ')} (got '${name}')`, near ? `did you mean '${near}'?` : undefined);
  return undefined;
}

function percentage(entry: Entry, fields: Fields, problems: Problems): number | undefined {
  const value = fields.src.value(entry.value);
  const number = typeof value === 'string' && /^\d+(\.\d+)?%?$/.test(value.trim()) ? Number(value.trim().replace('%', '')) : value;
  if (typeof number === 'number' && number >= 0 && number <= 100) return number;
  problems.add(fields.src.ref(entry.value ?? entry.keyNode), `'${entry.key}' must be a percentage from 0 to 100 (got ${describeValue(value)})`, `write ${entry.key}: 25`);
  return undefined;
}

/** One play of a playbook. */
class PlayLoader {

  constructor(
    private readonly fields: Fields,
    private readonly problems: Problems,
    private readonly modules: ModuleLookup,
    private readonly extraVars: Readonly<Record<string, unknown>>,
    private readonly playbookDir: string,
    private readonly rolesPath: readonly string[],
    private readonly collectionsPath: readonly string[] | undefined,
  ) {}

  load(node: Node | null): Play | undefined {
    const { fields, problems } = this;
    const src = fields.src;
    if (!isMap(node)) {
      problems.add(src.ref(node), `a play must be a mapping with hosts: and tasks: (got ${describeValue(src.value(node))})`, 'write "- hosts: all" and indent the play\'s keys under it');
      return undefined;
    }
    const source = src.ref(node);
    const entries = src.entries(node, problems);
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    for (const entry of entries) {
      if (playKeywords.includes(entry.key)) continue;
      const near = didYouMean(entry.key, playKeywords);
      problems.add(src.ref(entry.keyNode), `unknown play keyword '${entry.key}'`, near ? `did you mean '${near}'?` : `play keywords: ${playKeywords.join(', ')}`);
    }
    const get = <T>(key: string, read: (entry: Entry) => T | undefined): T | undefined => {
      const entry = byKey.get(key);
      return entry === undefined ? undefined : read(entry);
    };

    const hostsEntry = byKey.get('hosts');
    const hosts = hostsEntry === undefined ? undefined : fields.stringList(hostsEntry)?.join(':');
    if (hostsEntry === undefined) problems.add(source, "a play needs 'hosts:'", 'add hosts: all (or a group or host pattern)');
    else if (hosts !== undefined && hosts.trim() === '') problems.add(src.ref(hostsEntry.value ?? hostsEntry.keyNode), "'hosts' is empty", 'write hosts: all (or a group or host pattern)');
    warnIgnored(fields, byKey);
    const keywords = readInherited(fields, byKey, 'play');
    const vars = keywords.vars;
    const varsFiles = get('vars_files', (e) => this.varsFiles(e, vars)) ?? [];
    const varsPrompt = get('vars_prompt', (e) => readVarsPrompt(fields.list(e) ?? [], fields)) ?? [];
    const staticVars = { ...vars, ...Object.assign({}, ...varsFiles.map((f) => ('vars' in f ? f.vars : {}))), ...this.extraVars };
    const collections = get('collections', (e) => fields.stringList(e)) ?? [];
    const search = { playbookDir: this.playbookDir, rolesPath: this.rolesPath, collectionsPath: this.collectionsPath, ...(collections.length > 0 ? { collections } : {}), loaded: new Set<string>() };
    const used: RoleContext = { search, handlers: [], exposed: [] };
    // A notify names a handler of its own play: each play's are checked against its handlers only.
    const notified: Notification[] = [];
    const loader = new TaskLoader({ problems, modules: this.modules, staticVars, playbookDir: this.playbookDir, notified, roles: used }, byKey.has('module_defaults'));
    const scope = { fields, baseDir: this.playbookDir, stack: [path.resolve(src.file)] };
    const taskList = (key: string): PlayTask[] => {
      const entry = byKey.get(key);
      const items = entry === undefined ? undefined : fields.list(entry);
      return items === undefined ? [] : loader.tasks(items, scope);
    };
    const preTasks = taskList('pre_tasks');
    const roles = (get('roles', (e) => fields.list(e)) ?? []).flatMap((item) => loadRole(item, fields, loader, search, problems));
    const tasks = taskList('tasks');
    const postTasks = taskList('post_tasks');
    const handlersEntry = byKey.get('handlers');
    const handlerNodes = handlersEntry === undefined ? [] : (fields.list(handlersEntry) ?? []);
    // A role listed twice (with different vars) runs twice, but its handlers exist once.
    const distinctRoles = roles.filter((role, i) => roles.findIndex((other) => other.dir === role.dir) === i);
    const handlers: Handler[] = [...distinctRoles.flatMap((role) => role.handlers), ...used.handlers, ...loader.handlers(handlerNodes, scope)];
    this.checkNotify(handlers, notified, staticVars);

    // roles:, then import_role and public include_role in the order they are written.
    const playRoles = [...roles, ...used.exposed];
    const roleDefaults = Object.assign({}, ...playRoles.map((role) => role.defaults)) as Record<string, unknown>;
    const roleVars = Object.assign({}, ...playRoles.map((role) => role.vars)) as Record<string, unknown>;
    const playDirs = [path.join(this.playbookDir, 'templates'), path.join(this.playbookDir, 'files'), this.playbookDir];
    return {
      ...keywords,
      name: get('name', (e) => fields.string(e)) ?? hosts ?? '',
      source,
      hosts: hosts ?? '',
      varsFiles,
      ...(varsPrompt.length === 0 ? {} : { varsPrompt }),
      gatherFacts: get('gather_facts', (e) => fields.bool(e)) ?? true,
      strategy: get('strategy', (e) => strategy(e, fields, staticVars)) ?? 'linear',
      serial: get('serial', (e) => serial(e, fields, problems, staticVars)),
      maxFailPercentage: get('max_fail_percentage', (e) => percentage(e, fields, problems)),
      roleDefaults,
      roleVars,
      preTasks,
      tasks: [...roles.flatMap((role) => role.tasks), ...tasks],
      postTasks,
      handlers,
      baseDir: this.playbookDir,
      searchDirs: [...new Set([...distinctRoles, ...used.exposed].flatMap((role) => role.searchDirs)), ...playDirs],
    };
  }

  /**
   * vars_files: paths relative to the playbook, templated on extra vars and play vars. An entry
   * whose name uses other variables (inventory, facts), or whose file does not exist, is left
   * for the run to read per host: Ansible's --syntax-check and --list-tasks accept both.
   */
  private varsFiles(entry: Entry, playVars: Readonly<Record<string, unknown>>): (LoadedVarsFile | DeferredVarsFile)[] | undefined {
    const { fields, problems } = this;
    // One file name alone is a list of one, as Ansible's FieldAttribute(isa='list') makes it.
    const items = isScalar(entry.value) && typeof entry.value.value === 'string' ? [entry.value] : fields.list(entry);
    if (items === undefined) return undefined;
    const loaded: (LoadedVarsFile | DeferredVarsFile)[] = [];
    for (const item of items) {
      const from = fields.src.ref(item);
      const value = fields.src.value(item);
      // A list item means "the first of these that exists", as in Ansible.
      const candidates = Array.isArray(value) ? value : [value];
      if (!candidates.every((c): c is string => typeof c === 'string')) {
        problems.add(from, `'vars_files' entries must be file names (got ${describeValue(value)})`, 'write - vars/common.yml');
        continue;
      }
      const deferred: DeferredVarsFile = { source: from, names: candidates };
      const files: string[] = [];
      let unknown = false;
      for (const candidate of candidates) {
        try {
          const name = hasTemplate(candidate) ? String(renderString(candidate, { ...playVars, ...this.extraVars }, { source: from })) : candidate;
          files.push(name);
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          // A variable the host may define: read it when the play runs.
          if (isUndefinedVariable(error)) unknown = true;
          else problems.addError(error, from);
        }
      }
      if (unknown) loaded.push(deferred);
      if (files.length !== candidates.length) continue;
      const file = firstVarsFile(files, this.playbookDir);
      if (file === undefined) {
        problems.warn(from, `vars file ${candidates.join(', ')} was not found: the play fails on each host if it runs without it`);
        loaded.push(deferred);
        continue;
      }
      const vars = readVarsFile(file, problems, from);
      if (vars !== undefined) loaded.push({ path: file, vars });
    }
    return loaded;
  }

  /**
   * A notify should name a handler (`ROLE : name` for a role's) or a listen topic of this play.
   * One that names none is a warning, not a refusal: Ansible loads and runs the play, and ends the
   * run only if a changed task notifies it (vbotka's freebsd_timezone notifies 'adjust CMOS' for
   * its handler 'Adjust CMOS'). A handler name or topic that is a template is rendered over the
   * play's vars and extra vars; when one cannot be, only the run can tell, and nothing is warned.
   */
  private checkNotify(handlers: readonly Handler[], notified: readonly Notification[], vars: Readonly<Record<string, unknown>>): void {
    let known = true;
    const rendered = (name: string, from: SourceRef): string[] => {
      if (!hasTemplate(name)) return [name];
      try {
        return [String(renderString(name, vars, { source: from }))];
      } catch {
        known = false;
        return [];
      }
    };
    const targets = [
      ...new Set(
        handlers.flatMap((handler) => [
          ...(handler.name === undefined ? [] : rendered(handler.name, handler.source).flatMap((name) => handlerNames(handler, name))),
          ...handler.listen.flatMap((topic) => rendered(topic, handler.source)),
        ]),
      ),
    ];
    if (!known) return;
    for (const notification of notified) {
      if (targets.includes(notification.name) || hasTemplate(notification.name)) continue;
      const near = didYouMean(notification.name, targets);
      const fix = near ? `did you mean '${near}'?` : targets.length > 0 ? `handlers: ${targets.join(', ')}` : 'add the handler under handlers:';
      this.problems.warn(notification.source, `notify: no handler or listen topic named '${notification.name}' in this play (${fix}): if a changed task notifies it, the run stops there, as in Ansible`);
    }
  }
}

/** The plays of one playbook file, imports expanded in place (`stack`: the files importing it, for cycles). */
function loadPlays(src: YamlSource, problems: Problems, options: LoadOptions, stack: readonly string[]): Play[] {
  const plays: Play[] = [];
  const root = src.root;
  const fields = new Fields(src, problems);
  if (!isSeq(root) || root.items.length === 0) {
    const empty = root === null || (isScalar(root) && root.value === null) || (isSeq(root) && root.items.length === 0);
    problems.add(src.ref(root), empty ? 'the playbook has no plays' : `a playbook must be a list of plays (got ${describeValue(src.value(root))})`, 'start with "- hosts: all" and tasks:');
    return plays;
  }
  const loader = new PlayLoader(fields, problems, lookup(options), options.extraVars ?? {}, path.dirname(src.file), options.rolesPath ?? [], options.collectionsPath);
  for (const item of root.items) {
    const node = src.resolve(item as Node);
    if (isMap(node) && node.items.some((pair) => isScalar(pair.key) && playbookImportKeys.includes(String(pair.key.value)))) {
      plays.push(...importPlaybook(node, fields, problems, options, stack));
      continue;
    }
    const play = loader.load(node);
    if (play !== undefined) plays.push(play);
  }
  return plays;
}

/** What imports a playbook into a playbook; the old bare `include:` was import_playbook there. */
const playbookImportKeys = ['import_playbook', 'ansible.builtin.import_playbook', 'include', 'ansible.builtin.include'];

/**
 * `- import_playbook: other.yml` (relative to the importing playbook) with vars, tags and when, as
 * Ansible's PlaybookInclude: the import's vars over each play's, its tags added, its when put
 * before every task of the imported plays.
 */
function importPlaybook(node: Node, fields: Fields, problems: Problems, options: LoadOptions, stack: readonly string[]): Play[] {
  const { src } = fields;
  const entries = src.entries(node as Parameters<typeof src.entries>[0], problems).map((entry) => {
    if (!playbookImportKeys.includes(entry.key)) return entry;
    if (entry.key.endsWith('include')) problems.warn(src.ref(entry.keyNode), "'include' for playbook includes is deprecated (Ansible 2.16 removed it): beastie reads it as import_playbook; write import_playbook:");
    return { ...entry, key: 'import_playbook' };
  });
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  const allowed = ['import_playbook', 'name', 'vars', 'tags', 'when'];
  for (const entry of entries) {
    if (!allowed.includes(entry.key)) problems.add(src.ref(entry.keyNode), `'${entry.key}' does not apply to import_playbook`, `import_playbook takes ${allowed.join(', ')}`);
  }
  const entry = byKey.get('import_playbook') as Entry;
  const written = fields.string(entry);
  if (written === undefined) return [];
  const from = src.ref(entry.value ?? entry.keyNode);
  let name = written;
  if (hasTemplate(written)) {
    try {
      name = String(renderString(written, options.extraVars ?? {}, { source: from }));
    } catch (error) {
      problems.add(from, `import_playbook is expanded when the playbook loads, so its file name can only use extra vars: ${(error as Error).message}`, 'pass the variable with -e NAME=VALUE');
      return [];
    }
  }
  const file = path.isAbsolute(name) ? name : path.join(path.dirname(src.file), name);
  const resolved = path.resolve(file);
  if (stack.includes(resolved)) {
    problems.add(from, `import_playbook cycle: ${[...stack, resolved].map((f) => path.basename(f)).join(' → ')}`, 'remove the import that leads back to an earlier playbook');
    return [];
  }
  const imported = YamlSource.read(file, problems, from);
  if (imported === undefined) return [];
  const get = <T>(key: string, read: (e: Entry) => T | undefined): T | undefined => {
    const e = byKey.get(key);
    return e === undefined ? undefined : read(e);
  };
  const vars = get('vars', (e) => fields.vars(e)) ?? {};
  const tags = get('tags', (e) => fields.stringList(e, true)) ?? [];
  const when = get('when', (e) => fields.conditions(e)) ?? [];
  const guarded = (tasks: readonly PlayTask[], play: Play): PlayTask[] =>
    when.length === 0 || tasks.length === 0 ? [...tasks] : [{ ...initialInherited(), name: undefined, source: play.source, kind: 'block', when, block: tasks, rescue: [], always: [] }];
  return loadPlays(imported, problems, options, [...stack, resolved]).map((play) => ({
    ...play,
    vars: { ...play.vars, ...vars },
    tags: [...new Set([...play.tags, ...tags])],
    preTasks: guarded(play.preTasks, play),
    tasks: guarded(play.tasks, play),
    postTasks: guarded(play.postTasks, play),
  }));
}

/** Load, check and return the playbook at `file`; throws InvalidInputErrors listing every problem. */
export function loadPlaybook(file: string, options: LoadOptions): Playbook {
  const problems = new Problems(options.vault);
  const src = options.text === undefined ? YamlSource.read(file, problems) : YamlSource.parse(file, options.text, problems);
  const plays = src === undefined ? [] : loadPlays(src, problems, options, [path.resolve(file)]);
  problems.throwIfAny();
  return { path: file, plays, warnings: problems.warnings() };
}

/**
 * Load a task file at run time (include_tasks whose name was a template, rendered per host): its
 * tasks, and the handlers of the roles its include_role/import_role tasks load, which join the
 * running play as Ansible's IncludeRole adds them; throws InvalidInputErrors pointing into the file,
 * or at `from` when it cannot be read.
 */
export function loadTaskFile(
  file: string,
  from: SourceRef,
  options: LoadOptions & { readonly playbookDir: string; readonly roleDirs?: readonly string[] | undefined },
): { readonly tasks: PlayTask[]; readonly handlers: Handler[] } {
  const problems = new Problems(options.vault);
  // A role included from a file loaded now brings its handlers, not its public vars, to the running play (README).
  const roles: RoleContext = { search: { playbookDir: options.playbookDir, rolesPath: options.rolesPath ?? [], collectionsPath: options.collectionsPath, loaded: new Set() }, handlers: [], exposed: [] };
  const loader = new TaskLoader({ problems, modules: lookup(options), staticVars: options.extraVars ?? {}, playbookDir: options.playbookDir, notified: [], roles });
  const tasks = loader.taskFile(file, from, { stack: [], roleDirs: options.roleDirs }) ?? [];
  problems.throwIfAny();
  return { tasks, handlers: roles.handlers };
}

/**
 * Load a role at run time (include_role whose name was a template, rendered per host): its tasks,
 * dependencies first, and its handlers; throws InvalidInputErrors at `from` (a role not found) or
 * pointing into the role's files.
 */
export function loadRoleTasks(
  name: string,
  role: IncludedRole,
  from: SourceRef,
  options: LoadOptions & { readonly playbookDir: string },
): { readonly tasks: PlayTask[]; readonly handlers: Handler[] } {
  const problems = new Problems(options.vault);
  const roles: RoleContext = { search: { playbookDir: options.playbookDir, rolesPath: options.rolesPath ?? [], collectionsPath: options.collectionsPath, loaded: new Set() }, handlers: [], exposed: [] };
  const loader = new TaskLoader({ problems, modules: lookup(options), staticVars: options.extraVars ?? {}, playbookDir: options.playbookDir, notified: [], roles });
  const tasks = useRoleAsTask(loader, name, role, from, 'include_role').flatMap((used) => used.tasks);
  problems.throwIfAny();
  return { tasks, handlers: roles.handlers };
}

/** A vars file read while the play runs (a vars_files entry named by host variables), decrypted with `vault`: its variables, or InvalidInputErrors. */
export function loadVarsFile(file: string, from: SourceRef, vault: VaultKeyring | undefined): Record<string, unknown> {
  const problems = new Problems(vault);
  const vars = readVarsFile(file, problems, from);
  problems.throwIfAny();
  return vars ?? {};
}

/** The first of a vars_files entry's (templated) names whose file exists; relative names are read from `dir`. */
export function firstVarsFile(names: readonly string[], dir: string): string | undefined {
  return names.map((name) => (path.isAbsolute(name) ? name : path.join(dir, name))).find((file) => YamlSource.exists(file));
}
