// The variables a task sees on a host, merged in the order of src/inventory/PRECEDENCE.md
// (README "Variable precedence"), lowest first: role defaults, inventory, gathered facts, play
// vars, vars_files, role vars, block vars, task vars, include params, loop vars,
// set_fact/register, extra vars — then the magic variables, which nothing overrides.
import type { Play } from '../playbook/types.js';
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
  /** Every host of the play, for hostvars and ansible_play_hosts. */
  readonly hosts: ReadonlyMap<string, RunHost>;
  /** The hosts of the current batch. */
  readonly batch: readonly string[];
}

/** The layers that depend on where the task sits: block vars, include params, task vars, loop vars. */
export interface TaskVarLayers {
  readonly scoped: ScopeVars;
  readonly task?: Vars | undefined;
  readonly loop?: Vars | undefined;
  /** The task's own result under its `register:` name, for changed_when/failed_when/until. */
  readonly result?: Vars | undefined;
}

/**
 * The precedence, written once: every layer of `host`'s variables, lowest first. Without task
 * layers (hostvars[host]) the task-dependent layers are simply empty.
 */
function layers(context: PlayVarsContext, host: RunHost, task: TaskVarLayers | undefined): readonly Readonly<Record<string, unknown>>[] {
  const { play } = context;
  return [
    play.roleDefaults,
    context.inventory.hostVars(host.name),
    host.facts,
    play.vars,
    ...play.varsFiles.map((file) => file.vars),
    play.roleVars,
    ...(task?.scoped.blocks ?? []),
    task?.task ?? {},
    ...(task?.scoped.includes ?? []),
    task?.loop ?? {},
    host.hostFacts,
    task?.result ?? {},
    context.extraVars,
  ];
}

/** Variables of `host` that do not depend on a task, for hostvars[host]. */
function baseVars(context: PlayVarsContext, host: RunHost): Record<string, unknown> {
  return Object.assign({}, ...layers(context, host, undefined)) as Record<string, unknown>;
}

/**
 * Names whose value comes from the host — gathered facts, registered results, set_fact — and is
 * not overridden by a later layer the playbook's author wrote: those values are final and never
 * rendered again as templates (Ansible's "unsafe"), so a host that prints `{{ lookup('pipe', …) }}`
 * cannot make the controller run it.
 */
function hostSuppliedNames(context: PlayVarsContext, host: RunHost, task: TaskVarLayers | undefined): Set<string> {
  const fromHost = new Set<Readonly<Record<string, unknown>>>([host.facts, host.hostFacts, ...(task?.result === undefined ? [] : [task.result])]);
  const names = new Set<string>();
  for (const layer of layers(context, host, task)) {
    for (const key of Object.keys(layer)) {
      if (fromHost.has(layer)) names.add(key);
      else names.delete(key);
    }
  }
  return names;
}

/** Ansible's `hostvars`: every host's variables, computed when looked up. */
function hostvarsView(context: PlayVarsContext, source: SourceRef): Vars {
  const cache = new Map<string, Vars>();
  return new Proxy(
    {},
    {
      get(_target, key) {
        if (typeof key !== 'string') return undefined;
        const host = context.hosts.get(key);
        if (host === undefined) return undefined;
        let vars = cache.get(key);
        if (vars === undefined) {
          vars = lazyVars({ ...baseVars(context, host), inventory_hostname: key }, context.templates, source, hostSuppliedNames(context, host, undefined));
          cache.set(key, vars);
        }
        return vars;
      },
      has(_target, key) {
        return typeof key === 'string' && context.hosts.has(key);
      },
      ownKeys() {
        return [...context.hosts.keys()];
      },
      getOwnPropertyDescriptor(_target, key) {
        return typeof key === 'string' && context.hosts.has(key) ? { configurable: true, enumerable: true, writable: false, value: undefined } : undefined;
      },
    },
  );
}

/** The variables of one task on one host, lazily templated. */
export function taskVars(context: PlayVarsContext, host: RunHost, taskLayers: TaskVarLayers, source: SourceRef): Vars {
  const { play } = context;
  const playHosts = [...context.hosts.values()];
  const magic = {
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split('.')[0] ?? host.name,
    group_names: context.inventory.groupNames(host.name),
    groups: context.inventory.groups(),
    hostvars: hostvarsView(context, source),
    ansible_check_mode: context.check,
    ansible_diff_mode: context.diff,
    ansible_verbosity: context.verbosity,
    ansible_play_name: play.name,
    ansible_play_hosts_all: playHosts.map((h) => h.name),
    ansible_play_hosts: playHosts.filter((h) => h.active).map((h) => h.name),
    ansible_play_batch: context.batch.filter((name) => context.hosts.get(name)?.active === true),
    playbook_dir: context.playbookDir,
  };
  const merged = Object.assign({}, ...layers(context, host, taskLayers), magic) as Record<string, unknown>;
  const final = hostSuppliedNames(context, host, taskLayers);
  for (const key of Object.keys(magic)) final.delete(key);
  return lazyVars(merged, context.templates, source, final);
}
