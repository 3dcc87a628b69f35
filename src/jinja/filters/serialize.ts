// JSON text as Python's json.dumps writes it, so to_json and to_nice_json print what Ansible
// prints (key order, separators, `ensure_ascii`), and from_json / from_yaml(_all). YAML output
// (to_yaml, to_nice_yaml) is yaml-dump.ts.
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { PyDateTime } from '../datetime.js';
import { JinjaRenderError } from '../errors.js';
import { floatRepr, isDict, PyFloat, typeName, Undefined } from '../values.js';

/** json.dumps options Ansible's filters pass. */
export interface JsonOptions {
  /** A number of spaces or the text itself, as json.dumps takes it; undefined writes one line. */
  readonly indent?: number | string;
  readonly allowNan?: boolean;
  /** AnsibleJSONEncoder (to_json) writes dates; Jinja's tojson uses the plain encoder, which refuses them. */
  readonly plainEncoder?: boolean;
  readonly sortKeys?: boolean;
  readonly separators?: readonly [string, string];
  readonly ensureAscii?: boolean;
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
  const indent = typeof options.indent === 'number' ? ' '.repeat(Math.max(0, options.indent)) : options.indent;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const ensureAscii = options.ensureAscii ?? true;
  const write = (v: unknown, depth: number): string => {
    if (v instanceof Undefined) v.fail();
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') {
      if (!Number.isFinite(v) && options.allowNan === false) throw new JinjaRenderError('Out of range float values are not JSON compliant');
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return Number.isInteger(v) ? String(v) : floatRepr(v);
    }
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    // AnsibleJSONEncoder writes dates as isoformat().
    if (v instanceof PyDateTime && options.plainEncoder !== true) return jsonString(v.toString().replace(' ', 'T'), ensureAscii);
    const open = indent === undefined ? '' : `\n${indent.repeat(depth + 1)}`;
    const close = indent === undefined ? '' : `\n${indent.repeat(depth)}`;
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
    throw new JinjaRenderError(`Object of type ${typeName(v)} is not JSON serializable`);
  };
  return write(value, 0);
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
