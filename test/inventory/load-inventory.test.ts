import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import type { Inventory } from '../../src/inventory/types.js';
import { inputError, removeTrees, writeTree } from './inventory-files.js';

const fixtures = fileURLToPath(new URL('../fixtures/inventory/', import.meta.url));

/** group → [direct hosts, children], for compact structure assertions. */
function shape(inventory: Inventory): Record<string, [readonly string[], readonly string[]]> {
  return Object.fromEntries([...inventory.groups.values()].map((g) => [g.name, [g.hosts, g.children]]));
}

afterEach(removeTrees);

describe('loadInventory: YAML', () => {
  it('reads groups, nested children, ranges, host vars and the implicit memberships', async () => {
    const inv = await loadInventory(`${fixtures}fleet/hosts.yml`);
    expect([...inv.hosts.keys()]).toEqual([
      'lonely.lab', 'bhyve01.lab', 'bhyve02.lab', 'bhyve03.lab', 'bhyve04.lab',
      'nasa.lab', 'nasb.lab', 'nasc.lab', 'jail1.lab', 'jail5.lab', 'jail9.lab',
    ]);
    expect(shape(inv)).toEqual({
      all: [['lonely.lab'], ['ungrouped', 'bhyve_hosts', 'storage', 'jails', 'empty']],
      ungrouped: [['lonely.lab'], []],
      bhyve_hosts: [['bhyve01.lab', 'bhyve02.lab', 'bhyve03.lab', 'bhyve04.lab'], ['canary']],
      canary: [['bhyve01.lab'], []],
      storage: [['bhyve04.lab', 'nasa.lab', 'nasb.lab', 'nasc.lab'], []],
      jails: [['jail1.lab', 'jail5.lab', 'jail9.lab'], []],
      empty: [[], []],
    });
    expect(inv.groups.get('bhyve_hosts')?.priority).toBe(10);
    expect(inv.groups.get('bhyve_hosts')?.vars).not.toHaveProperty('ansible_group_priority');
    expect(inv.hosts.get('bhyve01.lab')?.layers?.inventory).toEqual({ layer: 'host-inventory', ansible_user: 'admin' });
    expect(inv.hosts.get('bhyve01.lab')?.source).toEqual({ file: `${fixtures}fleet/hosts.yml`, line: 17, column: 9 });
    // YAML 1.2 core schema: YES stays the string rc.conf wants.
    expect(inv.groups.get('all')?.vars['vm_enable']).toBe('YES');
  });

  it('reads group_vars and host_vars: NAME, NAME.yml/.yaml/.json, NAME/ merged in lexical order', async () => {
    const inv = await loadInventory(`${fixtures}fleet/hosts.yml`);
    expect(inv.groups.get('all')?.layers?.files).toEqual({ layer: 'all-file', zone: 'all-file' });
    // storage/: 10-base.yml then 20-override.yaml; .hidden.yml, *~ and notes.txt are skipped.
    expect(inv.groups.get('storage')?.layers?.files).toEqual({ layer: 'storage-file-20', share: '/tank' });
    expect(inv.groups.get('canary')?.layers?.files).toEqual({ layer: 'canary-file' });
    expect(inv.hosts.get('bhyve02.lab')?.layers?.files).toEqual({ layer: 'host-file', ansible_port: 2222 });
    // The directory host_vars/bhyve03.lab/ is found before bhyve03.lab.yml, which is then ignored.
    expect(inv.hosts.get('bhyve03.lab')?.layers?.files).toEqual({ layer: 'host-dir' });
    expect(inv.groups.get('storage')?.vars).toEqual({ layer: 'storage-file-20', prio: 'storage', share: '/tank' });
  });

  it('keeps zero padding and ports written as host:port, and merges a host listed twice', async () => {
    const root = await writeTree({
      'hosts.yml': [
        'all:',
        '  hosts:',
        '    "vm[08:10].lab:2200":',
        '      role: a',
        '  children:',
        '    extra:',
        '      hosts:',
        '        vm09.lab: {role: b, extra: 1}',
        '        single: ~',
        '    one_string:',
        '      hosts: web01',
      ].join('\n'),
    });
    const inv = await loadInventory(`${root}/hosts.yml`);
    expect([...inv.hosts.keys()]).toEqual(['vm08.lab', 'vm09.lab', 'vm10.lab', 'single', 'web01']);
    expect(inv.hosts.get('vm08.lab')?.vars).toEqual({ ansible_port: 2200, role: 'a' });
    expect(inv.hosts.get('vm09.lab')?.vars).toEqual({ ansible_port: 2200, role: 'b', extra: 1 });
    expect(shape(inv)['ungrouped']).toEqual([['vm08.lab', 'vm10.lab'], []]);
  });

  it('resolves anchors, aliases and merge keys', async () => {
    const root = await writeTree({
      'hosts.yml': 'all:\n  hosts:\n    a:\n      <<: &base {x: 1, y: 2}\n      y: 3\n    b: *base\n',
    });
    const inv = await loadInventory(`${root}/hosts.yml`);
    expect(inv.hosts.get('a')?.vars).toEqual({ x: 1, y: 3 });
    expect(inv.hosts.get('b')?.vars).toEqual({ x: 1, y: 2 });
  });

  it('reads a YAML file without extension as YAML, and top-level groups outside all:', async () => {
    const root = await writeTree({ inventory: 'web:\n  hosts:\n    w1:\ndb:\n  hosts:\n    d1:\n' });
    const inv = await loadInventory(`${root}/inventory`);
    expect(shape(inv)['all']).toEqual([[], ['ungrouped', 'web', 'db']]);
  });
});

describe('loadInventory: INI', () => {
  it('reads sections, ranges with ports, Python-literal values and forward [children] references', async () => {
    const inv = await loadInventory(`${fixtures}ini/hosts`);
    expect(shape(inv)).toEqual({
      all: [[], ['ungrouped', 'fleet']],
      ungrouped: [['gateway.lab'], []],
      bhyve_hosts: [['bhyve01.lab', 'bhyve02.lab', 'bhyve03.lab', 'bhyve04.lab'], []],
      fleet: [[], ['bhyve_hosts', 'storage']],
      storage: [['nasa.lab', 'nasb.lab'], []],
    });
    expect(inv.hosts.get('bhyve01.lab')?.vars).toEqual({ ansible_port: 2222, ansible_user: 'admin', vm_enable: 'YES' });
    expect(inv.hosts.get('bhyve04.lab')?.vars).toEqual({
      pci_devs: ['2/0/0', '3/0/0'],
      memory: 4096,
      passthru: true,
      note: 'two words',
    });
    expect(inv.groups.get('fleet')?.layers).toEqual({
      inventory: { ntp_server: 'pool.ntp.org', dns: '10.0.0.53', retries: 3 },
      files: { from_file: 'fleet' },
    });
    expect(inv.hosts.get('bhyve04.lab')?.source).toEqual({ file: `${fixtures}ini/hosts`, line: 6, column: 1 });
  });

  it('accepts [g:vars] before [g] and nested children declared later', async () => {
    const root = await writeTree({
      'hosts.ini': '[top:children]\nmid\n[mid:vars]\nx=1\n[mid:children]\nleaf\n[leaf]\nh1\n',
    });
    const inv = await loadInventory(`${root}/hosts.ini`);
    expect(shape(inv)['top']).toEqual([[], ['mid']]);
    expect(shape(inv)['mid']).toEqual([[], ['leaf']]);
    expect(inv.groups.get('mid')?.vars).toEqual({ x: 1 });
  });
});

describe('loadInventory: directory', () => {
  it('reads every inventory file in sorted order, recursing, skipping .ini, .md and vars folders', async () => {
    const inv = await loadInventory(`${fixtures}dir`);
    expect(shape(inv)['all']).toEqual([[], ['ungrouped', 'web', 'db', 'edge']]);
    expect(inv.hosts.has('ini1.lab')).toBe(false);
    expect(inv.groups.get('db')?.layers).toEqual({ inventory: { engine: 'postgres' }, files: { engine: 'from-group-vars' } });
  });
});

describe('loadInventory: host list', () => {
  it('reads -i "a,b:2222," as ungrouped hosts, as Ansible\'s host_list does', async () => {
    const inv = await loadInventory('bhyve01.lab, bhyve02.lab:2222,');
    expect(shape(inv)['ungrouped']).toEqual([['bhyve01.lab', 'bhyve02.lab'], []]);
    expect(inv.hosts.get('bhyve02.lab')?.vars).toEqual({ ansible_port: 2222 });
  });
});

describe('loadInventory: errors', () => {
  it('names a missing inventory path', async () => {
    expect(await inputError(() => loadInventory('/nonexistent/hosts.yml'))).toBe(
      "cannot read inventory /nonexistent/hosts.yml: ENOENT: no such file or directory, stat '/nonexistent/hosts.yml' — pass an existing inventory file or directory with -i (for example inventory/hosts.yml)",
    );
  });

  it.each<[string, Record<string, string | Buffer>, string]>([
    [
      'bad YAML in a group_vars file',
      { 'hosts.yml': 'all:\n  hosts:\n    h1:\n', 'group_vars/all.yml': 'a: 1\nb: [1, 2\n' },
      'ROOT/group_vars/all.yml:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] — correct the YAML at that position (check indentation, quotes and brackets)',
    ],
    [
      'a host_vars file that is not a mapping',
      { 'hosts.yml': 'all:\n  hosts:\n    h1:\n', 'host_vars/h1.yml': '# list\n- a\n- b\n' },
      'ROOT/host_vars/h1.yml:2:1: a vars file must be a mapping of variable names (got list ["a","b"]) — write one `name: value` per line at the top level of the file',
    ],
    [
      'a host_vars file that is not UTF-8',
      { 'hosts.yml': 'all:\n  hosts:\n    h1:\n', 'host_vars/h1.yml': Buffer.concat([Buffer.from('a: 1\nb: ü caf'), Buffer.from([0xe9, 0x0a])]) },
      'ROOT/host_vars/h1.yml:2:9: host_vars file ROOT/host_vars/h1.yml is not valid UTF-8 — save the file as UTF-8 (iconv -f LATIN1 -t UTF-8)',
    ],
    [
      'a vault-encrypted group_vars file',
      { 'hosts.yml': 'all:\n  hosts:\n    h1:\n', 'group_vars/all/vault.yml': '$ANSIBLE_VAULT;1.1;AES256\n6231\n' },
      'ROOT/group_vars/all/vault.yml:1:1: ROOT/group_vars/all/vault.yml is encrypted with Ansible Vault and no vault secret was given — pass --ask-vault-pass, --vault-password-file FILE or --vault-id LABEL@SOURCE',
    ],
    [
      'an inline !vault value',
      { 'hosts.yml': 'all:\n  vars:\n    secret: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n' },
      'ROOT/hosts.yml:3:13: this value is encrypted with Ansible Vault and no vault secret was given — pass --ask-vault-pass, --vault-password-file FILE or --vault-id LABEL@SOURCE',
    ],
    [
      'a group_vars that is a file, not a directory',
      { 'hosts.yml': 'all:\n  hosts:\n    h1:\n', group_vars: 'x: 1\n' },
      'ROOT/group_vars:1:1: ROOT/group_vars is not a directory — make group_vars a directory holding NAME.yml files, or remove it',
    ],
  ])('%s', async (_name, files, expected) => {
    const root = await writeTree(files);
    expect(await inputError(() => loadInventory(`${root}/hosts.yml`), root)).toBe(expected);
  });

  it('an unreadable host_vars file', async () => {
    // Root reads any file whatever its mode, so make the read itself fail: /proc/self/mem gives EIO.
    const root = await writeTree({ 'hosts.yml': 'all:\n  hosts:\n    h1:\n' });
    const { mkdir, symlink } = await import('node:fs/promises');
    await mkdir(`${root}/host_vars`);
    await symlink('/proc/self/mem', `${root}/host_vars/h1.yml`);
    expect(await inputError(() => loadInventory(`${root}/hosts.yml`), root)).toMatch(
      /^ROOT\/host_vars\/h1\.yml:1:1: cannot read host_vars file ROOT\/host_vars\/h1\.yml: EIO .* — make it readable by the user running beastie \(check its mode and owner\)$/u,
    );
  });
});

describe('loadInventory: warnings', () => {
  it("a duplicate key is Ansible's warning, and the last value wins", async () => {
    const root = await writeTree({ 'hosts.yml': 'all:\n  hosts:\n    h1:\n      zone: a\n      zone: b\n' });
    const inventory = await loadInventory(`${root}/hosts.yml`);
    expect(inventory.hosts.get('h1')?.vars).toEqual({ zone: 'b' });
    expect(inventory.warnings.map((w) => `${w.source.line}:${w.source.column} ${w.message}`)).toEqual(['5:7 found a duplicate dict key (zone); using last defined value only']);
  });
});
