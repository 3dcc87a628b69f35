import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownHostsLine, knownHostsName, renderInventory } from '../../../sim/infra/inventory.js';

const host = { index: 1, name: 'sim01', profile: 'seed', address: '127.0.1.1', port: 2222 } as const;

describe('inventory files', () => {
  it('names non-22 ports the way OpenSSH writes them in known_hosts', () => {
    expect(knownHostsName('127.0.1.1', 2222)).toBe('[127.0.1.1]:2222');
    expect(knownHostsName('127.0.1.1', 22)).toBe('127.0.1.1');
    expect(knownHostsLine(host, 'ssh-ed25519 AAAAkey root@sim01')).toBe('[127.0.1.1]:2222 ssh-ed25519 AAAAkey');
  });
  it('writes group sim with the connection variables Ansible and beastie need', () => {
    const text = renderInventory({ hosts: [host], clientKey: '/f/ssh/id_ed25519', knownHosts: '/f/ssh/known_hosts' });
    expect(parse(text)).toEqual({
      all: {
        children: {
          sim: {
            hosts: {
              sim01: {
                ansible_host: '127.0.1.1',
                ansible_port: 2222,
                ansible_user: 'root',
                ansible_ssh_private_key_file: '/f/ssh/id_ed25519',
                ansible_ssh_common_args: '-o UserKnownHostsFile=/f/ssh/known_hosts',
                ansible_python_interpreter: '/usr/bin/python3',
                sim_profile: 'seed',
              },
            },
          },
        },
      },
    });
  });
});
