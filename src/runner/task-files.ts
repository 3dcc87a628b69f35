// include_tasks at run time: the rendered file name is looked up as the loader looks (beside the
// including file, in its role, in the playbook's directory), and loaded and validated by the
// playbook loader.
import { existsSync } from 'node:fs';
import { loadTaskFile, type LoadOptions } from '../playbook/load.js';
import { taskFileCandidates } from '../playbook/task-file-search.js';
import type { TaskFiles } from './services.js';

/** Task files read from disk, loaded with the run's module set and the vault secrets `where` gives. */
export function diskTaskFiles(modules: Pick<LoadOptions, 'modules'>): TaskFiles {
  return {
    load: async (file, where, source) => {
      const candidates = taskFileCandidates(file, where);
      const found = candidates.find((candidate) => existsSync(candidate)) ?? candidates[0] ?? file;
      return loadTaskFile(found, source, { ...modules, playbookDir: where.playbookDir, extraVars: where.extraVars, roleDirs: where.roleDirs, vault: where.vault });
    },
  };
}
