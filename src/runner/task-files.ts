// include_tasks and include_role at run time: the rendered file name is looked up as the loader
// looks (beside the including file, in its role, in the playbook's directory), a role name as the
// loader looks for roles, and both are loaded and validated by the playbook loader.
import { existsSync } from 'node:fs';
import { loadRoleTasks, loadTaskFile, type LoadOptions } from '../playbook/load.js';
import { taskFileCandidates } from '../playbook/task-file-search.js';
import type { TaskFiles } from './services.js';

/** Task files and roles read from disk, loaded with the run's module set and the roles_path and vault secrets `where` gives. */
export function diskTaskFiles(modules: Pick<LoadOptions, 'modules'>): TaskFiles {
  return {
    load: async (file, where, source) => {
      const candidates = taskFileCandidates(file, where);
      const found = candidates.find((candidate) => existsSync(candidate)) ?? candidates[0] ?? file;
      return loadTaskFile(found, source, { ...modules, playbookDir: where.playbookDir, extraVars: where.extraVars, roleDirs: where.roleDirs, rolesPath: where.rolesPath, collectionsPath: where.collectionsPath, vault: where.vault });
    },
    loadRole: async (name, role, where, source) => loadRoleTasks(name, role, source, { ...modules, playbookDir: where.playbookDir, extraVars: where.extraVars, rolesPath: where.rolesPath, collectionsPath: where.collectionsPath, vault: where.vault }),
  };
}
