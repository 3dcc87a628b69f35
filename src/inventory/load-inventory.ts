// loadInventory: an Ansible inventory file (YAML or INI) or a directory of them, plus the
// group_vars/ and host_vars/ beside it, as the runner and `beastie inventory` see it.
import type { VaultKeyring } from '../vault/vault-keyring.js';
import { readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { isMap } from 'yaml';
import { InvalidInputError } from '../errors.js';
import type { Inventory, InventoryGroup, InventoryHost } from './types.js';
import { readIniInventory } from './ini-inventory.js';
import { InventoryBuilder } from './inventory-builder.js';
import { readTextFile } from './text-file.js';
import { isHostList, readHostList } from './host-list-inventory.js';
import { loadVarsFor, type VarsFolder } from './vars-files.js';
import { readYamlInventory } from './yaml-inventory.js';
import { Problems } from '../yaml/problems.js';
import { YamlSource } from '../yaml/yaml-source.js';

/** How to read an inventory. */
export interface InventoryLoadOptions {
  /** Opens `!vault` values and encrypted group_vars/host_vars files. */
  readonly vault?: VaultKeyring;
  /** The playbook's directory, whose group_vars/ and host_vars/ apply too (absent for `beastie inventory`). */
  readonly playbookDir?: string;
}

const YAML_EXTENSIONS = new Set(['.yml', '.yaml', '.json']);
// What Ansible skips in an inventory directory (INVENTORY_IGNORE_EXTS and IGNORED_ALWAYS); note
// that `.ini` is among them, so hosts.ini inside an inventory directory is not read — as in Ansible.
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
const IGNORED_NAMES = new Set(['host_vars', 'group_vars', 'vars_plugins']);

/**
 * Reads the inventory at `path`: a file, a directory of inventory files, or (as Ansible allows)
 * a comma-separated host list such as `bhyve01.lab,bhyve02.lab,`, which has no vars folders.
 * Several paths (`-i a -i b`) are read in order into one inventory, as Ansible merges its
 * sources: later sources add hosts and groups and override variables, and each source's own
 * group_vars/ and host_vars/ apply, the later source's winning. With `playbookDir`, the group_vars/
 * and host_vars/ beside the playbook are read too, as Ansible's "playbook group_vars" (above the
 * inventory's own, see PRECEDENCE.md).
 */
export async function loadInventory(path: string | readonly string[], options: InventoryLoadOptions = {}): Promise<Inventory> {
  const paths = typeof path === 'string' ? [path] : path;
  const builder = new InventoryBuilder();
  // The vault opens `!vault` values and encrypted group_vars/host_vars files.
  const problems = new Problems(options.vault);
  const baseDirs: string[] = [];
  for (const source of paths) {
    const info = await stat(source).catch((error: unknown) => {
      if (isHostList(source)) return undefined;
      throw new InvalidInputError(`cannot read inventory ${source}: ${(error as Error).message}`, {
        fix: 'pass an existing inventory file or directory with -i (for example inventory/hosts.yml)',
        cause: error,
      });
    });
    if (info === undefined) {
      readHostList(source, builder);
      continue;
    }
    const files = info.isDirectory() ? await inventoryFilesIn(source) : [source];
    for (const file of files) await readInventoryFile(file, builder, problems);
    baseDirs.push(info.isDirectory() ? source : dirname(source));
  }
  builder.reconcile();
  return freeze(paths.join(','), builder, baseDirs, options.playbookDir, problems);
}

/** The finished inventory, with group_vars/ and host_vars/ from each of `baseDirs`, later ones winning. */
async function freeze(path: string, builder: InventoryBuilder, baseDirs: readonly string[], playbookDir: string | undefined, problems: Problems): Promise<Inventory> {
  const listings = new Map<string, Promise<ReadonlySet<string> | undefined>>();
  // Each file is read once, even when the playbook sits in an inventory's directory (its problems are reported once).
  const read = new Map<string, Promise<Record<string, unknown>>>();
  const load = (dir: string, folder: VarsFolder, name: string): Promise<Record<string, unknown>> => {
    const key = `${resolve(dir)}\u0000${folder}\u0000${name}`;
    let vars = read.get(key);
    if (vars === undefined) {
      vars = loadVarsFor(dir, folder, name, problems, listings);
      read.set(key, vars);
    }
    return vars;
  };
  const varsFor = async (folder: VarsFolder, name: string): Promise<Record<string, unknown>> => {
    let vars: Record<string, unknown> = {};
    for (const baseDir of baseDirs) vars = { ...vars, ...(await load(baseDir, folder, name)) };
    return vars;
  };
  // The same folders beside the playbook, at their own level (Ansible reads them even when that is the inventory's directory).
  const playbookVarsFor = async (folder: VarsFolder, name: string): Promise<Record<string, unknown>> =>
    playbookDir === undefined ? {} : load(playbookDir, folder, name);

  const groups = new Map<string, InventoryGroup>();
  for (const g of builder.groups.values()) {
    const files = await varsFor('group_vars', g.name);
    const playbook = await playbookVarsFor('group_vars', g.name);
    groups.set(g.name, {
      name: g.name,
      hosts: [...g.hosts],
      children: [...g.children],
      vars: { ...g.vars, ...files, ...playbook },
      layers: { inventory: { ...g.vars }, files, ...(playbookDir === undefined ? {} : { playbook }) },
      priority: g.priority,
      ...(g.source === undefined ? {} : { source: g.source }),
    });
  }
  const hosts = new Map<string, InventoryHost>();
  for (const h of builder.hosts.values()) {
    const files = await varsFor('host_vars', h.name);
    const playbook = await playbookVarsFor('host_vars', h.name);
    hosts.set(h.name, {
      name: h.name,
      vars: { ...h.vars, ...files, ...playbook },
      layers: { inventory: { ...h.vars }, files, ...(playbookDir === undefined ? {} : { playbook }) },
      ...(h.source === undefined ? {} : { source: h.source }),
    });
  }
  problems.throwIfAny();
  return { source: path, hosts, groups, warnings: problems.warnings() };
}

/** Reads one file as YAML (by extension, or when it parses as a YAML mapping) or else as INI. */
async function readInventoryFile(file: string, builder: InventoryBuilder, problems: Problems): Promise<void> {
  const text = await readTextFile(file, `inventory file ${file}`);
  if (YAML_EXTENSIONS.has(extname(file)) || looksLikeYamlInventory(text, problems.vault)) readYamlInventory(text, file, builder, problems);
  else readIniInventory(text, file, builder);
}

/** True when the text is a YAML mapping: Ansible tries its yaml plugin before the ini one. */
function looksLikeYamlInventory(text: string, vault: VaultKeyring | undefined): boolean {
  const probe = new Problems(vault);
  const src = YamlSource.parse('(probe)', text, probe);
  return src !== undefined && probe.count === 0 && isMap(src.root);
}

/** Inventory files in a directory and its subdirectories, sorted, skipping what Ansible skips. */
async function inventoryFilesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir)).sort()) {
    if (entry.startsWith('.') || IGNORED_NAMES.has(entry)) continue;
    if (IGNORED_EXTENSIONS.some((ext) => entry.endsWith(ext))) continue;
    const path = join(dir, entry);
    const info = await stat(path);
    if (info.isDirectory()) found.push(...(await inventoryFilesIn(path)));
    else if (info.isFile()) found.push(path);
  }
  return found;
}
