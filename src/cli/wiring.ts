// The real parts behind the command line: the playbook loader, templates, expressions, parameter
// validation, the module registry, and the local + ssh transports.
import { findModule } from '../module/registry.js';
import { loadPlaybook } from '../playbook/load.js';
import { validateParams } from '../playbook/validate-params.js';
import { connectionFactory } from '../runner/connection-factory.js';
import { expressionLanguage } from '../runner/expressions.js';
import { diskTaskFiles } from '../runner/task-files.js';
import { handlebarsTemplates } from '../runner/templates.js';
import { createSshTransportFactory } from '../transport/ssh/ssh-transport-factory.js';
import type { PlayWiring } from './play-command.js';

/** The default wiring of `beastie play`. */
export function defaultWiring(): PlayWiring {
  return {
    loadPlaybook: async (path, { extraVars, vault, text }) => loadPlaybook(path, { extraVars, vault, text }),
    services: {
      templates: handlebarsTemplates(),
      templatesFor: (dirs) => handlebarsTemplates(dirs),
      expressions: expressionLanguage,
      taskFiles: diskTaskFiles(),
      params: { validate: (module, params, source) => validateParams(module, params, source) },
      findModule,
    },
    transports: (options) => {
      const ask = options.askSecret;
      return connectionFactory(
        createSshTransportFactory({
          acceptNewHostKeys: options.acceptNewHostKeys,
          allowPassword: options.allowPassword,
          connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
          askPassphrase: ask === undefined ? undefined : (keyPath) => ask(`Passphrase for ${keyPath}: `),
        }),
      );
    },
  };
}
