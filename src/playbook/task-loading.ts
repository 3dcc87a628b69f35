// What loading one play's tasks works with: the play's environment (modules, problems, static
// vars), the file being read, and the part of the task loader that task files call back into.
// Kept apart from load-task.ts, which calls task-files.ts and task-params.ts, so that they need
// not import it back.
import type { Node } from 'yaml';
import type { ModuleDefinition } from '../module-api/module.js';
import type { SourceRef } from '../source.js';
import type { Problems } from '../yaml/problems.js';
import type { Entry } from '../yaml/yaml-source.js';
import type { Fields } from './fields.js';
import type { Looping, PlayTask } from './types.js';

/** How the loader finds modules: the registry by default, small test modules in tests. */
export interface ModuleLookup {
  readonly find: (name: string) => ModuleDefinition | undefined;
  readonly names: () => readonly string[];
}

/** A notify target as written, checked against the play's handlers once they are all known. */
export interface Notification {
  readonly name: string;
  readonly source: SourceRef;
}

/** What task loading needs from the play being loaded. */
export interface TaskEnvironment {
  readonly problems: Problems;
  readonly modules: ModuleLookup;
  /** Variables known before the run (extra vars, play vars): for templated import_tasks names. */
  readonly staticVars: Readonly<Record<string, unknown>>;
  /** The playbook's directory, the fallback for relative include/import paths. */
  readonly playbookDir: string;
  /** Filled with every notify seen, for the play to check. */
  readonly notified: Notification[];
}

/** The file being read and the include chain that led to it. */
export interface FileScope {
  readonly fields: Fields;
  /** Relative include/import paths are looked up here first. */
  readonly baseDir: string;
  /** Files of the include/import chain, for cycle detection. */
  readonly stack: readonly string[];
}

/** What reading a task file needs from the loader (load-task.ts's TaskLoader). */
export interface TaskReader {
  readonly env: TaskEnvironment;
  /** A list of task nodes; imports expand in place. */
  tasks(nodes: readonly (Node | null)[], scope: FileScope): PlayTask[];
  /** The loop keywords of a task (loop, with_<lookup>, loop_control). */
  looping(byKey: ReadonlyMap<string, Entry>, fields: Fields): Looping;
}
