// The module set of a run, as one value passed explicitly to the loader, the runner and
// `beastie doc` (issue 18: wired once, in src/cli/wiring.ts, from modules/all.ts). Nothing
// imports the whole module list by default; tests pass their own set.
import { foreignModule } from '../playbook/foreign-modules.js';
import type { ModuleDefinition } from './module.js';

/** Modules looked up by name. */
export interface ModuleRegistry {
  /**
   * The module called `name`, or undefined. Ansible's modules for other systems (apt, pacman…,
   * src/playbook/foreign-modules.ts) are found too: they load, and fail only if they run.
   */
  find(name: string): ModuleDefinition | undefined;
  /** Every module name, sorted, for "did you mean" and `beastie doc`. */
  names(): readonly string[];
  /** Every module, in registration order (`beastie doc`). */
  readonly all: readonly ModuleDefinition[];
}

/** A registry of `modules` (a later module of the same name replaces an earlier one), which also finds the foreign modules. */
export function moduleRegistry(modules: readonly ModuleDefinition[]): ModuleRegistry {
  const byName = new Map<string, ModuleDefinition>(modules.map((module) => [module.name, module]));
  const sorted = [...byName.keys()].sort();
  return { find: (name) => byName.get(name) ?? foreignModule(name), names: () => sorted, all: [...byName.values()] };
}
