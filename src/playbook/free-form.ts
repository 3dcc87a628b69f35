// Ansible's string forms of module arguments: `command: ls -l chdir=/tmp` (free form, with a few
// recognised key=value options pulled out) and `file: path=/x state=touch` (all key=value).

/** Modules whose string argument is the command itself. */
export const freeFormModules: ReadonlySet<string> = new Set(['command', 'shell', 'raw', 'script']);

/** key=value options Ansible extracts from a free-form command string. */
const freeFormOptions: ReadonlySet<string> = new Set(['creates', 'removes', 'chdir', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

interface Token {
  readonly raw: string;
  /** The token with its quotes removed. */
  readonly text: string;
}

function tokens(input: string): Token[] {
  const out: Token[] = [];
  let raw = '';
  let text = '';
  let quote: string | undefined;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] ?? '';
    if (quote !== undefined) {
      raw += c;
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < input.length) {
        raw += input[i + 1];
        text += input[++i];
      } else text += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      raw += c;
    } else if (/\s/.test(c)) {
      if (raw !== '') out.push({ raw, text });
      raw = '';
      text = '';
    } else {
      raw += c;
      text += c;
    }
  }
  if (raw !== '') out.push({ raw, text });
  return out;
}

function keyValue(token: Token): [string, string] | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(token.raw);
  if (!match?.[1]) return undefined;
  return [match[1], token.text.slice(match[1].length + 1)];
}

/** `ls -l chdir=/tmp` → { cmd: 'ls -l', chdir: '/tmp' }; the command text is kept as written. */
export function parseFreeForm(input: string): Record<string, string> {
  const all = tokens(input);
  const options = all.map(keyValue).map((kv) => (kv && freeFormOptions.has(kv[0]) ? kv : undefined));
  if (options.every((kv) => kv === undefined)) return { cmd: input.trim() };
  const params: Record<string, string> = {};
  const rest: string[] = [];
  all.forEach((token, i) => {
    const kv = options[i];
    if (kv) params[kv[0]] = kv[1];
    else rest.push(token.raw);
  });
  if (rest.length > 0) params['cmd'] = rest.join(' ');
  return params;
}

/** `path=/x state=touch` → { path: '/x', state: 'touch' }, or undefined when a word is not key=value. */
export function parseKeyValues(input: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const token of tokens(input)) {
    const kv = keyValue(token);
    if (kv === undefined) return undefined;
    params[kv[0]] = kv[1];
  }
  return params;
}
