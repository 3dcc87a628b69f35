import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { becomeSettings, connectionSettings } from '../../src/inventory/connection.js';
import { inputError } from './inventory-files.js';

describe('connectionSettings', () => {
  it('defaults to ssh to the inventory name', () => {
    expect(connectionSettings('bhyve01.lab', {})).toEqual({
      host: 'bhyve01.lab',
      connection: 'ssh',
      address: 'bhyve01.lab',
      port: undefined,
      user: undefined,
      privateKeyFile: undefined,
      password: undefined,
      sshArgs: undefined,
      connectTimeoutMs: undefined,
    });
  });

  it('reads every Ansible connection variable', () => {
    expect(
      connectionSettings('bhyve01.lab', {
        ansible_host: '127.0.1.1',
        ansible_port: '2222',
        ansible_user: 'root',
        ansible_ssh_private_key_file: '~/.ssh/fleet',
        ansible_connection: 'ssh',
        ansible_ssh_common_args: '-o StrictHostKeyChecking=yes',
        ansible_ssh_extra_args: '-o Compression=no',
        ansible_ssh_pass: 'secret',
        ansible_timeout: 15,
      }),
    ).toEqual({
      host: 'bhyve01.lab',
      connection: 'ssh',
      address: '127.0.1.1',
      port: 2222,
      user: 'root',
      privateKeyFile: `${homedir()}/.ssh/fleet`,
      password: 'secret',
      sshArgs: '-o StrictHostKeyChecking=yes -o Compression=no',
      connectTimeoutMs: 15000,
    });
  });

  it.each<[Record<string, unknown>, Partial<Record<string, unknown>>]>([
    [{ ansible_connection: 'local' }, { connection: 'local' }],
    [{ ansible_connection: 'paramiko' }, { connection: 'ssh' }],
    [{ ansible_connection: 'smart' }, { connection: 'ssh' }],
    [{ ansible_ssh_host: '10.0.0.9', ansible_ssh_port: 22, ansible_ssh_user: 'ops' }, { address: '10.0.0.9', port: 22, user: 'ops' }],
    // Ansible lists ansible_ssh_host after ansible_host, and its config manager keeps the last one set.
    [{ ansible_host: 'a', ansible_ssh_host: 'b' }, { address: 'b' }],
    [{ ansible_password: 'p1' }, { password: 'p1' }],
    [{ ansible_private_key_file: '/etc/keys/id' }, { privateKeyFile: '/etc/keys/id' }],
    [{ ansible_host: null }, { address: 'h' }],
  ])('%j', (vars, expected) => {
    expect(connectionSettings('h', vars)).toMatchObject(expected);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ ansible_connection: 'winrm' }, "ansible_connection 'winrm' of host h is not supported — use ansible_connection: ssh (the default) or local"],
    [{ ansible_port: 'ssh' }, 'ansible_port of host h must be a whole number, got "ssh" — set ansible_port to a number such as 22'],
    [{ ansible_port: 70000 }, 'ansible_port of host h must be a port number from 1 to 65535, got 70000 — set ansible_port to the SSH port, usually 22'],
    [{ ansible_host: ['a', 'b'] }, 'ansible_host of host h must be a string, got ["a","b"] — set ansible_host to a plain value, not a list or mapping'],
    [{ ansible_timeout: 1.5 }, 'ansible_timeout of host h must be a whole number, got 1.5 — set ansible_timeout to a number such as 30'],
  ])('rejects %j', async (vars, expected) => {
    expect(await inputError(() => connectionSettings('h', vars))).toBe(expected);
  });
});

describe('becomeSettings', () => {
  it('is all undefined when the inventory says nothing', () => {
    expect(becomeSettings('h', {})).toEqual({ become: undefined, method: undefined, user: undefined, password: undefined });
  });

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [
      { ansible_become: true, ansible_become_method: 'doas', ansible_become_user: 'root', ansible_become_password: 'pw' },
      { become: true, method: 'doas', user: 'root', password: 'pw' },
    ],
    // YAML 1.2 leaves `yes` a string; Ansible's boolean spellings are still understood here.
    [{ ansible_become: 'yes' }, { become: true }],
    [{ ansible_become: 'No' }, { become: false }],
    [{ ansible_become: 'on' }, { become: true }],
    [{ ansible_become_method: 'su', ansible_become_pass: 'x' }, { method: 'su', password: 'x' }],
    [{ ansible_become_method: 'sudo', ansible_sudo_pass: 'y' }, { method: 'sudo', password: 'y' }],
    // The plugins' FQCNs, as Ansible resolves them (doas is community.general's).
    [{ ansible_become_method: 'ansible.builtin.su' }, { method: 'su' }],
    [{ ansible_become_method: 'community.general.doas' }, { method: 'doas' }],
  ])('%j', (vars, expected) => {
    expect(becomeSettings('h', vars)).toMatchObject(expected);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ ansible_become_method: 'pbrun' }, "ansible_become_method 'pbrun' of host h is not supported — use sudo, doas or su"],
    [{ ansible_become: 'maybe' }, 'ansible_become of host h must be a boolean, got "maybe" — set ansible_become to true or false'],
  ])('rejects %j', async (vars, expected) => {
    expect(await inputError(() => becomeSettings('h', vars))).toBe(expected);
  });
});
