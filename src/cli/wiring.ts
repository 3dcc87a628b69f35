// The real parts behind the command line: the module set (modules/all.ts, wired here once and
// passed explicitly to the loader, the runner and `beastie doc`), the playbook loader, templates,
// expressions, parameter validation, and the local + ssh transports.
import { allModules } from '../../modules/all.js';
import { moduleRegistry, type ModuleRegistry } from '../module-api/registry.js';
import { loadPlaybook } from '../playbook/load.js';
import { validateParams } from '../playbook/validate-params.js';
import { connectionFactory } from '../runner/connection-factory.js';
import { expressionLanguage } from '../runner/expressions.js';
import { diskTaskFiles } from '../runner/task-files.js';
import { handlebarsTemplates } from '../runner/templates.js';
import { createSshTransportFactory } from '../transport/ssh/ssh-transport-factory.js';
import type { PlayWiring } from './play-wiring.js';

/** The default wiring of `beastie play`, ad-hoc and `beastie doc`, over `modules` (every module beastie ships). */
export function defaultWiring(modules: ModuleRegistry = moduleRegistry(allModules)): PlayWiring {
  return {
    modules,
    loadPlaybook: async (path, request) => loadPlaybook(path, { ...request, modules }),
    services: {
      templates: handlebarsTemplates(),
      templatesFor: (dirs) => handlebarsTemplates(dirs),
      expressions: expressionLanguage,
      taskFiles: diskTaskFiles({ modules }),
      params: { validate: (module, params, source) => validateParams(module, params, source) },
      findModule: (name) => modules.find(name),
    },
    transports: (options) => {
      const ask = options.askSecret;
      return connectionFactory(
        createSshTransportFactory({
          acceptNewHostKeys: options.acceptNewHostKeys,
          allowPassword: options.allowPassword,
          connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
          ...(ask === undefined ? {} : { askPassphrase: (keyPath: string) => ask(`Passphrase for ${keyPath}: `) }),
        }),
      );
    },
  };
}
