// One YAML file of a playbook, parsed with the YAML 1.2 core schema (`yes` stays a string, as
// rc.conf wants it — unlike Ansible's YAML 1.1), duplicate keys refused, every node locatable.
import { existsSync, readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourceRef } from '../source.js';
import type { Problems } from './problems.js';

/** A key of a mapping with its nodes. */
export interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | null;
}

/** A parsed YAML file and the way from its nodes back to file:line:column. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Read and parse `file`; syntax errors and a missing file go to `problems` (then undefined). */
  static read(file: string, problems: Problems, from?: SourceRef): YamlSource | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.add(from ?? { file, line: 1, column: 1 }, `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'check the path');
      return undefined;
    }
    return YamlSource.parse(file, text, problems);
  }

  /** Whether a file exists (for "first of these files" lists). */
  static exists(file: string): boolean {
    return existsSync(file);
  }

  /** Parse `text` as the contents of `file`. */
  static parse(file: string, text: string, problems: Problems): YamlSource | undefined {
    problems.addText(file, text);
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, schema: 'core', version: '1.2', uniqueKeys: true, merge: true });
    const source = new YamlSource(file, text, doc, lines);
    for (const error of doc.errors) {
      const at = source.offset(error.pos[0]);
      if (error.code === 'DUPLICATE_KEY') {
        const key = /^[^:\s]+/.exec(text.slice(error.pos[0]))?.[0] ?? '';
        problems.add(at, `duplicate key '${key}'`, 'remove one of them: YAML mappings take each key once');
      } else {
        problems.add(at, `YAML syntax error: ${error.message}`, 'fix the YAML (indentation, quotes, brackets)');
      }
    }
    // Ansible's own tags would silently become plain strings: an encrypted value used as-is, or an
    // `!unsafe` string templated after all.
    for (const warning of doc.warnings) {
      const tag = /Unresolved tag: (\S+)/.exec(warning.message)?.[1];
      const fix =
        tag === '!vault' ? 'Ansible Vault is not supported: pass the secret with -e @file kept outside the repository'
        : tag === '!unsafe' ? 'remove the tag; write {{ "{{" }} to keep literal braces'
        : 'remove the tag';
      problems.add(source.offset(warning.pos[0]), tag ? `YAML tag ${tag} is not supported` : `YAML: ${warning.message}`, fix);
    }
    return doc.errors.length > 0 || doc.warnings.length > 0 ? undefined : source;
  }

  /** The document's top node (null for an empty file). */
  get root(): Node | null {
    return (this.doc.contents as Node | null) ?? null;
  }

  /** file:line:column of a character offset. */
  offset(offset: number): SourceRef {
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }

  /** Where a node starts; the file's start when there is no node. */
  ref(node: Node | Pair | null | undefined): SourceRef {
    const target = isPair(node) ? (node.key as Node | null) : node;
    const range = target?.range;
    return range ? this.offset(range[0]) : { file: this.file, line: 1, column: 1 };
  }

  /**
   * For a one-line plain or quoted scalar, the position of character `index` of its value, so an
   * expression error can point at the exact column; undefined for other nodes.
   */
  charAt(node: Node | null): ((index: number) => SourceRef) | undefined {
    if (!isScalar(node) || !node.range || typeof node.value !== 'string') return undefined;
    const [start, end] = node.range;
    const raw = this.text.slice(start, end);
    if (raw.includes('\n')) return undefined;
    if (node.type === 'PLAIN') return (index) => this.offset(start + index);
    if (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') {
      if (/\\|''/.test(raw)) return undefined;
      return (index) => this.offset(start + 1 + index);
    }
    return undefined;
  }

  /** The plain JavaScript value of a node (aliases resolved). */
  value(node: Node | null): unknown {
    if (node === null) return null;
    if (isAlias(node)) return this.value((node.resolve(this.doc) as Node | undefined) ?? null);
    return node.toJS(this.doc);
  }

  /** A node with aliases resolved. */
  resolve(node: Node | null): Node | null {
    return isAlias(node) ? ((node.resolve(this.doc) as Node | undefined) ?? null) : node;
  }

  /** The entries of a mapping; keys that are not strings go to `problems` and are skipped. */
  entries(map: YAMLMap, problems: Problems): Entry[] {
    const entries: Entry[] = [];
    const merged: Entry[] = [];
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? keyNode.value : undefined;
      if (key === '<<') {
        // `<<: *defaults` merge keys: the merged entries count unless the mapping sets them itself.
        const value = this.resolve((pair.value as Node | null) ?? null);
        const sources = isSeq(value) ? value.items.map((item) => this.resolve(item as Node)) : [value];
        for (const source of sources) if (isMap(source)) merged.push(...this.entries(source, problems));
        continue;
      }
      if (typeof key !== 'string' && typeof key !== 'number') {
        problems.add(this.ref(keyNode), 'a key must be a plain name', 'write `key: value`');
        continue;
      }
      entries.push({ key: String(key), keyNode: keyNode as Node, value: this.resolve((pair.value as Node | null) ?? null) });
    }
    const own = new Set(entries.map((entry) => entry.key));
    return [...entries, ...merged.filter((entry) => !own.has(entry.key))];
  }
}
