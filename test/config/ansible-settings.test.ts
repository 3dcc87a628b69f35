// Settings resolved as Ansible's config manager does: environment over ansible.cfg, typed.
import { describe, expect, it } from 'vitest';
import { parseAnsibleCfg } from '../../src/config/ansible-cfg.js';
import { ansibleSettings } from '../../src/config/ansible-settings.js';
import { SETTINGS } from '../../src/config/settings.js';
import { InvalidInputError } from '../../src/errors.js';

const cfg = parseAnsibleCfg(
  [
    '[defaults]',
    'inventory = hosts.ini, ~/more.yml',
    'roles_path = roles:/srv/roles',
    'forks = 20',
    'remote_user = "deploy"',
    'private_key_file = $KEYS/id_ed25519',
    'host_key_checking = False',
    'retry_files_enabled = no',
    'vault_identity_list = dev@~/dev.pass, prod@prompt',
    'interpreter_python = /usr/local/bin/python3',
    '[privilege_escalation]',
    'become = True',
    'become_method = doas',
    '[ssh_connection]',
    'pipelining = True',
  ].join('\n'),
  '/srv/ansible/ansible.cfg',
);

describe('ansibleSettings', () => {
  it('types ansible.cfg values as Ansible does; relative paths are relative to the file', () => {
    const settings = ansibleSettings(cfg, { HOME: '/home/me', KEYS: '/keys' }, '/cwd');
    expect(settings.get('inventory')).toEqual(['/srv/ansible/hosts.ini', '/home/me/more.yml']);
    expect(settings.get('roles_path')).toEqual(['/srv/ansible/roles', '/srv/roles']);
    expect(settings.get('forks')).toBe(20);
    expect(settings.get('remote_user')).toBe('deploy');
    expect(settings.get('private_key_file')).toBe('/keys/id_ed25519');
    expect(settings.get('host_key_checking')).toBe(false);
    expect(settings.get('retry_files_enabled')).toBe(false);
    expect(settings.get('vault_identity_list')).toEqual(['dev@~/dev.pass', 'prod@prompt']);
    expect(settings.get('become')).toBe(true);
    expect(settings.get('become_method')).toBe('doas');
    expect(settings.get('timeout')).toBeUndefined();
    expect(settings.origin('forks')).toBe('/srv/ansible/ansible.cfg:4');
    expect(settings.configFile).toBe('/srv/ansible/ansible.cfg');
  });

  it('lets ANSIBLE_* variables win over ansible.cfg; relative env paths are relative to the working directory', () => {
    const settings = ansibleSettings(cfg, { ANSIBLE_FORKS: '3', ANSIBLE_INVENTORY: 'a.yml,b.yml', ANSIBLE_BECOME: 'no', ANSIBLE_SSH_HOST_KEY_CHECKING: 'yes', ANSIBLE_TIMEOUT: '7' }, '/cwd');
    expect(settings.get('forks')).toBe(3);
    expect(settings.origin('forks')).toBe('$ANSIBLE_FORKS');
    expect(settings.get('inventory')).toEqual(['/cwd/a.yml', '/cwd/b.yml']);
    expect(settings.get('become')).toBe(false);
    expect(settings.get('host_key_checking')).toBe(true);
    expect(settings.get('timeout')).toBe(7);
  });

  it('notes the settings it ignores, and refuses a non-number for an integer', () => {
    const notes = ansibleSettings(cfg, {}, '/cwd').ignoredNotes();
    expect(notes.some((n) => n.startsWith('interpreter_python (/srv/ansible/ansible.cfg:10) is ignored: beastie runs no Python'))).toBe(true);
    expect(notes.some((n) => n.startsWith('pipelining'))).toBe(true);
    expect(() => ansibleSettings(undefined, { ANSIBLE_FORKS: 'many' }, '/cwd')).toThrow(InvalidInputError);
  });

  it('collections_path: either name, the later of each pair winning whatever the file order; the environment over ansible.cfg', () => {
    // As ansible-config dump of ansible-core 2.14 shows them (config/base.yml COLLECTIONS_PATHS).
    const both = parseAnsibleCfg('[defaults]\ncollections_path = colls:/srv/colls\ncollections_paths = /old\n', '/srv/ansible/ansible.cfg');
    expect(ansibleSettings(both, {}, '/cwd').get('collections_path')).toEqual(['/srv/ansible/colls', '/srv/colls']);
    expect(ansibleSettings(both, { ANSIBLE_COLLECTIONS_PATHS: '/env-old' }, '/cwd').get('collections_path')).toEqual(['/env-old']);
    expect(ansibleSettings(both, { ANSIBLE_COLLECTIONS_PATHS: '/env-old', ANSIBLE_COLLECTIONS_PATH: '/env:~/c' , HOME: '/home/me' }, '/cwd').get('collections_path')).toEqual(['/env', '/home/me/c']);
    expect(ansibleSettings(undefined, {}, '/cwd').get('collections_path')).toBeUndefined();
  });

  it("uses ansible-core's names for every setting", () => {
    expect(SETTINGS.retry_files_enabled.env).toEqual(['ANSIBLE_RETRY_FILES_ENABLED']);
    expect(SETTINGS.become_user.ini).toEqual([['privilege_escalation', 'become_user']]);
    expect(SETTINGS.vault_password_file.env).toEqual(['ANSIBLE_VAULT_PASSWORD_FILE']);
  });
});
