import { describe, expect, it } from 'vitest';
import { readIniInventory } from '../../src/inventory/ini-inventory.js';
import { InventoryBuilder } from '../../src/inventory/inventory-builder.js';
import { inputError } from './inventory-files.js';

function iniError(lines: readonly string[]): Promise<string> {
  return inputError(() => readIniInventory(lines.join('\n'), 'inventory/hosts', new InventoryBuilder()));
}

describe('readIniInventory', () => {
  it('splits host lines like a shell, with # comments and quoted values', () => {
    const builder = new InventoryBuilder();
    readIniInventory(
      ["[web]", "  w1 a='x y' b=\"q\\\"z\" c=it\\'s # comment d=1", 'w2 e=1#not-a-value', '; a comment line'].join('\n'),
      'hosts',
      builder,
    );
    expect(builder.hosts.get('w1')?.vars).toEqual({ a: 'x y', b: 'q"z', c: "it's" });
    expect(builder.hosts.get('w2')?.vars).toEqual({ e: 1 });
  });

  it.each<[string, string[], string]>([
    [
      'an unknown section suffix',
      ['[bhyve_hosts]', 'bhyve01.lab', '', '[bhyve_hosts:var]', 'x=1'],
      "inventory/hosts:4:14: section [bhyve_hosts:var] has unknown type 'var' — use [bhyve_hosts], [bhyve_hosts:vars] or [bhyve_hosts:children]",
    ],
    [
      'a section header with spaces',
      ['[bhyve hosts]'],
      "inventory/hosts:1:1: invalid section header '[bhyve hosts]' — a section is [name], [name:vars] or [name:children], with no spaces inside the brackets",
    ],
    [
      'a host variable without =',
      ['[web]', 'w1 ansible_port 22'],
      "inventory/hosts:2:4: expected key=value after host 'w1', got 'ansible_port' — write host variables as name=value, quoting values with spaces",
    ],
    [
      'an unclosed quote',
      ['[web]', '  w1 note="open'],
      'inventory/hosts:2:11: unclosed " quote in host line — close the quote with "',
    ],
    [
      'a group variable without =',
      ['[web]', 'w1', '[web:vars]', 'ansible_user'],
      "inventory/hosts:4:1: expected key=value in [web:vars], got 'ansible_user' — write each group variable as name=value",
    ],
    [
      'a bad children line',
      ['[a]', 'h', '[p:children]', 'a:b'],
      "inventory/hosts:4:1: expected a group name in [p:children], got 'a:b' — list one child group name per line",
    ],
    [
      '[g:vars] for a group never declared',
      ['[web]', 'w1', '[db:vars]', 'x=1'],
      "inventory/hosts:3:1: section [db:vars] is for group 'db', which is never declared — declare the group with a [db] or [db:children] section, or fix the name",
    ],
    [
      '[g:children] naming a group never declared',
      ['[fleet:children]', 'bhyve_hosts', 'storage', '[bhyve_hosts]', 'b1'],
      "inventory/hosts:3:1: [fleet:children] names group 'storage', which is never declared — add a [storage] section with its hosts, or fix the name",
    ],
    [
      'a bad range',
      ['[web]', 'www[a:5].lab'],
      "inventory/hosts:2:4: bad host range in 'www[a:5].lab': 'a:5' is neither a numeric nor a single-letter range — use numbers ([01:20]) or single letters ([a:f])",
    ],
    [
      'a trailing colon without port',
      ['[web]', 'w1:'],
      "inventory/hosts:2:1: invalid host 'w1:': a trailing ':' must be followed by a port — write host:port, as in bhyve01.lab:2222, or remove the colon",
    ],
    [
      'a YAML file read as INI',
      ['---', 'all:'],
      "inventory/hosts:1:1: invalid host '---': this looks like a YAML file — name the file with a .yml extension so it is read as YAML",
    ],
    [
      'a group that is its own ancestor',
      ['[a:children]', 'b', '[b:children]', 'a'],
      "inventory/hosts:4:1: group 'a' would be its own ancestor: a → b → a — remove 'a' from the children of 'b' (or the reverse edge)",
    ],
  ])('%s', async (_name, lines, expected) => {
    expect(await iniError(lines)).toBe(expected);
  });
});
