// A fast path of the YAML front end for the shape big inventories and vars files have: block
// mappings nested by indentation, whose keys and values are one-line plain scalars (or quoted
// strings without escapes), with comments and blank lines. The `yaml` package's parser spends
// about 100 µs of CPU per host of such a file building its concrete syntax tree (10,000 hosts:
// 1.9 s); this reads the same text line by line into the same document nodes — scalars typed by
// the document's own schema tags, every node's range as the parser sets it — in a fraction of
// that. It answers only where it is sure: anything else (a sequence, a flow collection, an anchor,
// a tag, a block or multi-line scalar, an escape, a tab, a non-ASCII character, anything the
// parser would call an error) returns undefined and the `yaml` parser reads the file as before,
// reporting its errors with their positions. test/yaml/plain-mappings.test.ts checks, on random
// documents, that every document taken here equals the parser's.
import { isScalar, Pair, Scalar, YAMLMap, type Document, type ScalarTag } from 'yaml';

/** A document's top mapping, and the offset where each line starts (for its LineCounter). */
export interface PlainMappings {
  readonly root: YAMLMap;
  readonly lineStarts: readonly number[];
}

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const SINGLE = 0x27;
const DOUBLE = 0x22;
/** Characters that may not start a plain scalar here (`-` may, when not followed by a space). */
const INDICATORS = new Set([...'?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
/** The `yaml` parser refuses an implicit key of 1,024 characters or more; long keys go to it. */
const MAX_KEY_LENGTH = 1000;

/** Anything but printable ASCII and line feeds sends the file to the full parser. */
const UNSUPPORTED_CHARACTER = /[^\x20-\x7e\n]/u;

/** The core schema's tags, whose scalar forms `mayBeTyped` knows. */
const CORE_TAGS = ['null', 'bool', 'int', 'int', 'int', 'float', 'float', 'float'].map((name) => `tag:yaml.org,2002:${name}`).join();

function isCoreSchema(doc: Document): boolean {
  const typed = (doc.schema.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test !== undefined);
  return typed.map((tag) => tag.tag).join() === CORE_TAGS;
}

/** A scalar read from one line: where it starts and ends, its text, how it was written. */
interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly type: 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';
}

/** One open mapping and the column of its keys. */
interface Level {
  readonly indent: number;
  readonly map: YAMLMap;
}

/**
 * The document's top mapping as the `yaml` parser would compose it with `doc`'s options, or
 * undefined when the text is not of the plain shape (then the parser must read it).
 */
export function composePlainMappings(text: string, doc: Document): PlainMappings | undefined {
  if (UNSUPPORTED_CHARACTER.test(text) || !isCoreSchema(doc)) return undefined;
  const tags = (doc.schema.tags as ScalarTag[]).filter((tag) => tag.default === true && tag.test !== undefined);
  const scalar = (token: Token): Scalar => {
    const tag = token.type === 'PLAIN' && mayBeTyped(token.text) ? tags.find((t) => t.test?.test(token.text)) : undefined;
    // A tag may resolve to a Scalar of its own (null, and floats keeping their fraction digits), as in the parser's composeScalar.
    const resolved: unknown = tag === undefined ? token.text : tag.resolve(token.text, () => undefined, doc.options);
    const node = isScalar(resolved) ? resolved : new Scalar(resolved);
    node.range = [token.start, token.end, token.end];
    node.source = token.text;
    node.type = token.type;
    if (tag?.format !== undefined) node.format = tag.format;
    return node;
  };

  const lineStarts: number[] = [];
  const levels: Level[] = [];
  /** The last pair read, when its value is empty: the next, deeper, line opens its mapping. */
  let open: { pair: Pair<Scalar, Scalar | YAMLMap>; indent: number } | undefined;
  let root: YAMLMap | undefined;
  /** Where the line after the last key read starts. */
  let lastLineEnd = 0;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const next = newline < 0 ? text.length : newline + 1;
    lineStarts.push(start);
    let at = start;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    if (at === end || text.charCodeAt(at) === HASH) {
      start = next;
      continue;
    }
    const indent = at - start;
    // Document markers and directives at the left margin belong to the full parser.
    if (indent === 0 && /^(?:---|\.\.\.|%)/u.test(text.slice(at, at + 3))) return undefined;

    if (open !== undefined && indent > open.indent) {
      const map = new YAMLMap();
      map.range = [at, at, at];
      open.pair.value = map;
      levels.push({ indent, map });
    } else {
      // A mapping closed by a shallower line ends where its last line did (the parser's range: up to the next line).
      while (levels.length > 0 && indent < (levels.at(-1)?.indent ?? 0)) (levels.pop()?.map.range as [number, number, number]).fill(lastLineEnd, 1);
      if (levels.length === 0) {
        if (root !== undefined || indent !== 0) return undefined;
        root = new YAMLMap();
        root.range = [at, at, at];
        levels.push({ indent, map: root });
      }
      // A line deeper than its mapping after a value continues a scalar or is an error; one between two levels is an error.
      if (indent !== levels.at(-1)?.indent) return undefined;
    }
    open = undefined;
    const level = levels.at(-1) as Level;

    const key = readKey(text, at, end);
    if (key === undefined) return undefined;
    let valueAt = key.end + 1;
    while (valueAt < end && text.charCodeAt(valueAt) === SPACE) valueAt++;
    const keyNode = scalar(key);
    // A merge key (`<<: *defaults`) needs an alias, which is the parser's.
    if (key.text === '<<') return undefined;
    let pair: Pair<Scalar, Scalar | YAMLMap>;
    if (valueAt === end || text.charCodeAt(valueAt) === HASH) {
      // `key:` alone: an empty value after the spaces (before a comment), or the mapping of the lines below.
      pair = new Pair(keyNode, scalar({ start: valueAt, end: valueAt, text: '', type: 'PLAIN' }));
      open = { pair, indent };
    } else {
      const value = readValue(text, valueAt, end);
      if (value === undefined) return undefined;
      const valueNode = scalar(value);
      (valueNode.range as [number, number, number])[2] = next;
      pair = new Pair(keyNode, valueNode);
    }
    level.map.items.push(pair);
    lastLineEnd = next;
    start = next;
  }
  if (root === undefined) return undefined;
  for (const { map } of levels) (map.range as [number, number, number]).fill(lastLineEnd, 1);
  // The parser counts the empty line after a final line break too.
  if (text.endsWith('\n')) lineStarts.push(text.length);
  return { root, lineStarts };
}

/**
 * Whether a plain scalar may be other than a string in the YAML 1.2 core schema: its null, bool,
 * int and float forms all start with one of these characters or are empty. Skipping the tags'
 * tests for the rest (host names, most variables) halves the time of a big inventory.
 */
function mayBeTyped(text: string): boolean {
  return text === '' || TYPED_START.test(text);
}
const TYPED_START = /^[-+.0-9~nNtTfF]/u;

/** The end of `text[from, end)` without its trailing spaces. */
function trimmedEnd(text: string, from: number, end: number): number {
  let last = end;
  while (last > from && text.charCodeAt(last - 1) === SPACE) last--;
  return last;
}

/** Whether a plain scalar may start at `at`. */
function plainStart(text: string, at: number, end: number): boolean {
  const c = text.charCodeAt(at);
  if (c === DASH) return at + 1 < end && text.charCodeAt(at + 1) !== SPACE;
  return !INDICATORS.has(c);
}

/** `key:` at `at`: a plain key ending at a colon followed by a space or the line's end. */
function readKey(text: string, at: number, end: number): Token | undefined {
  if (!plainStart(text, at, end)) return undefined;
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH && text.charCodeAt(i - 1) === SPACE) return undefined;
    if (c !== COLON || (i + 1 < end && text.charCodeAt(i + 1) !== SPACE)) continue;
    // `key :` (space before the colon) is valid YAML, but rare enough to leave to the parser.
    if (text.charCodeAt(i - 1) === SPACE || i - at > MAX_KEY_LENGTH) return undefined;
    return { start: at, end: i, text: text.slice(at, i), type: 'PLAIN' };
  }
  return undefined;
}

/** The value after `key: `: a plain scalar up to a comment, or a quoted string without escapes. */
function readValue(text: string, at: number, end: number): Token | undefined {
  const quote = text.charCodeAt(at);
  if (quote === SINGLE || quote === DOUBLE) {
    const close = text.indexOf(quote === SINGLE ? "'" : '"', at + 1);
    if (close < 0 || close >= end) return undefined;
    const inner = text.slice(at + 1, close);
    // An escape (`\` in double quotes, `''` in single ones) is the parser's to read.
    if (quote === DOUBLE && inner.includes('\\')) return undefined;
    if (quote === SINGLE && text.charCodeAt(close + 1) === SINGLE) return undefined;
    // After the closing quote: spaces, then a comment or nothing.
    let after = close + 1;
    while (after < end && text.charCodeAt(after) === SPACE) after++;
    if (after < end && (text.charCodeAt(after) !== HASH || after === close + 1)) return undefined;
    return { start: at, end: close + 1, text: inner, type: quote === SINGLE ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE' };
  }
  if (!plainStart(text, at, end)) return undefined;
  let last = end;
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH && text.charCodeAt(i - 1) === SPACE) {
      last = i;
      break;
    }
    // `a: b: c` and `a: b:` are errors (or a nested key) to the parser.
    if (c === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) return undefined;
  }
  const valueEnd = trimmedEnd(text, at, last);
  return { start: at, end: valueEnd, text: text.slice(at, valueEnd), type: 'PLAIN' };
}
