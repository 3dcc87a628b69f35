// Turns the YAML of tasks, blocks, includes, imports, meta tasks and handlers into PlayTasks,
// recording every problem (unknown keyword or module, bad parameter, bad expression) with its
// location. import_tasks is expanded here; include_tasks is loaded here when its file name has no
// template, so the errors of every file surface before anything runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { describeValue, isMapping as isPlainMapping } from '../expression/values.js';
import type { ModuleDefinition } from '../module/module.js';
import type { SourceRef } from '../source.js';
import { renderString } from '../template/render.js';
import { hasTemplate } from '../template/segments.js';
import { didYouMean } from '../text/did-you-mean.js';
import { Fields } from './fields.js';
import { freeFormModules, parseFreeForm, parseKeyValues } from './free-form.js';
import {
  actionKeywords,
  blockKeywords,
  commonTaskKeywords,
  metaActions,
  moduleTaskKeywords,
  taskKeywords,
  unsupportedAnsibleKeywords,
} from './keywords.js';
import type { Problems } from './problems.js';
import type { BlockTask, Handler, LoopControl, MetaTask, ModuleTask, PlayTask, TaskCommon } from './types.js';
import { paramIssues, type ParamIssue } from './validate-params.js';
import { YamlSource, type Entry } from './yaml-source.js';

/** How the loader finds modules: the registry by default, small test modules in tests. */
export interface ModuleLookup {
  readonly find: (name: string) => ModuleDefinition | undefined;
  readonly names: () => readonly string[];
}

/** A notify target as written, checked against the play's handlers once they are all known. */
export interface Notification {
  readonly name: string;
  readonly source: SourceRef;
}

/** What task loading needs from the play being loaded. */
export interface TaskEnvironment {
  readonly problems: Problems;
  readonly modules: ModuleLookup;
  /** Variables known before the run (extra vars, play vars): for templated import_tasks names. */
  readonly staticVars: Readonly<Record<string, unknown>>;
  /** The playbook's directory, the fallback for relative include/import paths. */
  readonly playbookDir: string;
  /** Filled with every notify seen, for the play to check. */
  readonly notified: Notification[];
}

/** The file being read and the include chain that led to it. */
export interface FileScope {
  readonly fields: Fields;
  /** Relative include/import paths are looked up here first. */
  readonly baseDir: string;
  /** Files of the include/import chain, for cycle detection. */
  readonly stack: readonly string[];
}

/** Ansible collection prefixes accepted before generic module names. */
const modulePrefixes = ['ansible.builtin.', 'ansible.legacy.', 'community.general.'];

const localhostNames: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1']);

type Kind = 'module' | 'block' | 'include' | 'import' | 'meta';

/** Which keywords each kind of task accepts besides the common ones. */
const kindKeywords: Readonly<Record<Kind, readonly string[]>> = {
  module: moduleTaskKeywords,
  block: ['block', ...blockKeywords],
  include: ['include_tasks'],
  import: ['import_tasks'],
  meta: ['meta'],
};

/** Loads tasks for one play; one instance per play. */
export class TaskLoader {
  constructor(private readonly env: TaskEnvironment) {}

  private get problems(): Problems {
    return this.env.problems;
  }

  /** Read a task file (include/import target, role tasks/main.yml) as a list of tasks. */
  taskFile(file: string, from: SourceRef, stack: readonly string[]): PlayTask[] | undefined {
    const resolved = path.resolve(file);
    if (stack.includes(resolved)) {
      const chain = [...stack.slice(stack.indexOf(resolved)), resolved].map((f) => path.relative(this.env.playbookDir, f) || f).join(' → ');
      this.problems.add(from, `include cycle: ${chain}`, 'remove the include that leads back to an earlier file');
      return undefined;
    }
    const src = YamlSource.read(file, this.problems, from);
    if (src === undefined) return undefined;
    const fields = new Fields(src, this.problems);
    const scope: FileScope = { fields, baseDir: path.dirname(file), stack: [...stack, resolved] };
    const root = src.root;
    if (root === null || (isScalar(root) && root.value === null)) return [];
    if (!isSeq(root)) {
      this.problems.add(src.ref(root), `a task file must be a list of tasks (got ${describeValue(src.value(root))})`, 'start each task with "- name: …"');
      return undefined;
    }
    return this.tasks(root.items.map((item) => src.resolve(item as Node)), scope);
  }

  /** A list of task nodes; imports expand in place. */
  tasks(nodes: readonly (Node | null)[], scope: FileScope): PlayTask[] {
    return nodes.flatMap((node) => this.task(node, scope));
  }

  /** A list of handler nodes. */
  handlers(nodes: readonly (Node | null)[], scope: FileScope): Handler[] {
    const handlers: Handler[] = [];
    for (const node of nodes) {
      const [task] = this.task(node, scope, true);
      if (task === undefined) continue;
      if (task.kind !== 'task') {
        this.problems.add(task.source, 'a handler must call a module', 'move blocks and includes into a task; a handler is one module call');
        continue;
      }
      handlers.push(task as Handler);
    }
    return handlers;
  }

  private task(node: Node | null, scope: FileScope, asHandler = false): PlayTask[] {
    const { fields } = scope;
    const src = fields.src;
    if (!isMap(node)) {
      this.problems.add(src.ref(node), `a task must be a mapping such as "- name: …" with a module (got ${describeValue(src.value(node))})`, 'indent the task\'s keys under "- "');
      return [];
    }
    const source = src.ref(node);
    const entries = src.entries(node, this.problems);
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    const kind = this.kindOf(entries, source, scope, asHandler);
    if (kind === undefined) {
      // Still check the shared keywords (when, vars, become…), so one pass reports everything.
      this.common(byKey, source, fields);
      return [];
    }

    const allowed = new Set([...commonTaskKeywords, ...kindKeywords[kind.kind], ...(asHandler ? ['listen'] : [])]);
    for (const entry of entries) {
      if (entry === kind.moduleEntry || allowed.has(entry.key) || !taskKeywords.includes(entry.key)) continue;
      const what = { module: `a task calling ${kind.moduleEntry?.key ?? 'a module'}`, block: 'a block', include: 'include_tasks', import: 'import_tasks', meta: 'a meta task' }[kind.kind];
      const fix = entry.key === 'listen' ? 'listen belongs on handlers' : blockKeywords.includes(entry.key) ? 'rescue and always go with block:' : kind.kind === 'block' ? 'put it on the tasks inside the block' : undefined;
      this.problems.add(src.ref(entry.keyNode), `'${entry.key}' does not apply to ${what}`, fix);
    }

    const common = this.common(byKey, source, fields);
    switch (kind.kind) {
      case 'module':
        return this.moduleTask(common, kind.moduleEntry, kind.moduleName, byKey, scope, asHandler);
      case 'block': {
        const list = (key: string) => {
          const entry = byKey.get(key);
          if (entry === undefined) return [];
          const items = fields.list(entry);
          return items === undefined ? [] : this.tasks(items, scope);
        };
        const block: BlockTask = { ...common, kind: 'block', block: list('block'), rescue: list('rescue'), always: list('always') };
        return [block];
      }
      case 'meta': {
        const action = fields.oneOf(byKey.get('meta') as Entry, metaActions);
        if (action === undefined) return [];
        const meta: MetaTask = { ...common, kind: 'meta', action };
        return [meta];
      }
      case 'include':
        return this.include(common, byKey.get('include_tasks') as Entry, scope);
      case 'import':
        return this.importTasks(common, byKey, scope);
    }
  }

  /** Decide what the task is: block, include, import, meta, or which module it calls. */
  private kindOf(
    entries: readonly Entry[],
    source: SourceRef,
    scope: FileScope,
    asHandler: boolean,
  ): { kind: Exclude<Kind, 'module'>; moduleEntry?: undefined; moduleName?: undefined } | { kind: 'module'; moduleEntry: Entry; moduleName: string } | undefined {
    const src = scope.fields.src;
    const actions = entries.filter((entry) => actionKeywords.includes(entry.key));
    const modules: { entry: Entry; name: string }[] = [];
    let unknown = false;
    for (const entry of entries) {
      if (taskKeywords.includes(entry.key)) continue;
      if (Object.hasOwn(unsupportedAnsibleKeywords, entry.key)) {
        this.problems.add(src.ref(entry.keyNode), `Ansible keyword '${entry.key}' is not supported by beastie`, unsupportedAnsibleKeywords[entry.key]);
        unknown = true;
        continue;
      }
      const name = this.moduleName(entry.key);
      if (name !== undefined) {
        modules.push({ entry, name });
        continue;
      }
      unknown = true;
      const keyword = didYouMean(entry.key, taskKeywords);
      const module = didYouMean(entry.key, this.env.modules.names());
      const hasAction = actions.length > 0 || entries.some((other) => other !== entry && this.moduleName(other.key) !== undefined);
      if (hasAction || (keyword !== undefined && module === undefined)) {
        this.problems.add(src.ref(entry.keyNode), `unknown task keyword '${entry.key}'`, keyword ? `did you mean '${keyword}'?` : `a task has one module; its other keys are keywords: ${taskKeywords.join(', ')}`);
      } else {
        const fix = module ? `did you mean '${module}'?` : keyword ? `did you mean the keyword '${keyword}'?` : "run 'beastie doc' to list the modules";
        this.problems.add(src.ref(entry.keyNode), `unknown module '${entry.key}'`, fix);
      }
    }
    if (actions.length > 1) {
      const names = actions.map((entry) => entry.key);
      this.problems.add(source, `a task can only be one of ${names.join(', ')}`, 'split it into separate tasks');
      return undefined;
    }
    const action = actions[0];
    if (action !== undefined) {
      for (const module of modules) {
        this.problems.add(src.ref(module.entry.keyNode), `a task with '${action.key}' cannot also call module '${module.entry.key}'`, 'split it into separate tasks');
      }
      if (modules.length > 0) return undefined;
      if (asHandler && action.key !== 'meta') {
        this.problems.add(src.ref(action.keyNode), `a handler cannot use '${action.key}'`, 'a handler is one module call');
        return undefined;
      }
      const kinds: Record<string, Exclude<Kind, 'module'>> = { block: 'block', include_tasks: 'include', import_tasks: 'import', meta: 'meta' };
      return { kind: kinds[action.key] ?? 'block' };
    }
    const [first, second] = modules;
    if (second !== undefined && first !== undefined) {
      this.problems.add(src.ref(second.entry.keyNode), `a task has two modules, '${first.entry.key}' and '${second.entry.key}'`, 'split it into two tasks, one module each');
      return undefined;
    }
    if (first === undefined) {
      if (!unknown) this.problems.add(source, 'task has no module', "add one module (e.g. 'command: …'), or use block, include_tasks, import_tasks or meta");
      return undefined;
    }
    return { kind: 'module', moduleEntry: first.entry, moduleName: first.name };
  }

  private moduleName(key: string): string | undefined {
    if (this.env.modules.find(key)) return key;
    const prefix = modulePrefixes.find((p) => key.startsWith(p));
    if (prefix === undefined) return undefined;
    const short = key.slice(prefix.length);
    return this.env.modules.find(short) ? short : undefined;
  }

  /** Keywords every kind of task shares. */
  private common(byKey: ReadonlyMap<string, Entry>, source: SourceRef, fields: Fields): TaskCommon {
    const get = <T>(key: string, read: (entry: Entry) => T | undefined): T | undefined => {
      const entry = byKey.get(key);
      return entry === undefined ? undefined : read(entry);
    };
    const name = get('name', (e) => fields.string(e));
    const nameEntry = byKey.get('name');
    if (nameEntry) fields.templates(nameEntry.value);
    for (const key of ['jail', 'become_user', 'notify', 'loop_control']) {
      const entry = byKey.get(key);
      if (entry) fields.templates(entry.value);
    }
    return {
      name,
      source,
      when: get('when', (e) => fields.conditions(e)) ?? [],
      tags: get('tags', (e) => fields.stringList(e, true)) ?? [],
      become: get('become', (e) => fields.bool(e)),
      becomeMethod: get('become_method', (e) => fields.oneOf(e, ['sudo', 'doas', 'su'] as const)),
      becomeUser: get('become_user', (e) => fields.string(e)),
      jail: get('jail', (e) => fields.string(e)),
      vars: get('vars', (e) => fields.vars(e)) ?? {},
      ignoreErrors: get('ignore_errors', (e) => fields.bool(e)) ?? false,
      noLog: get('no_log', (e) => fields.bool(e)) ?? false,
      runOnce: get('run_once', (e) => fields.bool(e)) ?? false,
      delegateTo: get('delegate_to', (e) => this.delegateTo(e, fields)),
      anyErrorsFatal: get('any_errors_fatal', (e) => fields.bool(e)),
      keywordSources: Object.fromEntries(
        [...byKey.values()].filter((entry) => taskKeywords.includes(entry.key)).map((entry) => [entry.key, fields.src.ref(entry.value ?? entry.keyNode)]),
      ),
    };
  }

  private delegateTo(entry: Entry, fields: Fields): 'localhost' | undefined {
    const value = fields.string(entry);
    if (value === undefined) return undefined;
    if (localhostNames.has(value)) return 'localhost';
    this.problems.add(
      fields.src.ref(entry.value),
      `delegate_to: '${value}' is not supported — beastie delegates only to the controller (localhost or 127.0.0.1)`,
      'write delegate_to: localhost, or run the task in a play for that host',
    );
    return undefined;
  }

  private moduleTask(
    common: TaskCommon,
    moduleEntry: Entry,
    moduleName: string,
    byKey: ReadonlyMap<string, Entry>,
    scope: FileScope,
    asHandler: boolean,
  ): ModuleTask[] {
    const { fields } = scope;
    const src = fields.src;
    const get = <T>(key: string, read: (entry: Entry) => T | undefined): T | undefined => {
      const entry = byKey.get(key);
      return entry === undefined ? undefined : read(entry);
    };
    const params = this.params(moduleEntry, moduleName, byKey.get('args'), fields);
    const notify = get('notify', (e) => fields.stringList(e)) ?? [];
    const notifyEntry = byKey.get('notify');
    if (notifyEntry) for (const name of notify) if (!hasTemplate(name)) this.env.notified.push({ name, source: src.ref(notifyEntry.value) });
    const until = get('until', (e) => fields.condition(e));
    const task: ModuleTask = {
      ...common,
      kind: 'task',
      module: moduleName,
      params,
      paramsSource: src.ref(moduleEntry.keyNode),
      paramSources: this.paramSources(moduleEntry.value, byKey.get('args')?.value ?? null, fields),
      loop: get('loop', (e) => this.loop(e, fields)),
      loopControl: get('loop_control', (e) => this.loopControl(e, fields)) ?? { loopVar: 'item' },
      register: get('register', (e) => fields.identifier(e)),
      notify,
      changedWhen: get('changed_when', (e) => fields.conditions(e)),
      failedWhen: get('failed_when', (e) => fields.conditions(e)),
      until,
      // Ansible's defaults: 3 retries 5 seconds apart once `until` is given.
      retries: get('retries', (e) => fields.int(e, 0)) ?? (until === undefined ? 0 : 3),
      delaySeconds: get('delay', (e) => fields.int(e, 0)) ?? 5,
      timeoutSeconds: get('timeout', (e) => fields.int(e, 1)),
      throttle: get('throttle', (e) => fields.int(e, 1)),
      asyncSeconds: get('async', (e) => fields.int(e, 0)),
      pollSeconds: get('poll', (e) => fields.int(e, 0)) ?? 15,
    };
    if (!asHandler) return [task];
    const listen = get('listen', (e) => fields.stringList(e)) ?? [];
    if (common.name === undefined && listen.length === 0) {
      this.problems.add(common.source, 'a handler needs a name (or listen topics) to be notified by', 'add name: …');
    }
    const handler: Handler = { ...task, listen };
    return [handler];
  }

  /** The module's parameters: a mapping, a free-form command, or key=value words, plus `args:`. */
  private params(moduleEntry: Entry, moduleName: string, argsEntry: Entry | undefined, fields: Fields): Record<string, unknown> {
    const src = fields.src;
    const node = moduleEntry.value;
    const value = src.value(node);
    let params: Record<string, unknown> = {};
    if (value === null) params = {};
    else if (isPlainMapping(value)) params = value;
    else if (typeof value === 'string' && freeFormModules.has(moduleName)) params = parseFreeForm(value);
    else if (typeof value === 'string' && parseKeyValues(value) !== undefined) params = parseKeyValues(value) ?? {};
    else {
      this.problems.add(src.ref(node), `${moduleName}: parameters must be a mapping (got ${describeValue(value)})`, `write them indented under ${moduleEntry.key}:, one per line as name: value`);
      return {};
    }
    let argsNode: Node | null = null;
    if (argsEntry !== undefined) {
      const args = fields.mapping(argsEntry);
      if (args !== undefined) {
        argsNode = args;
        params = { ...(src.value(args) as Record<string, unknown>), ...params };
      }
    }
    fields.templates(node);
    if (argsNode) fields.templates(argsNode);
    const module = this.env.modules.find(moduleName);
    if (module !== undefined) {
      for (const issue of paramIssues(module, params, { deferTemplated: true })) {
        this.problems.add(this.issueSource(issue, node, argsNode, fields) ?? src.ref(moduleEntry.keyNode), issue.message, issue.fix);
      }
    }
    return params;
  }

  /** Where each top-level parameter's value is written (the module line's win over `args:`). */
  private paramSources(node: Node | null, argsNode: Node | null, fields: Fields): Record<string, SourceRef> {
    const sources: Record<string, SourceRef> = {};
    for (const map of [argsNode, node]) {
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        if (isScalar(pair.key)) sources[String(pair.key.value)] = fields.src.ref((pair.value as Node | null) ?? (pair.key as Node));
      }
    }
    return sources;
  }

  /**
   * The YAML node an issue is about: the parameter's key (unknown parameter) or value; for a
   * missing parameter, the mapping that lacks it; else undefined (the caller uses the module key).
   */
  private issueSource(issue: ParamIssue, node: Node | null, argsNode: Node | null, fields: Fields): SourceRef | undefined {
    const src = fields.src;
    let fallback: Node | null = null;
    for (const start of [node, argsNode]) {
      let current: Node | null = start;
      let keyNode: Node | null = null;
      let reached: Node | null = start;
      for (const key of issue.path) {
        let next: Node | null = null;
        if (isMap(current)) {
          const pair = current.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
          if (pair !== undefined) {
            keyNode = pair.key as Node;
            next = src.resolve((pair.value as Node | null) ?? null);
          }
        } else if (isSeq(current) && typeof key === 'number') {
          keyNode = null;
          next = src.resolve((current.items[key] as Node | undefined) ?? null);
        }
        current = next;
        if (current === null) break;
        reached = current;
      }
      if (current !== null || keyNode !== null) {
        if (issue.about === 'key' && keyNode) return src.ref(keyNode);
        if (current !== null) return src.ref(current);
        return src.ref(keyNode);
      }
      fallback ??= reached;
    }
    // An empty `vm_guest:` has a null node at the end of the line; the module key reads better.
    return fallback === null || (isScalar(fallback) && fallback.value === null) ? undefined : src.ref(fallback);
  }

  private loop(entry: Entry, fields: Fields): unknown {
    const value = fields.src.value(entry.value);
    fields.templates(entry.value);
    if (Array.isArray(value)) return value;
    if (typeof value === 'string' && hasTemplate(value)) return value;
    this.problems.add(
      fields.src.ref(entry.value ?? entry.keyNode),
      `'loop' must be a list or a template that renders one (got ${describeValue(value)})`,
      'write loop: [a, b] or loop: "{{ my_list }}"',
    );
    return undefined;
  }

  private loopControl(entry: Entry, fields: Fields): LoopControl | undefined {
    const map = fields.mapping(entry);
    if (map === undefined) return undefined;
    let loopVar = 'item';
    let indexVar: string | undefined;
    let label: string | undefined;
    for (const item of fields.src.entries(map, this.problems)) {
      if (item.key === 'loop_var') loopVar = fields.identifier(item) ?? loopVar;
      else if (item.key === 'index_var') indexVar = fields.identifier(item);
      else if (item.key === 'label') label = fields.string(item);
      else {
        const near = didYouMean(item.key, ['loop_var', 'index_var', 'label']);
        this.problems.add(fields.src.ref(item.keyNode), `unknown loop_control key '${item.key}'`, near ? `did you mean '${near}'?` : 'loop_control takes loop_var, index_var and label');
      }
    }
    return { loopVar, indexVar, label };
  }

  /** The file an include/import names, relative to the including file, then to the playbook. */
  private resolveFile(name: string, scope: FileScope, from: SourceRef): string | undefined {
    if (path.isAbsolute(name)) {
      if (existsSync(name)) return name;
    } else {
      for (const dir of [scope.baseDir, this.env.playbookDir]) if (existsSync(path.join(dir, name))) return path.join(dir, name);
    }
    const looked = path.isAbsolute(name) ? name : [...new Set([scope.baseDir, this.env.playbookDir])].map((dir) => path.join(dir, name)).join(', ');
    this.problems.add(from, `task file '${name}' not found (looked at ${looked})`, 'check the file name; paths are relative to the including file or the playbook');
    return undefined;
  }

  private fileName(entry: Entry, fields: Fields): string | undefined {
    if (isMap(entry.value)) {
      const items = fields.src.entries(entry.value, this.problems);
      for (const item of items) {
        if (item.key !== 'file') this.problems.add(fields.src.ref(item.keyNode), `'${entry.key}' takes only file: here (got '${item.key}')`, 'put when, tags and vars on the task itself');
      }
      const file = items.find((item) => item.key === 'file');
      if (file !== undefined) return fields.string(file);
      this.problems.add(fields.src.ref(entry.value), `'${entry.key}' needs a file`, `write ${entry.key}: FILE.yml`);
      return undefined;
    }
    return fields.string(entry);
  }

  private include(common: TaskCommon, entry: Entry, scope: FileScope): PlayTask[] {
    const { fields } = scope;
    fields.templates(entry.value);
    const file = this.fileName(entry, fields);
    if (file === undefined) return [];
    const from = fields.src.ref(entry.value);
    let tasks: PlayTask[] | undefined;
    if (!hasTemplate(file)) {
      const resolved = this.resolveFile(file, scope, from);
      if (resolved !== undefined) tasks = this.taskFile(resolved, from, scope.stack);
    }
    return [{ ...common, kind: 'include', file, tasks, baseDir: scope.baseDir }];
  }

  /** import_tasks: the file's tasks in place; wrapped in a block when the import carries keywords. */
  private importTasks(common: TaskCommon, byKey: ReadonlyMap<string, Entry>, scope: FileScope): PlayTask[] {
    const { fields } = scope;
    const entry = byKey.get('import_tasks') as Entry;
    const written = this.fileName(entry, fields);
    if (written === undefined) return [];
    const from = fields.src.ref(entry.value);
    let file = written;
    if (hasTemplate(written)) {
      try {
        file = String(renderString(written, this.env.staticVars, { source: from }));
      } catch (error) {
        this.problems.add(from, `import_tasks is expanded when the playbook loads, so its file name can only use extra vars and play vars: ${(error as Error).message}`, 'use include_tasks for a file name that depends on host variables');
        return [];
      }
    }
    const resolved = this.resolveFile(file, scope, from);
    if (resolved === undefined) return [];
    const tasks = this.taskFile(resolved, from, scope.stack) ?? [];
    const carries = [...byKey.keys()].some((key) => key !== 'import_tasks' && key !== 'name');
    if (!carries) return tasks;
    const block: BlockTask = { ...common, kind: 'block', block: tasks, rescue: [], always: [] };
    return [block];
  }
}
