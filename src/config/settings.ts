// The Ansible settings beastie reads, each declared once with the names ansible-core 2.14 gives it
// (lib/ansible/config/base.yml and the ssh connection plugin's options, see docs/ansible-config.md):
// its ANSIBLE_* variables and ansible.cfg keys, its type, and — for the ones beastie accepts but
// does not use — why. A command-line option names the setting that supplies its value
// (src/cli/option-spec.ts), so CLI > environment > ansible.cfg > default holds everywhere.

/** How a setting's text becomes its value, as Ansible's config manager types them. */
export type SettingType = 'string' | 'integer' | 'boolean' | 'path' | 'pathlist' | 'pathspec' | 'list';

/** One setting. */
export interface SettingSpec {
  readonly type: SettingType;
  /** Environment variables, in Ansible's order (the last one set wins). */
  readonly env: readonly string[];
  /** ansible.cfg `[section] key` entries, in Ansible's order (the last one set wins). */
  readonly ini: readonly (readonly [section: string, key: string])[];
  /** Accepted and not used: why (printed with -v when the setting is set). */
  readonly ignored?: string;
}

const defaults = (key: string): readonly [string, string] => ['defaults', key];
const escalation = (key: string): readonly [string, string] => ['privilege_escalation', key];
const ssh = (key: string): readonly [string, string] => ['ssh_connection', key];

/** Every setting beastie knows, by Ansible's ansible.cfg key name. */
export const SETTINGS = {
  inventory: { type: 'pathlist', env: ['ANSIBLE_INVENTORY'], ini: [defaults('inventory')] },
  roles_path: { type: 'pathspec', env: ['ANSIBLE_ROLES_PATH'], ini: [defaults('roles_path')] },
  // COLLECTIONS_PATHS: the later name of each pair wins when both are set, as Ansible's config manager does.
  collections_path: {
    type: 'pathspec',
    env: ['ANSIBLE_COLLECTIONS_PATHS', 'ANSIBLE_COLLECTIONS_PATH'],
    ini: [defaults('collections_paths'), defaults('collections_path')],
  },
  /** COLLECTIONS_SCAN_SYS_PATH: collections are looked for on Python's sys.path too, after collections_path (src/config/python-sys-path.ts). */
  collections_scan_sys_path: { type: 'boolean', env: ['ANSIBLE_COLLECTIONS_SCAN_SYS_PATH'], ini: [defaults('collections_scan_sys_path')] },
  /** ANSIBLE_HOME: where the default collections_path lies (HOME/collections). */
  home: { type: 'path', env: ['ANSIBLE_HOME'], ini: [defaults('home')] },
  forks: { type: 'integer', env: ['ANSIBLE_FORKS'], ini: [defaults('forks')] },
  remote_user: { type: 'string', env: ['ANSIBLE_REMOTE_USER'], ini: [defaults('remote_user')] },
  /** DEFAULT_TRANSPORT: the connection of hosts that set no ansible_connection (-c). */
  transport: { type: 'string', env: ['ANSIBLE_TRANSPORT'], ini: [defaults('transport')] },
  private_key_file: { type: 'path', env: ['ANSIBLE_PRIVATE_KEY_FILE'], ini: [defaults('private_key_file')] },
  host_key_checking: {
    type: 'boolean',
    env: ['ANSIBLE_HOST_KEY_CHECKING', 'ANSIBLE_SSH_HOST_KEY_CHECKING'],
    ini: [defaults('host_key_checking'), ssh('host_key_checking')],
  },
  timeout: { type: 'integer', env: ['ANSIBLE_TIMEOUT'], ini: [defaults('timeout')] },
  ask_pass: { type: 'boolean', env: ['ANSIBLE_ASK_PASS'], ini: [defaults('ask_pass')] },
  become: { type: 'boolean', env: ['ANSIBLE_BECOME'], ini: [escalation('become')] },
  become_method: { type: 'string', env: ['ANSIBLE_BECOME_METHOD'], ini: [escalation('become_method')] },
  become_user: { type: 'string', env: ['ANSIBLE_BECOME_USER'], ini: [escalation('become_user')] },
  become_ask_pass: { type: 'boolean', env: ['ANSIBLE_BECOME_ASK_PASS'], ini: [escalation('become_ask_pass')] },
  retry_files_enabled: { type: 'boolean', env: ['ANSIBLE_RETRY_FILES_ENABLED'], ini: [defaults('retry_files_enabled')] },
  retry_files_save_path: { type: 'path', env: ['ANSIBLE_RETRY_FILES_SAVE_PATH'], ini: [defaults('retry_files_save_path')] },
  vault_password_file: { type: 'path', env: ['ANSIBLE_VAULT_PASSWORD_FILE'], ini: [defaults('vault_password_file')] },
  vault_identity_list: { type: 'list', env: ['ANSIBLE_VAULT_IDENTITY_LIST'], ini: [defaults('vault_identity_list')] },
  ask_vault_pass: { type: 'boolean', env: ['ANSIBLE_ASK_VAULT_PASS'], ini: [defaults('ask_vault_pass')] },
  ssh_args: { type: 'string', env: ['ANSIBLE_SSH_ARGS'], ini: [ssh('ssh_args')] },
  ssh_common_args: { type: 'string', env: ['ANSIBLE_SSH_COMMON_ARGS'], ini: [ssh('ssh_common_args')] },
  ssh_extra_args: { type: 'string', env: ['ANSIBLE_SSH_EXTRA_ARGS'], ini: [ssh('ssh_extra_args')] },
  error_on_missing_handler: { type: 'boolean', env: ['ANSIBLE_ERROR_ON_MISSING_HANDLER'], ini: [defaults('error_on_missing_handler')] },
  gathering: {
    type: 'string',
    env: ['ANSIBLE_GATHERING'],
    ini: [defaults('gathering')],
    ignored: 'beastie gathers facts per play as gather_facts says (implicit); explicit and smart are not modelled',
  },
  stdout_callback: {
    type: 'string',
    env: ['ANSIBLE_STDOUT_CALLBACK'],
    ini: [defaults('stdout_callback')],
    ignored: "beastie has one human output (ansible's default callback layout) and --json",
  },
  interpreter_python: {
    type: 'string',
    env: ['ANSIBLE_PYTHON_INTERPRETER'],
    ini: [defaults('interpreter_python')],
    ignored: 'beastie runs no Python on hosts, only /bin/sh',
  },
  module_path: { type: 'pathspec', env: ['ANSIBLE_LIBRARY'], ini: [defaults('library')], ignored: "beastie's modules are built in; Python modules are not loaded" },
  pipelining: {
    type: 'boolean',
    env: ['ANSIBLE_PIPELINING', 'ANSIBLE_SSH_PIPELINING'],
    ini: [defaults('pipelining'), ['connection', 'pipelining'], ssh('pipelining')],
    ignored: 'beastie always runs a task in one round trip over one kept-open connection',
  },
  control_path: { type: 'string', env: ['ANSIBLE_SSH_CONTROL_PATH'], ini: [ssh('control_path')], ignored: 'beastie keeps its own SSH connection open (no ControlMaster)' },
  control_path_dir: { type: 'path', env: ['ANSIBLE_SSH_CONTROL_PATH_DIR'], ini: [ssh('control_path_dir')], ignored: 'beastie keeps its own SSH connection open (no ControlMaster)' },
} as const satisfies Record<string, SettingSpec>;

/** The name of a known setting. */
export type SettingName = keyof typeof SETTINGS;

/** The ANSIBLE_* variable a setting is best known by (its first), for help texts. */
export function settingEnvName(name: SettingName): string | undefined {
  return (SETTINGS[name] as SettingSpec).env[0];
}
