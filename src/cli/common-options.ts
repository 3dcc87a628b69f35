// The option groups `beastie play` and the ad-hoc mode share, declared once, with ansible's names.
import type { OptionTable } from './option-spec.js';

/** Inventory and host selection. */
export const INVENTORY_OPTIONS = {
  inventory: { type: 'string', short: 'i', aliases: ['inventory-file'], repeatable: true, arg: 'PATH', setting: 'inventory', help: 'inventory file, directory or host list (a,b,)' },
  limit: { type: 'string', short: 'l', arg: 'PATTERN', help: 'only hosts that also match PATTERN (@FILE: one host per line)' },
} as const satisfies OptionTable;

/** How to reach the hosts: ansible's connection options. */
export const CONNECTION_OPTIONS = {
  connection: { type: 'string', short: 'c', arg: 'CONNECTION', setting: 'transport', help: 'how to reach hosts without ansible_connection: ssh (the default) or local (ansible_connection wins)' },
  user: { type: 'string', short: 'u', arg: 'USER', setting: 'remote_user', help: 'connect as this user (ansible_user in the inventory wins)' },
  'private-key': { type: 'string', aliases: ['key-file'], arg: 'FILE', setting: 'private_key_file', help: 'SSH private key (ansible_private_key_file wins)' },
  'ask-pass': { type: 'boolean', short: 'k', setting: 'ask_pass', help: 'ask for the SSH password once (allows password authentication)' },
  timeout: { type: 'integer', short: 'T', aliases: ['connect-timeout'], arg: 'S', setting: 'timeout', help: 'SSH connect timeout in seconds (default 10; ansible_timeout wins)' },
  'ssh-common-args': { type: 'string', arg: 'ARGS', setting: 'ssh_common_args', help: 'ssh options such as "-o ProxyJump=bastion" (ansible_ssh_common_args wins)' },
  'ssh-extra-args': { type: 'string', arg: 'ARGS', setting: 'ssh_extra_args', help: 'more ssh options (ansible_ssh_extra_args wins)' },
  'accept-new-host-keys': { type: 'boolean', help: 'trust and record host keys not yet in known_hosts (also host_key_checking = False)' },
  'allow-password': { type: 'boolean', help: 'allow SSH password authentication from ansible_password' },
} as const satisfies OptionTable;

/** Privilege escalation. */
export const BECOME_OPTIONS = {
  become: { type: 'boolean', short: 'b', setting: 'become', help: 'run tasks with privileges (the play and task become keywords win)' },
  'become-method': { type: 'string', arg: 'METHOD', setting: 'become_method', help: 'sudo (default), doas or su' },
  'become-user': { type: 'string', arg: 'USER', setting: 'become_user', help: 'become this user (default root)' },
  'ask-become-pass': { type: 'boolean', short: 'K', aliases: ['ask-become-password'], setting: 'become_ask_pass', help: 'ask for the become (sudo/doas/su) password' },
} as const satisfies OptionTable;

/** Ansible Vault secrets. */
export const VAULT_OPTIONS = {
  'ask-vault-pass': { type: 'boolean', short: 'J', aliases: ['ask-vault-password'], setting: 'ask_vault_pass', help: 'ask for the vault password' },
  'vault-password-file': { type: 'string', aliases: ['vault-pass-file'], repeatable: true, arg: 'FILE', setting: 'vault_password_file', help: 'vault password file (an executable prints the password)' },
  'vault-id': { type: 'string', repeatable: true, arg: 'LABEL@SOURCE', setting: 'vault_identity_list', help: 'a vault secret: SOURCE is a file, a script or "prompt"' },
} as const satisfies OptionTable;

/** Output, diagnostics and extra variables. */
export const RUN_OPTIONS = {
  'extra-vars': { type: 'string', short: 'e', repeatable: true, arg: 'VARS', help: 'KEY=VALUE, @vars.yml or \'{"json": 1}\' (highest precedence)' },
  forks: { type: 'integer', short: 'f', default: 50, arg: 'N', setting: 'forks', help: 'hosts worked on at once' },
  check: { type: 'boolean', short: 'C', help: 'observe and plan, change nothing' },
  diff: { type: 'boolean', short: 'D', help: 'show the before/after of every change' },
  verbose: { type: 'count', short: 'v', help: 'more detail: -v notes and stdout, -vv stderr, -vvv every command' },
  json: { type: 'boolean', help: 'JSON Lines events on stdout instead of human output' },
  'log-file': { type: 'string', arg: 'PATH', help: 'JSON log of every command (also $BEASTIE_LOG)' },
  'module-path': { type: 'string', short: 'M', arg: 'PATHS', setting: 'module_path', help: "accepted for ansible's command lines; beastie's modules are built in" },
} as const satisfies OptionTable;

/** --version and --help, listed last. */
export const HELP_OPTIONS = {
  version: { type: 'boolean', help: "print beastie's version and the Ansible version it follows" },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const satisfies OptionTable;
