// Parses every template file a loaded playbook can reach without running — the literal `src:` of
// each template task, in plays and roles — so a `.j2` with a syntax error is an input error at
// the template's own line before any host is contacted (and under --syntax-check).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { InvalidInputError } from '../errors.js';
import { ansibleBoolean } from '../text/ansible-boolean.js';
import type { Playbook, PlayTask } from '../playbook/types.js';
import { checkTemplateFile, hasTemplate } from './render.js';
import { environmentIsTemplated, templateEnvironment, type TemplateEnvironmentParams } from './template-environment.js';

const templateModules = new Set(['template', 'ansible.builtin.template', 'ansible.legacy.template']);

/** Ansible's lookup of a template task's `src`: the role's templates/ and dir, then the play's. */
function findTemplate(src: string, rolePath: string | undefined, baseDir: string): string | undefined {
  if (path.isAbsolute(src)) return existsSync(src) ? src : undefined;
  const roots = [rolePath, baseDir].filter((root): root is string => root !== undefined);
  for (const root of roots) {
    for (const candidate of [path.join(root, 'templates', src), path.join(root, src)]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

/** A task's arguments as written, with Ansible's loose booleans (`no`, `False`) read as the module will. */
function loadedEnvironmentParams(params: Readonly<Record<string, unknown>>): TemplateEnvironmentParams {
  const loose = (value: unknown): unknown => (typeof value === 'string' ? ansibleBoolean(value) : value);
  return { ...params, trim_blocks: loose(params['trim_blocks']), lstrip_blocks: loose(params['lstrip_blocks']) };
}

/** Syntax errors of the template files of `playbook`, each at its file:line:column (once per file). */
export function checkPlaybookTemplateFiles(playbook: Playbook): InvalidInputError[] {
  const errors: InvalidInputError[] = [];
  const seen = new Set<string>();
  for (const play of playbook.plays) {
    const visit = (task: PlayTask, rolePath: string | undefined): void => {
      const own = task.vars['role_path'];
      const role = typeof own === 'string' ? own : rolePath;
      if (task.kind === 'block') [...task.block, ...task.rescue, ...task.always].forEach((t) => visit(t, role));
      if (task.kind === 'include') (task.tasks ?? []).forEach((t) => visit(t, role));
      if (task.kind !== 'task' || !templateModules.has(task.module)) return;
      const src = task.params['src'];
      if (typeof src !== 'string' || hasTemplate(src)) return;
      // Arguments known only at run time (a templated delimiter) leave the file to the run.
      if (environmentIsTemplated(task.params)) return;
      const environment = templateEnvironment(loadedEnvironmentParams(task.params));
      const file = findTemplate(src, role, play.baseDir);
      const key = `${file ?? ''}\0${JSON.stringify(environment ?? {})}`;
      if (file === undefined || seen.has(key)) return;
      seen.add(key);
      const error = checkTemplateFile(file, readFileSync(file, 'utf8'), environment);
      if (error !== undefined) errors.push(error);
    };
    [...play.preTasks, ...play.tasks, ...play.postTasks, ...play.handlers].forEach((task) => visit(task, undefined));
  }
  return errors;
}
