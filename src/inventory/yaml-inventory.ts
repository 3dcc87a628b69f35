// Ansible's YAML inventory format (plugins/inventory/yaml.py): top-level keys are groups, each with
// optional `hosts:`, `children:` and `vars:` mappings; host keys may carry ranges and `:port`.
import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';
import { expandHostRange } from './host-range.js';
import { splitHostPort } from './host-address.js';
import type { InventoryBuilder } from './inventory-builder.js';
import type { Problems } from '../yaml/problems.js';
import { YamlSource } from '../yaml/yaml-source.js';

const SECTIONS = ['hosts', 'children', 'vars'] as const;

/**
 * Reads one YAML inventory file into the builder. YAML problems go to `problems` (thrown after
 * the parse, so every syntax error of the file is listed); the inventory's own checks throw.
 */
export function readYamlInventory(text: string, file: string, builder: InventoryBuilder, problems: Problems): void {
  const src = YamlSource.parse(file, text, problems);
  problems.throwIfAny();
  if (src === undefined) return;
  const root = src.root;
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new InvalidInputError('the YAML inventory is empty', {
      source: { file, line: 1, column: 1 },
      fix: 'start it with `all:` and list hosts under `hosts:` (see inventory/hosts.yml)',
    });
  }
  if (!isMap(root)) {
    throw new InvalidInputError('a YAML inventory must be a mapping of group names, such as `all:`', {
      source: src.ref(root),
      fix: 'start the file with `all:` and put `hosts:`, `children:` and `vars:` under it',
    });
  }
  if (root.items.some((pair) => keyText(pair) === 'plugin')) {
    throw new InvalidInputError('this is an inventory plugin configuration, not a YAML inventory', {
      source: src.ref(root),
      fix: 'beastie reads static inventories only; export one with `ansible-inventory --list -y`',
    });
  }
  new YamlInventoryReader(src, builder).groups(root, undefined);
}

/** The text of a mapping key, or undefined when the key is not a scalar. */
function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

/** One key of a mapping: its text, where it is written, and its value node. */
interface Entry {
  readonly key: string;
  readonly at: SourceRef;
  readonly value: Node | null;
}

/** Walks the document; one instance per file. */
class YamlInventoryReader {
  constructor(
    private readonly src: YamlSource,
    private readonly builder: InventoryBuilder,
  ) {}

  /** Each key of `map` is a group; with `parent`, each becomes its child. */
  groups(map: YAMLMap, parent: string | undefined): void {
    for (const entry of this.entries(map, 'group')) {
      this.group(entry);
      if (parent !== undefined) this.builder.addChild(parent, entry.key, entry.at);
    }
  }

  private group({ key: name, at: where, value: body }: Entry): void {
    this.builder.addGroup(name, where);
    if (isNull(body)) return;
    if (!isMap(body)) {
      throw new InvalidInputError(`group '${name}' must be a mapping with hosts:, children: or vars:`, {
        source: this.src.ref(body),
        fix: `write \`${name}:\` followed by an indented \`hosts:\` mapping`,
      });
    }
    for (const section of this.entries(body, 'section')) {
      const key = section.key;
      if (!(SECTIONS as readonly string[]).includes(key)) {
        throw new InvalidInputError(`unknown key '${key}' in group '${name}'`, {
          source: section.at,
          fix: `use hosts:, children: or vars:${suggest(key)}`,
        });
      }
      const content = this.section(section, name);
      if (content === undefined) continue;
      if (key === 'vars') this.vars(name, content);
      else if (key === 'children') this.children(name, content);
      else this.hosts(name, content);
    }
  }

  /** The entries under hosts:/children:/vars:, undefined when empty; a lone string is one entry. */
  private section({ key, value }: Entry, group: string): readonly Entry[] | undefined {
    if (isNull(value)) return undefined;
    if (isMap(value)) return this.entries(value, key === 'vars' ? 'variable' : key === 'hosts' ? 'host' : 'group');
    if (isScalar(value) && typeof value.value === 'string' && value.value !== '' && key !== 'vars') {
      // Ansible accepts `hosts: web01` for a single host (and `children: canary`); keep that.
      return [{ key: value.value, at: this.textAt(value), value: null }];
    }
    throw new InvalidInputError(`'${key}' of group '${group}' must be a mapping`, {
      source: this.src.ref(value),
      fix:
        key === 'hosts'
          ? 'list hosts as keys (`bhyve01.lab:` on its own line), not as a YAML list with dashes'
          : key === 'children'
            ? 'list child groups as keys (`canary:`), not as a YAML list with dashes'
            : 'write variables as `name: value` lines',
    });
  }

  private children(parent: string, entries: readonly Entry[]): void {
    for (const entry of entries) {
      this.group(entry);
      this.builder.addChild(parent, entry.key, entry.at);
    }
  }

  private vars(group: string, entries: readonly Entry[]): void {
    for (const { key, at: where, value } of entries) {
      this.builder.setGroupVar(group, key, this.src.value(value), where);
    }
  }

  private hosts(group: string, entries: readonly Entry[]): void {
    for (const { key: pattern, at: where, value } of entries) {
      if (!isNull(value) && !isMap(value)) {
        throw new InvalidInputError(`variables of host '${pattern}' must be a mapping`, {
          source: this.src.ref(value),
          fix: `write them indented under \`${pattern}:\` as \`name: value\` lines, or leave the host empty`,
        });
      }
      const vars = isNull(value) ? {} : (this.src.value(value) as Record<string, unknown>);
      const { host, port } = splitHostPort(pattern);
      for (const name of expandHostRange(host, where)) {
        const draft = this.builder.addHost(name, group, port, where);
        Object.assign(draft.vars, vars);
      }
    }
  }

  /** The keys of a mapping, which must be non-empty strings (group, host and variable names). */
  private entries(map: YAMLMap, what: string): Entry[] {
    return map.items.map((pair: Pair) => {
      const key = pair.key as Node | null;
      if (!isScalar(key) || typeof key.value !== 'string' || key.value === '') {
        const shown = isScalar(key) ? String(key.value) : 'name';
        throw new InvalidInputError(`${what} name must be a non-empty string, got ${JSON.stringify(isScalar(key) ? key.value : null)}`, {
          source: this.src.ref(key),
          fix: `quote it, as in "${shown}":`,
        });
      }
      return { key: key.value, at: this.textAt(key), value: this.src.resolve(pair.value as Node | null) };
    });
  }

  /** Where a scalar's text starts: after the opening quote of a quoted one, so columns match ranges. */
  private textAt(node: Node): SourceRef {
    return this.src.textRef(node);
  }
}

/** An absent value: `key:` with nothing after it, or `~`/`null`. */
function isNull(node: Node | null): node is null {
  return node === null || (isScalar(node) && node.value === null);
}

/** ` — did you mean hosts:?` for a near miss of a section name. */
function suggest(key: string): string {
  const near = SECTIONS.find((s) => s.startsWith(key.slice(0, 3).toLowerCase()) || key.toLowerCase().startsWith(s.slice(0, -1)));
  return near ? ` — did you mean '${near}'?` : '';
}
