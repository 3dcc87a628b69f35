// The value of each Ansible setting for this run: its ANSIBLE_* variable, else its ansible.cfg key,
// else nothing (the option's own default then applies). Typed as Ansible's config manager types
// them: booleans by Ansible's boolean() (non-strict: an unknown word is false), integers strictly,
// paths with `~` and $VARS expanded and, from ansible.cfg, relative to the file's directory;
// pathlist is comma separated, pathspec colon separated, list comma separated.
import { dirname, resolve } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { expandUser, type AnsibleCfg } from './ansible-cfg.js';
import { ansibleBoolean } from '../text/ansible-boolean.js';
import { SETTINGS, type SettingName, type SettingSpec } from './settings.js';

/** A setting's value. */
export type SettingValue = string | number | boolean | readonly string[];

/** Where a value came from, for messages: `env ANSIBLE_FORKS` or `/etc/ansible/ansible.cfg:4`. */
export interface ResolvedSetting {
  readonly value: SettingValue;
  readonly origin: string;
}

/** The run's Ansible settings. */
export interface AnsibleSettings {
  /** The config file used, if any. */
  readonly configFile: string | undefined;
  get(name: SettingName): SettingValue | undefined;
  origin(name: SettingName): string | undefined;
  /** Settings that are set but ignored by beastie, each with why (shown with -v). */
  ignoredNotes(): readonly string[];
}

/** Unquote as Ansible's parsing.quoting.unquote: one pair of matching outer quotes. */
function unquote(text: string): string {
  return text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0] ? text.slice(1, -1) : text;
}

function expandVars(text: string, env: NodeJS.ProcessEnv): string {
  // os.path.expandvars: $NAME and ${NAME}; unknown names are left as written.
  return text.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, plain: string | undefined, braced: string | undefined) => env[plain ?? braced ?? ''] ?? whole);
}

function convert(name: SettingName, spec: SettingSpec, raw: string, origin: string, baseDir: string, env: NodeJS.ProcessEnv): SettingValue {
  const path = (text: string) => resolve(baseDir, expandUser(expandVars(text.trim(), env), env['HOME']));
  switch (spec.type) {
    case 'boolean':
      return ansibleBoolean(raw) === true;
    case 'integer': {
      const text = raw.trim();
      if (!/^-?\d+$/.test(text)) {
        throw new InvalidInputError(`${name} from ${origin} must be a whole number, got '${raw}'`, { fix: `set ${name} to a number` });
      }
      return Number(text);
    }
    case 'path':
      return path(raw);
    case 'pathlist':
      return raw.split(',').map((part) => part.trim()).filter((part) => part !== '').map(path);
    case 'pathspec':
      return raw.split(':').filter((part) => part.trim() !== '').map(path);
    case 'list':
      return raw.split(',').map((part) => unquote(part.trim())).filter((part) => part !== '');
    case 'string':
      return unquote(raw.trim());
  }
}

/** Resolve every setting once: environment over ansible.cfg. */
export function ansibleSettings(cfg: AnsibleCfg | undefined, env: NodeJS.ProcessEnv, cwd: string): AnsibleSettings {
  const resolved = new Map<SettingName, ResolvedSetting>();
  for (const [name, spec] of Object.entries(SETTINGS) as [SettingName, SettingSpec][]) {
    let found: ResolvedSetting | undefined;
    // Within each source the last of the setting's names that is set wins, as in Ansible.
    for (const variable of spec.env) {
      const raw = env[variable];
      if (raw !== undefined) found = { value: convert(name, spec, raw, `$${variable}`, cwd, env), origin: `$${variable}` };
    }
    if (found === undefined && cfg !== undefined) {
      for (const [section, key] of spec.ini) {
        const entry = cfg.sections.get(section)?.get(key);
        if (entry === undefined) continue;
        const origin = `${cfg.path}:${entry.line}`;
        found = { value: convert(name, spec, entry.value, origin, dirname(cfg.path), env), origin };
      }
    }
    if (found !== undefined) resolved.set(name, found);
  }
  return {
    configFile: cfg?.path,
    get: (name) => resolved.get(name)?.value,
    origin: (name) => resolved.get(name)?.origin,
    ignoredNotes: () =>
      [...resolved.entries()].flatMap(([name, setting]) => {
        const why = (SETTINGS[name] as SettingSpec).ignored;
        return why === undefined ? [] : [`${name} (${setting.origin}) is ignored: ${why}`];
      }),
  };
}
