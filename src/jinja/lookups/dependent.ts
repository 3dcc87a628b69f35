// community.general's dependent lookup (plugins/lookup/dependent.py of community.general 6.6.2):
// each term a one-element mapping NAME: VALUES, where VALUES is a list (iterated), a mapping
// (iterated by sorted key as {key, value}) or text — a Jinja expression evaluated for every choice
// so far, with `item` the mapping of the names already chosen, rendered by a Templar of the task's
// variables (so the globals — lookup(), query(), range(), dict() — are there too). The answer is
// every combination.
import { JinjaRenderError } from '../errors.js';
import type { RenderScope } from '../registry.js';
import { dictFrom, isDict, pyCompare, pyRepr, typeName } from '../values.js';
import { checkOptions, type Lookup } from './lookup.js';

type Term = readonly [key: string, expression: string | undefined, values: unknown];

/** Python's type() as the plugin's messages print it: `<class 'int'>`. */
function pyType(value: unknown): string {
  return `<class '${typeName(value)}'>`;
}

function evaluate(expression: string, item: Record<string, unknown>, scope: RenderScope): unknown {
  // Templar.available_variables = the task's variables plus `item`, then template('{{' + expression + '}}').
  const vars: Record<string, unknown> = {};
  for (const name of scope.variableNames()) Object.defineProperty(vars, name, { get: () => scope.variable(name), enumerable: true, configurable: true });
  Object.defineProperty(vars, 'item', { value: dictFrom(Object.entries(item)), enumerable: true, configurable: true });
  return scope.renderTemplar(`{{${expression}}}`, vars);
}

function process(result: unknown[], terms: readonly Term[], index: number, current: Record<string, unknown>, scope: RenderScope): void {
  if (index === terms.length) {
    result.push(dictFrom(Object.entries(current)));
    return;
  }
  const [key, expression] = terms[index] as Term;
  let values = (terms[index] as Term)[2];
  if (expression !== undefined) {
    try {
      values = evaluate(expression, { ...current }, scope);
    } catch (error) {
      throw new JinjaRenderError(`Caught "${(error as Error).message}" while evaluating ${pyRepr(key)} with item == ${pyRepr(dictFrom(Object.entries(current)))}`);
    }
  }
  if (isDict(values)) {
    const entries = Object.entries(values).sort(([a], [b]) => pyCompare(a, b));
    for (const [k, v] of entries) {
      current[key] = dictFrom([['key', k], ['value', v]]);
      process(result, terms, index + 1, current, scope);
    }
  } else if (Array.isArray(values) || typeof values === 'string') {
    for (const element of typeof values === 'string' ? [...values] : values) {
      current[key] = element;
      process(result, terms, index + 1, current, scope);
    }
  } else {
    throw new JinjaRenderError(`Did not obtain dictionary or list while evaluating ${pyRepr(key)} with item == ${pyRepr(dictFrom(Object.entries(current)))}, but ${pyType(values)}`);
  }
}

export const dependentLookup: Lookup = (terms, options, scope) => {
  checkOptions('community.general.dependent', options, []);
  const data: Term[] = [];
  const seen = new Set<string>();
  terms.forEach((term, index) => {
    if (!isDict(term)) throw new JinjaRenderError(`Parameter ${index} must be a dictionary, got ${pyType(term)}`);
    const entries = Object.entries(term);
    if (entries.length !== 1) throw new JinjaRenderError(`Parameter ${index} must be a one-element dictionary, got ${entries.length} elements`);
    const [key, value] = entries[0] as [string, unknown];
    if (seen.has(key)) throw new JinjaRenderError(`The variable ${pyRepr(key)} appears more than once`);
    seen.add(key);
    if (typeof value === 'string') data.push([key, value, undefined]);
    else if (Array.isArray(value) || isDict(value)) data.push([key, undefined, value]);
    else throw new JinjaRenderError(`Parameter ${pyRepr(key)} (index ${index}) must have a value of type string, dictionary or list, got type ${pyType(value)}`);
  });
  const result: unknown[] = [];
  if (data.length > 0) process(result, data, 0, {}, scope);
  return result;
};
