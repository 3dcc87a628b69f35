// The names a `notify:` finds a handler by, as ansible-core 2.14's strategy searches them
// (lib/ansible/plugins/strategy/__init__.py search_handler_blocks_by_name, Task.get_name): the
// handler's name and, for a role's handler, `ROLE : name` with the role's short and full name;
// then every handler whose `listen` has the topic. Used by the load-time check and the run.
import type { Handler } from './types.js';

/** What Ansible stops the run with when a changed task notifies a name no handler answers to. */
export function missingHandlerMessage(name: string): string {
  return `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`;
}

/**
 * The names `name` (a handler's rendered name) answers to: itself, and in a role `ROLE : name`
 * for the role's name and, for a collection's role `NS.COLL.ROLE`, its short name too.
 */
export function handlerNames(handler: Pick<Handler, 'fromRole'>, name: string): string[] {
  const role = handler.fromRole;
  if (role === undefined) return [name];
  const short = /^[A-Za-z_]\w*\.[A-Za-z_]\w*\.([A-Za-z_][\w-]*)$/.exec(role)?.[1];
  return [...new Set([name, ...(short === undefined ? [] : [`${short} : ${name}`]), `${role} : ${name}`])];
}
