// The authorized_keys(5) file as ansible.posix.authorized_key reads and rewrites it (its parsekey,
// parseoptions, parsekeys, serialize and enforce_state, in our own words), so beastie leaves the
// same bytes: a key line is written `OPTIONS TYPE KEY COMMENT\n` (with a trailing space when there
// is no comment, as Ansible writes it); lines that are not keys are kept as they are.

/** The key types Ansible recognises (its VALID_SSH2_KEY_TYPES). */
const KEY_TYPES: ReadonlySet<string> = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com', 'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com', 'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'ssh-dss', 'ssh-rsa', 'ssh-xmss@openssh.com', 'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256', 'rsa-sha2-512', 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** Key options in order: `from="10.0.0.1",no-pty` → [['from', '"10.0.0.1"'], ['no-pty', null]]. */
export type KeyOptions = readonly (readonly [string, string | null])[];

/** One line of the file: a key, or a line kept as it is (comment, blank, not a key). */
export type KeyLine =
  | { readonly kind: 'key'; readonly key: string; readonly type: string; readonly options: KeyOptions; readonly comment: string; readonly rank: number }
  | { readonly kind: 'kept'; readonly line: string; readonly rank: number };

/** Split options on commas outside quotes; a repeated option keeps its first place and last value. */
export function parseKeyOptions(text: string | undefined): KeyOptions {
  if (text === undefined || text === '') return [];
  const parts = text.match(/(?:[^,"']|"[^"]*"|'[^']*')+/g) ?? [];
  const options = new Map<string, string | null>();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals >= 0) options.set(part.slice(0, equals), part.slice(equals + 1));
    else options.set(part, null);
  }
  return [...options];
}

/** One key line; undefined when no key type is found in it. */
export function parseKey(text: string, rank: number): KeyLine | undefined {
  const raw = text.replace(/\\#/g, '#');
  const parts = raw.split(/\s+/).filter((p) => p !== '');
  if (parts[0] === '#') return { kind: 'kept', line: raw, rank };
  const typeIndex = parts.findIndex((p) => KEY_TYPES.has(p));
  if (typeIndex < 0 || parts[typeIndex + 1] === undefined) return undefined;
  return {
    kind: 'key',
    key: parts[typeIndex + 1] ?? '',
    type: parts[typeIndex] ?? '',
    options: parseKeyOptions(typeIndex > 0 ? parts.slice(0, typeIndex).join(' ') : undefined),
    comment: parts.slice(typeIndex + 2).join(' '),
    rank,
  };
}

/** The file's lines by identity: a key by its base64 blob, any other line by its own text (so duplicates collapse, as in Ansible). */
export function parseKeyFile(content: string): Map<string, KeyLine> {
  const lines = new Map<string, KeyLine>();
  (content.match(/[^\n]*\n|[^\n]+$/g) ?? []).forEach((line, rank) => {
    const parsed = parseKey(line, rank);
    if (parsed?.kind === 'key') lines.set(parsed.key, parsed);
    else lines.set(parsed?.kind === 'kept' ? parsed.line : line, { kind: 'kept', line: parsed?.kind === 'kept' ? parsed.line : line, rank });
  });
  return lines;
}

/** The file's text, lines in rank order. */
export function serializeKeyFile(lines: ReadonlyMap<string, KeyLine>): string {
  return [...lines.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((line) => {
      if (line.kind === 'kept') return line.line;
      const options = line.options.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join(',');
      return `${options === '' ? '' : `${options} `}${line.type} ${line.key} ${line.comment}\n`;
    })
    .join('');
}

function sameOptions(a: KeyOptions, b: KeyOptions): boolean {
  if (a.length !== b.length) return false;
  const other = new Map(b);
  return a.every(([k, v]) => other.has(k) && other.get(k) === v);
}

/** What the keys to enforce are. */
export interface KeyRequest {
  /** The `key` parameter: one or more keys, one a line. */
  readonly keys: string;
  readonly state: 'present' | 'absent';
  readonly keyOptions?: string;
  readonly comment?: string;
  readonly exclusive: boolean;
}

/** The new file text and whether Ansible would write it, or the invalid key. */
export type KeyOutcome = { readonly kind: 'ok'; readonly write: boolean; readonly content: string } | { readonly kind: 'invalid'; readonly line: string };

/** Ansible's enforce_state on the file's current text. */
export function enforceKeys(existing: string, request: KeyRequest): KeyOutcome {
  const lines = parseKeyFile(existing);
  const wanted = request.keys.split(/\r?\n/).filter((line) => line !== '' && !line.startsWith('#'));
  const maxRank = lines.size;
  const keep: string[] = [];
  let write = false;
  for (const [rank, text] of wanted.entries()) {
    const parsed = parseKey(text, rank);
    if (parsed?.kind !== 'key') return { kind: 'invalid', line: text };
    const key = {
      ...parsed,
      ...(request.keyOptions === undefined ? {} : { options: parseKeyOptions(request.keyOptions) }),
      ...(request.comment === undefined ? {} : { comment: request.comment }),
    };
    const current = lines.get(key.key);
    let matched = false;
    if (current !== undefined) {
      const same = current.kind === 'key' && current.type === key.type && current.comment === key.comment && sameOptions(current.options, key.options);
      if (!same && request.state === 'present') {
        lines.delete(key.key);
        write = true;
      } else matched = true;
    }
    if (request.state === 'present') {
      keep.push(key.key);
      if (!matched) {
        lines.set(key.key, { ...key, rank: maxRank + rank });
        write = true;
      }
    } else if (matched) {
      lines.delete(key.key);
      write = true;
    }
  }
  if (request.state === 'present' && request.exclusive) {
    for (const id of [...lines.keys()]) {
      if (!keep.includes(id)) {
        lines.delete(id);
        write = true;
      }
    }
  }
  return { kind: 'ok', write, content: serializeKeyFile(lines) };
}
