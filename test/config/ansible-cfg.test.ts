// ansible.cfg found and read as Ansible does.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAnsibleCfg, parseAnsibleCfg } from '../../src/config/ansible-cfg.js';
import { InvalidInputError } from '../../src/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-cfg-'));
  for (const sub of ['cwd', 'home', 'etc', 'env']) await mkdir(join(dir, sub));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const search = (env: NodeJS.ProcessEnv = {}) => ({ env, cwd: join(dir, 'cwd'), home: join(dir, 'home'), systemPath: join(dir, 'etc', 'ansible.cfg') });

describe('findAnsibleCfg', () => {
  it('takes the first of $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg', async () => {
    expect(findAnsibleCfg(search()).path).toBeUndefined();
    await writeFile(join(dir, 'etc', 'ansible.cfg'), '[defaults]\n');
    expect(findAnsibleCfg(search()).path).toBe(join(dir, 'etc', 'ansible.cfg'));
    await writeFile(join(dir, 'home', '.ansible.cfg'), '[defaults]\n');
    expect(findAnsibleCfg(search()).path).toBe(join(dir, 'home', '.ansible.cfg'));
    await writeFile(join(dir, 'cwd', 'ansible.cfg'), '[defaults]\n');
    expect(findAnsibleCfg(search()).path).toBe(join(dir, 'cwd', 'ansible.cfg'));
    await writeFile(join(dir, 'env', 'ansible.cfg'), '[defaults]\n');
    // A directory in ANSIBLE_CONFIG means its ansible.cfg; a missing file falls through to the rest.
    expect(findAnsibleCfg(search({ ANSIBLE_CONFIG: join(dir, 'env') })).path).toBe(join(dir, 'env', 'ansible.cfg'));
    expect(findAnsibleCfg(search({ ANSIBLE_CONFIG: join(dir, 'nope.cfg') })).path).toBe(join(dir, 'cwd', 'ansible.cfg'));
  });

  it('skips ./ansible.cfg in a world-writable directory, with a warning', async () => {
    await writeFile(join(dir, 'cwd', 'ansible.cfg'), '[defaults]\n');
    await writeFile(join(dir, 'home', '.ansible.cfg'), '[defaults]\n');
    await chmod(join(dir, 'cwd'), 0o777);
    const found = findAnsibleCfg(search());
    expect(found.path).toBe(join(dir, 'home', '.ansible.cfg'));
    expect(found.warnings[0]).toContain('world writable directory');
  });
});

describe('parseAnsibleCfg', () => {
  it("reads configparser's INI: case-insensitive keys, = or :, comments, continuation lines, no interpolation", () => {
    const cfg = parseAnsibleCfg(
      ['# comment', '[defaults]', 'Inventory = ./hosts.ini ; inline comment', 'forks: 20', 'log_path = /var/log/%(user)s;kept', 'roles_path = a', '  b', '', '[ssh_connection]', 'ssh_args = -C -o ControlMaster=auto'].join('\n'),
      '/x/ansible.cfg',
    );
    const defaults = cfg.sections.get('defaults');
    expect(defaults?.get('inventory')).toEqual({ value: './hosts.ini', line: 3 });
    expect(defaults?.get('forks')?.value).toBe('20');
    expect(defaults?.get('log_path')?.value).toBe('/var/log/%(user)s;kept');
    expect(defaults?.get('roles_path')?.value).toBe('a\nb');
    expect(cfg.sections.get('ssh_connection')?.get('ssh_args')?.value).toBe('-C -o ControlMaster=auto');
  });

  it('refuses what configparser refuses, naming file:line', () => {
    const cases: [string, number][] = [
      ['forks = 5\n', 1],
      ['[defaults]\nforks = 5\nforks = 6\n', 3],
      ['[defaults]\n[defaults]\n', 2],
      ['[defaults]\njust words\n', 2],
    ];
    for (const [text, line] of cases) {
      let caught: unknown;
      try {
        parseAnsibleCfg(text, '/x/ansible.cfg');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidInputError);
      expect((caught as InvalidInputError).source).toEqual({ file: '/x/ansible.cfg', line, column: 1 });
    }
  });
});
