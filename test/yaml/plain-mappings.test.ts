// The fast path for plain nested mappings (src/yaml/plain-mappings.ts) against the `yaml` parser
// it stands in for: on random documents built from the pieces inventories and vars files are made
// of, and from pieces they are not, every document the fast path takes must compose to the same
// nodes (values, how each scalar was written, where each node starts and ends) and the same line
// starts as the parser's, and must be one the parser reads without an error or a warning.
import { describe, expect, it } from 'vitest';
import { Document, isMap, isScalar, LineCounter, parseDocument, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { composePlainMappings } from '../../src/yaml/plain-mappings.js';
import { Problems } from '../../src/yaml/problems.js';
import { YamlSource } from '../../src/yaml/yaml-source.js';

const options: DocumentOptions & SchemaOptions & ParseOptions = { prettyErrors: false, schema: 'core', version: '1.2', uniqueKeys: false, merge: true };

/** A deterministic generator (mulberry32), so a failure names a document that can be rebuilt. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['all', 'hosts', 'children', 'vars', 'host1.lab', 'ansible_host', 'rack', 'a b', 'x#y', 'true', 'False', '1', '0x1F', '-k', '~', 'null', '.5', 'k:v', "key'", 'web[01:09].lab', 'db:2222', '<<', '?q', '-', '[a]', 'é', 'k\t'];
/** Values the fast path reads (typed or not, quoted without escapes, with `#` and `,` inside). */
const VALUES = [
  '10.0.0.1', '1', '-3', '+4', '0o17', '0x1f', '1e3', '1.5', '.inf', '-.Inf', '.nan', 'NULL', '~', 'null', 'True', 'FALSE', 'yes', 'on',
  'a b  c', 'a#b', 'a #b', 'a [b]', 'a, b', 'a]b', '"q"', "'q'", '"a \'b\' #c"', '\'x"y\'', '""', "''", '"a" # c', '-1x', 'x:y',
  '12:30', '1_000', '0b101', '2001-12-14', 'k # v: c', '<<', 'a<b',
];
/** Values it leaves to the parser: escapes, flow collections, anchors, tags, block scalars, errors. */
const ODD = [
  '{x', "'it''s'", '"a\\tb"', '"a"b', "'a' b", '"open', '[1, 2]', '{a: 1}', '&a x', '*a', '!unsafe x', '|', '>-', '@x', '`x', '%x', '-',
  '- a', 'a: b', 'a:', 'é', 'a\tb', 'a\rb', "'", 'k: v # c', '?x', ':x', ',x', '#x',
];

/** One random document: nested mappings, blank and comment lines, trailing spaces and comments. */
function document(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const lines: string[] = [];
  const mapping = (indent: number, depth: number): void => {
    const count = 1 + Math.floor(next() * 4);
    for (let i = 0; i < count; i++) {
      if (next() < 0.1) lines.push('');
      if (next() < 0.1) lines.push(`${' '.repeat(Math.floor(next() * 8))}# a comment: with #, 'quotes' and -`);
      const key = next() < 0.85 ? `${pick(['host', 'k', 'group_', 'ansible_port'])}${Math.floor(next() * 3)}` : pick(KEYS);
      const comment = next() < 0.15 ? `${' '.repeat(1 + Math.floor(next() * 2))}# note` : '';
      const trailing = next() < 0.1 ? '  ' : '';
      if (depth < 3 && next() < 0.35) {
        lines.push(`${' '.repeat(indent)}${key}:${trailing}${comment}`);
        mapping(indent + 1 + Math.floor(next() * 4), depth + 1);
      } else if (next() < 0.15) {
        lines.push(`${' '.repeat(indent)}${key}:${trailing}${comment}`);
      } else {
        lines.push(`${' '.repeat(indent)}${key}: ${next() < 0.9 ? pick(VALUES) : pick(ODD)}${trailing}${comment}`);
      }
    }
  };
  mapping(next() < 0.05 ? 2 : 0, 0);
  // Now and then a line moved left or right, a document marker, no final line break.
  if (next() < 0.2) {
    const at = Math.floor(next() * lines.length);
    lines[at] = next() < 0.5 ? ` ${lines[at] ?? ''}` : (lines[at] ?? '').replace(/^ /u, '');
  }
  if (next() < 0.05) lines.unshift('---');
  return lines.join('\n') + (next() < 0.9 ? '\n' : '');
}

/** What the comparison looks at in a node: its value, how it was written, where it is. */
function shape(node: unknown): unknown {
  if (isScalar(node)) {
    const value = typeof node.value === 'number' && Number.isNaN(node.value) ? 'NaN' : node.value;
    return { value, type: node.type, start: node.range?.[0], end: node.range?.[1], format: node.format };
  }
  if (isMap(node)) return { start: node.range?.[0], items: node.items.map((pair) => [shape(pair.key), shape(pair.value)]) };
  return { other: String(node) };
}

describe('composePlainMappings', () => {
  it('composes what the yaml parser composes, on every random document it takes', () => {
    const next = random(13);
    let taken = 0;
    let declined = 0;
    for (let n = 0; n < 1000; n++) {
      const text = document(next);
      const plain = composePlainMappings(text, new Document(undefined, options));
      if (plain === undefined) {
        declined++;
        continue;
      }
      taken++;
      const lines = new LineCounter();
      const parsed = parseDocument(text, { ...options, lineCounter: lines });
      const context = JSON.stringify(text);
      expect(parsed.errors.map((e) => e.message), context).toEqual([]);
      expect(parsed.warnings.map((e) => e.message), context).toEqual([]);
      expect(shape(plain.root), context).toEqual(shape(parsed.contents));
      expect(plain.lineStarts, context).toEqual(lines.lineStarts);
    }
    // Both branches must have run for the comparison to mean anything.
    expect(taken).toBeGreaterThan(250);
    expect(declined).toBeGreaterThan(250);
  });

  it('takes the shape of a big inventory', () => {
    const text = 'all:\n  children:\n    fleet:\n      children:\n        rack0:\n          hosts:\n            host0.lab:\n              ansible_host: 10.0.0.0\n              rack: 0\n';
    const plain = composePlainMappings(text, new Document(undefined, options));
    expect(plain && new Document(plain.root).toJS()).toEqual({ all: { children: { fleet: { children: { rack0: { hosts: { 'host0.lab': { ansible_host: '10.0.0.0', rack: 0 } } } } } } } });
  });

  it('leaves a file with an error to the parser, which locates it', () => {
    const text = 'all:\n  hosts:\n    a.lab:\n   b.lab:\n';
    expect(composePlainMappings(text, new Document(undefined, options))).toBeUndefined();
    const problems = new Problems();
    expect(YamlSource.parse('hosts.yml', text, problems)).toBeUndefined();
    expect(problems.list()[0]?.source).toMatchObject({ file: 'hosts.yml', line: 4, column: 4 });
  });

  it('keeps the duplicate-key warning, at the repeated key', () => {
    const problems = new Problems();
    const src = YamlSource.parse('vars.yml', 'a: 1\nb:\n  c: 2\n  c: 3\na: 4\n', problems);
    expect(src && src.value(src.root)).toEqual({ a: 4, b: { c: 3 } });
    expect(problems.warnings()).toEqual([
      { source: { file: 'vars.yml', line: 5, column: 1 }, message: 'found a duplicate dict key (a); using last defined value only' },
      { source: { file: 'vars.yml', line: 4, column: 3 }, message: 'found a duplicate dict key (c); using last defined value only' },
    ]);
  });
});
