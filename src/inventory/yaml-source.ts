// Reading YAML inventory and vars files with positions kept, so every error names file:line:column.
//
// YAML 1.2 core schema, on purpose: Ansible parses YAML 1.1, where `YES`, `on` and `no` are booleans
// and `010` is octal 8. FreeBSD's rc.conf wants the literal string `YES`, so `vm_enable: YES` must
// stay a string; under 1.2 only true/false (any case) are booleans and `010` is decimal 10. An
// inventory that relies on 1.1 booleans (`become: yes`) still gets the string "yes"; the connection
// settings accept yes/no/on/off spellings where Ansible reads booleans (see connection.ts).
import { isAlias, isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';

/** A parsed YAML file with what is needed to turn node offsets into file:line:column. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

/** Parses YAML text; syntax errors, duplicate keys and unknown tags (`!vault`) are InvalidInputError. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.2',
    schema: 'core',
    merge: true,
    lineCounter: lines,
    prettyErrors: false,
  });
  const first = doc.errors[0];
  if (first) {
    // The parser places some errors (a duplicate empty key, a bad indent) on the line break
    // before the offending token; point at the token instead.
    let offset = first.pos[0];
    if (text[offset] === '\n' || text[offset] === '\r') {
      while (offset < text.length && /\s/u.test(text[offset] ?? '')) offset++;
    }
    throw new InvalidInputError(`YAML syntax error: ${first.message}`, {
      source: at({ file, doc, lines }, offset),
      fix: 'correct the YAML at that position (check indentation, quotes and brackets)',
    });
  }
  const unresolved = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unresolved) {
    throw new InvalidInputError(`unsupported YAML tag: ${unresolved.message}`, {
      source: at({ file, doc, lines }, unresolved.pos[0]),
      fix: 'beastie does not read Ansible Vault or custom tags; write the value in plain YAML',
    });
  }
  return { file, doc, lines };
}

/** The position of a byte offset in the file. */
export function at(src: YamlSource, offset: number): SourceRef {
  const { line, col } = src.lines.linePos(offset);
  return { file: src.file, line, column: col };
}

/** Where a node starts; the file's first position when the node has no range. */
export function nodeAt(src: YamlSource, node: Node | null | undefined): SourceRef {
  return at(src, node?.range?.[0] ?? 0);
}

/** The node an alias (`*base`) points at; other nodes unchanged. */
export function resolveAlias(src: YamlSource, node: Node | null): Node | null {
  if (!isAlias(node)) return node;
  return (node.resolve(src.doc) as Node | undefined) ?? null;
}

/** Converts a node to plain data (anchors, aliases and merge keys resolved). */
export function toPlain(src: YamlSource, node: Node | null | undefined): unknown {
  if (node === null || node === undefined) return null;
  return node.toJS(src.doc, { maxAliasCount: 1000 });
}

/**
 * Reads a vars file (group_vars/, host_vars/): empty means no variables; anything but a mapping at
 * the top is an error pointing at it.
 */
export function parseVarsFile(text: string, file: string): Record<string, unknown> {
  if (text.startsWith('$ANSIBLE_VAULT;')) {
    throw new InvalidInputError('this file is encrypted with Ansible Vault, which beastie does not read', {
      source: { file, line: 1, column: 1 },
      fix: 'decrypt it (ansible-vault decrypt) or keep the secret out of the inventory',
    });
  }
  const src = parseYamlSource(text, file);
  const root = src.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root)) {
    throw new InvalidInputError('a vars file must hold a mapping of variable names to values', {
      source: nodeAt(src, root),
      fix: 'write `name: value` lines at the top level of the file',
    });
  }
  const value = toPlain(src, root);
  return value !== null && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {};
}
