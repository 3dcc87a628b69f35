// yaml.dump as Ansible's to_yaml / to_nice_yaml call it: PyYAML's SafeRepresenter and Resolver
// choose each node's tag and whether a plain scalar would read back as that tag, then libyaml's
// emitter (what PyYAML's CSafeDumper, and so Ansible's AnsibleDumper, writes with whenever
// PyYAML is built with libyaml, as Debian's and pip's are) chooses quoting, folds long scalars
// at `width` and lays out block and flow collections. The decisions below follow libyaml 0.2.5's
// src/emitter.c (yaml_emitter_analyze_scalar, yaml_emitter_select_scalar_style, the write_*
// functions) and PyYAML's representer.py / resolver.py; docs/jinja.md "to_yaml" says what differs.
import { PyDateTime } from '../datetime.js';
import { JinjaRenderError } from '../errors.js';
import { floatRepr, isDict, PyFloat, Undefined } from '../values.js';

/** yaml.dump's keyword arguments that Ansible content passes through to_yaml / to_nice_yaml. */
export interface YamlDumpOptions {
  readonly indent: number;
  readonly width: number;
  /** default_flow_style: undefined is PyYAML's None (a collection of plain scalars only is written in flow style). */
  readonly flow: boolean | undefined;
  readonly sortKeys: boolean;
  readonly allowUnicode: boolean;
  readonly explicitStart: boolean;
  readonly explicitEnd: boolean;
  /** default_style: every scalar quoted so (`'` or `"`). */
  readonly defaultStyle?: Style;
  readonly lineBreak?: string;
  /** version=(1, 1): a `%YAML 1.1` directive. */
  readonly version?: string;
}

type Style = 'plain' | "'" | '"' | '|' | '>';

interface ScalarNode {
  readonly kind: 'scalar';
  readonly tag: string;
  readonly value: string;
  readonly style: Style | undefined;
}
interface SequenceNode {
  readonly kind: 'sequence';
  readonly items: readonly Node[];
  readonly flow: boolean;
}
interface MappingNode {
  readonly kind: 'mapping';
  readonly pairs: readonly (readonly [Node, Node])[];
  readonly flow: boolean;
}
type Node = ScalarNode | SequenceNode | MappingNode;

const yamlTag = (name: string): string => `tag:yaml.org,2002:${name}`;

// PyYAML's implicit resolvers (resolver.py), each tried only for the first characters it lists.
const implicitResolvers: readonly (readonly [string, RegExp, string])[] = [
  ['bool', /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/, 'yYnNtTfFoO'],
  [
    'float',
    /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    '-+0123456789.',
  ],
  ['int', /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/, '-+0123456789'],
  ['merge', /^(?:<<)$/, '<'],
  ['null', /^(?:~|null|Null|NULL|)$/, '~nN'],
  [
    'timestamp',
    /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
    '0123456789',
  ],
  ['value', /^(?:=)$/, '='],
];

/** The tag a plain scalar with this text reads back as (PyYAML's Resolver.resolve). */
function resolvePlain(value: string): string {
  // Python's `$` also matches before one trailing newline.
  const text = value.endsWith('\n') ? value.slice(0, -1) : value;
  const first = value.charAt(0);
  for (const [name, pattern, firsts] of implicitResolvers) {
    if (value === '' ? name === 'null' : firsts.includes(first)) {
      if (pattern.test(text)) return yamlTag(name);
    }
  }
  return yamlTag('str');
}

/** Python's sorted() of str keys: code point order. */
function codePointOrder(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** SafeRepresenter: a value as a node tree. */
function represent(value: unknown, options: YamlDumpOptions): Node {
  const scalar = (tag: string, text: string, style?: Style): ScalarNode => ({ kind: 'scalar', tag: yamlTag(tag), value: text, style: style ?? options.defaultStyle });
  // represent_sequence / represent_mapping: flow style when every child is a scalar without a style of its own.
  const bestFlow = (children: readonly Node[]): boolean => options.flow ?? children.every((child) => child.kind === 'scalar' && child.style === undefined);
  if (value instanceof Undefined) value.fail();
  if (value === null || value === undefined) return scalar('null', 'null');
  if (value === true || value === false) return scalar('bool', value ? 'true' : 'false');
  // JavaScript's -0 is an integer result Python would print as 0.
  if (typeof value === 'number' && Number.isInteger(value)) return scalar('int', value === 0 ? '0' : BigInt(value).toString());
  if (typeof value === 'number' || value instanceof PyFloat) {
    const number = typeof value === 'number' ? value : value.value;
    if (Number.isNaN(number)) return scalar('float', '.nan');
    if (!Number.isFinite(number)) return scalar('float', number > 0 ? '.inf' : '-.inf');
    const text = floatRepr(number).toLowerCase();
    return scalar('float', !text.includes('.') && text.includes('e') ? text.replace('e', '.0e') : text);
  }
  if (typeof value === 'string') return scalar('str', value);
  if (value instanceof PyDateTime) return scalar('timestamp', value.toString());
  if (Array.isArray(value)) {
    const items = value.map((item) => represent(item, options));
    return { kind: 'sequence', items, flow: bestFlow(items) };
  }
  if (isDict(value)) {
    const keys = options.sortKeys ? Object.keys(value).sort(codePointOrder) : Object.keys(value);
    const pairs = keys.map((key) => [represent(key, options), represent(value[key], options)] as const);
    return { kind: 'mapping', pairs, flow: bestFlow(pairs.flat()) };
  }
  throw new JinjaRenderError(`('cannot represent an object', ${String(value)})`);
}

// libyaml's character classes (yaml_private.h), on code points.
const isBreak = (ch: string | undefined): boolean => ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';
const isBlankZ = (ch: string | undefined): boolean => ch === undefined || ch === '\0' || isBlank(ch) || isBreak(ch);
function isPrintable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff);
}

interface ScalarAnalysis {
  readonly multiline: boolean;
  readonly flowPlainAllowed: boolean;
  readonly blockPlainAllowed: boolean;
  readonly singleQuotedAllowed: boolean;
  readonly blockAllowed: boolean;
  /** UTF-8 length: what the simple-key limit (128) counts. */
  readonly length: number;
}

/** yaml_emitter_analyze_scalar: which styles can carry this text. */
function analyzeScalar(value: string, unicode: boolean): ScalarAnalysis {
  const length = Buffer.byteLength(value, 'utf8');
  if (value === '') return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false, length };
  const chars = [...value];
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let flowIndicators = blockIndicators;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  chars.forEach((ch, i) => {
    const followedByWhitespace = isBlankZ(chars[i + 1]);
    const last = i === chars.length - 1;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true;
      if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) flowIndicators = blockIndicators = true;
    }
    if (!isPrintable(ch) || (!unicode && (ch.codePointAt(0) ?? 0) > 0x7f)) special = true;
    if (isBreak(ch)) lineBreaks = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankZ(ch);
  });
  const plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak || special || lineBreaks);
  return {
    multiline: lineBreaks,
    flowPlainAllowed: plain && !flowIndicators,
    blockPlainAllowed: plain && !blockIndicators,
    singleQuotedAllowed: !(breakSpace || spaceBreak || special),
    blockAllowed: !(trailingSpace || spaceBreak || special),
    length,
  };
}

/** libyaml's emitter state, for one document. */
class Emitter {
  private out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  private openEnded = 0;
  private mappingContext = false;
  private simpleKeyContext = false;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private readonly lineBreak: string;

  constructor(private readonly options: YamlDumpOptions) {
    // yaml_emitter_emit_stream_start's corrections of the settings.
    this.bestIndent = options.indent < 2 || options.indent > 9 ? 2 : options.indent;
    this.bestWidth = options.width < 0 ? Number.POSITIVE_INFINITY : options.width <= this.bestIndent * 2 ? 80 : options.width;
    this.lineBreak = options.lineBreak ?? '\n';
  }

  document(root: Node): string {
    if (this.options.version !== undefined) {
      this.indicator('%YAML', true, false, false);
      this.indicator(this.options.version, true, false, false);
      this.writeIndent();
    }
    if (this.options.explicitStart || this.options.version !== undefined) {
      this.writeIndent();
      this.indicator('---', true, false, false);
    }
    this.node(root, false, false);
    this.writeIndent();
    if (this.options.explicitEnd) {
      this.indicator('...', true, false, false);
      this.openEnded = 0;
      this.writeIndent();
    } else if (this.openEnded === 0) this.openEnded = 1;
    // Stream end: a kept trailing break of a block scalar needs the end marker.
    if (this.openEnded === 2) {
      this.indicator('...', true, false, false);
      this.writeIndent();
    }
    return this.out;
  }

  private put(text: string): void {
    this.out += text;
    this.column += [...text].length;
  }

  private putBreak(): void {
    this.out += this.lineBreak;
    this.column = 0;
  }

  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak();
    else {
      this.out += ch;
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private node(node: Node, mapping: boolean, simpleKey: boolean): void {
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    if (node.kind === 'scalar') this.scalar(node);
    else if (node.kind === 'sequence') {
      if (this.flowLevel > 0 || node.flow || node.items.length === 0) this.flowSequence(node);
      else this.blockSequence(node);
    } else if (this.flowLevel > 0 || node.flow || node.pairs.length === 0) this.flowMapping(node);
    else this.blockMapping(node);
  }

  private simpleKey(key: Node): boolean {
    if (key.kind === 'sequence') return key.items.length === 0;
    if (key.kind === 'mapping') return key.pairs.length === 0;
    const analysis = analyzeScalar(key.value, this.options.allowUnicode);
    return !analysis.multiline && analysis.length + tagText(key, analysis).length <= 128;
  }

  private flowSequence(node: SequenceNode): void {
    this.indicator('[', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    node.items.forEach((item, i) => {
      if (i > 0) this.indicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, false, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.indicator(']', false, false, false);
  }

  private blockSequence(node: SequenceNode): void {
    // A sequence that is a mapping's value starts at the key's column.
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of node.items) {
      this.writeIndent();
      this.indicator('-', true, false, true);
      this.node(item, false, false);
    }
    this.popIndent();
  }

  private flowMapping(node: MappingNode): void {
    this.indicator('{', true, true, false);
    this.increaseIndent(true, false);
    this.flowLevel++;
    node.pairs.forEach(([key, value], i) => {
      if (i > 0) this.indicator(',', false, false, false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.simpleKey(key)) {
        this.node(key, true, true);
        this.indicator(':', false, false, false);
      } else {
        this.indicator('?', true, false, false);
        this.node(key, true, false);
        if (this.column > this.bestWidth) this.writeIndent();
        this.indicator(':', true, false, false);
      }
      this.node(value, true, false);
    });
    this.flowLevel--;
    this.popIndent();
    this.indicator('}', false, false, false);
  }

  private blockMapping(node: MappingNode): void {
    this.increaseIndent(false, false);
    for (const [key, value] of node.pairs) {
      this.writeIndent();
      if (this.simpleKey(key)) {
        this.node(key, true, true);
        this.indicator(':', false, false, false);
      } else {
        this.indicator('?', true, false, true);
        this.node(key, true, false);
        this.writeIndent();
        this.indicator(':', true, false, true);
      }
      this.node(value, true, false);
    }
    this.popIndent();
  }

  /** yaml_emitter_select_scalar_style. */
  private style(node: ScalarNode, analysis: ScalarAnalysis): Style {
    let style: Style = node.style ?? 'plain';
    const plainImplicit = resolvePlain(node.value) === node.tag;
    if (this.simpleKeyContext && analysis.multiline) style = '"';
    if (style === 'plain') {
      if (this.flowLevel > 0 ? !analysis.flowPlainAllowed : !analysis.blockPlainAllowed) style = "'";
      if (analysis.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = "'";
      if (!plainImplicit) style = "'";
    }
    if (style === "'" && !analysis.singleQuotedAllowed) style = '"';
    if ((style === '|' || style === '>') && (!analysis.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)) style = '"';
    return style;
  }

  private scalar(node: ScalarNode): void {
    const analysis = analyzeScalar(node.value, this.options.allowUnicode);
    const style = this.style(node, analysis);
    const tag = tagText(node, analysis, style);
    if (tag !== '') {
      if (!this.whitespace) this.put(' ');
      this.put(tag);
      this.whitespace = false;
      this.indention = false;
    }
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    if (style === 'plain') this.plain(node.value, allowBreaks);
    else if (style === "'") this.singleQuoted(node.value, allowBreaks);
    else if (style === '"') this.doubleQuoted(node.value, allowBreaks);
    else this.literal(node.value);
    this.popIndent();
  }

  private plain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace && (value !== '' || this.flowLevel > 0)) this.put(' ');
    const chars = [...value];
    let spaces = false;
    chars.forEach((ch, i) => {
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        this.indention = false;
        spaces = false;
      }
    });
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(value: string, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    const chars = [...value];
    let spaces = false;
    let breaks = false;
    chars.forEach((ch, i) => {
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        // A line break inside single quotes is written as an empty line (one break folds to a space).
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch === "'" ? "''" : ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    });
    if (breaks) this.writeIndent();
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(value: string, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    const chars = [...value];
    let spaces = false;
    chars.forEach((ch, i) => {
      const code = ch.codePointAt(0) ?? 0;
      if (!isPrintable(ch) || (!this.options.allowUnicode && code > 0x7f) || code === 0xfeff || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put(`\\${doubleQuoteEscape(code)}`);
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i !== 0 && i !== chars.length - 1) {
          this.writeIndent();
          // A folded line that starts with a space keeps it behind an escape.
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    });
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(value: string): void {
    this.indicator('|', true, false, false);
    const chars = [...value];
    if (chars[0] === ' ' || isBreak(chars[0])) this.indicator(String(this.bestIndent), false, false, false);
    this.openEnded = 0;
    const lastBreak = isBreak(chars[chars.length - 1]);
    let chomp = '';
    if (!lastBreak) chomp = '-';
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) {
      chomp = '+';
      this.openEnded = 2;
    }
    if (chomp !== '') this.indicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of chars) {
      if (isBreak(ch)) {
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** The tag written before a scalar: none when the style reads back as the node's tag. */
function tagText(node: ScalarNode, analysis: ScalarAnalysis, style?: Style): string {
  void analysis;
  const plainImplicit = resolvePlain(node.value) === node.tag;
  const quotedImplicit = node.tag === yamlTag('str');
  if (!plainImplicit && !quotedImplicit) return node.tag.startsWith('tag:yaml.org,2002:') ? `!!${node.tag.slice('tag:yaml.org,2002:'.length)}` : `!<${node.tag}>`;
  // libyaml's "non-specific" tag: a quoted scalar that would not read back as its tag.
  if (style !== undefined && style !== 'plain' && !quotedImplicit) return '!';
  return '';
}

const namedEscapes: Readonly<Record<number, string>> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function doubleQuoteEscape(code: number): string {
  const named = namedEscapes[code];
  if (named !== undefined) return named;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `u${hex.padStart(4, '0')}`;
  return `U${hex.padStart(8, '0')}`;
}

/** yaml.dump(value, Dumper=AnsibleDumper, **options): one document. */
export function dumpYaml(value: unknown, options: YamlDumpOptions): string {
  return new Emitter(options).document(represent(value, options));
}
