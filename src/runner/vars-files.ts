// vars_files the load left to the run (src/playbook/load.ts): their names use host variables, or
// no file existed. Each host reads them once its facts are in, its names templated on its own
// variables, as Ansible's VariableManager.get_vars does; a host whose file is missing fails.
import { InvalidInputError } from '../errors.js';
import { firstVarsFile, loadVarsFile } from '../playbook/load.js';
import type { DeferredVarsFile } from '../playbook/types.js';
import { isUndefinedVariable } from '../template/render.js';
import { taskVars } from './host-vars.js';
import type { PlayRuntime } from './play-runtime.js';
import type { RunHost } from './run-host.js';
import type { Vars } from './services.js';

/** What the play shows for a host that could not read its vars_files. */
export const READING_VARS_FILES = 'Reading vars_files';

/** Every active host of `hosts` reads the play's deferred vars_files; one that cannot fails, before any task. */
export function readVarsFiles(runtime: PlayRuntime, hosts: readonly RunHost[]): void {
  if (runtime.play.varsFiles.every((file) => 'vars' in file)) return;
  const failed: { host: RunHost; error: InvalidInputError }[] = [];
  for (const host of hosts.filter((h) => h.active)) {
    const read: Vars[] = [];
    // Set first: each entry's name may use the variables of the entries before it.
    runtime.vars.hostVarsFiles.set(host.name, read);
    try {
      for (const [index, file] of runtime.play.varsFiles.entries()) {
        if (!('vars' in file)) read[index] = readFor(runtime, host, file);
      }
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      failed.push({ host, error });
    }
  }
  if (failed.length === 0) return;
  const { play } = runtime;
  runtime.emit({ event: 'task_start', play: play.name, task: READING_VARS_FILES, hosts: failed.map(({ host }) => host.name), source: play.source, handler: false });
  for (const { host, error } of failed) {
    host.fail();
    runtime.emit({ event: 'task_result', host: host.name, task: READING_VARS_FILES, status: 'failed', source: error.source ?? play.source, msg: error.describe(), durationMs: 0 });
  }
}

/** One deferred entry's variables on `host`: the first of its names that exists. */
function readFor(runtime: PlayRuntime, host: RunHost, file: DeferredVarsFile): Vars {
  const vars = taskVars(runtime.vars, host, { scoped: { blocks: [], includes: [] } }, file.source);
  const item = file.names.join(', ');
  const names: string[] = [];
  for (const name of file.names) {
    try {
      names.push(String(runtime.services.templates.render(name, vars, file.source)));
    } catch (error) {
      if (!isUndefinedVariable(error)) throw error;
      // Ansible skips an entry it cannot name while the host has no facts, and fails once it has.
      if (!runtime.play.gatherFacts) return {};
      const { message, fix } = error as InvalidInputError;
      throw new InvalidInputError(`an undefined variable was found when attempting to template the vars_files item '${item}': ${message}`, {
        source: file.source,
        ...(fix === undefined ? {} : { fix }),
      });
    }
  }
  const found = firstVarsFile(names, runtime.play.baseDir);
  if (found === undefined) throw new InvalidInputError(`vars file ${item} was not found`, { source: file.source, fix: 'create the file (relative names are read from the playbook directory), or remove it from vars_files' });
  return loadVarsFile(found, file.source, runtime.options.vault);
}
