// The template module's own Jinja arguments — trim_blocks, lstrip_blocks, newline_sequence and the
// six delimiter strings — as the environment Ansible's template action builds from them
// (plugins/action/template.py: `\n`-style escapes accepted for newline_sequence, booleans read
// loosely), and output_encoding as the action writes the result (to_bytes with that codec).
import type { JinjaEnvironment } from '../jinja/template.js';
import { hasTemplate } from './segments.js';

/** The task arguments that shape the environment, by Ansible's names. */
export interface TemplateEnvironmentParams {
  readonly trim_blocks?: unknown;
  readonly lstrip_blocks?: unknown;
  readonly newline_sequence?: unknown;
  readonly variable_start_string?: unknown;
  readonly variable_end_string?: unknown;
  readonly block_start_string?: unknown;
  readonly block_end_string?: unknown;
  readonly comment_start_string?: unknown;
  readonly comment_end_string?: unknown;
}

const delimiterParams = {
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
} as const;

/** The action's accepted newline sequences, and the written-out forms it turns into them. */
const newlineSequences: Readonly<Record<string, string>> = { '\n': '\n', '\r': '\r', '\r\n': '\r\n', '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n' };

export const newlineSequenceMessage = 'newline_sequence needs to be one of: \\n, \\r or \\r\\n';

/** newline_sequence as the environment takes it, or undefined when it is none of Ansible's three. */
export function newlineSequence(value: string): string | undefined {
  return newlineSequences[value];
}

/**
 * The environment of a template task's validated parameters. Undefined when every argument is
 * Ansible's default (the engine's own defaults then apply).
 */
export function templateEnvironment(params: TemplateEnvironmentParams): JinjaEnvironment | undefined {
  const delimiters: Record<string, string> = {};
  for (const [param, option] of Object.entries(delimiterParams)) {
    const value = params[param as keyof TemplateEnvironmentParams];
    if (typeof value === 'string') delimiters[option] = value;
  }
  const newline = typeof params.newline_sequence === 'string' ? newlineSequence(params.newline_sequence) : undefined;
  const trimBlocks = typeof params.trim_blocks === 'boolean' ? params.trim_blocks : undefined;
  const lstripBlocks = typeof params.lstrip_blocks === 'boolean' ? params.lstrip_blocks : undefined;
  if (Object.keys(delimiters).length === 0 && (newline ?? '\n') === '\n' && trimBlocks !== false && lstripBlocks !== true) return undefined;
  return { trimBlocks, lstripBlocks, newlineSequence: newline === '\n' ? undefined : newline, delimiters };
}

/** Whether an environment argument of a task as written is only known when the task runs. */
export function environmentIsTemplated(params: Readonly<Record<string, unknown>>): boolean {
  return ['trim_blocks', 'lstrip_blocks', 'newline_sequence', ...Object.keys(delimiterParams)].some((name) => {
    const value = params[name];
    return typeof value === 'string' && hasTemplate(value);
  });
}

/** Python's codecs that the template module's output_encoding takes here, by their normalised names. */
const encodings: Readonly<Record<string, 'utf-8' | 'latin-1' | 'ascii' | 'utf-16' | 'utf-16-le' | 'utf-16-be'>> = {
  'utf-8': 'utf-8', utf8: 'utf-8', u8: 'utf-8', 'latin-1': 'latin-1', latin1: 'latin-1', 'iso-8859-1': 'latin-1', 'iso8859-1': 'latin-1', l1: 'latin-1',
  ascii: 'ascii', 'us-ascii': 'ascii', 'utf-16': 'utf-16', utf16: 'utf-16', 'utf-16-le': 'utf-16-le', 'utf-16le': 'utf-16-le', 'utf-16-be': 'utf-16-be', 'utf-16be': 'utf-16-be',
};

export const supportedEncodings = 'utf-8, latin-1, ascii, utf-16, utf-16-le, utf-16-be';

/** Whether beastie writes this output_encoding. */
export function knownEncoding(name: string): boolean {
  return encodings[name.toLowerCase().replaceAll('_', '-')] !== undefined;
}

/** The rendered text as bytes in `encoding`; throws Python's message for a character the codec lacks. */
export function encodeOutput(text: string, encoding: string): Buffer {
  const codec = encodings[encoding.toLowerCase().replaceAll('_', '-')] ?? 'utf-8';
  if (codec === 'utf-8') return Buffer.from(text, 'utf8');
  if (codec === 'latin-1' || codec === 'ascii') {
    const limit = codec === 'ascii' ? 0x80 : 0x100;
    let position = 0;
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      if (code >= limit) {
        const shown = code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
        throw new Error(`'${codec === 'ascii' ? 'ascii' : 'latin-1'}' codec can't encode character '${shown}' in position ${position}: ordinal not in range(${limit})`);
      }
      position++;
    }
    return Buffer.from(text, 'latin1');
  }
  const le = Buffer.from(text, 'utf16le');
  if (codec === 'utf-16-le') return le;
  if (codec === 'utf-16-be') return le.swap16();
  // Python's 'utf-16' writes a byte order mark, then the machine's order (little-endian here).
  return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
}
