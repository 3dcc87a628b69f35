// Renders `{{ templates }}` in playbook values and template files. Jinja (src/jinja/) as Ansible's
// Templar renders it is the language; the Handlebars syntax beastie documented before
// (`{{#if}}`, `{{ default x "y" }}`, `.hbs` files) still renders with Handlebars, chosen per
// template: a `.hbs` file, or a text that Jinja cannot parse and Handlebars can.
import { InvalidInputError } from '../errors.js';
import { checkJinjaTemplate, JinjaError, renderTemplate as renderJinja, type JinjaEnvironment, type JinjaLocation } from '../jinja/template.js';
import { OMIT } from '../jinja/values.js';
import { formatSourceRef, type SourceRef } from '../source.js';
import { checkHandlebars, renderHandlebars, type TemplateContext } from './handlebars.js';
import { helperNames } from './helpers.js';
import { hasTemplate, type TemplateSyntaxProblem } from './segments.js';

export type { TemplateContext } from './handlebars.js';

type Language = 'jinja' | 'handlebars';

const noDirs: readonly string[] = [];

const languages = new Map<string, Language>();

const helperCall = new RegExp(`\\{\\{~?\\s*(${helperNames.join('|')})\\s+[^\\s|}(]`);

/** Whether a text that neither engine reads was meant as Handlebars (whose error then says more). */
function looksHandlebars(text: string): boolean {
  return /\{\{~?\s*([#/^>!&{]|else\b|@)/.test(text) || helperCall.test(text) || /\{\{~?\s*[A-Za-z_][\w.]*\s+(?!(?:if|else|and|or|not|in|is)\b)["'A-Za-z_@(]/.test(text);
}

/** Which engine renders `text`; when neither can read it, the one it was written for reports. */
function languageOf(text: string, file: string | undefined): Language {
  if (file?.endsWith('.hbs') === true) return 'handlebars';
  const known = languages.get(text);
  if (known !== undefined) return known;
  const jinjaReads = checkJinjaTemplate(text, 'template') === undefined;
  const language: Language = jinjaReads || (checkHandlebars(text) !== undefined && !looksHandlebars(text)) ? 'jinja' : 'handlebars';
  if (languages.size > 5000) languages.clear();
  languages.set(text, language);
  return language;
}

/** Where a Jinja error is in the playbook: the template file's own line, or the YAML value. */
function sourceOf(location: JinjaLocation, elsewhere: boolean, context: TemplateContext, isFile: boolean): SourceRef {
  if (elsewhere) return { file: location.template, line: location.line, column: location.column };
  if (isFile) return { file: context.source.file, line: context.source.line + location.line - 1, column: location.line === 1 ? context.source.column + location.column - 1 : location.column };
  // A YAML value: its own position; a block scalar's later lines are below it.
  return location.line === 1 ? context.source : { file: context.source.file, line: context.source.line + location.line - 1, column: location.column };
}

/** Whether `error` (from renderString or renderText) is "'x' is undefined", which a later value may fix. */
export function isUndefinedVariable(error: unknown): boolean {
  return error instanceof InvalidInputError && error.cause instanceof JinjaError && error.cause.undefinedName !== undefined;
}

/** The fix for an undefined variable, in Jinja's words. */
function undefinedFix(name: string): string {
  return `define '${name}' (play vars, inventory, -e), or write {{ ${name} | default(...) }}`;
}

function jinjaError(error: JinjaError, context: TemplateContext, isFile: boolean): InvalidInputError {
  const source = sourceOf(error.location, error.elsewhere, context, isFile);
  const what = error.kind === 'syntax' ? 'template syntax error: ' : '';
  const fix = error.undefinedName !== undefined ? undefinedFix(error.undefinedName) : error.fix;
  return new InvalidInputError(`${what}${error.message} in template at ${formatSourceRef(source)}`, {
    source,
    ...(fix === undefined ? {} : { fix }),
    cause: error,
  });
}

function render(text: string, vars: Readonly<Record<string, unknown>>, context: TemplateContext, mode: 'value' | 'text', file: string | undefined, environment?: JinjaEnvironment): unknown {
  if (environment === undefined && languageOf(text, file) === 'handlebars') return renderHandlebars(text, vars, context, mode === 'value');
  if (environment !== undefined && file?.endsWith('.hbs') === true) return renderHandlebars(text, vars, context, false);
  try {
    // The name only labels errors inside the template itself; render.ts places those by context.
    return renderJinja(text, vars, { name: file ?? 'value', searchDirs: context.searchDirs ?? noDirs, mode, ...(environment === undefined ? {} : { environment }) });
  } catch (error) {
    if (error instanceof JinjaError) throw jinjaError(error, context, file !== undefined);
    throw error;
  }
}

/**
 * Render one string. Without `{{`/`{%` it is returned as is; a string that is exactly one
 * `{{ … }}` returns that value with its type (list, number, mapping); anything else renders to text.
 */
export function renderString(text: string, vars: Readonly<Record<string, unknown>>, context: TemplateContext): unknown {
  if (!hasTemplate(text)) return text;
  return render(text, vars, context, 'value', undefined);
}

/**
 * Render a whole template file (the template module, lookups) to text, as Ansible's template
 * module does: trim_blocks on, the file's trailing newlines kept, `#jinja2:` overrides honoured.
 * `context.source` is the file (line 1, column 1): errors name the template's own line.
 */
export function renderText(text: string, vars: Readonly<Record<string, unknown>>, context: TemplateContext, environment?: JinjaEnvironment): string {
  // Other delimiters (the template module's arguments) make any text a template.
  if (environment === undefined && !hasTemplate(text)) return text;
  return String(render(text, vars, context, 'text', context.source.file, environment));
}

/** What Ansible's `omit` renders to; parameters rendering to it are dropped. */
export { OMIT };

function renderTree(value: unknown, vars: Readonly<Record<string, unknown>>, context: TemplateContext): unknown {
  if (typeof value === 'string') return renderString(value, vars, context);
  if (Array.isArray(value)) return value.map((item) => renderTree(item, vars, context));
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    const entries = Object.entries(value).map(([key, item]) => [key, renderTree(item, vars, context)] as const);
    return Object.fromEntries(entries.filter(([, item]) => item !== OMIT));
  }
  return value;
}

/**
 * Render every string inside lists and mappings (module parameters); keys are kept as written,
 * and mapping entries that render to `omit` are dropped.
 */
export function renderDeep(value: unknown, vars: Readonly<Record<string, unknown>>, context: TemplateContext): unknown {
  return renderTree(value, vars, context);
}

/** Load-time check of a template's syntax, without variables: Jinja, or the Handlebars it is written in. */
export function checkTemplate(text: string): TemplateSyntaxProblem | undefined {
  if (!hasTemplate(text)) return undefined;
  const jinja = checkJinjaTemplate(text, 'template');
  if (jinja === undefined) return undefined;
  const handlebars = checkHandlebars(text);
  if (handlebars === undefined) return undefined;
  if (looksHandlebars(text)) return handlebars;
  const where = jinja.location.line > 1 ? ` (line ${jinja.location.line} of the value)` : '';
  return { message: `${jinja.message}${where}`, fix: jinja.fix ?? 'check the {% %} and {{ }} pairs' };
}

/** The syntax error of a template file (`--syntax-check` of a template task's `src:`), at the template's own line. */
export function checkTemplateFile(file: string, text: string, environment?: JinjaEnvironment): InvalidInputError | undefined {
  if (file.endsWith('.hbs')) {
    const problem = checkHandlebars(text);
    return problem === undefined ? undefined : new InvalidInputError(`template: ${problem.message} in ${file}`, { source: { file, line: 1, column: 1 }, fix: problem.fix });
  }
  if (environment === undefined && !hasTemplate(text)) return undefined;
  const jinja = checkJinjaTemplate(text, file, 'text', environment);
  if (jinja === undefined || (environment === undefined && checkHandlebars(text) === undefined)) return undefined;
  const source = { file, line: jinja.location.line, column: jinja.location.column };
  return new InvalidInputError(`template syntax error: ${jinja.message} at ${formatSourceRef(source)}`, { source, ...(jinja.fix === undefined ? {} : { fix: jinja.fix }) });
}

/** Whether a string holds a template (re-exported: the runner asks render.ts). */
export { hasTemplate } from './segments.js';
