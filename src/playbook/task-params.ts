// Where a module call's parameters come from — a mapping under the module key, a free-form
// command line, key=value words, and `args:` — and where each one is written, so a parameter
// problem points at the parameter itself.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { describeValue, isMapping as isPlainMapping } from '../expression/values.js';
import type { SourceRef } from '../source.js';
import type { Entry } from '../yaml/yaml-source.js';
import type { Fields } from './fields.js';
import { freeFormModules, parseFreeForm, parseKeyValues, rawParamModules } from './free-form.js';
import type { ModuleLookup } from './task-loading.js';
import { paramIssues, type ParamIssue } from './validate-params.js';

/**
 * Why a task's failure is handled where it is written, so that it may be written to fail:
 * `ignore_errors: true` (on it or around it), or a block around it with a `rescue:`.
 */
export type FailureHandled = 'ignore_errors' | 'rescue';

const handledBy: Readonly<Record<FailureHandled, string>> = { ignore_errors: 'it has ignore_errors', rescue: 'a rescue: of its block runs then' };

/**
 * The module's parameters (the module line's win over `args:`), checked against its schema where
 * not templated; under module_defaults (`defaulted`) a missing parameter is left for run time.
 * A task written to fail (`failureHandled`: ignore_errors, as ansible-core's copy target calls
 * copy without dest to see it fail, or a block's rescue) has its parameter problems as warnings:
 * Ansible runs it, and so does beastie, the run-time check failing the task at its line with the
 * same message (then the rescue runs, as in Ansible).
 */
export function readParams(
  moduleEntry: Entry,
  moduleName: string,
  argsEntry: Entry | undefined,
  fields: Fields,
  modules: ModuleLookup,
  defaulted = false,
  failureHandled?: FailureHandled,
): Record<string, unknown> {
  const { src, problems } = fields;
  const node = moduleEntry.value;
  const value = src.value(node);
  let params: Record<string, unknown> = {};
  if (value === null) params = {};
  else if (isPlainMapping(value)) params = value;
  else if (typeof value === 'string' && freeFormModules.has(moduleName)) params = parseFreeForm(value);
  else if (typeof value === 'string' && rawParamModules.has(moduleName)) params = parseKeyValues(value) ?? { [rawParamModules.get(moduleName) ?? '']: value.trim() };
  else if (typeof value === 'string' && parseKeyValues(value) !== undefined) params = parseKeyValues(value) ?? {};
  else {
    problems.add(src.ref(node), `${moduleName}: parameters must be a mapping (got ${describeValue(value)})`, `write them indented under ${moduleEntry.key}:, one per line as name: value`);
    return {};
  }
  let argsNode: Node | null = null;
  if (argsEntry !== undefined) {
    const args = fields.mapping(argsEntry);
    if (args !== undefined) {
      argsNode = args;
      params = { ...(src.value(args) as Record<string, unknown>), ...params };
    }
  }
  fields.templates(node);
  if (argsNode) fields.templates(argsNode);
  const module = modules.find(moduleName);
  if (module !== undefined) {
    for (const issue of paramIssues(module, params, { deferTemplated: true, deferMissing: defaulted })) {
      const at = issueSource(issue, node, argsNode, fields) ?? src.ref(moduleEntry.keyNode);
      if (failureHandled !== undefined) problems.warn(at, `${issue.message}: the task fails when it runs (${handledBy[failureHandled]})`);
      else problems.add(at, issue.message, issue.fix);
    }
  }
  return params;
}

/** Where each top-level parameter's value is written (the module line's win over `args:`). */
export function paramSources(node: Node | null, argsNode: Node | null, fields: Fields): Record<string, SourceRef> {
  const sources: Record<string, SourceRef> = {};
  for (const map of [argsNode, node]) {
    if (!isMap(map)) continue;
    for (const pair of map.items) {
      if (isScalar(pair.key)) sources[String(pair.key.value)] = fields.src.ref((pair.value as Node | null) ?? (pair.key as Node));
    }
  }
  return sources;
}

/**
 * The YAML node an issue is about: the parameter's key (unknown parameter) or value; for a
 * missing parameter, the mapping that lacks it; else undefined (the caller uses the module key).
 */
function issueSource(issue: ParamIssue, node: Node | null, argsNode: Node | null, fields: Fields): SourceRef | undefined {
  const src = fields.src;
  let fallback: Node | null = null;
  for (const start of [node, argsNode]) {
    let current: Node | null = start;
    let keyNode: Node | null = null;
    let reached: Node | null = start;
    for (const key of issue.path) {
      let next: Node | null = null;
      if (isMap(current)) {
        const pair = current.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
        if (pair !== undefined) {
          keyNode = pair.key as Node;
          next = src.resolve((pair.value as Node | null) ?? null);
        }
      } else if (isSeq(current) && typeof key === 'number') {
        keyNode = null;
        next = src.resolve((current.items[key] as Node | undefined) ?? null);
      }
      current = next;
      if (current === null) break;
      reached = current;
    }
    if (current !== null || keyNode !== null) {
      if (issue.about === 'key' && keyNode) return src.ref(keyNode);
      if (current !== null) return src.ref(current);
      return src.ref(keyNode);
    }
    fallback ??= reached;
  }
  // An empty `vm_guest:` has a null node at the end of the line; the module key reads better.
  return fallback === null || (isScalar(fallback) && fallback.value === null) ? undefined : src.ref(fallback);
}
