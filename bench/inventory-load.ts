// How long loading an inventory takes, and how much memory, as hosts grow (issue 13: 10,000 hosts
// in < 1 s, 100,000 in < 10 s, linear in hosts). Writes a YAML inventory of N hosts (in 10 groups
// of a parent group, each host with two variables) and an INI one of the same shape, loads each
// with loadInventory in a process of its own (so each peak RSS is that load's alone), selects
// `rack3:&fleet`, and prints wall and CPU seconds. CPU seconds are the figure to read on a shared
// machine: wall time is CPU time only when the cores are idle. Not a test:
// `npx tsx bench/inventory-load.ts [N ...]`; figures go in BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** What one load measured, printed by the child as one JSON line. */
interface Measured {
  readonly loadWallS: number;
  readonly loadCpuS: number;
  readonly selectWallS: number;
  readonly peakRssMiB: number;
}

const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;

/** In the child: load `file`, check its shape, print what it cost. */
async function measureOne(file: string, hosts: number): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const inventory = await loadInventory(file);
  const loaded = performance.now();
  const loadCpuS = cpuSeconds(process.cpuUsage(cpu));
  const selected = selectHosts(inventory, 'rack3:&fleet');
  const done = performance.now();
  if (inventory.hosts.size !== hosts || selected.length !== Math.ceil((hosts - 3) / 10)) throw new Error(`wrong inventory: ${inventory.hosts.size} hosts, ${selected.length} selected`);
  // maxRSS is in KiB; it includes node's own start (≈ 50 MiB).
  const measured: Measured = { loadWallS: (loaded - started) / 1000, loadCpuS, selectWallS: (done - loaded) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(measured));
}

if (process.argv[2] === '--one') {
  await measureOne(process.argv[3] ?? '', Number(process.argv[4]));
} else {
  const sizes = process.argv.slice(2).map(Number);
  const dir = await mkdtemp(join(tmpdir(), 'beastie-bench-inventory-'));
  try {
    console.log(`load average at start ${loadavg()[0]?.toFixed(1)}`);
    console.log('| hosts | format | file size | load CPU (s) | load wall (s) | select `rack3:&fleet` wall (s) | peak RSS (MiB) |');
    console.log('|---:|---|---:|---:|---:|---:|---:|');
    for (const hosts of sizes.length > 0 ? sizes : [1_000, 10_000, 100_000]) {
      for (const [format, text] of [['YAML', yamlInventory(hosts)], ['INI', iniInventory(hosts)]] as const) {
        const file = join(dir, `inventory-${hosts}.${format === 'YAML' ? 'yml' : 'ini'}`);
        await writeFile(file, text);
        const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--one', file, String(hosts)], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (child.status !== 0) throw new Error(`loading ${hosts} hosts (${format}) failed:\n${child.stderr}`);
        const m = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as Measured;
        const size = (await stat(file)).size;
        console.log(`| ${hosts} | ${format} | ${(size / 1e6).toFixed(1)} MB | ${m.loadCpuS.toFixed(2)} | ${m.loadWallS.toFixed(2)} | ${m.selectWallS.toFixed(2)} | ${m.peakRssMiB.toFixed(0)} |`);
        await rm(file);
      }
    }
    console.log(`load average at end ${loadavg()[0]?.toFixed(1)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
