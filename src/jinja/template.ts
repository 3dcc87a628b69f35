// The Jinja engine's entry points: render a playbook value or a template file as Ansible's
// Templar does (trim_blocks on, the source's trailing newlines kept, `#jinja2:` overrides, none
// printing as nothing), evaluate a bare expression (`when:`), check syntax without rendering.
// Parsed templates are cached by text: the same task strings render on every host.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Expr, Node } from './ast.js';
import { JinjaRenderError, JinjaSyntaxError } from './errors.js';
import { checkExpressionNames, checkNames } from './check-names.js';
import { allFilters } from './filters/index.js';
import { allGlobals } from './globals.js';
import { IncludedTemplateError, Interpreter, type Engine, type LoadedTemplate } from './interpret.js';
import { jinjaDelimiters, normalizeNewlines, unescape, type Delimiters, type LexOptions } from './lexer.js';
import { parseExpression, parseTemplate } from './parser.js';
import { pythonLiteralEval } from './python-literal.js';
import { allTests } from './tests.js';
import { pyStr, toPlain, Undefined } from './values.js';

/** Where a Jinja failure happened: the template (a file path or a label) and the line and column in it. */
export interface JinjaLocation {
  readonly template: string;
  readonly line: number;
  readonly column: number;
}

/** A syntax or render failure, located in the template text it came from. */
export class JinjaError extends Error {
  constructor(
    message: string,
    readonly kind: 'syntax' | 'render',
    readonly location: JinjaLocation,
    /** True when the error happened in another template (an include), whose location this is. */
    readonly elsewhere: boolean,
    readonly fix: string | undefined,
    readonly undefinedName: string | undefined,
    /** Offset of the failure in the template text. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JinjaError';
  }
}

/** Ansible's Templar defaults: trim_blocks on, the other two off. */
const ansibleDefaults: LexOptions = { trimBlocks: true, lstripBlocks: false, keepTrailingNewline: false };

/**
 * The Jinja2 environment a template file starts from: the template module's own arguments
 * (trim_blocks, lstrip_blocks, newline_sequence, the delimiter strings), which the template
 * action passes to Templar.copy_with_new_env. Its includes use it too; a `#jinja2:` line
 * overrides it for its own template.
 */
export interface JinjaEnvironment {
  readonly trimBlocks?: boolean | undefined;
  readonly lstripBlocks?: boolean | undefined;
  readonly newlineSequence?: string | undefined;
  readonly delimiters?: Partial<Delimiters>;
}

function environmentOptions(environment: JinjaEnvironment | undefined): LexOptions {
  if (environment === undefined) return ansibleDefaults;
  // copy_with_new_env sets the strings without Jinja2's overlay() check that they differ.
  const delimiters = { ...jinjaDelimiters, ...environment.delimiters };
  return {
    trimBlocks: environment.trimBlocks ?? ansibleDefaults.trimBlocks,
    lstripBlocks: environment.lstripBlocks ?? ansibleDefaults.lstripBlocks,
    keepTrailingNewline: false,
    ...(environment.newlineSequence === undefined ? {} : { newlineSequence: environment.newlineSequence }),
    delimiters,
  };
}

function checkStarts(delimiters: Delimiters): void {
  const starts = [delimiters.blockStart, delimiters.variableStart, delimiters.commentStart];
  if (new Set(starts).size < starts.length) throw new JinjaSyntaxError('block, variable and comment start strings must be different', 0);
}

/** The cache key of an environment: templates parse differently in each. */
function environmentKey(environment: JinjaEnvironment | undefined): string {
  return environment === undefined ? '' : JSON.stringify(environment);
}

/** Where to report a position of `text`. */
export function locate(source: string, at: number, template: string): JinjaLocation {
  const text = normalizeNewlines(source);
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { template, line, column: at - lineStart + 1 };
}

interface Compiled {
  readonly nodes: readonly Node[];
  /** The expression of a template that is exactly one `{{ … }}`. */
  readonly whole: Expr | undefined;
  /** Characters of `#jinja2:` header removed before `nodes` (their offsets start after it). */
  readonly headerLength: number;
  readonly trailingNewlines: number;
  /** What Templar appends for each trailing newline the output lost (the template's newline_sequence). */
  readonly newline: string;
}

/** Parsed templates by text: playbook values (raw strings in `{{ }}`) and files apart. */
const compiledValues = new Map<string, Compiled>();
const compiledFiles = new Map<string, Compiled>();
const compiledLimit = 5000;

type Override = { readonly kind: 'flag'; readonly option: 'trimBlocks' | 'lstripBlocks' | 'keepTrailingNewline' } | { readonly kind: 'newline' } | { readonly kind: 'delimiter'; readonly option: keyof Delimiters };

/** The Jinja2 environment attributes a `#jinja2:` line may set, by their Python names. */
const overrides: Readonly<Record<string, Override>> = {
  trim_blocks: { kind: 'flag', option: 'trimBlocks' },
  lstrip_blocks: { kind: 'flag', option: 'lstripBlocks' },
  keep_trailing_newline: { kind: 'flag', option: 'keepTrailingNewline' },
  newline_sequence: { kind: 'newline' },
  block_start_string: { kind: 'delimiter', option: 'blockStart' },
  block_end_string: { kind: 'delimiter', option: 'blockEnd' },
  variable_start_string: { kind: 'delimiter', option: 'variableStart' },
  variable_end_string: { kind: 'delimiter', option: 'variableEnd' },
  comment_start_string: { kind: 'delimiter', option: 'commentStart' },
  comment_end_string: { kind: 'delimiter', option: 'commentEnd' },
  line_statement_prefix: { kind: 'delimiter', option: 'lineStatementPrefix' },
  line_comment_prefix: { kind: 'delimiter', option: 'lineCommentPrefix' },
};

/** A Python literal as ast.literal_eval reads an override's value: True/False/None, an int, a quoted string. */
function pythonLiteral(raw: string): boolean | number | string | null | undefined {
  if (raw === 'True') return true;
  if (raw === 'False') return false;
  if (raw === 'None') return null;
  if (/^[-+]?\d+$/.test(raw)) return Number(raw);
  const quoted = /^([rR]?)(['"])(.*)\2$/s.exec(raw);
  if (quoted === null || (quoted[1] === '' && /(^|[^\\])(\\\\)*\\$/.test(quoted[3] ?? ''))) return undefined;
  return quoted[1] === '' ? unescape(quoted[3] ?? '') : (quoted[3] ?? '');
}

/**
 * `#jinja2: trim_blocks: False, variable_start_string: '<<'` — Ansible's per-template overrides,
 * read as Templar.do_template reads them: the first line split at commas, each pair at its first
 * colon, each value a Python literal set on the template's Jinja2 environment.
 */
function readHeader(text: string, base: LexOptions): { readonly options: LexOptions; readonly length: number } {
  if (!text.startsWith('#jinja2:')) return { options: base, length: 0 };
  const eol = text.indexOf('\n');
  const line = text.slice('#jinja2:'.length, eol < 0 ? undefined : eol);
  const flags = { trimBlocks: base.trimBlocks, lstripBlocks: base.lstripBlocks, keepTrailingNewline: base.keepTrailingNewline };
  const delimiters: { -readonly [K in keyof Delimiters]: Delimiters[K] } = { ...(base.delimiters ?? jinjaDelimiters) };
  let newlineSequence = base.newlineSequence;
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) {
      throw new JinjaSyntaxError(`failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`, 0, `write it as '#jinja2: ${pair.trim().replace('=', ': ')}'`);
    }
    const key = pair.slice(0, colon).trim();
    const raw = pair.slice(colon + 1).trim();
    const override = overrides[key];
    if (override === undefined) throw new JinjaSyntaxError(`#jinja2: override '${key}' is not supported`, 0, `beastie supports ${Object.keys(overrides).join(', ')}`);
    const value = pythonLiteral(raw);
    if (value === undefined) throw new JinjaSyntaxError(`#jinja2: ${key}: '${raw}' is not a Python literal`, 0, "quote a string ('<<') or write True / False");
    if (override.kind === 'flag') {
      flags[override.option] = value !== null && value !== false && value !== 0 && value !== '';
    } else if (override.kind === 'newline') {
      if (value !== '\n' && value !== '\r\n' && value !== '\r') throw new JinjaSyntaxError(`#jinja2: newline_sequence must be '\\n', '\\r\\n' or '\\r'`, 0);
      newlineSequence = value;
    } else if (typeof value === 'string' && value !== '') {
      delimiters[override.option] = value;
    } else if (value === null && (override.option === 'lineStatementPrefix' || override.option === 'lineCommentPrefix')) {
      delete delimiters[override.option];
    } else {
      throw new JinjaSyntaxError(`#jinja2: ${key} must be a non-empty string`, 0);
    }
  }
  checkStarts(delimiters);
  return { options: { ...flags, delimiters, ...(newlineSequence === undefined ? {} : { newlineSequence }) }, length: eol < 0 ? text.length : eol + 1 };
}

function trailingNewlines(text: string): number {
  let count = 0;
  for (let i = text.length - 1; i >= 0 && text[i] === '\n'; i--) count++;
  return count;
}

function compile(text: string, valueMode = false, environment?: JinjaEnvironment): Compiled {
  const compiled = valueMode ? compiledValues : compiledFiles;
  const key = environment === undefined ? text : `${environmentKey(environment)}\0${text}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const header = readHeader(text, environmentOptions(environment));
  const body = text.slice(header.length);
  const nodes = parseTemplate(body, valueMode ? { ...header.options, rawVariableStrings: true } : header.options);
  checkNames(nodes, { filters: allFilters, tests: allTests });
  const only = nodes.length === 1 ? nodes[0] : undefined;
  const entry: Compiled = { nodes, whole: only?.k === 'print' ? only.expr : undefined, headerLength: header.length, trailingNewlines: trailingNewlines(text), newline: header.options.newlineSequence ?? '\n' };
  if (compiled.size >= compiledLimit) compiled.clear();
  compiled.set(key, entry);
  return entry;
}

/** Templates read from disk for include / import, by path and modification. */
const files = new Map<string, LoadedTemplate>();

function loadFile(file: string, environment: JinjaEnvironment | undefined): LoadedTemplate | undefined {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const key = `${file}\0${stat.mtimeMs}\0${stat.size}\0${environmentKey(environment)}`;
  const cached = files.get(key);
  if (cached !== undefined) return cached;
  const text = readFileSync(file, 'utf8');
  let entry: Compiled;
  try {
    entry = compile(text, false, environment);
  } catch (error) {
    if (error instanceof JinjaSyntaxError) throw syntaxError(error, text, file, true, 0);
    throw error;
  }
  const loaded: LoadedTemplate = { name: file, nodes: entry.nodes, text: text.slice(entry.headerLength) };
  files.set(key, loaded);
  return loaded;
}

/** Ansible's template search path: the directory of the template the render started from, then each dir's templates/ and the dir itself. */
function findTemplate(name: string, from: string, searchDirs: readonly string[], environment: JinjaEnvironment | undefined): LoadedTemplate | undefined {
  if (path.isAbsolute(name)) return loadFile(name, environment);
  const candidates = [path.join(path.dirname(from), name), ...searchDirs.flatMap((dir) => [path.join(dir, 'templates', name), path.join(dir, name)])];
  for (const candidate of candidates) {
    const found = loadFile(candidate, environment);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The engine of one environment: includes parse in it; the template lookup renders in Ansible's defaults. */
function engineOf(environment: JinjaEnvironment | undefined): Engine {
  return {
    filters: allFilters,
    tests: allTests,
    globals: allGlobals,
    load: (name, from, searchDirs) => findTemplate(name, from, searchDirs, environment),
    renderText: (text, name, vars, searchDirs) => String(renderTemplate(text, vars, { name, searchDirs, mode: 'text' })),
    renderBare: (text, vars) => renderBare(text, vars),
    renderTemplar: (text, vars, searchDirs) => renderBare(text, vars, engine, searchDirs),
  };
}

const engine = engineOf(undefined);

/** The environment a plugin renders in by itself: Ansible's filters and tests, and no globals. */
const bareEngine: Engine = { ...engine, globals: new Map() };

/**
 * A template a filter plugin renders itself, `environment.from_string(text).render(**vars)` in
 * ansible-core 2.14: AnsibleJ2Template.new_context gives it `vars` alone (no lookup, range or
 * dict), and AnsibleEnvironment's concat is ansible_eval_concat — one node's value, or every
 * node's text, as text (none as nothing, Templar's finalize), read back when it spells a list,
 * dict or bool; a string_type filter's text (to_json, …) as it is. Failures carry their message
 * only: where they are is the calling filter's place.
 */
function renderBare(text: string, vars: Readonly<Record<string, unknown>>, withEngine: Engine = bareEngine, searchDirs: readonly string[] = []): unknown {
  try {
    const entry = compile(text);
    const interpreter = new Interpreter(withEngine, vars, searchDirs, { name: '<template>', nodes: entry.nodes, text });
    if (entry.whole === undefined) return readBack(interpreter.run(entry.nodes));
    const value = interpreter.value(entry.whole);
    if (value instanceof Undefined) value.fail();
    if (value === null) return '';
    if (typeof value === 'string' && entry.whole.k === 'filter' && STRING_TYPE_FILTERS.has(entry.whole.name)) return value;
    return readBack(typeof value === 'bigint' ? String(value) : pyStr(value));
  } catch (error) {
    if (error instanceof JinjaSyntaxError) throw new JinjaRenderError(error.message, error.fix);
    const cause = error instanceof IncludedTemplateError ? error.cause : error;
    if (cause instanceof JinjaRenderError) throw new JinjaRenderError(cause.message, cause.fix, cause.undefinedName);
    throw error;
  }
}

function syntaxError(error: JinjaSyntaxError, text: string, template: string, elsewhere: boolean, offset: number): JinjaError {
  return new JinjaError(error.message, 'syntax', locate(text, error.at + offset, template), elsewhere, error.fix ?? 'check the {% %} and {{ }} pairs and the expression at this position', undefined, error.at + offset);
}

function renderError(error: JinjaRenderError, text: string, template: string, elsewhere: boolean, offset: number): JinjaError {
  return new JinjaError(error.message, 'render', locate(text, (error.at ?? 0) + offset, template), elsewhere, error.fix, error.undefinedName, (error.at ?? 0) + offset);
}

/** How to render: a playbook value (a whole `{{ x }}` keeps its type) or text (the template module). */
export interface RenderOptions {
  /** The file or label errors name. */
  readonly name: string;
  /** Directories for includes and file lookups: role dirs first, then the playbook's. */
  readonly searchDirs: readonly string[];
  readonly mode: 'value' | 'text';
  /** A template file's starting environment (text mode): the template module's arguments. */
  readonly environment?: JinjaEnvironment;
}

/**
 * ansible-core 2.14's STRING_TYPE_FILTERS: a whole value that is one of these filters' result is
 * text Ansible does not read back (NativeJinjaText), by the name as written.
 */
const STRING_TYPE_FILTERS: ReadonlySet<string> = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

/**
 * ansible_eval_concat: a rendered value whose text starts with `[` or `{`, or is True or False,
 * becomes the list, dict or bool it spells when it is a Python (or JSON) literal; else it stays text.
 */
function readBack(text: string): unknown {
  if (!(text.startsWith('[') || text.startsWith('{') || text === 'True' || text === 'False')) return text;
  const read = pythonLiteralEval(text);
  return read === undefined ? text : read.value;
}

/** Render `text` over `vars`; throws JinjaError with the template's own line and column. */
export function renderTemplate(text: string, vars: Readonly<Record<string, unknown>>, options: RenderOptions): unknown {
  let entry: Compiled;
  try {
    entry = compile(text, options.mode === 'value', options.environment);
  } catch (error) {
    if (error instanceof JinjaSyntaxError) throw syntaxError(error, text, options.name, false, readHeaderLength(text));
    throw error;
  }
  const self: LoadedTemplate = { name: options.name, nodes: entry.nodes, text };
  const interpreter = new Interpreter(options.environment === undefined ? engine : engineOf(options.environment), vars, options.searchDirs, self);
  try {
    if (options.mode === 'value' && entry.whole !== undefined) {
      const value = interpreter.value(entry.whole);
      if (value instanceof Undefined) {
        const error = new JinjaRenderError(value.message, undefined, value.name);
        error.at = entry.whole.at;
        throw error;
      }
      // Ansible's finalize prints none as nothing, and a whole value is that text too, except
      // Templar's shortcut for exactly `{{ name }}`, which hands back the variable itself.
      if (value === null) return entry.whole.k === 'name' && /^\{\{\s*\w*\s*\}\}$/.test(text) ? null : '';
      // An int past 2**53 (an IPv6 address as ipaddr('int')) has no exact number: its digits, as Ansible prints it.
      if (typeof value === 'bigint') return String(value);
      if (typeof value === 'string' && !(entry.whole.k === 'filter' && STRING_TYPE_FILTERS.has(entry.whole.name))) return toPlain(readBack(value));
      return toPlain(value);
    }
    let out = interpreter.run(entry.nodes);
    if (options.mode === 'value') {
      const value = readBack(out);
      if (typeof value !== 'string') return toPlain(value);
    }
    // Templar.do_template keeps as many trailing newlines as the source had.
    const missing = entry.trailingNewlines - trailingNewlines(out);
    if (missing > 0) out += entry.newline.repeat(missing);
    return out;
  } catch (error) {
    if (error instanceof JinjaError) throw error;
    if (error instanceof IncludedTemplateError) throw renderError(error.cause, error.template.text, error.template.name, true, 0);
    if (error instanceof JinjaRenderError) throw renderError(error, text, options.name, false, entry.headerLength);
    throw error;
  }
}

function readHeaderLength(text: string): number {
  if (!text.startsWith('#jinja2:')) return 0;
  const eol = text.indexOf('\n');
  return eol < 0 ? text.length : eol + 1;
}

const expressions = new Map<string, Expr>();

/** Evaluate a bare expression (`when:`, `assert that:`) over `vars`. */
export function evaluateJinja(expression: string, vars: Readonly<Record<string, unknown>>, options: Omit<RenderOptions, 'mode'>): unknown {
  let expr = expressions.get(expression);
  if (expr === undefined) {
    try {
      expr = parseExpression(expression);
      checkExpressionNames(expr, { filters: allFilters, tests: allTests });
    } catch (error) {
      if (error instanceof JinjaSyntaxError) throw syntaxError(error, expression, options.name, false, 0);
      throw error;
    }
    if (expressions.size >= compiledLimit) expressions.clear();
    expressions.set(expression, expr);
  }
  const self: LoadedTemplate = { name: options.name, nodes: [], text: expression };
  try {
    const value = new Interpreter(engine, vars, options.searchDirs, self).value(expr);
    if (value instanceof Undefined) {
      const error = new JinjaRenderError(value.message, undefined, value.name);
      error.at = expr.at;
      throw error;
    }
    return toPlain(value);
  } catch (error) {
    if (error instanceof IncludedTemplateError) throw renderError(error.cause, error.template.text, error.template.name, true, 0);
    if (error instanceof JinjaRenderError) throw renderError(error, expression, options.name, false, 0);
    throw error;
  }
}

/** The syntax error of a template (`value`: a playbook value, else a file), or undefined when it parses. */
export function checkJinjaTemplate(text: string, name: string, mode: 'value' | 'text' = 'value', environment?: JinjaEnvironment): JinjaError | undefined {
  try {
    compile(text, mode === 'value', environment);
    return undefined;
  } catch (error) {
    if (error instanceof JinjaSyntaxError) return syntaxError(error, text, name, false, readHeaderLength(text));
    throw error;
  }
}

/** The syntax error of a bare expression, or undefined when it parses. */
export function checkJinjaExpression(expression: string, name: string): JinjaError | undefined {
  try {
    checkExpressionNames(parseExpression(expression), { filters: allFilters, tests: allTests });
    return undefined;
  } catch (error) {
    if (error instanceof JinjaSyntaxError) return syntaxError(error, expression, name, false, 0);
    throw error;
  }
}
