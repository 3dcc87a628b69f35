// The variables a task sees on a host, merged in the order of src/inventory/PRECEDENCE.md
// (README "Variable precedence"), lowest first: role defaults, inventory, gathered facts, play
// vars, vars_files, role vars, block vars, task vars, include params, loop vars,
// set_fact/register, extra vars — then the magic variables, which nothing overrides.
import { dirname } from 'node:path';
import type { Play, RoleScope } from '../playbook/types.js';
import type { SourceRef } from '../source.js';
import { lazyVars } from './lazy-vars.js';
import type { ScopeVars } from './scope.js';
import type { RunHost } from './run-host.js';
import type { InventoryView, Templates, Vars } from './services.js';

/** What is the same for every host and task of a play. */
export interface PlayVarsContext {
  readonly play: Play;
  readonly inventory: InventoryView;
  readonly templates: Templates;
  readonly extraVars: Vars;
  readonly check: boolean;
  readonly diff: boolean;
  readonly verbosity: number;
  readonly playbookDir: string;
  /** Every host of the play, for ansible_play_hosts. */
  readonly hosts: ReadonlyMap<string, RunHost>;
  /** Every host of the run (its facts and set_fact values outlive a play), for hostvars. */
  readonly runHosts: ReadonlyMap<string, RunHost>;
  /** The hosts of the current batch. */
  readonly batch: readonly string[];
  /** The run's command-line values Ansible gives every host (ansible_forks, ansible_run_tags, …). */
  readonly optionVars: Vars;
  /**
   * Roles an `include_role` with `public: true` has run in this play: from then on every task
   * sees their defaults and vars (beside the play's role defaults and role vars), as in Ansible.
   */
  readonly publicRoles: RoleScope[];
  /** What each host read of the play's deferred vars_files, by index in play.varsFiles (src/runner/vars-files.ts). */
  readonly hostVarsFiles: Map<string, readonly (Vars | undefined)[]>;
}

/** The layers that depend on where the task sits: block vars, include params, task vars, loop vars. */
export interface TaskVarLayers {
  readonly scoped: ScopeVars;
  readonly task?: Vars;
  readonly loop?: Vars;
  /** The task's own result under its `register:` name, for changed_when/failed_when/until. */
  readonly result?: Vars;
}

/**
 * The precedence, written once: every layer of `host`'s variables, lowest first. Without task
 * layers (hostvars[host]) the task-dependent layers are simply empty.
 */
function layers(context: PlayVarsContext, host: RunHost, task: TaskVarLayers | undefined): readonly Readonly<Record<string, unknown>>[] {
  const { play } = context;
  return [
    play.roleDefaults,
    ...context.publicRoles.map((role) => role.defaults),
    ...(task?.scoped.roleDefaults ?? []),
    context.inventory.hostVars(host.name),
    host.facts,
    play.vars,
    ...varsFileLayers(context, host),
    play.roleVars,
    ...context.publicRoles.map((role) => role.vars),
    ...(task?.scoped.roleVars ?? []),
    ...(task?.scoped.blocks ?? []),
    task?.task ?? {},
    ...(task?.scoped.includes ?? []),
    task?.loop ?? {},
    host.hostFacts,
    task?.result ?? {},
    context.extraVars,
  ];
}

/** The play's vars_files layers for `host`, in order: a deferred entry is empty until the host has read it (src/runner/vars-files.ts). */
function varsFileLayers(context: PlayVarsContext, host: RunHost): readonly Readonly<Record<string, unknown>>[] {
  const read = context.hostVarsFiles.get(host.name);
  return context.play.varsFiles.map((file, index) => ('vars' in file ? file.vars : (read?.[index] ?? {})));
}

/**
 * Names whose value comes from the host — gathered facts, registered results, set_fact — and is
 * not overridden by a later layer the playbook's author wrote: those values are final and never
 * rendered again as templates (Ansible's "unsafe"), so a host that prints `{{ lookup('pipe', …) }}`
 * cannot make the controller run it.
 */
function hostSuppliedNames(context: PlayVarsContext, host: RunHost, task: TaskVarLayers | undefined): Set<string> {
  return fromHostNames(layers(context, host, task), [host.facts, host.hostFacts, ...(task?.result === undefined ? [] : [task.result])]);
}

/**
 * What Ansible's `hostvars[name]` holds (VariableManager.get_vars(host) without a play or task):
 * inventory variables, facts, set_fact/register values and extra vars, with the magic variables
 * on top — not the play's vars, vars_files or role variables. Every inventory host has one, in
 * the play or not; facts appear once gathered in any play of the run.
 */
function hostvarsOf(context: PlayVarsContext, name: string): Record<string, unknown> {
  const host = context.runHosts.get(name);
  return Object.assign(
    {},
    context.inventory.hostVars(name),
    host?.facts ?? {},
    host?.hostFacts ?? {},
    context.extraVars,
    hostMagic(context, name),
    context.optionVars,
  ) as Record<string, unknown>;
}

/** The host's own magic variables (Ansible's Host.get_magic_vars plus `groups`). */
function hostMagic(context: PlayVarsContext, name: string): Vars {
  return {
    inventory_hostname: name,
    inventory_hostname_short: context.inventory.hostVars(name)['inventory_hostname_short'] ?? name.split('.')[0] ?? name,
    group_names: context.inventory.groupNames(name),
    groups: context.inventory.groups(),
  };
}

/** Ansible's `hostvars`: every inventory host's variables, computed when looked up. */
function hostvarsView(context: PlayVarsContext, source: SourceRef): Vars {
  const cache = new Map<string, Vars>();
  const known = (key: string | symbol): key is string => typeof key === 'string' && context.inventory.hasHost(key);
  const varsOf = (key: string): Vars => {
    let vars = cache.get(key);
    if (vars === undefined) {
      const host = context.runHosts.get(key);
      const final = host === undefined ? new Set<string>() : fromHostNames([context.inventory.hostVars(key), host.facts, host.hostFacts, context.extraVars], [host.facts, host.hostFacts]);
      vars = lazyVars(hostvarsOf(context, key), context.templates, source, final);
      cache.set(key, vars);
    }
    return vars;
  };
  return new Proxy(
    {},
    {
      get(_target, key) {
        return known(key) ? varsOf(key) : undefined;
      },
      has(_target, key) {
        return known(key);
      },
      ownKeys() {
        return [...context.inventory.hostNames()];
      },
      getOwnPropertyDescriptor(_target, key) {
        return known(key) ? { configurable: true, enumerable: true, writable: false, value: varsOf(key) } : undefined;
      },
    },
  );
}

/** The names whose last setter among `layers` is one of `fromHost` (lowest layer first). */
function fromHostNames(layers: readonly Readonly<Record<string, unknown>>[], fromHost: readonly Readonly<Record<string, unknown>>[]): Set<string> {
  const hostLayers = new Set(fromHost);
  const names = new Set<string>();
  for (const layer of layers) {
    for (const key of Object.keys(layer)) {
      if (hostLayers.has(layer)) names.add(key);
      else names.delete(key);
    }
  }
  return names;
}

/** The variables of one task on one host, lazily templated. */
export function taskVars(context: PlayVarsContext, host: RunHost, taskLayers: TaskVarLayers, source: SourceRef): Vars {
  const { play } = context;
  const playHosts = [...context.hosts.values()];
  const batch = context.batch.filter((name) => context.hosts.get(name)?.active === true);
  const magic = {
    ...hostMagic(context, host.name),
    hostvars: hostvarsView(context, source),
    ansible_play_name: play.name,
    ansible_play_hosts_all: playHosts.map((h) => h.name),
    ansible_play_hosts: playHosts.filter((h) => h.active).map((h) => h.name),
    ansible_play_batch: batch,
    // Ansible's deprecated name for ansible_play_batch, still common in roles.
    play_hosts: batch,
    ...context.optionVars,
  };
  const merged = Object.assign({}, ...layers(context, host, taskLayers), magic) as Record<string, unknown>;
  merged['ansible_search_path'] = searchPath(merged['role_path'], source, context.playbookDir);
  const final = hostSuppliedNames(context, host, taskLayers);
  final.add('ansible_search_path');
  for (const key of Object.keys(magic)) final.delete(key);
  // hostvars is data the runner built, never a template to render.
  final.add('hostvars');
  // Ansible's `vars`: every variable of the task by name (`vars['pkg_' + item]`), magic ones too.
  let view: Vars = {};
  merged['vars'] = allVarsView(() => view);
  final.add('vars');
  view = lazyVars(merged, context.templates, source, final);
  return view;
}

/**
 * ansible_search_path, as TaskExecutor sets it from Task.get_search_path: the role's directory
 * (a role's task), the directory of the task's own file, then the playbook's directory, each once.
 */
function searchPath(rolePath: unknown, source: SourceRef, playbookDir: string): string[] {
  const paths: string[] = [];
  for (const path of [typeof rolePath === 'string' ? rolePath : undefined, dirname(source.file), playbookDir]) {
    if (path !== undefined && !paths.includes(path)) paths.push(path);
  }
  return paths;
}

/** A mapping that reads through to `view()`: not walked as a value (its prototype is null), so it cannot recurse. */
function allVarsView(view: () => Vars): Vars {
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_target, key) => (typeof key === 'string' && key !== 'vars' ? view()[key] : undefined),
    has: (_target, key) => typeof key === 'string' && key !== 'vars' && key in view(),
    ownKeys: () => Reflect.ownKeys(view()).filter((key) => key !== 'vars'),
    getOwnPropertyDescriptor: (_target, key) =>
      typeof key === 'string' && key !== 'vars' && key in view() ? { configurable: true, enumerable: true, writable: false, value: view()[key] } : undefined,
  });
}
