// `beastie doc [MODULE]`: the module list with summaries, or one module's parameters (type,
// required, default, choices, description) generated from its own zod schema, and its example.
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { ALIAS_OF_META, ALIASES_META, REQUIRED_META } from '../module-api/aliases.js';
import type { ModuleDefinition } from '../module-api/module.js';
import { ansibleNames, resolveModuleName } from '../playbook/module-names.js';
import { didYouMean } from '../text/did-you-mean.js';

/** One parameter as `beastie doc` shows it. */
export interface ParameterDoc {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly choices?: readonly unknown[];
  readonly description?: string;
  /** Other names Ansible accepts for it (src/module-api/aliases.ts). */
  readonly aliases?: readonly string[];
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [ALIASES_META]?: string[];
  [ALIAS_OF_META]?: string;
  [REQUIRED_META]?: boolean;
};

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return typeof schema.enum[0] === 'number' ? 'int' : 'str';
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.map(typeOf))].join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((type) => typeOf({ ...schema, type })).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'str';
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'array':
      return schema.items ? `list of ${typeOf(schema.items)}` : 'list';
    case 'object':
      return 'dict';
    case 'null':
      return 'null';
    default:
      return schema.type ?? 'any';
  }
}

/** The parameters of a module, from its schema (object schemas; others show as one `params`). */
export function parameterDocs(module: ModuleDefinition): ParameterDoc[] {
  let schema: JsonSchema;
  try {
    schema = z.toJSONSchema(module.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return [];
  }
  const objects = schema.properties ? [schema] : [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].filter((s) => s.properties);
  // In a union of parameter shapes, a parameter is required only when every shape requires it.
  const required = new Set(objects.flatMap((o) => o.required ?? []).filter((name) => objects.every((o) => o.required?.includes(name) === true)));
  const docs = new Map<string, ParameterDoc>();
  for (const object of objects) {
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      // An alias is shown under its canonical parameter, not as one of its own.
      if (docs.has(name) || property[ALIAS_OF_META] !== undefined) continue;
      const aliases = property[ALIASES_META] ?? [];
      const choices = property.enum ?? (property.anyOf ?? []).flatMap((a) => a.enum ?? []);
      docs.set(name, {
        name,
        type: typeOf(property),
        required: required.has(name) || property[REQUIRED_META] === true,
        ...(property.default === undefined ? {} : { default: property.default }),
        ...(choices.length > 0 ? { choices } : {}),
        ...(property.description === undefined ? {} : { description: property.description }),
        ...(aliases.length > 0 ? { aliases } : {}),
      });
    }
  }
  return [...docs.values()];
}

/** The name a module has in Ansible (its FQCN), or `(beastie)` for beastie's own. */
function ansibleName(module: ModuleDefinition): string {
  return ansibleNames(module.name)[0] ?? '(beastie)';
}

/** The list of modules: name, Ansible name and summary in columns. */
export function moduleList(modules: readonly ModuleDefinition[]): string {
  if (modules.length === 0) return 'no modules are registered (modules/all.ts)\n';
  const width = Math.max(...modules.map((m) => m.name.length)) + 2;
  const fqcnWidth = Math.max(...modules.map((m) => ansibleName(m).length)) + 2;
  return `${[...modules]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => `${m.name.padEnd(width)}${ansibleName(m).padEnd(fqcnWidth)}${m.summary}`)
    .join('\n')}\n`;
}

/** One module's page. */
export function modulePage(module: ModuleDefinition): string {
  const names = ansibleNames(module.name);
  const lines = [`> ${module.name.toUpperCase()}`, '', module.summary, '', names.length === 0 ? "Ansible names: none (beastie's own module)" : `Ansible names: ${names.join(', ')}`];
  if (module.description) lines.push('', module.description.trim());
  lines.push('', 'PARAMETERS (= is required, - is optional):');
  const params = parameterDocs(module);
  if (params.length === 0) {
    // A free-form mapping (set_fact): the schema's own description says what it takes.
    const description = module.params.description;
    lines.push('', `  any NAME: VALUE pairs${description ? ` — ${description}` : ''}`);
  }
  for (const param of params) {
    lines.push('', `${param.required ? '=' : '-'} ${param.name}`);
    if (param.description) lines.push(`    ${param.description}`);
    if (param.aliases) lines.push(`    aliases: ${param.aliases.join(', ')}`);
    lines.push(`    type: ${param.type}`);
    if (param.choices) lines.push(`    choices: ${param.choices.map((c) => JSON.stringify(c)).join(', ')}`);
    if (param.default !== undefined) lines.push(`    default: ${JSON.stringify(param.default)}`);
  }
  if (module.controllerOnly) lines.push('', 'Runs on the controller only; it never contacts the host.');
  lines.push('', 'EXAMPLE:', '', ...module.example.trimEnd().split('\n').map((line) => `  ${line}`), '');
  return lines.join('\n');
}

/** The text `beastie doc [NAME]` prints; an unknown name is invalid input with a suggestion. */
export function docText(modules: readonly ModuleDefinition[], name: string | undefined): string {
  if (name === undefined) return moduleList(modules);
  // An Ansible name (ansible.posix.mount, community.general.pkgng) finds the module a task would call.
  const resolved = resolveModuleName(name, (candidate) => modules.some((m) => m.name === candidate)) ?? name;
  const module = modules.find((m) => m.name === resolved);
  if (module === undefined) {
    const guess = didYouMean(name, modules.map((m) => m.name));
    throw new InvalidInputError(`unknown module '${name}'${guess ? ` — did you mean '${guess}'?` : ''}`, {
      fix: 'run `beastie doc` to list the modules',
    });
  }
  return modulePage(module);
}
