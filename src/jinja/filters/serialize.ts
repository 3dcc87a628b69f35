// JSON and YAML text as Python's json.dumps and PyYAML's yaml.dump write them, so to_json,
// to_nice_json, to_yaml and to_nice_yaml print what Ansible prints (key order, separators,
// `ensure_ascii`, flow style for leaf collections, quoting of strings YAML would misread).
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { JinjaRenderError } from '../errors.js';
import { floatRepr, isDict, PyFloat, Undefined } from '../values.js';

/** json.dumps options Ansible's filters pass. */
export interface JsonOptions {
  readonly indent?: number | undefined;
  readonly sortKeys?: boolean | undefined;
  readonly separators?: readonly [string, string] | undefined;
  readonly ensureAscii?: boolean | undefined;
}

function jsonString(text: string, ensureAscii: boolean): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '\b') out += '\\b';
    else if (char === '\f') out += '\\f';
    else if (code < 0x20 || (ensureAscii && code > 0x7e)) {
      if (code > 0xffff) {
        const high = Math.floor((code - 0x10000) / 0x400) + 0xd800;
        const low = ((code - 0x10000) % 0x400) + 0xdc00;
        out += `\\u${high.toString(16).padStart(4, '0')}\\u${low.toString(16).padStart(4, '0')}`;
      } else out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += char;
  }
  return `${out}"`;
}

/** Python's json.dumps. */
export function pythonJson(value: unknown, options: JsonOptions = {}): string {
  const indent = options.indent;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const ensureAscii = options.ensureAscii ?? true;
  const write = (v: unknown, depth: number): string => {
    if (v instanceof Undefined) v.fail();
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return Number.isInteger(v) ? String(v) : floatRepr(v);
    }
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    const open = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
    const close = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${open}${v.map((entry) => write(entry, depth + 1)).join(itemSep + open)}${close}]`;
    }
    if (isDict(v)) {
      let keys = Object.keys(v);
      if (keys.length === 0) return '{}';
      if (options.sortKeys === true) keys = [...keys].sort();
      return `{${open}${keys.map((key) => `${jsonString(key, ensureAscii)}${keySep}${write(v[key], depth + 1)}`).join(itemSep + open)}${close}}`;
    }
    if (Buffer.isBuffer(v)) return jsonString(v.toString('utf8'), ensureAscii);
    throw new JinjaRenderError(`Object of type ${typeof v} is not JSON serializable`);
  };
  return write(value, 0);
}

/** yaml.dump options Ansible's filters pass. */
export interface YamlOptions {
  readonly indent: number;
  /** undefined: PyYAML's default_flow_style=None (leaf collections in flow style); false: block only. */
  readonly flow: boolean | undefined;
  readonly sortKeys: boolean;
  readonly width: number;
}

const yamlSpecialWords = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
const yamlNumberLike = /^(?:[-+]?(?:\d[\d_]*)(?:\.\d*)?(?:[eE][-+]?\d+)?|[-+]?\.\d+(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?|\d{4}-\d\d?-\d\d?.*)$/;

function plainAllowed(text: string, flowContext: boolean): boolean {
  if (text === '' || yamlSpecialWords.test(text) || yamlNumberLike.test(text)) return false;
  if (/^[\s]|[\s]$/.test(text) || /[\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029]/.test(text)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text) && !(/^[-?:][^\s]/.test(text) && !flowContext)) return false;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false;
  if (flowContext && /[,[\]{}]/.test(text)) return false;
  if (text.startsWith('---') || text.startsWith('...')) return false;
  return true;
}

function yamlScalar(value: unknown, flowContext: boolean): string {
  if (value instanceof Undefined) value.fail();
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return Number.isInteger(value) ? String(value) : floatRepr(value);
  }
  if (value instanceof PyFloat) return floatRepr(value.value);
  const text = String(value);
  if (plainAllowed(text, flowContext)) return text;
  if (/[\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return JSON.stringify(text);
  return `'${text.replaceAll("'", "''")}'`;
}

function isCollection(value: unknown): boolean {
  return Array.isArray(value) || isDict(value);
}

/** PyYAML's yaml.dump of one value. */
export function pythonYaml(value: unknown, options: YamlOptions): string {
  const keysOf = (d: Record<string, unknown>): string[] => (options.sortKeys ? Object.keys(d).sort() : Object.keys(d));
  const flowOf = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(flowOf).join(', ')}]`;
    if (isDict(v)) return `{${keysOf(v).map((key) => `${yamlScalar(key, true)}: ${flowOf(v[key])}`).join(', ')}}`;
    return yamlScalar(v, true);
  };
  const useFlow = (v: unknown): boolean => {
    if (Array.isArray(v) ? v.length === 0 : isDict(v) ? Object.keys(v).length === 0 : false) return true;
    if (options.flow === true) return true;
    if (options.flow === false) return false;
    return Array.isArray(v) ? !v.some(isCollection) : isDict(v) ? !Object.values(v).some(isCollection) : false;
  };
  const lines: string[] = [];
  // `column` is where the node starts; `inline` is text already on the line (`- `, `key:`).
  const block = (v: unknown, column: number, prefix: string, inSequence: boolean): void => {
    if (!isCollection(v) || useFlow(v)) {
      lines.push(`${prefix}${isCollection(v) ? flowOf(v) : yamlScalar(v, false)}`);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((entry, i) => {
        const head = i === 0 ? prefix : ' '.repeat(column);
        const dash = `-${' '.repeat(Math.max(1, options.indent - 1))}`;
        if (isCollection(entry) && !useFlow(entry)) block(entry, column + dash.length, head + dash, true);
        else lines.push(`${head}- ${isCollection(entry) ? flowOf(entry) : yamlScalar(entry, false)}`);
      });
      return;
    }
    const d = v as Record<string, unknown>;
    keysOf(d).forEach((key, i) => {
      const head = i === 0 ? prefix : ' '.repeat(column);
      const child = d[key];
      const label = `${head}${yamlScalar(key, false)}:`;
      if (isCollection(child) && !useFlow(child)) {
        lines.push(label);
        // PyYAML writes a sequence inside a mapping without indenting it.
        const childColumn = Array.isArray(child) ? column : column + options.indent;
        block(child, childColumn, ' '.repeat(childColumn), false);
      } else lines.push(`${label} ${isCollection(child) ? flowOf(child) : yamlScalar(child, false)}`);
    });
    void inSequence;
  };
  block(value, 0, '', false);
  const text = `${lines.join('\n')}\n`;
  // A document that is one plain scalar ends with PyYAML's explicit end marker.
  return isCollection(value) ? text : `${text}...\n`;
}

/** from_yaml: YAML 1.1 booleans as Ansible's loader reads them. */
export function loadYaml(text: string): unknown {
  try {
    return parseYaml(text, { version: '1.1' }) as unknown;
  } catch (error) {
    throw new JinjaRenderError(`from_yaml: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** from_yaml_all: every document of a stream. */
export function loadYamlAll(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map((doc) => {
    if ('errors' in doc && doc.errors.length > 0) throw new JinjaRenderError(`from_yaml_all: ${doc.errors[0]?.message ?? ''}`);
    return doc.toJS() as unknown;
  });
}

/** from_json: Python's json.loads (NaN and Infinity accepted). */
export function loadJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new JinjaRenderError(`from_json: ${(error as Error).message}`);
  }
}
