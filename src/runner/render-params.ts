// A task's parameters as the module receives them: rendered for the host (and item), then checked
// against the module's schema. One place for the task run and the facts read ahead.
import type { ModuleDefinition } from '../module-api/module.js';
import type { SourceRef } from '../source.js';
import type { RunnerServices, Vars } from './services.js';

/** `written` rendered over `vars` and validated for `module`; throws the template's or the schema's error. */
export function renderParams(services: RunnerServices, module: ModuleDefinition, written: Readonly<Record<string, unknown>>, vars: Vars, source: SourceRef): unknown {
  const { templates } = services;
  const keyed = module.templatedKeys === true ? Object.fromEntries(Object.entries(written).map(([key, value]) => [templates.isTemplate(key) ? String(templates.render(key, vars, source)) : key, value])) : written;
  return services.params.validate(module, templates.render(keyed, vars, source), source);
}
