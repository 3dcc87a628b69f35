// How long loading an inventory takes as hosts grow (issue 13 and 17: linear in hosts). Writes a
// YAML inventory of N hosts (in 10 groups of a parent group, each host with two variables) and an
// INI one of the same shape, loads each with loadInventory, and prints the times. Not a test:
// `npx tsx bench/inventory-load.ts [N ...]`; figures go in BENCHMARKS.md.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory } from '../src/inventory/load-inventory.js';
import { selectHosts } from '../src/inventory/pattern.js';

function yamlInventory(hosts: number): string {
  const lines = ['all:', '  children:', '    fleet:', '      children:'];
  for (let g = 0; g < 10; g += 1) {
    lines.push(`        rack${g}:`, '          hosts:');
    for (let h = g; h < hosts; h += 10) lines.push(`            host${h}.lab:`, `              ansible_host: 10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`, `              rack: ${g}`);
  }
  return `${lines.join('\n')}\n`;
}

function iniInventory(hosts: number): string {
  const lines: string[] = [];
  for (let g = 0; g < 10; g += 1) {
    lines.push(`[rack${g}]`);
    for (let h = g; h < hosts; h += 10) lines.push(`host${h}.lab ansible_host=10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255} rack=${g}`);
  }
  lines.push('[fleet:children]', ...Array.from({ length: 10 }, (_, g) => `rack${g}`));
  return `${lines.join('\n')}\n`;
}

const sizes = process.argv.slice(2).map(Number);
const dir = await mkdtemp(join(tmpdir(), 'beastie-bench-inventory-'));
try {
  console.log('| hosts | format | file size | load (s) | select `rack3:&fleet` (s) |');
  console.log('|---:|---|---:|---:|---:|');
  for (const hosts of sizes.length > 0 ? sizes : [1_000, 10_000, 100_000]) {
    for (const [format, text] of [['yaml', yamlInventory(hosts)], ['ini', iniInventory(hosts)]] as const) {
      const file = join(dir, `inventory-${hosts}.${format === 'yaml' ? 'yml' : 'ini'}`);
      await writeFile(file, text);
      const started = performance.now();
      const inventory = await loadInventory(file);
      const loaded = performance.now();
      const selected = selectHosts(inventory, 'rack3:&fleet');
      const done = performance.now();
      if (inventory.hosts.size !== hosts || selected.length !== Math.ceil((hosts - 3) / 10)) throw new Error(`wrong inventory: ${inventory.hosts.size} hosts, ${selected.length} selected`);
      const size = (await stat(file)).size;
      console.log(`| ${hosts} | ${format} | ${(size / 1e6).toFixed(1)} MB | ${((loaded - started) / 1000).toFixed(2)} | ${((done - loaded) / 1000).toFixed(2)} |`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
