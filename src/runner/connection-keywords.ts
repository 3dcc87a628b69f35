// The `connection`, `remote_user` and `port` keywords (play > block > task, the innermost set one
// wins) and where they stand in Ansible's precedence: a host's connection variables
// (ansible_connection, ansible_user, ansible_port and their ansible_ssh_* aliases) win over the
// keywords, which win over the command line (-c, -u) and ansible.cfg / ANSIBLE_* (docs
// "Controlling how Ansible behaves: precedence rules"; PlayContext.set_attributes_from_play, then
// set_task_and_variable_override, which applies the task's keywords and then the variables in
// C.MAGIC_VARIABLE_MAPPING over them). The keywords become variables layered under the host's
// own, so the host's connection reader (src/inventory/connection.ts) resolves both at once; the
// command line is a layer under those (src/cli/command-line-defaults.ts).
import type { SourceRef } from '../source.js';
import type { Templates, Vars } from './services.js';
import { InvalidInputError } from '../errors.js';

/** The keyword values as written (a string may be a template). */
export interface WrittenConnectionKeywords {
  readonly connection: string | undefined;
  readonly remoteUser: string | undefined;
  readonly port: number | string | undefined;
}

/** The keywords rendered for one host; absent ones are unset. */
export interface ConnectionKeywords {
  readonly connection?: string;
  readonly remoteUser?: string;
  readonly port?: number;
}

/** No keyword set: the host's connection as the inventory and the command line give it. */
export const noConnectionKeywords: ConnectionKeywords = {};

/** Whether the written keywords of two nodes are the same (a task that changes nothing of its play's). */
export function sameWritten(a: WrittenConnectionKeywords, b: WrittenConnectionKeywords): boolean {
  return a.connection === b.connection && a.remoteUser === b.remoteUser && a.port === b.port;
}

/** Render the keywords' templates with the host's variables; a port that is not a number is InvalidInputError. */
export function renderConnectionKeywords(templates: Templates, written: WrittenConnectionKeywords, vars: Vars, source: SourceRef): ConnectionKeywords {
  const text = (value: string | undefined): string | undefined => (value === undefined ? undefined : templates.isTemplate(value) ? String(templates.render(value, vars, source)) : value);
  const connection = text(written.connection);
  const remoteUser = text(written.remoteUser);
  const portText = typeof written.port === 'string' ? text(written.port) : written.port;
  let port: number | undefined;
  if (portText !== undefined) {
    port = typeof portText === 'number' ? portText : /^\s*\d+\s*$/u.test(portText) ? Number(portText) : Number.NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new InvalidInputError(`'port' must be a port number from 1 to 65535 (got ${JSON.stringify(portText)})`, { source, fix: 'write port: 22 (the SSH port)' });
    }
  }
  return {
    ...(connection === undefined || connection === '' ? {} : { connection }),
    ...(remoteUser === undefined || remoteUser === '' ? {} : { remoteUser }),
    ...(port === undefined ? {} : { port }),
  };
}

/** The keywords as the connection variables they stand in for. */
export function keywordVars(keywords: ConnectionKeywords): Readonly<Record<string, unknown>> {
  return {
    ...(keywords.connection === undefined ? {} : { ansible_connection: keywords.connection }),
    ...(keywords.remoteUser === undefined ? {} : { ansible_user: keywords.remoteUser }),
    ...(keywords.port === undefined ? {} : { ansible_port: keywords.port }),
  };
}

/**
 * The host's variables with the keywords under them: a variable the host sets (null counts as
 * unset, as in the connection reader) wins; the keyword fills in where it sets none. Aliases
 * need nothing more: the reader takes the later of ansible_user / ansible_ssh_user that is set,
 * so a host's ansible_ssh_user still wins over remote_user.
 */
export function underHostVars(vars: Vars, keywords: ConnectionKeywords): Vars {
  const below = keywordVars(keywords);
  if (Object.keys(below).length === 0) return vars;
  return new Proxy(vars, {
    get: (target, key) => (typeof key === 'string' ? (target[key] ?? below[key]) : undefined),
    has: (target, key) => key in target || key in below,
  });
}

/** A stable key for a set of keywords (one connection per distinct set). */
export function keywordsKey(keywords: ConnectionKeywords): string {
  return JSON.stringify([keywords.connection ?? null, keywords.remoteUser ?? null, keywords.port ?? null]);
}
