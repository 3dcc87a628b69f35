// Checks a task's parameters against its module's zod schema and says what is wrong in the
// playbook's words. At load time, issues about templated values (`{{ … }}`) are deferred: the
// runner calls validateParams again after rendering.
import type { z } from 'zod';
import { InvalidInputError, InvalidInputErrors } from '../errors.js';
import { describeValue, isMapping } from '../expression/values.js';
import type { ModuleDefinition } from '../module-api/module.js';
import type { SourceRef } from '../source.js';
import { hasTemplate } from '../template/segments.js';
import { coerceParams } from './coerce-params.js';
import { didYouMean } from '../text/did-you-mean.js';
import { childSchemas, shapesOf } from './zod-def.js';

/** One problem with the parameters: where (path into params), what, and the fix. */
export interface ParamIssue {
  readonly path: readonly (string | number)[];
  /** Whether the problem is the key itself (an unknown parameter) or its value. */
  readonly about: 'key' | 'value';
  readonly message: string;
  readonly fix: string | undefined;
}


/** The keys of the object schema(s) found at `path`, looking through wrappers, unions and arrays. */
function objectKeysAt(schema: unknown, path: readonly (string | number)[]): string[] {
  const schemas = path.reduce<unknown[]>((at, key) => at.flatMap((s) => childSchemas(s, key)), [schema]);
  return schemas.flatMap(shapesOf).flatMap((def) => (def.type === 'object' ? Object.keys(def['shape'] as Record<string, unknown>) : []));
}

function valueAt(params: unknown, path: readonly PropertyKey[]): unknown {
  let value = params;
  for (const key of path) {
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    // A list parameter given one value (`paths: /tmp`) is that value as the list's item 0.
    else if (key === 0 && value !== undefined && value !== null && !isMapping(value)) continue;
    else if (isMapping(value) && typeof key === 'string' && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

/** Whether the value at `path`, or anything above it, is a template rendered only at run time. */
function templatedAt(params: unknown, path: readonly PropertyKey[]): boolean {
  for (let length = 0; length <= path.length; length++) {
    const value = valueAt(params, path.slice(0, length));
    if (typeof value === 'string' && hasTemplate(value)) return true;
  }
  return false;
}

/** `disks[0].size` */
function dotted(path: readonly (string | number)[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function got(value: unknown): string {
  return value === undefined ? 'nothing' : describeValue(value);
}

function typeIssue(module: string, path: readonly (string | number)[], expected: string, input: unknown): ParamIssue {
  const name = dotted(path);
  if (input === undefined) return { path, about: 'value', message: `${module}: missing required parameter '${name}'`, fix: `add ${name}: to the task's ${module} parameters` };
  const fix = expected === 'boolean' ? 'write true or false (or yes/no)' : expected === 'number' && typeof input === 'string' ? 'write a number' : undefined;
  return { path, about: 'value', message: `${module}: parameter '${name}' must be ${expected === 'object' ? 'a mapping' : `a ${expected}`} (got ${got(input)})`, fix };
}

function toIssues(module: ModuleDefinition, params: unknown, issue: z.core.$ZodIssue): ParamIssue[] {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const input = valueAt(params, path);
  const name = dotted(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = objectKeysAt(module.params, path);
      return issue.keys.map((key) => {
        const near = didYouMean(key, known);
        const where = path.length > 0 ? ` in '${name}'` : '';
        return { path: [...path, key], about: 'key' as const, message: `${module.name}: unknown parameter '${key}'${where}`, fix: near ? `did you mean '${near}'?` : known.length > 0 ? `parameters: ${known.join(', ')}` : `see beastie doc ${module.name}` };
      });
    }
    case 'invalid_value': {
      const choices = issue.values.map(String);
      const near = typeof input === 'string' ? didYouMean(input, choices) : undefined;
      const what = choices.length === 1 ? `be ${choices[0]}` : `be one of ${choices.join(', ')}`;
      return [{ path, about: 'value', message: `${module.name}: parameter '${name}' must ${what} (got ${typeof input === 'string' ? `'${input}'` : got(input)})`, fix: near ? `did you mean '${near}'?` : undefined }];
    }
    case 'invalid_type':
      return [typeIssue(module.name, path, issue.expected, input)];
    case 'invalid_union': {
      const expected = [...new Set(issue.errors.flatMap((branch) => branch.filter((e) => e.code === 'invalid_type' && e.path.length === 0).map((e) => (e as { expected: string }).expected)))];
      if (input === undefined) return [typeIssue(module.name, path, expected.join(' or '), input)];
      if (expected.length === issue.errors.length) return [{ path, about: 'value', message: `${module.name}: parameter '${name}' must be ${expected.join(' or ')} (got ${got(input)})`, fix: undefined }];
      return [{ path, about: 'value', message: `${module.name}: parameter '${name}' matches none of its allowed forms (got ${got(input)})`, fix: `see beastie doc ${module.name}` }];
    }
    default: {
      const subject = path.length > 0 ? `parameter '${name}'` : 'parameters';
      return [{ path, about: 'value', message: `${module.name}: ${subject}: ${issue.message} (got ${got(input)})`, fix: undefined }];
    }
  }
}

/**
 * Whether a parameter's value is a template that may render to `omit`: an unknown parameter
 * written so (`daemon-reload: "{{ … | ternary(true, omit) }}"` for another init system) is
 * dropped when it does, so it is checked at run time.
 */
function mayOmit(value: unknown): boolean {
  return typeof value === 'string' && hasTemplate(value) && /\bomit\b/.test(value);
}

/** Whether an issue is a top-level parameter that is missing (module_defaults may still give it). */
function missingParam(params: unknown, issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.path.length === 1 && valueAt(params, issue.path) === undefined;
}

/**
 * The problems with `params` for `module`. With `deferTemplated`, problems located at (or under)
 * a value that still holds `{{ … }}` are left for run time, when it has been rendered; with
 * `deferMissing`, so are missing parameters (the task is under module_defaults).
 */
export function paramIssues(module: ModuleDefinition, written: unknown, options: { readonly deferTemplated: boolean; readonly deferMissing?: boolean }): ParamIssue[] {
  const params = coerceParams(module.params, written);
  const result = module.params.safeParse(params);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => !(options.deferTemplated && templatedAt(params, issue.path)))
    .filter((issue) => !(options.deferMissing === true && missingParam(params, issue)))
    .flatMap((issue) => toIssues(module, params, issue))
    .filter((issue) => !(options.deferTemplated && issue.about === 'key' && mayOmit(valueAt(params, issue.path))));
}

/**
 * Validate rendered parameters and return the schema's output (defaults applied); throws
 * InvalidInputErrors naming every problem, located at `source` (the task's parameters).
 */
export function validateParams(module: ModuleDefinition, written: unknown, source: SourceRef): unknown {
  const params = coerceParams(module.params, written);
  const result = module.params.safeParse(params);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) => toIssues(module, params, issue));
  throw new InvalidInputErrors(issues.map((issue) => new InvalidInputError(issue.message, { source, ...(issue.fix === undefined ? {} : { fix: issue.fix }) })));
}
