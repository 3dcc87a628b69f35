// The Ansible configuration of one command line: ansible.cfg found as Ansible finds it and the
// ANSIBLE_* variables over it (src/config/), with the warnings finding it produced.
import { loadAnsibleCfg } from '../config/ansible-cfg.js';
import { ansibleSettings, type AnsibleSettings } from '../config/ansible-settings.js';
import type { CliIO } from './cli-io.js';

/** Read once per command line. */
export function cliConfig(io: CliIO): { readonly settings: AnsibleSettings; readonly warnings: readonly string[] } {
  const { cfg, warnings } = loadAnsibleCfg({ env: io.env, cwd: io.cwd, home: io.env['HOME'], systemPath: io.systemAnsibleCfg ?? '/etc/ansible/ansible.cfg' });
  return { settings: ansibleSettings(cfg, io.env, io.cwd), warnings };
}
