// ansible.utils' path filters (plugins/filter/get_path.py, to_paths.py and
// module_utils/common/get_path.py, to_paths.py of ansible.utils 2.10.3, as Debian's ansible ships
// them). to_paths flattens nested data into a dict of Jinja paths (`a.b[0]`, `a['x-y']`) and their
// values; get_path renders `{{ path }}` over a dict's keys alone, in the plugin's own environment,
// so its answer is text read back as Ansible reads a value (`'1'`, not 1; a list stays a list).
// Arguments are checked as each plugin's DOCUMENTATION declares. Only under their ansible.utils
// names, as Ansible 2.14 finds them.
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { dictFrom, isDict, isTuple, pyStr, truthy, typeName } from '../values.js';
import { pluginArguments, type PluginOption } from './plugin-argspec.js';

export const getPathOptions: Readonly<Record<string, PluginOption>> = { var: { type: 'raw', required: true }, path: { type: 'str', required: true }, wantlist: { type: 'bool' } };
export const toPathsOptions: Readonly<Record<string, PluginOption>> = { var: { type: 'raw', required: true }, prepend: { type: 'str' }, wantlist: { type: 'bool' } };

/** get_path: `environment.from_string("{{ %s }}" % path).render(**var)`; wantlist only by keyword (the plugin zips two positional names). */
export function getPath(params: Record<string, unknown>, render: (text: string, vars: Readonly<Record<string, unknown>>) => unknown): unknown {
  const data = params['var'];
  // render(**var): Python's TypeError for anything but a mapping.
  if (!isDict(data)) throw new JinjaRenderError(`jinja2.nativetypes.NativeTemplate.render() argument after ** must be a mapping, not ${typeName(data)}`);
  const result = render(`{{ ${pyStr(params['path'])} }}`, data);
  return truthy(params['wantlist']) ? [result] : result;
}

// re.match("^[a-zA-Z_][a-zA-Z0-9_]*$", key): Python's $ matches before a final newline too.
const identifier = /^[a-zA-Z_][a-zA-Z0-9_]*\n?$/;

/** to_paths' flatten: its recursion as written, where an empty container under no name rebinds only the local `out`. */
function flatten(data: unknown, name: string, out: Map<string, unknown>): Map<string, unknown> | Record<string, never> | never[] {
  if (isDict(data)) {
    const entries = Object.entries(data);
    if (entries.length === 0) {
      if (name === '') return {};
      out.set(name, {});
      return out;
    }
    for (const [key, value] of entries) {
      const path = name === '' ? key : identifier.test(key) ? `${name}.${key}` : `${name}['${key}']`;
      flatten(value, path, out);
    }
    return out;
  }
  // isinstance(data, list): a tuple is a value of its own.
  if (Array.isArray(data) && !isTuple(data)) {
    if (data.length === 0) {
      if (name === '') return [];
      out.set(name, []);
      return out;
    }
    data.forEach((value, i) => flatten(value, `${name}[${i}]`, out));
    return out;
  }
  out.set(name, data);
  return out;
}

/** to_paths over the checked arguments. */
export function toPaths(params: Record<string, unknown>): unknown {
  const prepend = params['prepend'];
  const data = typeof prepend === 'string' && prepend !== '' ? dictFrom([[prepend, params['var']]]) : params['var'];
  const out = flatten(data, '', new Map());
  const result = out instanceof Map ? dictFrom(out) : out;
  return truthy(params['wantlist']) ? [result] : result;
}

export const varPathFilters: Readonly<Record<string, Filter>> = {
  'ansible.utils.get_path': { fn: (value, call, scope) => getPath(pluginArguments(getPathOptions, ['var', 'path'], value, call), (text, vars) => scope.renderBare(text, vars)) },
  'ansible.utils.to_paths': { fn: (value, call) => toPaths(pluginArguments(toPathsOptions, ['var', 'prepend', 'wantlist'], value, call)) },
};
