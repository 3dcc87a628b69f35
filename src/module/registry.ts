// Looks modules up by name for the loader, the runner and `beastie doc`.
import { allModules } from '../../modules/all.js';
import type { ModuleDefinition } from './module.js';

const byName = new Map<string, ModuleDefinition>(allModules.map((module) => [module.name, module]));

/** The module called `name`, or undefined. */
export function findModule(name: string): ModuleDefinition | undefined {
  return byName.get(name);
}

/** Every module name, sorted, for "did you mean" and `beastie doc`. */
export function moduleNames(): string[] {
  return [...byName.keys()].sort();
}
