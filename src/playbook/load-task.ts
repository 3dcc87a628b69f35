// Turns the YAML of one task, block, include, import, meta task or handler into a PlayTask. What
// the task is comes from classify-task.ts, its parameters from task-params.ts, task files from
// task-files.ts; the keywords every node carries are read from the table in keywords.ts.
import { isMap, isScalar, Scalar, YAMLMap, type Node } from 'yaml';
import { describeValue } from '../expression/values.js';
import type { SourceRef } from '../source.js';
import { hasTemplate } from '../template/segments.js';
import type { Problems } from '../yaml/problems.js';
import type { Entry } from '../yaml/yaml-source.js';
import { classifyTask, type Classified, type TaskKind } from './classify-task.js';
import { didYouMean } from '../text/did-you-mean.js';
import type { Fields } from './fields.js';
import { anyTaskKeyword, ignoredKeywords, keywordsAt, metaActions, readInherited, type Place } from './keywords.js';
import { withoutCollection } from './module-names.js';
import { importRole, includeRole } from './role-tasks.js';
import { importTasks, includeTasks, readTaskFile } from './task-files.js';
import type { FileScope, Notification, ParentScope, TaskEnvironment, TaskReader } from './task-loading.js';
import { paramSources, readParams, type FailureHandled } from './task-params.js';
import type { BlockTask, Handler, LoopControl, Looping, MetaTask, ModuleTask, PlayTask, TaskCommon } from './types.js';

/** What starts a `with_<lookup>:` loop's key. */
const withPrefix = 'with_';

const loopControlKeys = ['loop_var', 'index_var', 'label', 'pause', 'extended', 'extended_allitems'];

/** The keyword-table place of each kind of task. */
const placeOf: Readonly<Record<TaskKind | 'module', Place>> = { module: 'task', block: 'block', include: 'include', import: 'import', include_role: 'include', import_role: 'import', meta: 'meta' };

/** How each kind is named in "does not apply to" errors. */
const kindName: Readonly<Record<TaskKind, string>> = { block: 'a block', include: 'include_tasks', import: 'import_tasks', include_role: 'include_role', import_role: 'import_role', meta: 'a meta task' };


/** A warning for each keyword written here that beastie reads but does not act on. */
export function warnIgnored(fields: Fields, byKey: ReadonlyMap<string, Entry>): void {
  for (const entry of byKey.values()) {
    const ignored = Object.hasOwn(ignoredKeywords, entry.key) ? ignoredKeywords[entry.key] : undefined;
    if (ignored !== undefined) fields.problems.warn(fields.src.ref(entry.keyNode), `beastie ignores '${entry.key}': ${ignored.why}`);
  }
}

/**
 * `action: shell echo hi` / `local_action: {module: copy, src: a, dest: b}` as the entry of the
 * module it names (`shell: echo hi`), its arguments at their own place; undefined (the problem
 * recorded) when no module is named.
 */
function actionForm(entry: Entry, fields: Fields): Entry | undefined {
  const { src, problems } = fields;
  const node = entry.value;
  if (isScalar(node) && typeof node.value === 'string') {
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(node.value);
    if (match?.[1] !== undefined) {
      const rest = new Scalar(match[2] ?? '');
      rest.range = node.range ?? null;
      return { key: match[1], keyNode: node, value: match[2] === '' ? null : rest };
    }
  }
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === 'module');
    if (pair !== undefined && isScalar(pair.value) && typeof pair.value.value === 'string') {
      const args = new YAMLMap();
      args.items = node.items.filter((item) => item !== pair);
      args.range = node.range ?? null;
      return { key: pair.value.value, keyNode: pair.value, value: args.items.length === 0 ? null : args };
    }
  }
  problems.add(src.ref(node ?? entry.keyNode), `'${entry.key}' must name a module: ${entry.key}: MODULE ARGS or ${entry.key}: {module: MODULE, …}`, `write ${entry.key}: command ls, or the module as the task's key`);
  return undefined;
}

/** Loads tasks for one play; one instance per play. */
export class TaskLoader implements TaskReader {
  /** How many of the nodes being read (play, role entry, block, include, task) have module_defaults. */
  private moduleDefaults = 0;
  /**
   * Around the tasks being read, innermost first: whether a block has a rescue, and the
   * ignore_errors written on it (Ansible's innermost-wins inheritance).
   */
  private readonly around: { readonly rescue: boolean; readonly ignoreErrors: boolean | undefined }[] = [];

  /** `playModuleDefaults`: the play has module_defaults, which every task may take parameters from. */
  constructor(
    readonly env: TaskEnvironment,
    playModuleDefaults = false,
  ) {
    if (playModuleDefaults) this.moduleDefaults = 1;
  }

  withProblems(problems: Problems, notified: Notification[]): TaskReader {
    return new TaskLoader({ ...this.env, problems, notified }, this.moduleDefaults > 0);
  }

  underModuleDefaults<T>(present: boolean, read: () => T): T {
    if (!present) return read();
    this.moduleDefaults += 1;
    try {
      return read();
    } finally {
      this.moduleDefaults -= 1;
    }
  }

  /** Read what `read` reads inside a block (see `around`). */
  private within<T>(frame: (typeof this.around)[number], read: () => T): T {
    this.around.unshift(frame);
    try {
      return read();
    } finally {
      this.around.shift();
    }
  }

  /** Whether a task with these keywords is written to fail: its ignore_errors (or the innermost block's), or a rescue around it. */
  private failureHandled(common: TaskCommon): FailureHandled | undefined {
    const ignoreErrors = common.ignoreErrors ?? this.around.find((frame) => frame.ignoreErrors !== undefined)?.ignoreErrors;
    if (ignoreErrors === true) return 'ignore_errors';
    return this.around.some((frame) => frame.rescue) ? 'rescue' : undefined;
  }

  private get problems(): Problems {
    return this.env.problems;
  }

  /** Read a task file (include/import target, role tasks/main.yml) as a list of tasks. */
  taskFile(file: string, from: SourceRef, parent?: ParentScope): PlayTask[] | undefined {
    return readTaskFile(this, file, from, parent ?? { stack: [] });
  }

  /** A list of task nodes; imports expand in place. */
  tasks(nodes: readonly (Node | null)[], scope: FileScope): PlayTask[] {
    return nodes.flatMap((node) => this.task(node, scope, scope.handlers === true));
  }

  /**
   * A list of handler nodes. Ansible's load_list_of_blocks (lib/ansible/playbook/helpers.py, with
   * use_handlers): consecutive handlers make one implicit block, each `block:` one of its own; a
   * block's tasks are handlers carrying its keywords; a block inside one is refused.
   */
  handlers(nodes: readonly (Node | null)[], scope: FileScope): Handler[] {
    const handlers: Handler[] = [];
    const role = scope.role === undefined ? {} : { fromRole: scope.role.name };
    let block: string | undefined;
    const add = (task: PlayTask, enclosing: readonly TaskCommon[]): void => {
      // A meta task is a handler too in Ansible (`meta: reset_connection` after a group change).
      if (task.kind === 'task' || task.kind === 'include' || task.kind === 'meta') {
        block ??= `${task.source.file}:${task.source.line}:${task.source.column}`;
        handlers.push({ listen: [], ...task, ...role, handlerBlock: block, ...(enclosing.length > 0 ? { enclosing } : {}) });
      }
      // import_tasks / import_role under handlers: the imported tasks are the handlers, with the import's keywords, as in Ansible.
      else if (task.kind === 'block' && task.rescue.length === 0 && task.always.length === 0 && task.name === undefined) task.block.forEach((inner) => add(inner, [...enclosing, keywordsOf(task)]));
      else this.problems.add(task.source, 'a handler must call a module, meta or include tasks', 'move blocks into a task file and write the handler as include_tasks: FILE');
    };
    for (const node of nodes) {
      if (isMap(node) && node.has('block')) {
        block = undefined;
        for (const written of this.handlerBlock(node, scope)) written.block.forEach((task) => add(task, [keywordsOf(written)]));
        block = undefined;
      } else this.task(node, scope, true).forEach((task) => add(task, []));
    }
    return handlers;
  }

  /**
   * A `block:` written under handlers, its tasks read as handlers (Block.load with use_handlers).
   * Ansible 2.14 refuses a block inside it ("Using a block as a handler is not supported"), and
   * its play iterator takes only the block's `block:` list as handlers (play_iterator.py:
   * `[h for b in self._play.handlers for h in b.block]`): rescue and always never run.
   */
  private handlerBlock(node: YAMLMap, scope: FileScope): BlockTask[] {
    const src = scope.fields.src;
    // The block itself is read as a block; its lists as handlers, where classifyTask refuses a block as Ansible does.
    const blocks = this.task(node, { ...scope, handlers: true }, false).filter((task): task is BlockTask => task.kind === 'block');
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'rescue' || key === 'always')
        this.problems.warn(
          src.ref(pair.key as Node),
          `${key}: under a handler's block never runs and its tasks are not handlers (Ansible 2.14 runs a handler block's block: list only): move what it does into the handlers, or into a task file`,
        );
    }
    return blocks;
  }

  /** The keywords a block may carry (what `apply:` takes). */
  blockKeywords(): readonly string[] {
    return keywordsAt('block').filter((key) => !['block', 'rescue', 'always', 'name'].includes(key));
  }

  /** The keywords every kind of node carries, read from the table, with their sources. */
  common(byKey: ReadonlyMap<string, Entry>, source: SourceRef, fields: Fields, place: Place): TaskCommon {
    const nameEntry = byKey.get('name');
    const name = nameEntry === undefined ? undefined : fields.templatedString(nameEntry);
    const loopControl = byKey.get('loop_control');
    if (loopControl) fields.templates(loopControl.value);
    warnIgnored(fields, byKey);
    const inherited = readInherited(fields, byKey, place);
    const notifyEntry = byKey.get('notify');
    if (notifyEntry) for (const target of inherited.notify) if (!hasTemplate(target)) this.env.notified.push({ name: target, source: fields.src.ref(notifyEntry.value) });
    return {
      ...inherited,
      name,
      source,
      keywordSources: Object.fromEntries(
        [...byKey.values()].filter((entry) => anyTaskKeyword.includes(entry.key)).map((entry) => [entry.key, fields.src.ref(entry.value ?? entry.keyNode)]),
      ),
    };
  }

  private task(node: Node | null, scope: FileScope, asHandler = false): PlayTask[] {
    const { fields } = scope;
    const src = fields.src;
    if (!isMap(node)) {
      this.problems.add(src.ref(node), `a task must be a mapping such as "- name: …" with a module (got ${describeValue(src.value(node))})`, 'indent the task\'s keys under "- "');
      return [];
    }
    const source = src.ref(node);
    // `ansible.builtin.include_tasks:` is include_tasks: actions and keywords by their FQCN too.
    let entries = src.entries(node, this.problems).map((entry) => {
      const short = withoutCollection(entry.key);
      return short !== entry.key && anyTaskKeyword.includes(short) ? { ...entry, key: short } : entry;
    });
    const local = entries.some((entry) => entry.key === 'local_action');
    entries = entries.map((entry) => (entry.key === 'action' || entry.key === 'local_action' ? (actionForm(entry, fields) ?? entry) : entry));
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    const kind = classifyTask(entries, source, fields, this.env.modules, asHandler);
    if (kind === undefined) {
      // Still check the shared keywords (when, vars, become…), so one pass reports everything.
      this.common(byKey, source, fields, 'task');
      return [];
    }

    const place: Place = kind.kind === 'module' && asHandler ? 'handler' : placeOf[kind.kind];
    const allowed = new Set(keywordsAt(place));
    if (asHandler && kind.kind === 'include') allowed.add('listen');
    for (const entry of entries) {
      if (entry === kind.moduleEntry || allowed.has(entry.key) || !anyTaskKeyword.includes(entry.key)) continue;
      const what = kind.kind === 'module' ? `a task calling ${kind.moduleEntry.key}` : kindName[kind.kind];
      const fix = entry.key === 'listen' ? 'listen belongs on handlers' : ['rescue', 'always'].includes(entry.key) ? 'rescue and always go with block:' : kind.kind === 'block' ? 'put it on the tasks inside the block' : undefined;
      this.problems.add(src.ref(entry.keyNode), `'${entry.key}' does not apply to ${what}`, fix);
    }

    const written = this.common(byKey, source, fields, place);
    // local_action: the module, delegated to the controller.
    const common: TaskCommon = local ? { ...written, delegateTo: 'localhost' } : written;
    return this.underModuleDefaults(byKey.has('module_defaults'), () => this.ofKind(kind, common, byKey, scope, asHandler));
  }

  /** The task(s) a classified task node is. */
  private ofKind(kind: Classified, common: TaskCommon, byKey: ReadonlyMap<string, Entry>, scope: FileScope, asHandler: boolean): PlayTask[] {
    const { fields } = scope;
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
        // A failure in the block's tasks is the rescue's to handle; ignore_errors reaches all three lists.
        const inBlock = this.within({ rescue: byKey.has('rescue'), ignoreErrors: common.ignoreErrors }, () => list('block'));
        const [rescue, always] = this.within({ rescue: false, ignoreErrors: common.ignoreErrors }, () => [list('rescue'), list('always')]);
        const block: BlockTask = { ...common, kind: 'block', block: inBlock, rescue, always };
        return [block];
      }
      case 'meta': {
        const action = fields.oneOf(byKey.get('meta') as Entry, metaActions);
        if (action === undefined) return [];
        const meta: MetaTask = { ...common, kind: 'meta', action };
        return [meta];
      }
      case 'include':
        return this.asHandler(includeTasks(this, common, byKey, scope, asHandler), byKey, fields, asHandler);
      case 'include_role':
        return this.asHandler(includeRole(this, common, byKey, scope), byKey, fields, asHandler);
      case 'import':
        return importTasks(this, common, byKey, scope, asHandler);
      case 'import_role':
        return importRole(this, common, byKey, scope);
    }
  }

  /** An include written as a handler: its listen topics, and a name (or topic) to notify it by. */
  private asHandler(tasks: PlayTask[], byKey: ReadonlyMap<string, Entry>, fields: Fields, asHandler: boolean): PlayTask[] {
    if (!asHandler) return tasks;
    const entry = byKey.get('listen');
    const listen = entry === undefined ? [] : (fields.stringList(entry) ?? []);
    return tasks.map((task) => {
      if (task.name === undefined && listen.length === 0) this.problems.add(task.source, 'a handler needs a name (or listen topics) to be notified by', 'add name: …');
      return { ...task, listen };
    });
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
    const params = readParams(moduleEntry, moduleName, byKey.get('args'), fields, this.env.modules, this.moduleDefaults > 0, this.failureHandled(common));
    const until = get('until', (e) => fields.condition(e));
    // Number keywords may be templates, rendered per host when the task runs (src/runner/templated-keywords.ts).
    const templated: Record<string, string> = {};
    const number = (key: string, field: keyof NonNullable<ModuleTask['templated']>, min: number): number | undefined => {
      const value = get(key, (e) => fields.templatedInt(e, min));
      if (typeof value !== 'string') return value;
      templated[field] = value;
      return undefined;
    };
    const task: ModuleTask = {
      ...common,
      kind: 'task',
      module: moduleName,
      params,
      paramsSource: src.ref(moduleEntry.keyNode),
      paramSources: paramSources(moduleEntry.value, byKey.get('args')?.value ?? null, fields),
      ...this.looping(byKey, fields),
      register: get('register', (e) => fields.identifier(e)),
      changedWhen: get('changed_when', (e) => fields.conditions(e)),
      failedWhen: get('failed_when', (e) => fields.conditions(e)),
      until,
      // Ansible's defaults: 3 retries 5 seconds apart once `until` is given.
      retries: number('retries', 'retries', 0) ?? (until === undefined ? 0 : 3),
      delaySeconds: number('delay', 'delaySeconds', 0) ?? 5,
      timeoutSeconds: number('timeout', 'timeoutSeconds', 1),
      throttle: number('throttle', 'throttle', 1),
      asyncSeconds: number('async', 'asyncSeconds', 0),
      pollSeconds: number('poll', 'pollSeconds', 0) ?? 15,
      ...(Object.keys(templated).length > 0 ? { templated } : {}),
    };
    if (!asHandler) return [task];
    const listen = get('listen', (e) => fields.stringList(e)) ?? [];
    if (common.name === undefined && listen.length === 0) {
      this.problems.add(common.source, 'a handler needs a name (or listen topics) to be notified by', 'add name: …');
    }
    const handler: Handler = { ...task, listen };
    return [handler];
  }

  /** A task's or include's loop: `loop:` or `with_<lookup>:`, and loop_control. */
  looping(byKey: ReadonlyMap<string, Entry>, fields: Fields): Looping {
    const entry = this.loopEntry(byKey, fields);
    const control = byKey.get('loop_control');
    return {
      loop: entry === undefined ? undefined : entry.key === 'loop' ? this.loop(entry, fields) : this.lookupTerms(entry, fields),
      ...(entry !== undefined && entry.key !== 'loop' ? { loopWith: entry.key.slice(withPrefix.length) } : {}),
      loopControl: (control === undefined ? undefined : this.loopControl(control, fields)) ?? { loopVar: 'item' },
    };
  }

  /** The task's `loop:` or `with_<lookup>:`; a second one is an error, as Ansible's "duplicate loop in task". */
  private loopEntry(byKey: ReadonlyMap<string, Entry>, fields: Fields): Entry | undefined {
    const loops = [...byKey.values()].filter((entry) => entry.key === 'loop' || entry.key.startsWith(withPrefix));
    const [first, second] = loops;
    if (first !== undefined && second !== undefined) {
      this.problems.add(fields.src.ref(second.keyNode), `a task has one loop, but this one has '${first.key}' and '${second.key}'`, 'keep one of them');
    }
    return first;
  }

  /** A with_<lookup> loop's terms, kept as written: templates in them render per host at run time. */
  private lookupTerms(entry: Entry, fields: Fields): unknown {
    fields.templates(entry.value);
    return fields.src.value(entry.value);
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
    let loopVarTemplate: string | undefined;
    let indexVar: string | undefined;
    let label: string | undefined;
    let pauseSeconds: number | undefined;
    for (const item of fields.src.entries(map, this.problems)) {
      if (item.key === 'loop_var') {
        const written = fields.src.value(item.value);
        if (typeof written === 'string' && hasTemplate(written)) {
          fields.templates(item.value);
          loopVarTemplate = written;
        } else loopVar = fields.identifier(item) ?? loopVar;
      }
      else if (item.key === 'index_var') indexVar = fields.identifier(item);
      else if (item.key === 'label') label = fields.string(item);
      else if (item.key === 'pause') pauseSeconds = fields.seconds(item);
      // ansible_loop always carries the extended fields in beastie (README), so these only read as booleans.
      else if (item.key === 'extended' || item.key === 'extended_allitems') fields.bool(item);
      else {
        const near = didYouMean(item.key, loopControlKeys);
        this.problems.add(fields.src.ref(item.keyNode), `unknown loop_control key '${item.key}'`, near ? `did you mean '${near}'?` : `loop_control takes ${loopControlKeys.join(', ')}`);
      }
    }
    return { loopVar, indexVar, label, pauseSeconds, ...(loopVarTemplate === undefined ? {} : { loopVarTemplate }) };
  }
}

/** A block's keywords without its task lists: what its handlers inherit from it. */
function keywordsOf(block: BlockTask): TaskCommon {
  const { block: _tasks, rescue: _rescue, always: _always, kind: _kind, role: _role, ...keywords } = block;
  return keywords;
}
