// The keywords beastie reads in plays, tasks, blocks, handlers and role entries, and the Ansible
// keywords it knowingly does not support (so the error says "not supported", not "unknown").

/** Keys of a play. */
export const playKeywords: readonly string[] = [
  'name', 'hosts', 'vars', 'vars_files', 'gather_facts', 'become', 'become_method', 'become_user', 'strategy', 'serial',
  'max_fail_percentage', 'any_errors_fatal', 'tags', 'pre_tasks', 'tasks', 'post_tasks', 'handlers', 'roles',
];

/** Keys every task, block and handler may carry. */
export const commonTaskKeywords: readonly string[] = [
  'name', 'when', 'tags', 'become', 'become_method', 'become_user', 'jail', 'vars', 'ignore_errors', 'no_log', 'run_once',
  'delegate_to', 'any_errors_fatal',
];

/** Keys only a module call takes. */
export const moduleTaskKeywords: readonly string[] = [
  'loop', 'loop_control', 'register', 'notify', 'changed_when', 'failed_when', 'until', 'retries', 'delay', 'timeout',
  'throttle', 'async', 'poll', 'args',
];

/** Keys that make a task something other than a module call. */
export const actionKeywords: readonly string[] = ['block', 'include_tasks', 'import_tasks', 'meta'];

/** Keys that only go with `block:`. */
export const blockKeywords: readonly string[] = ['rescue', 'always'];

/** Every key a task may have besides its module. */
export const taskKeywords: readonly string[] = [...commonTaskKeywords, ...moduleTaskKeywords, ...actionKeywords, ...blockKeywords, 'listen'];

/** Keys of a `roles:` entry written as a mapping. */
export const roleKeywords: readonly string[] = ['role', 'name', 'vars', 'tags', 'when'];

/** `meta:` actions. */
export const metaActions = ['flush_handlers', 'end_play', 'end_host', 'clear_facts', 'noop'] as const;

/** Ansible keywords a playbook may carry over that beastie does not implement, with what to do. */
export const unsupportedAnsibleKeywords: Readonly<Record<string, string>> = {
  with_items: 'write loop: instead (with_items flattens nested lists; loop does not)',
  with_list: 'write loop: instead',
  with_dict: 'write loop: over a list of mappings instead',
  with_fileglob: 'list the files in loop: instead',
  with_sequence: 'write the numbers in loop: instead',
  with_nested: 'write loop: over a list of pairs instead',
  with_together: 'write loop: over a list of pairs instead',
  with_subelements: 'write loop: over a flattened list instead',
  local_action: 'write the module and delegate_to: localhost',
  action: 'write the module name as the key',
  environment: 'set variables in the command itself (env NAME=value command)',
  check_mode: 'run the whole play with --check',
  diff: 'run with --diff',
  connection: 'set ansible_connection in the inventory',
  remote_user: 'set ansible_user in the inventory',
  port: 'set ansible_port in the inventory',
  collections: 'use plain module names (ansible.builtin.* is accepted)',
  module_defaults: 'give the parameters on each task',
  vars_prompt: 'pass values with -e NAME=VALUE',
  debugger: 'run with -vv and read the log',
  delegate_facts: 'not needed: delegate_to only supports localhost',
  include: 'write include_tasks: or import_tasks:',
  include_role: 'list the role under roles:',
  import_role: 'list the role under roles:',
  import_playbook: 'run each playbook separately',
  order: 'hosts run in inventory order',
  force_handlers: 'handlers run at the end of the play and on meta: flush_handlers',
  gather_subset: 'beastie gathers one fixed set of FreeBSD facts',
  ignore_unreachable: 'an unreachable host leaves the play; the others go on',
  become_flags: 'configure sudo/doas on the host',
  become_exe: 'configure sudo/doas on the host',
};
