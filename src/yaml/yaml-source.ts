// The one YAML front end: playbooks, task files, roles, inventories and vars files are all parsed
// here, with every problem collected (not thrown at the first), every node locatable as
// file:line:column, and YAML read as Ansible reads it where that is safe:
// - the YAML 1.2 core schema, so a scalar keeps its own text (`YES` stays the string rc.conf
//   wants); where a keyword or parameter is boolean, Ansible's YAML 1.1 spellings are accepted
//   by the reader of that value (src/yaml/yaml11.ts), not by the parser;
// - a duplicate key is Ansible's warning, and the last value wins;
// - a quoted scalar's lines may be no more indented than its key, as libyaml takes them
//   (src/yaml/quoted-continuations.ts);
// - Ansible's own tags (`!unsafe`) are read by the tags in src/yaml/tags.ts, `!vault` and whole
//   vault-encrypted files with the load's keyring (src/vault/); any other tag is an error (it
//   would silently become a plain string).
import { existsSync } from 'node:fs';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type DocumentOptions, type Node, type ParseOptions, type SchemaOptions, type Pair, type YAMLMap } from 'yaml';
import { InvalidInputError } from '../errors.js';
import { readInputText } from '../input-text.js';
import type { SourceRef } from '../source.js';
import { isVaulted } from '../vault/vault-format.js';
import { decryptIfVaulted } from '../vault/vault-keyring.js';
import { vaultTag } from '../vault/vault-yaml-tag.js';
import { composePlainMappings } from './plain-mappings.js';
import type { Problems } from './problems.js';
import { indentQuotedContinuations } from './quoted-continuations.js';
import { ansibleTags } from './tags.js';

/** How many alias expansions one value may make (yaml's maxAliasCount): more is an attack, not a playbook. */
const MAX_ALIAS_COUNT = 1000;

/** Scalar keys repeated in a mapping, in document order (merge keys `<<` may repeat). */
function duplicateKeys(doc: Document): { readonly key: string; readonly offset: number }[] {
  const found: { key: string; offset: number }[] = [];
  // A walk of its own rather than yaml's `visit`, which costs a tenth of a big inventory's load.
  const walk = (node: unknown): void => {
    if (isSeq(node)) {
      for (const item of node.items) walk(item);
      return;
    }
    if (!isMap(node)) return;
    // A mapping's own repeats before those inside it, as `visit` found them.
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || (key.value === '<<' && key.type === 'PLAIN')) continue;
      const text = String(key.value);
      if (seen.has(text)) found.push({ key: text, offset: key.range?.[0] ?? 0 });
      else seen.add(text);
    }
    for (const pair of node.items) {
      walk(pair.key);
      walk(pair.value);
    }
  };
  walk(doc.contents);
  return found;
}

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
    const read = readInputText(file, file);
    if ('problem' in read) {
      const { source, message, fix } = read.problem;
      problems.add(source.line === 1 && source.column === 1 && from !== undefined ? from : source, message, fix);
      return undefined;
    }
    return YamlSource.parse(file, read.text, problems);
  }

  /** Whether a file exists (for "first of these files" lists). */
  static exists(file: string): boolean {
    return existsSync(file);
  }

  /** Parse `text` as the contents of `file`; undefined (with the problems recorded) when it cannot be used. */
  static parse(file: string, text: string, problems: Problems): YamlSource | undefined {
    if (isVaulted(text)) {
      // A whole encrypted file (ansible-vault encrypt) is decrypted here, then parsed as usual. Its
      // plaintext is not kept for error excerpts: an error in it never prints a secret line.
      try {
        text = decryptIfVaulted(text, file, problems.vault);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        problems.add(error.source ?? { file, line: 1, column: 1 }, error.message, error.fix);
        return undefined;
      }
    } else {
      problems.addText(file, text);
    }
    let lines = new LineCounter();
    const vaultFailures = new Map<string, InvalidInputError>();
    const options: DocumentOptions & SchemaOptions & ParseOptions = {
      prettyErrors: false,
      schema: 'core',
      version: '1.2',
      // The library's own duplicate check compares every pair of keys (quadratic: 16,000 hosts took
      // 16 s); duplicates are found below with one Set per mapping instead.
      uniqueKeys: false,
      merge: true,
      customTags: [...ansibleTags, vaultTag(problems.vault, vaultFailures)],
    };
    // Plain nested mappings (a big inventory, most vars files) are read without the parser's
    // syntax tree; anything else, errors included, goes to the parser.
    let doc: Document = new Document(undefined, options);
    const plain = composePlainMappings(text, doc);
    if (plain === undefined) {
      doc = parseDocument(text, { ...options, lineCounter: lines });
      // Quoted scalars' lines no more indented than their key, which libyaml (Ansible's reader) takes.
      const repaired = doc.errors.some((error) => error.code !== 'DUPLICATE_KEY') ? indentQuotedContinuations(text) : undefined;
      if (repaired !== undefined) {
        const again = new LineCounter();
        const retry = parseDocument(repaired, { ...options, lineCounter: again });
        if (retry.errors.every((error) => error.code === 'DUPLICATE_KEY')) {
          text = repaired;
          doc = retry;
          lines = again;
        }
      }
    } else {
      doc.contents = plain.root;
      for (const start of plain.lineStarts) lines.addNewLine(start);
    }
    const source = new YamlSource(file, text, doc, lines);
    let fatal = false;
    for (const error of doc.errors) {
      if (error.code === 'DUPLICATE_KEY') {
        // Ansible (AnsibleConstructor) warns and keeps the last value; the document keeps both pairs
        // and `entries`/`value` take the last.
        const key = /^[^:\s]+/.exec(text.slice(error.pos[0]))?.[0] ?? '';
        const at = source.offset(error.pos[0]);
        problems.warn(at, `found a duplicate dict key (${key}); using last defined value only`);
        continue;
      }
      fatal = true;
      const vaultFailure = error.code === 'TAG_RESOLVE_FAILED' ? vaultFailures.get(error.message) : undefined;
      if (vaultFailure !== undefined) {
        problems.add(source.offset(error.pos[0]), vaultFailure.message, vaultFailure.fix);
        continue;
      }
      // The parser places some errors (a duplicate empty key, a bad indent) on the line break
      // before the offending token; point at the token instead.
      let offset = error.pos[0];
      if (text[offset] === '\n' || text[offset] === '\r') {
        while (offset < text.length && /\s/u.test(text[offset] ?? '')) offset++;
      }
      problems.add(source.offset(offset), `YAML syntax error: ${error.message}`, 'correct the YAML at that position (check indentation, quotes and brackets)');
    }
    for (const duplicate of duplicateKeys(doc)) {
      problems.warn(source.offset(duplicate.offset), `found a duplicate dict key (${duplicate.key}); using last defined value only`);
    }
    for (const warning of doc.warnings) {
      fatal = true;
      const tag = /Unresolved tag: (\S+)/.exec(warning.message)?.[1];
      problems.add(source.offset(warning.pos[0]), tag ? `YAML tag ${tag} is not supported` : `YAML: ${warning.message}`, 'remove the tag');
    }
    return fatal ? undefined : source;
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

  /** Where a scalar's text starts: after the opening quote of a quoted one. */
  textRef(node: Node): SourceRef {
    const where = this.ref(node);
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    return quoted ? { ...where, column: where.column + 1 } : where;
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

  /** The plain JavaScript value of a node (aliases and merge keys resolved; a repeated key's last value). */
  value(node: Node | null | undefined): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.value((node.resolve(this.doc) as Node | undefined) ?? null);
    try {
      return node.toJS(this.doc, { maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // yaml stops a document whose aliases multiply (a "billion laughs") with a ReferenceError.
      if (error instanceof ReferenceError && /alias/i.test(error.message)) {
        throw new InvalidInputError(`YAML aliases here expand to more than ${MAX_ALIAS_COUNT} copies (a document built to exhaust memory)`, {
          source: this.ref(node),
          fix: 'write the values out, or use fewer nested aliases (*name)',
          cause: error,
        });
      }
      throw error;
    }
  }

  /** A node with aliases resolved. */
  resolve(node: Node | null): Node | null {
    return isAlias(node) ? ((node.resolve(this.doc) as Node | undefined) ?? null) : node;
  }

  /**
   * The entries of a mapping, in order; a repeated key counts once, with its last value (the
   * warning was given at parse time). Keys that are not scalars go to `problems` and are skipped.
   */
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
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
        problems.add(this.ref(keyNode), 'a key must be a plain name', 'write `key: value`');
        continue;
      }
      const entry = { key: String(key), keyNode: keyNode as Node, value: this.resolve((pair.value as Node | null) ?? null) };
      const earlier = entries.findIndex((other) => other.key === entry.key);
      if (earlier >= 0) entries.splice(earlier, 1);
      entries.push(entry);
    }
    const own = new Set(entries.map((entry) => entry.key));
    return [...entries, ...merged.filter((entry) => !own.has(entry.key))];
  }
}
