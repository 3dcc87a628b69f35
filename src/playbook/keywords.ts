// The one table of playbook keywords, as Ansible's FieldAttributes are: for each keyword, where it
// may be written, how its value is read (and so its type), its value when absent, and how a task
// inherits it from the blocks, includes, role and play around it. The loader's validation, the
// TaskCommon type (types.ts) and the runner's inheritance (src/runner/scope.ts) all derive from it.
//
// To add a keyword: one entry in `inheritedKeywords` (a value every task-like node and maybe the
// play carries) or in `structuralKeywords` (read by the loader code of one kind of node).
import { lookupNames } from '../jinja/lookups/index.js';
import type { Entry } from '../yaml/yaml-source.js';
import type { Fields } from './fields.js';
import { becomeMethodNamed, becomeMethods } from './become-methods.js';

/** Where a keyword may be written. */
export type Place = 'play' | 'task' | 'block' | 'include' | 'import' | 'meta' | 'handler' | 'role';

/** How a task gets a keyword's value from what encloses it. */
export type Inherit =
  /** Its own value, else the nearest enclosing block's, include's or role's, else the play's. */
  | 'innermost'
  /** ANDed with every enclosing block's (an include's `when` decides only whether to include). */
  | 'conditions'
  /** Together with every enclosing node's and the play's (tags, notify). */
  | 'union'
  /** Mappings merged from the play's outward in, the task's own keys winning (environment, module_defaults). */
  | 'merge'
  /** The node's own only (vars are layered by src/runner/host-vars.ts instead). */
  | 'own';

/** A keyword whose value every task-like node carries: a field of TaskCommon. */
export interface ValueKeyword<T> {
  readonly key: string;
  readonly places: readonly Place[];
  /** Reads the written value; undefined when it is wrong (the problem is recorded). */
  readonly read: (fields: Fields, entry: Entry) => T | undefined;
  /** The value when the keyword is absent (or wrong). */
  readonly initial: T;
  readonly inherit: Inherit;
}

function keyword<T>(spec: ValueKeyword<T>): ValueKeyword<T> {
  return spec;
}

/** Every node that is a task of some kind (module call, block, include, import, meta, handler). */
const taskLike: readonly Place[] = ['task', 'block', 'include', 'import', 'meta', 'handler', 'role'];
const everywhere: readonly Place[] = ['play', ...taskLike];

const localhostNames: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * delegate_to: any inventory host (a template is rendered per host and item at run time); the
 * localhost names mean the controller.
 */
function readDelegateTo(fields: Fields, entry: Entry): string | undefined {
  const value = fields.templatedString(entry);
  if (value === undefined) return undefined;
  return localhostNames.has(value) ? 'localhost' : value;
}

/**
 * The keywords every task-like node carries, keyed by their TaskCommon field. A `play` place
 * means the play carries it too and tasks inherit it from there.
 */
export const inheritedKeywords = {
  when: keyword({ key: 'when', places: taskLike, read: (f, e) => f.conditions(e), initial: [] as readonly string[], inherit: 'conditions' }),
  tags: keyword({ key: 'tags', places: everywhere, read: (f, e) => f.stringList(e, true), initial: [] as readonly string[], inherit: 'union' }),
  become: keyword({ key: 'become', places: everywhere, read: (f, e) => f.bool(e), initial: undefined, inherit: 'innermost' }),
  becomeMethod: keyword({
    key: 'become_method',
    places: everywhere,
    // Any name Ansible resolves to a method beastie runs (ansible.builtin.sudo, community.general.doas).
    read: (f, e) => {
      const written = f.string(e);
      return written === undefined ? undefined : (becomeMethodNamed(written) ?? f.oneOf(e, becomeMethods));
    },
    initial: undefined,
    inherit: 'innermost',
  }),
  becomeUser: keyword({ key: 'become_user', places: everywhere, read: (f, e) => f.templatedString(e), initial: undefined, inherit: 'innermost' }),
  jail: keyword({ key: 'jail', places: taskLike, read: (f, e) => f.templatedString(e), initial: undefined, inherit: 'innermost' }),
  vars: keyword({ key: 'vars', places: everywhere, read: (f, e) => f.vars(e), initial: {} as Readonly<Record<string, unknown>>, inherit: 'own' }),
  ignoreErrors: keyword({ key: 'ignore_errors', places: everywhere, read: (f, e) => f.bool(e), initial: undefined, inherit: 'innermost' }),
  noLog: keyword({ key: 'no_log', places: everywhere, read: (f, e) => f.templatedBool(e), initial: undefined, inherit: 'innermost' }),
  runOnce: keyword({ key: 'run_once', places: everywhere, read: (f, e) => f.templatedBool(e), initial: undefined, inherit: 'innermost' }),
  delegateTo: keyword({ key: 'delegate_to', places: taskLike, read: readDelegateTo, initial: undefined, inherit: 'innermost' }),
  anyErrorsFatal: keyword({ key: 'any_errors_fatal', places: everywhere, read: (f, e) => f.bool(e), initial: undefined, inherit: 'innermost' }),
  /** check_mode: true forces check mode on the task, false runs it for real under --check. */
  checkMode: keyword({ key: 'check_mode', places: everywhere, read: (f, e) => f.bool(e), initial: undefined, inherit: 'innermost' }),
  /** diff: false keeps the task's diff out of the output even under --diff. */
  diff: keyword({ key: 'diff', places: everywhere, read: (f, e) => f.bool(e), initial: undefined, inherit: 'innermost' }),
  /** Variables exported to the task's commands on the host (`env NAME=value` before the command). */
  environment: keyword({ key: 'environment', places: everywhere, read: (f, e) => f.mappings(e), initial: {} as Readonly<Record<string, unknown>>, inherit: 'merge' }),
  /** Default parameters per module name (or `group/NAME`), below the task's own. */
  moduleDefaults: keyword({ key: 'module_defaults', places: everywhere, read: (f, e) => f.mappings(e), initial: {} as Readonly<Record<string, unknown>>, inherit: 'merge' }),
  notify: keyword({ key: 'notify', places: ['task', 'handler', 'block', 'role', 'include', 'import'], read: (f, e) => f.templatedList(e), initial: [] as readonly string[], inherit: 'union' }),
  ignoreUnreachable: keyword({ key: 'ignore_unreachable', places: everywhere, read: (f, e) => f.bool(e), initial: undefined, inherit: 'innermost' }),
  becomeFlags: keyword({ key: 'become_flags', places: everywhere, read: (f, e) => f.templatedString(e), initial: undefined, inherit: 'innermost' }),
  becomeExe: keyword({ key: 'become_exe', places: everywhere, read: (f, e) => f.templatedString(e), initial: undefined, inherit: 'innermost' }),
  delegateFacts: keyword({ key: 'delegate_facts', places: taskLike, read: (f, e) => f.bool(e), initial: undefined, inherit: 'innermost' }),
  /**
   * How the task reaches its host (ssh, local…), as whom and on which port: below the host's
   * ansible_connection / ansible_user / ansible_port, above -c / -u and ansible.cfg
   * (src/runner/connection-keywords.ts). Templates are rendered per host when the task runs.
   */
  connection: keyword({ key: 'connection', places: everywhere, read: (f, e) => f.templatedString(e), initial: undefined, inherit: 'innermost' }),
  remoteUser: keyword({ key: 'remote_user', places: everywhere, read: (f, e) => f.templatedString(e), initial: undefined, inherit: 'innermost' }),
  port: keyword({ key: 'port', places: everywhere, read: (f, e) => f.templatedInt(e, 1), initial: undefined, inherit: 'innermost' }),
} as const;

/** The TaskCommon fields the table defines. */
export type InheritedField = keyof typeof inheritedKeywords;

/** The value type of each inherited keyword. */
export type InheritedValues = {
  readonly [F in InheritedField]: (typeof inheritedKeywords)[F] extends ValueKeyword<infer T> ? T : never;
};

/** A keyword read by the loader code of the nodes it belongs to (its structure, not a plain value). */
export interface StructuralKeyword {
  readonly key: string;
  readonly places: readonly Place[];
}

/** Keywords that shape a node, each read where that node is loaded. */
export const structuralKeywords: readonly StructuralKeyword[] = [
  { key: 'name', places: [...everywhere] },
  // plays
  ...['hosts', 'vars_files', 'vars_prompt', 'gather_facts', 'strategy', 'serial', 'max_fail_percentage', 'pre_tasks', 'tasks', 'post_tasks', 'handlers', 'roles'].map(
    (key) => ({ key, places: ['play'] as const }),
  ),
  // module calls (and handlers, which are module calls)
  // loops (`with_<lookup>:` loops over what lookup returns for its terms, Ansible's loop_with):
  // on module calls, handlers and include_tasks (not on imports, which expand at load time)
  ...['loop', 'loop_control'].map((key) => ({ key, places: ['task', 'handler', 'include'] as const })),
  ...lookupNames.map((name) => ({ key: `with_${name}`, places: ['task', 'handler', 'include'] as const })),
  ...['register', 'changed_when', 'failed_when', 'until', 'retries', 'delay', 'timeout', 'throttle', 'async', 'poll', 'args'].map(
    (key) => ({ key, places: ['task', 'handler'] as const }),
  ),
  { key: 'listen', places: ['handler'] },
  // what makes a task something other than a module call
  { key: 'block', places: ['block'] },
  { key: 'rescue', places: ['block'] },
  { key: 'always', places: ['block'] },
  { key: 'include_tasks', places: ['include'] },
  { key: 'include', places: ['include'] },
  { key: 'import_tasks', places: ['import'] },
  { key: 'include_role', places: ['include'] },
  { key: 'import_role', places: ['import'] },
  // include_tasks and include_role: keywords for every included task
  { key: 'apply', places: ['include'] },
  { key: 'meta', places: ['meta'] },
  // role entries
  { key: 'role', places: ['role'] },
  // accepted: beastie resolves every module by its FQCN or short name, so search lists change nothing
  { key: 'collections', places: [...everywhere] },
];

/**
 * Ansible keywords beastie reads but does not act on: the load goes on with a warning naming
 * what is ignored (README "Differences from Ansible").
 */
export const ignoredKeywords: Readonly<Record<string, { readonly places: readonly Place[]; readonly why: string }>> = {
  debugger: { places: everywhere, why: 'beastie has no task debugger' },
  order: { places: ['play'], why: 'hosts run in inventory order' },
  force_handlers: { places: ['play'], why: 'handlers run only on hosts that are still active' },
  gather_subset: { places: ['play'], why: 'beastie gathers one fixed set of FreeBSD facts' },
  gather_timeout: { places: ['play'], why: 'fact gathering is one command bounded by the connect timeout' },
  fact_path: { places: ['play'], why: 'gathering reads /etc/ansible/facts.d; the setup module takes fact_path' },
};

/**
 * Keys that make a task something other than a module call, and the kind of node each makes.
 * The old bare `include:` is include_tasks (Ansible 2.16 removed it; beastie still reads it).
 */
export const actionKeywords = {
  block: 'block',
  include_tasks: 'include',
  include: 'include',
  import_tasks: 'import',
  include_role: 'include_role',
  import_role: 'import_role',
  meta: 'meta',
} as const;

/** `meta:` actions (Ansible's meta module). */
export const metaActions = ['flush_handlers', 'end_play', 'end_host', 'end_batch', 'end_role', 'clear_facts', 'clear_host_errors', 'reset_connection', 'refresh_inventory', 'noop'] as const;

/** The keywords allowed at `place`, by name. */
export function keywordsAt(place: Place): readonly string[] {
  const values = Object.values(inheritedKeywords as Readonly<Record<string, ValueKeyword<unknown>>>).filter((k) => k.places.includes(place)).map((k) => k.key);
  const structural = structuralKeywords.filter((k) => k.places.includes(place)).map((k) => k.key);
  const ignored = Object.entries(ignoredKeywords).filter(([, k]) => k.places.includes(place)).map(([key]) => key);
  return [...new Set([...structural, ...values, ...ignored])];
}

/** Every keyword any task-like node may carry (to tell a misplaced keyword from a module name). */
export const anyTaskKeyword: readonly string[] = [...new Set(taskLike.filter((place) => place !== 'role').flatMap(keywordsAt))];

/** Every keyword a play may carry. */
export const playKeywords: readonly string[] = keywordsAt('play');

/** The table's entries, each with its field name, for code that walks them all. */
export function inheritedEntries(): readonly (readonly [InheritedField, ValueKeyword<unknown>])[] {
  return Object.entries(inheritedKeywords) as unknown as readonly (readonly [InheritedField, ValueKeyword<unknown>])[];
}

/** The inherited keywords of one node, read from its entries; absent ones at their initial value. */
export function readInherited(fields: Fields, byKey: ReadonlyMap<string, Entry>, place: Place): InheritedValues {
  const values: Record<string, unknown> = {};
  for (const [field, spec] of inheritedEntries()) {
    const entry = spec.places.includes(place) ? byKey.get(spec.key) : undefined;
    values[field] = (entry === undefined ? undefined : spec.read(fields, entry)) ?? spec.initial;
  }
  return values as InheritedValues;
}

/** Every inherited keyword at its initial value (nodes built in code: role blocks, tests). */
export function initialInherited(): InheritedValues {
  return Object.fromEntries(inheritedEntries().map(([field, spec]) => [field, spec.initial])) as unknown as InheritedValues;
}
