// Conversion filters: bool, int, float, string, list, to_json / from_json, to_yaml / from_yaml,
// type_debug, ternary, mandatory, default — Jinja2's and Ansible's (plugins/filter/core.py).
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { isDict, isNumber, iterate, makeFloat, numberOf, PyFloat, pyStr, truthy, typeName, Undefined, type CallArgs } from '../values.js';
import { loadJson, loadYaml, loadYamlAll, pythonJson } from './serialize.js';
import { dumpYaml, type YamlDumpOptions } from './yaml-dump.js';

/** Ansible's boolean(): yes/on/1/true and their opposites; `strict` refuses anything else. */
export function toBoolean(value: unknown, strict: boolean): boolean {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.toLowerCase().trim() : isNumber(value) ? String(numberOf(value)) : pyStr(value);
  if (['yes', 'on', '1', 'true', 't', 'y', '1.0'].includes(text)) return true;
  if (['no', 'off', '0', 'false', 'f', 'n', '0.0', ''].includes(text) || value === null) return false;
  if (strict) throw new JinjaRenderError(`The value '${pyStr(value)}' is not a valid boolean.`);
  return false;
}

/** Jinja2's int filter: int(x), else int(float(x)), else the default. */
export function toInt(value: unknown, fallback: unknown = 0, base: unknown = 10): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isNumber(value)) return Math.trunc(numberOf(value));
  if (typeof value === 'string') {
    const text = value.trim().replaceAll('_', '');
    const radix = numberOf(base as number);
    if (radix !== 10) {
      const body = text.replace(/^0[xob]/i, '');
      const parsed = parseInt(body, radix);
      return Number.isNaN(parsed) || !new RegExp(`^[-+]?[0-9a-z]+$`, 'i').test(body) ? fallback : parsed;
    }
    if (/^[-+]?\d+$/.test(text)) return Number(text);
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Math.trunc(Number(text));
  }
  return fallback;
}

/** Jinja2's float filter. */
export function toFloat(value: unknown, fallback: unknown = makeFloat(0)): unknown {
  if (isNumber(value)) return makeFloat(numberOf(value));
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (/^[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(text)) return makeFloat(Number(text.replaceAll('_', '')));
    if (/^[-+]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^[-+]?nan$/.test(text)) return Number.NaN;
  }
  return fallback;
}

function kw(call: CallArgs, index: number, name: string): unknown {
  return call.args[index] ?? call.kwargs[name];
}

// json.dumps's keyword arguments and AnsibleJSONEncoder's own (plugins/filter/core.py to_json).
const jsonDumpArguments = ['skipkeys', 'ensure_ascii', 'check_circular', 'allow_nan', 'indent', 'separators', 'default', 'sort_keys', 'vault_to_text', 'preprocess_unsafe'];

function jsonOptions(filter: string, call: CallArgs, positional: readonly string[], defaults: { indent?: number; sortKeys?: boolean; separators?: [string, string] }): Parameters<typeof pythonJson>[1] {
  if (call.args.length > positional.length) throw new JinjaRenderError(`${filter}: dumps() takes 1 positional argument but ${call.args.length + 1} were given`);
  for (const name of Object.keys(call.kwargs)) {
    if (!jsonDumpArguments.includes(name)) throw new JinjaRenderError(`${filter}: JSONEncoder.__init__() got an unexpected keyword argument '${name}'`);
  }
  const given = (name: string): unknown => {
    const index = positional.indexOf(name);
    return (index >= 0 ? call.args[index] : undefined) ?? call.kwargs[name];
  };
  const indent = given('indent') ?? defaults.indent;
  const sortKeys = given('sort_keys') ?? defaults.sortKeys;
  const separators = call.kwargs['separators'];
  const ensureAscii = call.kwargs['ensure_ascii'];
  const allowNan = call.kwargs['allow_nan'];
  const separatorPair = Array.isArray(separators) ? ([pyStr(separators[0]), pyStr(separators[1])] as const) : defaults.separators;
  return {
    ...(indent === undefined || indent === null ? {} : { indent: typeof indent === 'string' ? indent : numberOf(indent as number) }),
    ...(sortKeys === undefined ? {} : { sortKeys: truthy(sortKeys) }),
    ...(separatorPair === undefined ? {} : { separators: separatorPair }),
    ...(ensureAscii === undefined ? {} : { ensureAscii: truthy(ensureAscii) }),
    ...(allowNan === undefined ? {} : { allowNan: truthy(allowNan) }),
  };
}

// yaml.dump's keyword arguments (PyYAML's dump_all); to_yaml pops default_flow_style, to_nice_yaml
// fixes it to False, and both pass allow_unicode=True themselves.
const yamlDumpArguments = ['default_style', 'default_flow_style', 'canonical', 'indent', 'width', 'allow_unicode', 'line_break', 'encoding', 'explicit_start', 'explicit_end', 'version', 'tags', 'sort_keys'];

function yamlOptions(filter: string, call: CallArgs, fixed: Readonly<Record<string, unknown>>, defaults: { indent: number; flow: boolean | undefined }): YamlDumpOptions {
  const given: Record<string, unknown> = { ...call.kwargs };
  for (const name of Object.keys(given)) {
    if (!yamlDumpArguments.includes(name)) throw new JinjaRenderError(`${filter} - dump_all() got an unexpected keyword argument '${name}'`);
    if (name === 'allow_unicode' || (filter === 'to_nice_yaml' && name === 'default_flow_style')) throw new JinjaRenderError(`${filter} - dump() got multiple values for keyword argument '${name}'`);
  }
  if (given['canonical'] !== undefined || given['tags'] !== undefined) throw new JinjaRenderError(`${filter}: canonical= and tags= are not supported by beastie`, 'drop the argument; beastie writes YAML as PyYAML does without it');
  Object.assign(given, fixed);
  const number = (name: string, fallback: number): number => (truthy(given[name] ?? null) ? numberOf(given[name] as number) : fallback);
  const style = given['default_style'];
  const flow = given['default_flow_style'];
  const version = given['version'];
  const lineBreak = given['line_break'];
  return {
    indent: number('indent', defaults.indent),
    width: number('width', 80),
    flow: flow === undefined ? defaults.flow : flow === null ? undefined : truthy(flow),
    sortKeys: truthy(given['sort_keys'] ?? true),
    allowUnicode: true,
    explicitStart: truthy(given['explicit_start'] ?? false),
    explicitEnd: truthy(given['explicit_end'] ?? false),
    ...(style === '"' || style === "'" ? { defaultStyle: style } : {}),
    ...(lineBreak === '\r' || lineBreak === '\r\n' ? { lineBreak } : {}),
    ...(Array.isArray(version) && version.length === 2 ? { version: `${pyStr(version[0])}.${pyStr(version[1])}` } : {}),
  };
}

export const convertFilters: Readonly<Record<string, Filter>> = {
  default: {
    acceptsUndefined: true,
    fn: (value, call) => {
      const fallback = kw(call, 0, 'default_value') ?? '';
      const boolean = truthy(kw(call, 1, 'boolean') ?? false);
      return value instanceof Undefined || (boolean && !truthy(value)) ? fallback : value;
    },
  },
  mandatory: {
    acceptsUndefined: true,
    fn: (value, call) => {
      if (!(value instanceof Undefined)) return value;
      const msg = kw(call, 0, 'msg');
      throw new JinjaRenderError(msg !== undefined && msg !== null ? pyStr(msg) : `Mandatory variable '${value.name}'  not defined.`, `define '${value.name}' (play vars, inventory, -e)`, value.name);
    },
  },
  bool: {
    fn: (value) => {
      if (value === null || typeof value === 'boolean') return value;
      const text = typeof value === 'string' ? value.toLowerCase() : value;
      return ['yes', 'on', '1', 'true', 1].includes(text as string);
    },
  },
  int: { fn: (value, call) => toInt(value, kw(call, 0, 'default') ?? 0, kw(call, 1, 'base') ?? 10) },
  float: { fn: (value, call) => toFloat(value, kw(call, 0, 'default') ?? makeFloat(0)) },
  string: { fn: (value) => pyStr(value) },
  list: {
    fn: (value) => {
      if (value instanceof Undefined) value.fail();
      return [...iterate(value)];
    },
  },
  ternary: {
    fn: (value, call) => {
      const [yes, no, none = null] = call.args;
      const trueVal = yes ?? call.kwargs['true_val'];
      const falseVal = no ?? call.kwargs['false_val'];
      const noneVal = none ?? call.kwargs['none_val'] ?? null;
      if (value === null && noneVal !== null) return noneVal;
      return truthy(value) ? trueVal : falseVal;
    },
  },
  type_debug: {
    acceptsUndefined: true,
    fn: (value) => {
      if (value instanceof Undefined) return 'AnsibleUndefined';
      const name = typeName(value);
      if (name === 'str') return 'str';
      if (name === 'dict') return 'dict';
      if (name === 'list') return 'list';
      return name;
    },
  },
  to_json: { fn: (value, call) => pythonJson(value, jsonOptions('to_json', call, [], {})) },
  to_nice_json: { fn: (value, call) => pythonJson(value, jsonOptions('to_nice_json', call, ['indent', 'sort_keys'], { indent: 4, sortKeys: true, separators: [',', ': '] })) },
  tojson: { fn: (value, call) => pythonJson(value, { ...jsonOptions('tojson', call, ['indent'], { sortKeys: true }), sortKeys: true, plainEncoder: true }).replace(/[<>&']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) },
  from_json: { fn: (value) => loadJson(pyStr(value)) },
  to_yaml: { fn: (value, call) => dumpYaml(value, yamlOptions('to_yaml', call, {}, { indent: 2, flow: undefined })) },
  to_nice_yaml: { fn: (value, call) => dumpYaml(value, yamlOptions('to_nice_yaml', call, { indent: kw(call, 0, 'indent') ?? 4 }, { indent: 4, flow: false })) },
  // Anything but text comes back as it is — an undefined value too, failing only where it is used.
  from_yaml: { fn: (value) => (typeof value === 'string' ? loadYaml(value) : value), acceptsUndefined: true },
  from_yaml_all: { fn: (value) => (typeof value === 'string' ? loadYamlAll(value) : value), acceptsUndefined: true },
  abs: {
    fn: (value) => {
      if (!isNumber(value)) throw new JinjaRenderError(`bad operand type for abs(): '${typeName(value)}'`);
      return value instanceof PyFloat ? new PyFloat(Math.abs(value.value)) : Math.abs(numberOf(value));
    },
  },
  round: {
    fn: (value, call) => {
      const precision = numberOf((kw(call, 0, 'precision') ?? 0) as number);
      const method = pyStr(kw(call, 1, 'method') ?? 'common');
      const scale = 10 ** precision;
      const n = numberOf(value as number) * scale;
      // Python's round(): halves go to the even neighbour.
      const halfEven = Math.abs(n % 1) === 0.5 ? 2 * Math.round(n / 2) : Math.round(n);
      const rounded = method === 'ceil' ? Math.ceil(n) : method === 'floor' ? Math.floor(n) : halfEven;
      return makeFloat(rounded / scale);
    },
  },
  isnan: { fn: (value) => Number.isNaN(numberOf(value as number)) },
  dict: { fn: (value) => (isDict(value) ? value : Object.fromEntries(iterate(value).map((pair) => iterate(pair) as [string, unknown]))) },
};
