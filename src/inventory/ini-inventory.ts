// Ansible's INI inventory format (plugins/inventory/ini.py): host lines with `key=value` variables,
// `[group]`, `[group:vars]` and `[group:children]` sections; lines before any section are ungrouped.
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';
import { expandHostRange } from './host-range.js';
import { splitHostPort } from './host-address.js';
import type { InventoryBuilder } from './inventory-builder.js';
import { parseIniValue } from './python-literal.js';
import { splitShellWords, UnclosedQuoteError, type ShellWord } from '../text/shell-words.js';

/** What the lines under a section header declare. */
type SectionKind = 'hosts' | 'vars' | 'children';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;

/** A reference that must be resolved by a later section of the same file. */
interface Pending {
  readonly kind: 'vars' | 'children';
  readonly at: SourceRef;
  readonly parents: string[];
}

/** Reads one INI inventory file into the builder. */
export function readIniInventory(text: string, file: string, builder: InventoryBuilder): void {
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let kind: SectionKind = 'hosts';
  const lines = text.split(/\r?\n/u);
  for (const [index, raw] of lines.entries()) {
    const lineNo = index + 1;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const here = (offset = 0): SourceRef => ({ file, line: lineNo, column: indent + offset + 1 });
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;

    const section = SECTION.exec(line);
    if (section) {
      group = section[1] ?? '';
      const suffix = section[2];
      if (suffix !== undefined && suffix !== 'vars' && suffix !== 'children' && suffix !== 'hosts') {
        throw new InvalidInputError(`section [${group}:${suffix}] has unknown type '${suffix}'`, {
          source: here(group.length + 2),
          fix: `use [${group}], [${group}:vars] or [${group}:children]`,
        });
      }
      kind = suffix ?? 'hosts';
      if (!builder.groups.has(group)) {
        // [g:vars] alone does not declare g; it must be declared elsewhere in the file.
        if (kind === 'vars' && !pending.has(group)) pending.set(group, { kind, at: here(), parents: [] });
        builder.addGroup(group, here(1));
      }
      const waiting = pending.get(group);
      if (waiting && kind !== 'vars') {
        if (waiting.kind === 'children') resolveChildren(group, pending, builder);
        else pending.delete(group);
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new InvalidInputError(`invalid section header '${line}'`, {
        source: here(),
        fix: 'a section is [name], [name:vars] or [name:children], with no spaces inside the brackets',
      });
    }

    if (kind === 'hosts') readHostLine(line, here, group, builder);
    else if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) {
        throw new InvalidInputError(`expected key=value in [${group}:vars], got '${line}'`, {
          source: here(),
          fix: 'write each group variable as name=value',
        });
      }
      const key = line.slice(0, eq).trim();
      builder.setGroupVar(group, key, parseIniValue(line.slice(eq + 1).trim()), here());
    } else {
      const m = GROUP_NAME.exec(line);
      const child = m?.[1];
      if (child === undefined) {
        throw new InvalidInputError(`expected a group name in [${group}:children], got '${line}'`, {
          source: here(),
          fix: 'list one child group name per line',
        });
      }
      if (builder.groups.has(child)) builder.addChild(group, child, here());
      else {
        const waiting = pending.get(child);
        if (waiting?.kind === 'children') waiting.parents.push(group);
        else pending.set(child, { kind: 'children', at: here(), parents: [group] });
      }
    }
  }
  for (const [name, waiting] of pending) {
    if (waiting.kind === 'vars') {
      throw new InvalidInputError(`section [${name}:vars] is for group '${name}', which is never declared`, {
        source: waiting.at,
        fix: `declare the group with a [${name}] or [${name}:children] section, or fix the name`,
      });
    }
    throw new InvalidInputError(`[${waiting.parents.at(-1) ?? ''}:children] names group '${name}', which is never declared`, {
      source: waiting.at,
      fix: `add a [${name}] section with its hosts, or fix the name`,
    });
  }
}

/** A declared group's pending parents adopt it, and so on up the chain. */
function resolveChildren(group: string, pending: Map<string, Pending>, builder: InventoryBuilder): void {
  const waiting = pending.get(group);
  if (!waiting) return;
  pending.delete(group);
  for (const parent of waiting.parents) {
    builder.addChild(parent, group, waiting.at);
    if (pending.get(parent)?.kind === 'children') resolveChildren(parent, pending, builder);
  }
}

/** A host line's words, as shlex.split(line, comments=True); an unclosed quote is an error at the quote. */
function hostLineWords(line: string, here: (offset?: number) => SourceRef): ShellWord[] {
  try {
    return splitShellWords(line, { comments: true });
  } catch (error) {
    if (!(error instanceof UnclosedQuoteError)) throw error;
    throw new InvalidInputError(`unclosed ${error.quote} quote in host line`, { source: here(error.offset), fix: `close the quote with ${error.quote}` });
  }
}

/** `bhyve[01:03].lab:2222 ansible_user=admin vm_enable=YES  # comment` */
function readHostLine(
  line: string,
  here: (offset?: number) => SourceRef,
  group: string,
  builder: InventoryBuilder,
): void {
  const words = hostLineWords(line, here);
  const first = words[0];
  if (first === undefined) return;
  const { host, port } = splitHostPort(first.text);
  if (first.text.endsWith(':') && port === undefined) {
    throw new InvalidInputError(`invalid host '${first.text}': a trailing ':' must be followed by a port`, {
      source: here(first.offset),
      fix: 'write host:port, as in bhyve01.lab:2222, or remove the colon',
    });
  }
  if (host === '---') {
    throw new InvalidInputError("invalid host '---': this looks like a YAML file", {
      source: here(first.offset),
      fix: 'name the file with a .yml extension so it is read as YAML',
    });
  }
  const vars: Record<string, unknown> = {};
  for (const word of words.slice(1)) {
    const eq = word.text.indexOf('=');
    if (eq <= 0) {
      throw new InvalidInputError(`expected key=value after host '${first.text}', got '${word.text}'`, {
        source: here(word.offset),
        fix: 'write host variables as name=value, quoting values with spaces',
      });
    }
    vars[word.text.slice(0, eq)] = parseIniValue(word.text.slice(eq + 1));
  }
  for (const name of expandHostRange(host, here(first.offset))) {
    const draft = builder.addHost(name, group, port, here(first.offset));
    Object.assign(draft.vars, vars);
  }
}
