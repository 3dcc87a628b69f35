// Renders the Handlebars templates beastie documented before it spoke Jinja (`.hbs` files and
// `{{#if}}` / `{{ default x "y" }}` syntax), strict (an undefined variable is an error naming it
// and where it was used, never an empty string) and without HTML escaping. A value that is one
// whole template (`"{{ some_list }}"`) keeps its type, as in Ansible.
import { handlebarsLibrary } from './handlebars-library.js';
import { InvalidInputError } from '../errors.js';
import { evaluateExpression } from '../expression/evaluate.js';
import { ExpressionProblem } from '../expression/problem.js';
import { isMapping, OMIT } from '../expression/values.js';
import { formatSourceRef, type SourceRef } from '../source.js';
import { findHelper, handlebarsDisplay, helperNames, type HelperEnvironment } from './helpers.js';
import { splitTemplate, type TemplateSyntaxProblem } from './segments.js';
import { rewriteTemplate, type OutputMode } from './transform.js';

/** Where a template was written and where its file lookups look. */
export interface TemplateContext {
  readonly source: SourceRef;
  /** Directories for `lookup "file"`: role dirs first, then the playbook's. */
  readonly searchDirs?: readonly string[];
}

/** The fix for an undefined variable, in Jinja's words (the same in both engines). */
function undefinedFix(name: string): string {
  return `define '${name}' (play vars, inventory, -e), or write {{ ${name} | default(...) }}`;
}

/** A variable reference that resolved to nothing. */
class UndefinedVariable extends Error {
  constructor(readonly variable: string) {
    super(`undefined variable '${variable}'`);
  }
}

interface RenderData {
  readonly searchDirs: readonly string[];
  readonly capture: { value: unknown };
  readonly [expression: string]: unknown;
}

interface HelperOptions {
  readonly hash: Readonly<Record<string, unknown>>;
  readonly data: RenderData & { readonly root: unknown };
}

/** Text of a value inside a larger string: lists and mappings as JSON, none as empty. */
function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return handlebarsDisplay(value);
}

function resolve(start: unknown, parts: readonly unknown[], name: string, lenient: boolean): unknown {
  // `omit` is predefined unless the playbook defines it (checked without touching other variables).
  if (name === 'omit' && !(isMapping(start) && Object.hasOwn(start, 'omit'))) return OMIT;
  let value = start;
  for (const part of parts) {
    const key = String(part);
    if (Array.isArray(value) && /^-?\d+$/.test(key)) value = value.at(Number(key));
    else if (isMapping(value) && Object.hasOwn(value, key)) value = value[key];
    else value = undefined;
    if (value === undefined) {
      if (lenient) return undefined;
      throw new UndefinedVariable(name);
    }
  }
  return value;
}

function last<T>(args: readonly unknown[]): { readonly values: readonly unknown[]; readonly options: T } {
  return { values: args.slice(0, -1), options: args.at(-1) as T };
}

/** One Handlebars environment, made and configured on first use and only read afterwards. */
let environment: ReturnType<ReturnType<typeof handlebarsLibrary>['create']> | undefined;
function handlebarsEnvironment(): NonNullable<typeof environment> {
  if (environment !== undefined) return environment;
  const handlebars = handlebarsLibrary().create();
  handlebars.registerHelper('__var', function (this: unknown, ...args: unknown[]) {
    const { values, options } = last<HelperOptions>(args);
    const start = options.hash['root'] === true ? options.data.root : this;
    return resolve(start, values, String(options.hash['name']), options.hash['lenient'] === true);
  });
  handlebars.registerHelper('__str', (...args: unknown[]) => display(args[0]));
  handlebars.registerHelper('__capture', (...args: unknown[]) => {
    const { values, options } = last<HelperOptions>(args);
    options.data.capture.value = values[0];
    return '';
  });
  for (const name of helperNames) {
    const helper = findHelper(name);
    if (helper === undefined) continue;
    handlebars.registerHelper(name, (...args: unknown[]) => {
      const { values, options } = last<HelperOptions>(args);
      const env: HelperEnvironment = { searchDirs: options.data.searchDirs };
      return helper(values, options.hash, env);
    });
  }
  environment = handlebars;
  return handlebars;
}

function where(context: TemplateContext): string {
  return `in template at ${formatSourceRef(context.source)}`;
}

function problemError(problem: TemplateSyntaxProblem, context: TemplateContext): InvalidInputError {
  return new InvalidInputError(`${problem.message} ${where(context)}`, { source: context.source, fix: problem.fix });
}

function renderError(error: unknown, context: TemplateContext): unknown {
  if (error instanceof InvalidInputError) return error;
  if (error instanceof UndefinedVariable) {
    return new InvalidInputError(`'${error.variable}' is undefined ${where(context)}`, {
      source: context.source,
      fix: undefinedFix(error.variable),
    });
  }
  if (error instanceof ExpressionProblem) return new InvalidInputError(`${error.message} ${where(context)}`, { source: context.source, ...(error.fix === undefined ? {} : { fix: error.fix }) });
  if (error instanceof Error) {
    const missing = /^"(.+)" not defined in/.exec(error.message);
    if (missing?.[1] !== undefined) return renderError(new UndefinedVariable(missing[1]), context);
    return new InvalidInputError(`template error: ${error.message} ${where(context)}`, { source: context.source, cause: error });
  }
  return error;
}

/** A template compiled once: its Jinja-style expressions and the Handlebars function. */
interface Compiled {
  /** Expressions whose values are passed as `@beastie_expr_N`. */
  readonly expressions: readonly string[];
  readonly mode: OutputMode;
  readonly template: (vars: unknown, options: { data: RenderData }) => string;
}

/**
 * Compiled templates by text. Compiling is nearly all the cost of a render (≈ 0.1–0.25 ms), and
 * the same task strings render on every host; entries are immutable functions of the text alone,
 * so the memo changes no behaviour. Bounded: cleared when full.
 */
const compiled = new Map<string, Compiled>();
const compiledLimit = 2000;

function compile(text: string, wantTyped: boolean, context: TemplateContext): Compiled {
  const key = `${wantTyped ? 'typed' : 'text'}\0${text}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const split = splitTemplate(text);
  if ('problem' in split) throw problemError(split.problem, context);
  const expressions: string[] = [];
  let source = '';
  for (const segment of split.segments) {
    if (segment.kind === 'expression') {
      source += `{{@beastie_expr_${expressions.length}}}`;
      expressions.push(segment.expression);
    } else source += segment.text;
  }
  const program = handlebarsEnvironment().parse(source);
  const mode: OutputMode = wantTyped && isWholeValue(program) ? 'capture' : 'string';
  const problems = rewriteTemplate(program, mode);
  if (problems[0] !== undefined) throw problemError(problems[0], context);
  const template = handlebarsEnvironment().compile(program, { strict: true, noEscape: true }) as Compiled['template'];
  if (compiled.size >= compiledLimit) compiled.clear();
  const entry: Compiled = { expressions, mode, template };
  compiled.set(key, entry);
  return entry;
}

function isWholeValue(program: hbs.AST.Program): boolean {
  return program.body.length === 1 && program.body[0]?.type === 'MustacheStatement';
}

function render(text: string, vars: Readonly<Record<string, unknown>>, context: TemplateContext, wantTyped: boolean): unknown {
  try {
    const { expressions, mode, template } = compile(text, wantTyped, context);
    const values = expressions.map((expression) => evaluateExpression(expression, vars, { source: context.source, keyword: 'template' }).value);
    const data: RenderData = { searchDirs: context.searchDirs ?? [], capture: { value: undefined }, ...Object.fromEntries(values.map((value, i) => [`beastie_expr_${i}`, value])) };
    const output = template(vars, { data });
    return mode === 'capture' ? data.capture.value : output;
  } catch (error) {
    throw renderError(error, context);
  }
}

/** Render one Handlebars string: a whole `{{ x }}` keeps its type when `wantTyped`. */
export function renderHandlebars(text: string, vars: Readonly<Record<string, unknown>>, context: TemplateContext, wantTyped: boolean): unknown {
  return render(text, vars, context, wantTyped);
}

/** Load-time check of a Handlebars template's syntax and helper names, without variables. */
export function checkHandlebars(text: string): TemplateSyntaxProblem | undefined {
  const split = splitTemplate(text);
  if ('problem' in split) return split.problem;
  const source = split.segments.map((segment, i) => (segment.kind === 'expression' ? `{{@e${i}}}` : segment.text)).join('');
  let program: hbs.AST.Program;
  try {
    program = handlebarsEnvironment().parse(source);
  } catch (error) {
    return { message: `template syntax error: ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`, fix: 'check the {{ }} and {{#…}}{{/…}} pairs' };
  }
  return rewriteTemplate(program, 'string')[0];
}
