// Ansible's string forms of module arguments: `command: ls -l chdir=/tmp` (free form, with a few
// recognised key=value options pulled out) and `file: path=/x state=touch` (all key=value).

/** Modules whose string argument is the command itself. */
export const freeFormModules: ReadonlySet<string> = new Set(['command', 'shell', 'raw', 'script']);

/** Modules whose string argument is one parameter (Ansible's `_raw_params`): `include_vars: main.yml`. */
export const rawParamModules: ReadonlyMap<string, string> = new Map([['include_vars', 'file']]);

/** key=value options Ansible extracts from a free-form command string. */
const freeFormOptions: ReadonlySet<string> = new Set(['creates', 'removes', 'chdir', 'executable', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

interface Token {
  readonly raw: string;
  /** The token with its quotes removed. */
  readonly text: string;
}

/** Jinja's block openers and their closers: a template is one word even with spaces inside (Ansible's split_args). */
const jinjaPairs: Readonly<Record<string, string>> = { '{{': '}}', '{%': '%}', '{#': '#}' };

function tokens(input: string): Token[] {
  const out: Token[] = [];
  let raw = '';
  let text = '';
  let quote: string | undefined;
  // The closers of the Jinja blocks open at this point; inside one, quotes and spaces are the template's.
  const open: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input[i] ?? '';
    const pair = input.slice(i, i + 2);
    if (quote === undefined && Object.hasOwn(jinjaPairs, pair)) {
      open.push(jinjaPairs[pair] ?? '');
      raw += pair;
      text += pair;
      i++;
    } else if (quote === undefined && open.length > 0 && pair === open[open.length - 1]) {
      open.pop();
      raw += pair;
      text += pair;
      i++;
    } else if (open.length > 0) {
      raw += c;
      text += c;
    } else if (quote !== undefined) {
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

/**
 * `key=value`: the key is a name, or a template that renders to one (`{{ item }}=present`, as
 * set_fact takes); the first `=` outside a template splits them.
 */
function keyValue(token: Token): [string, string] | undefined {
  const named = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(token.raw);
  if (named?.[1]) return [named[1], token.text.slice(named[1].length + 1)];
  const templated = /^((?:[A-Za-z0-9_]|\{\{.*?\}\})+)=/.exec(token.text);
  if (!templated?.[1] || !templated[1].includes('{{')) return undefined;
  return [templated[1], token.text.slice(templated[1].length + 1)];
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
