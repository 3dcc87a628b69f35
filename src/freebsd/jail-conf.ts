// A Bastille jail's jail.conf (docs/freebsd/bastille.md): one `name { … }` block, one statement per
// line as Bastille writes it. Parameters are read and set line by line; every other line stays
// byte for byte, and new parameters go before the closing brace as `bastille config set` does.
import { InvalidInputError } from '../errors.js';

/** A jail.conf parameter value as beastie enforces it: a boolean flag or a scalar. */
export type JailParamValue = boolean | string | number;

/** One `key = value;`, `key += value;` or `key;` statement of the block. */
export interface JailStatement {
  readonly key: string;
  readonly operator: '=' | '+=' | 'flag';
  /** Unquoted value; `true` for a flag statement. */
  readonly value: string;
  readonly line: number;
}

export interface JailConf {
  readonly name: string | undefined;
  readonly statements: readonly JailStatement[];
  /** Index of the line holding the closing brace of the block. */
  readonly closeLine: number | undefined;
}

const blockStart = /^\s*("?)([^\s{"]+)\1\s*\{\s*$/;
// A value is one quoted string (backslash escapes inside, as jaillex.l reads them) or bare text
// up to the `;`: a `;` or `#` inside quotes belongs to the value.
const assignment = /^\s*([A-Za-z0-9_.]+)\s*(\+?=)\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^'";]*?)\s*;\s*(#.*)?$/;
const flag = /^\s*([A-Za-z0-9_.]+)\s*;\s*(#.*)?$/;

/** jaillex.l's backslash escapes that {@link quoteJailValue} writes. */
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t' };

function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    return value.slice(1, -1).replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c);
  }
  return value;
}

/**
 * A value as one double-quoted jail.conf string. jail(8)'s lexer (usr.sbin/jail/jaillex.l) takes
 * backslash escapes inside double quotes and expands `$name` there unless escaped, so escaping
 * `\`, `"`, `$`, line feed and tab keeps any text one string: a value never ends its statement or
 * adds another (such as `exec.prestart`, which jail(8) runs as root). Other control characters have
 * no escape every reader agrees on and are refused. docs/config-injection.md.
 */
export function quoteJailValue(text: string): string {
  const control = /[\x00-\x08\x0b-\x1f\x7f]/.exec(text);
  if (control !== null) {
    throw new InvalidInputError(`jail.conf value ${JSON.stringify(text)}: control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')} cannot be written into jail.conf`);
  }
  // Plain text keeps the single quotes Bastille itself writes.
  if (!/['\\\n\t]/.test(text)) return `'${text}'`;
  return `"${text.replace(/[\\"$]/g, (c) => `\\${c}`).replaceAll('\n', '\\n').replaceAll('\t', '\\t')}"`;
}

/** Parse the block's statements, with line numbers for editing. */
export function parseJailConf(text: string): JailConf {
  const lines = text.split('\n');
  let name: string | undefined;
  let closeLine: number | undefined;
  const statements: JailStatement[] = [];
  lines.forEach((line, index) => {
    if (closeLine !== undefined) return;
    if (name === undefined) {
      const start = blockStart.exec(line);
      if (start) name = start[2];
      return;
    }
    if (/^\s*\}\s*$/.test(line)) {
      closeLine = index;
      return;
    }
    const assign = assignment.exec(line);
    if (assign) {
      statements.push({ key: assign[1] ?? '', operator: assign[2] === '+=' ? '+=' : '=', value: unquote(assign[3] ?? ''), line: index });
      return;
    }
    const bare = flag.exec(line);
    if (bare) statements.push({ key: bare[1] ?? '', operator: 'flag', value: 'true', line: index });
  });
  return { name, statements, closeLine };
}

/** For `allow.vmm` the negative flag is `allow.novmm` (jail.conf(5)). */
function negatedKey(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? `no${key}` : `${key.slice(0, dot + 1)}no${key.slice(dot + 1)}`;
}

/** The effective value of a parameter in the file, as jail(8) would read it; undefined when unset. */
export function jailParam(conf: JailConf, key: string): string | undefined {
  let value: string | undefined;
  for (const statement of conf.statements) {
    if (statement.key === key && statement.operator !== '+=') value = statement.value;
    if (statement.key === negatedKey(key) && statement.operator === 'flag') value = 'false';
  }
  return value;
}

/** How a wanted value compares with a value read back (`true`/`1` for booleans, numbers as text). */
export function jailParamMatches(wanted: JailParamValue, actual: string | undefined): boolean {
  if (typeof wanted === 'boolean') {
    const on = actual !== undefined && actual !== 'false' && actual !== '0';
    return wanted === on;
  }
  return actual !== undefined && actual === String(wanted);
}

function renderStatement(key: string, value: JailParamValue): string | undefined {
  if (value === true) return `  ${key};`;
  if (value === false) return undefined;
  const text = String(value);
  return `  ${key} = ${/^[A-Za-z0-9_.\/:,+-]+$/.test(text) ? text : quoteJailValue(text)};`;
}

/**
 * The text with each parameter set: the first `=`/flag line of a key is rewritten in place (later
 * duplicates removed), a missing one is inserted before `}`, `false` removes the flag (the default).
 */
export function setJailParams(text: string, params: Readonly<Record<string, JailParamValue>>): string {
  const lines = text.split('\n');
  const conf = parseJailConf(text);
  if (conf.name === undefined || conf.closeLine === undefined) {
    throw new Error('jail.conf has no `name { … }` block to edit');
  }
  const replaced = new Map<number, string | undefined>();
  const inserted: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const rendered = renderStatement(key, value);
    const matching = conf.statements.filter((s) => (s.key === key && s.operator !== '+=') || (s.key === negatedKey(key) && s.operator === 'flag'));
    if (matching.length === 0) {
      if (rendered !== undefined) inserted.push(rendered);
      continue;
    }
    matching.forEach((statement, index) => {
      if (index === 0 && rendered !== undefined) {
        const current = lines[statement.line] ?? '';
        const alreadyRight = statement.key === key && jailParamMatches(value, statement.value) && (value !== true || statement.operator === 'flag');
        replaced.set(statement.line, alreadyRight ? current : rendered);
      } else {
        replaced.set(statement.line, undefined);
      }
    });
  }
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (index === conf.closeLine) out.push(...inserted);
    if (!replaced.has(index)) out.push(line);
    else {
      const replacement = replaced.get(index);
      if (replacement !== undefined) out.push(replacement);
    }
  });
  return out.join('\n');
}
