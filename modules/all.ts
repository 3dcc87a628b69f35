// Every task module beastie ships, in `beastie doc` order. Add a module here to make it usable.
import type { ModuleDefinition } from '../src/module/module.js';

export const allModules: readonly ModuleDefinition[] = [];
