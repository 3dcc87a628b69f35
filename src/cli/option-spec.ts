// One table per command line (STYLE.md principle 15, citty's defineCommand): each option is
// declared once — name, short letter, aliases, type, repeatable, default, help, and the Ansible
// setting (ANSIBLE_* variable, ansible.cfg key) that supplies it when the command line does not —
// and the parser, the parsed value's type and the help text are derived from that declaration.
//
// The parser is beastie's own rather than node:util parseArgs so that every usage error is
// beastie's (invalid input, exit 5, with a did-you-mean) and the grammar is ansible's argparse
// one: `--opt VALUE`, `--opt=VALUE`, `-iVALUE`, grouped short flags (`-bK`), counted `-vvv`,
// unambiguous long-option prefixes (`--inv` for `--inventory`), `--` ending the options.
import { InvalidInputError } from '../errors.js';
import { didYouMean } from '../text/did-you-mean.js';
import type { SettingName } from '../config/settings.js';

/** How an option's text becomes its value. */
export type OptionType = 'string' | 'integer' | 'boolean' | 'count';

/** One option, declared once. */
export interface OptionSpec {
  readonly type: OptionType;
  /** One letter: `-i`. */
  readonly short?: string;
  /** Other long names accepted for the same option (ansible's own spellings). */
  readonly aliases?: readonly string[];
  /** Given several times, every value is kept (in order); comma lists are the caller's business. */
  readonly repeatable?: boolean;
  /** The value when neither the command line nor the Ansible setting gives one. */
  readonly default?: string | number | boolean;
  /** The word shown after the option in the help (`PATH`, `N`). */
  readonly arg?: string;
  readonly help: string;
  /** The Ansible setting (ANSIBLE_* variable, ansible.cfg key) that supplies the value otherwise. */
  readonly setting?: SettingName;
  /** Hidden from the help (kept for old command lines). */
  readonly hidden?: boolean;
}

/** A command's declared options. */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
type Scalar<O extends OptionSpec> = O['type'] extends 'integer' ? number : string;
type ValueOf<O extends OptionSpec> = O['type'] extends 'count'
  ? number
  : O['type'] extends 'boolean'
    ? boolean
    : O extends { readonly repeatable: true }
      ? readonly Scalar<O>[]
      : O extends { readonly default: string | number }
        ? Scalar<O>
        : Scalar<O> | undefined;

/** The parsed options of a table: `--skip-tags` becomes `skipTags`, typed from its spec. */
export type ParsedOptions<T extends OptionTable> = { readonly [K in keyof T & string as Camel<K>]: ValueOf<T[K]> };

/** Parsed options, the positional arguments, and which options the command line itself gave. */
export interface ParsedCommandLine<T extends OptionTable> {
  readonly options: ParsedOptions<T>;
  readonly positionals: readonly string[];
  /** Option names (as declared) present on the command line. */
  readonly given: ReadonlySet<string>;
}

/** A command: its usage line, a sentence about it, and its options. */
export interface CommandSpec<T extends OptionTable> {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly options: T;
  /** Lines printed after the options in the help. */
  readonly epilog?: string;
}

/** Declare a command; `const T` keeps the literal option types for {@link ParsedOptions}. */
export function defineCommand<const T extends OptionTable>(spec: CommandSpec<T>): CommandSpec<T> {
  return spec;
}

/** Where an option's value comes from when the command line leaves it out (ANSIBLE_* > ansible.cfg). */
export type SettingLookup = (name: SettingName) => string | number | boolean | readonly string[] | undefined;

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function usageError(spec: CommandSpec<OptionTable>, message: string): InvalidInputError {
  return new InvalidInputError(message, { fix: `run \`beastie ${spec.name} --help\` for the options` });
}

function toInteger(spec: CommandSpec<OptionTable>, flag: string, text: string): number {
  if (!/^\s*-?\d+\s*$/.test(text)) throw usageError(spec, `${flag} must be a whole number, got '${text}'`);
  return Number(text);
}

/**
 * Parse `argv` against the command's table. Values missing from the command line come from
 * `settings` (the ANSIBLE_* variable or ansible.cfg key the option names), then the default.
 * Every usage problem is an InvalidInputError.
 */
export function parseCommandLine<const T extends OptionTable>(spec: CommandSpec<T>, argv: readonly string[], settings: SettingLookup = () => undefined): ParsedCommandLine<T> {
  const table = spec.options as OptionTable;
  const generic = spec as CommandSpec<OptionTable>;
  const byLong = new Map<string, string>();
  const byShort = new Map<string, string>();
  for (const [name, option] of Object.entries(table)) {
    byLong.set(name, name);
    for (const alias of option.aliases ?? []) byLong.set(alias, name);
    if (option.short !== undefined) byShort.set(option.short, name);
  }
  const raw = new Map<string, (string | true)[]>();
  const positionals: string[] = [];
  const record = (name: string, value: string | true) => {
    const list = raw.get(name) ?? [];
    list.push(value);
    raw.set(name, list);
  };
  const longName = (written: string): string => {
    const exact = byLong.get(written);
    if (exact !== undefined) return exact;
    // argparse accepts an unambiguous prefix of a long option, so ansible users may type one.
    const prefixed = [...new Set([...byLong.keys()].filter((name) => name.startsWith(written)).map((name) => byLong.get(name) ?? name))];
    if (prefixed.length === 1 && prefixed[0] !== undefined && written !== '') return prefixed[0];
    if (prefixed.length > 1) throw usageError(generic, `option --${written} is ambiguous: it could be ${prefixed.map((n) => `--${n}`).join(', ')}`);
    const near = didYouMean(written, [...byLong.keys()]);
    throw usageError(generic, `unknown option --${written}${near === undefined ? '' : ` — did you mean --${near}?`}`);
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const written = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const name = longName(written);
      const option = table[name] as OptionSpec;
      if (option.type === 'boolean' || option.type === 'count') {
        if (eq !== -1) throw usageError(generic, `--${name} takes no value, got '${arg.slice(eq + 1)}'`);
        record(name, true);
        continue;
      }
      if (eq !== -1) {
        record(name, arg.slice(eq + 1));
        continue;
      }
      const value = argv[index + 1];
      if (value === undefined) throw usageError(generic, `--${name} needs a value${option.arg ? ` (${option.arg})` : ''}`);
      record(name, value);
      index++;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // -bK, -vvv, -iINVENTORY, -i INVENTORY
      for (let at = 1; at < arg.length; at++) {
        const letter = arg[at] ?? '';
        const name = byShort.get(letter);
        if (name === undefined) {
          const shorts = [...byShort.keys()].sort().join('');
          throw usageError(generic, `unknown option -${letter}${arg.length > 2 ? ` (in ${arg})` : ''}; the one-letter options are -${shorts}`);
        }
        const option = table[name] as OptionSpec;
        if (option.type === 'boolean' || option.type === 'count') {
          record(name, true);
          continue;
        }
        const rest = arg.slice(at + 1);
        if (rest !== '') {
          record(name, rest);
        } else {
          const value = argv[index + 1];
          if (value === undefined) throw usageError(generic, `-${letter} needs a value${option.arg ? ` (${option.arg})` : ''}`);
          record(name, value);
          index++;
        }
        break;
      }
      continue;
    }
    positionals.push(arg);
  }

  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(table)) {
    const flag = `--${name}`;
    const values = raw.get(name);
    let value: unknown;
    if (values !== undefined) {
      if (option.type === 'count') value = values.length;
      else if (option.type === 'boolean') value = true;
      else {
        const texts = values.map(String);
        // Given twice, a single-valued option keeps the last, as argparse does.
        if (option.type === 'integer') value = option.repeatable ? texts.map((t) => toInteger(generic, flag, t)) : toInteger(generic, flag, texts.at(-1) ?? '');
        else value = option.repeatable ? texts : texts.at(-1);
      }
    } else {
      const fromSetting = option.setting === undefined ? undefined : settings(option.setting);
      const fallback = fromSetting ?? option.default;
      if (option.type === 'count') value = typeof fallback === 'number' ? fallback : 0;
      else if (option.type === 'boolean') value = fallback === true;
      else if (option.repeatable) value = fallback === undefined ? [] : Array.isArray(fallback) ? [...(fallback as string[])] : [fallback];
      else if (option.type === 'integer' && typeof fallback === 'string') value = toInteger(generic, flag, fallback);
      else value = Array.isArray(fallback) ? (fallback as string[]).join(',') : fallback;
    }
    options[camel(name)] = value;
  }
  return { options: options as ParsedOptions<T>, positionals, given: new Set(raw.keys()) };
}

/** The help text of a command, from its table. */
export function helpText(spec: CommandSpec<OptionTable>, settingEnv: (name: SettingName) => string | undefined = () => undefined): string {
  const rows: [string, string][] = [];
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.hidden) continue;
    const short = option.short === undefined ? '    ' : `-${option.short}, `;
    const aliases = (option.aliases ?? []).map((alias) => `, --${alias}`).join('');
    const arg = option.type === 'boolean' || option.type === 'count' ? '' : ` ${option.arg ?? 'VALUE'}`;
    const notes: string[] = [];
    if (option.default !== undefined && option.default !== false) notes.push(`default ${String(option.default)}`);
    const env = option.setting === undefined ? undefined : settingEnv(option.setting);
    if (env !== undefined) notes.push(`$${env}`);
    if (option.repeatable) notes.push('repeatable');
    rows.push([`  ${short}--${name}${aliases}${arg}`, `${option.help}${notes.length > 0 ? ` [${notes.join('; ')}]` : ''}`]);
  }
  const width = Math.min(34, Math.max(...rows.map(([left]) => left.length)) + 2);
  const lines = rows.map(([left, right]) => (left.length + 2 > width ? `${left}\n${' '.repeat(width)}${right}` : `${left.padEnd(width)}${right}`));
  return `usage: ${spec.usage}\n\n${spec.summary}\n\n${lines.join('\n')}\n${spec.epilog === undefined ? '' : `\n${spec.epilog.trimEnd()}\n`}`;
}
