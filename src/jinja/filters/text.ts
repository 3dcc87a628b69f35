// Ansible's filters on text, hashes and encodings (plugins/filter/core.py, encryption.py):
// quote, comment, split, regex_*, b64encode / b64decode, hash / checksum / md5 / sha1,
// password_hash, to_uuid.
import { createHash, randomBytes } from 'node:crypto';
import { JinjaRenderError } from '../errors.js';
import { splitString } from '../methods.js';
import { expandReplacement, pythonRegExp } from '../python-regex.js';
import type { Filter } from '../registry.js';
import { isDict, numberOf, pyStr, truthy, typeName, Undefined, type CallArgs } from '../values.js';
import { md5Crypt, shaCrypt } from './sha-crypt.js';

function arg(call: CallArgs, index: number, name: string, fallback?: unknown): unknown {
  return call.args[index] ?? call.kwargs[name] ?? fallback;
}

/** Python's shlex.quote. */
export function shellQuote(text: string): string {
  if (text === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

function flags(call: CallArgs, ignoreIndex: number, multiIndex: number): string {
  return (truthy(arg(call, ignoreIndex, 'ignorecase', false)) ? 'i' : '') + (truthy(arg(call, multiIndex, 'multiline', false)) ? 'm' : '');
}

/** Python's re.escape. */
function regexEscape(text: string): string {
  return text.replace(/[^A-Za-z0-9_\u0080-\uffff]/g, (c) => (c === '\0' ? '\\000' : `\\${c}`));
}

const commentStyles: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** Ansible's comment filter, step for step. */
function comment(text: string, style: string, kw: Readonly<Record<string, unknown>>): string {
  const styleParams = commentStyles[style];
  if (styleParams === undefined) throw new JinjaRenderError(`comment: unknown style '${style}'`);
  const prepostfix = kw['decoration'] !== undefined ? pyStr(kw['decoration']) : (styleParams['decoration'] ?? '');
  const p: Record<string, string | number> = { newline: '\n', beginning: '', prefix: prepostfix.trimEnd(), prefix_count: 1, decoration: '', postfix: prepostfix.trimEnd(), postfix_count: 1, end: '', ...styleParams };
  for (const [key, value] of Object.entries(kw)) p[key] = typeof value === 'number' ? value : pyStr(value);
  const s = (key: string): string => String(p[key]);
  const beginning = s('beginning') !== '' ? `${s('beginning')}${s('newline')}` : '';
  let prefix = '';
  if (s('prefix') !== '') prefix = (s('prefix') !== s('newline') ? `${s('prefix')}${s('newline')}` : s('newline')).repeat(Number(p['prefix_count']));
  const body = `${s('decoration')}${text.split(s('newline')).join(`${s('newline')}${s('decoration')}`)}`.split(`${s('decoration')}${s('newline')}`).join(`${s('decoration').trimEnd()}${s('newline')}`);
  const postfix = ['', ...Array.from({ length: Number(p['postfix_count']) }, () => s('postfix'))].join(s('newline'));
  const end = s('end') !== '' ? `${s('newline')}${s('end')}` : '';
  return `${beginning}${prefix}${body}${postfix}${end}`;
}

const hashNames: Readonly<Record<string, string>> = { sha1: 'sha1', md5: 'md5', sha224: 'sha224', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', blake2b: 'blake2b512', blake2s: 'blake2s256', sha3_256: 'sha3-256', sha3_512: 'sha3-512' };

function digest(kind: string, text: string): string {
  const name = hashNames[kind];
  if (name === undefined) throw new JinjaRenderError(`unsupported hash type ${kind}`);
  return createHash(name).update(text, 'utf8').digest('hex');
}

/** uuid5 of a name in a namespace (RFC 4122). */
function uuid5(name: string, namespace: string): string {
  const hex = namespace.replace(/[{}-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new JinjaRenderError(`Invalid value '${namespace}' for 'namespace': badly formed hexadecimal UUID string`);
  const hash = createHash('sha1').update(Buffer.from(hex, 'hex')).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const saltChars = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomSalt(size: number): string {
  return [...randomBytes(size)].map((byte) => saltChars[byte % 64]).join('');
}

/** The Python codec b64encode/b64decode's `encoding=` names, as Node calls it. */
function textEncoding(call: CallArgs): BufferEncoding {
  const name = pyStr(call.kwargs['encoding'] ?? call.args[0] ?? 'utf-8').toLowerCase().replaceAll('_', '-');
  const known: Readonly<Record<string, BufferEncoding>> = {
    'utf-8': 'utf8', utf8: 'utf8', 'utf-16-le': 'utf16le', 'utf-16le': 'utf16le', utf16le: 'utf16le', ascii: 'ascii', 'us-ascii': 'ascii',
    'latin-1': 'latin1', latin1: 'latin1', 'iso-8859-1': 'latin1', 'iso8859-1': 'latin1',
  };
  const encoding = known[name];
  if (encoding === undefined) throw new JinjaRenderError(`unknown encoding: ${name}`, "beastie's b64encode/b64decode know utf-8, utf-16-le, ascii and latin-1");
  return encoding;
}

/** Python's urllib.parse.unquote_plus: `+` is a space, %XX bytes are UTF-8 (bad sequences replaced). */
function unquotePlus(text: string): string {
  const bytes: number[] = [];
  const plain = text.replaceAll('+', ' ');
  for (let i = 0; i < plain.length; i++) {
    const hex = plain[i] === '%' ? /^[0-9a-fA-F]{2}/.exec(plain.slice(i + 1, i + 3)) : null;
    if (hex !== null) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(plain[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Python's urllib.parse.urlsplit and the attributes Ansible's urlsplit filter returns. */
function urlsplit(url: string): Record<string, unknown> {
  let rest = url;
  let scheme = '';
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (schemeMatch !== null) {
    scheme = (schemeMatch[1] ?? '').toLowerCase();
    rest = rest.slice(schemeMatch[0].length);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) [rest, fragment] = [rest.slice(0, hash), rest.slice(hash + 1)];
  let query = '';
  const question = rest.indexOf('?');
  if (question >= 0) [rest, query] = [rest.slice(0, question), rest.slice(question + 1)];
  const at = netloc.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : netloc.slice(0, at);
  const hostinfo = at < 0 ? netloc : netloc.slice(at + 1);
  const colon = userinfo?.indexOf(':') ?? -1;
  const username = userinfo === undefined ? null : colon < 0 ? userinfo : userinfo.slice(0, colon);
  const password = userinfo === undefined || colon < 0 ? null : userinfo.slice(colon + 1);
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hostinfo);
  const portAt = hostinfo.lastIndexOf(':');
  const host = bracketed !== null ? (bracketed[1] ?? '') : portAt < 0 ? hostinfo : hostinfo.slice(0, portAt);
  const portText = bracketed !== null ? bracketed[2] : portAt < 0 ? undefined : hostinfo.slice(portAt + 1);
  if (portText !== undefined && portText !== '' && !/^\d+$/.test(portText)) throw new JinjaRenderError(`Port could not be cast to integer value as '${portText}'`);
  return {
    fragment, hostname: host === '' ? null : host.toLowerCase(), netloc, password, path: rest,
    port: portText === undefined || portText === '' ? null : Number(portText), query, scheme, username,
  };
}

const regexReplaceParameters: readonly string[] = ['pattern', 'replacement', 'ignorecase', 'multiline'];

export const textFilters: Readonly<Record<string, Filter>> = {
  quote: { fn: (value) => shellQuote(value === null ? '' : pyStr(value)) },
  comment: { fn: (value, call) => comment(pyStr(value), pyStr(arg(call, 0, 'style', 'plain')), Object.fromEntries(Object.entries(call.kwargs).filter(([k]) => k !== 'style'))) },
  split: { fn: (value, call) => splitString(pyStr(value), arg(call, 0, 'sep'), arg(call, 1, 'maxsplit'), false) },
  regex_replace: {
    fn: (value, call) => {
      const pattern = pyStr(arg(call, 0, 'pattern', ''));
      const replacement = pyStr(arg(call, 1, 'replacement', ''));
      // ansible-core 2.14's regex_replace(value, pattern, replacement, ignorecase, multiline)
      // (lib/ansible/plugins/filter/core.py) has no count / mandatory_count: newer ansible-core
      // added them (re.subn with count=), and 2.14 fails with Python's TypeError on them.
      for (const name of Object.keys(call.kwargs)) {
        if (!regexReplaceParameters.includes(name)) {
          throw new JinjaRenderError(
            `regex_replace() got an unexpected keyword argument '${name}'`,
            name === 'count' || name === 'mandatory_count'
              ? `ansible-core 2.14 (the version beastie renders as) takes only ${regexReplaceParameters.join(', ')}; ${name} came with a newer ansible-core. Limit the replacements in the pattern instead`
              : `regex_replace takes ${regexReplaceParameters.join(', ')}`,
          );
        }
      }
      const regexp = pythonRegExp(pattern, `g${flags(call, 2, 3)}`);
      return pyStr(value).replace(regexp, (...match: unknown[]) => {
        const last = match.at(-1);
        const groups = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
        const positional = match.slice(0, typeof last === 'object' && last !== null ? -3 : -2).map((m) => (m === undefined ? '' : String(m)));
        return expandReplacement(replacement, positional, groups);
      });
    },
  },
  regex_search: {
    fn: (value, call) => {
      const pattern = pyStr(call.args[0] ?? call.kwargs['regex'] ?? '');
      const refs = call.args.slice(1).map((ref) => {
        const text = pyStr(ref);
        const named = /^\\g<(\S+)>/.exec(text);
        if (named !== null) return named[1] ?? '';
        const numbered = /^\\(\d+)/.exec(text);
        if (numbered !== null) return Number(numbered[1]);
        throw new JinjaRenderError('Unknown argument');
      });
      const match = pythonRegExp(pattern, (truthy(call.kwargs['ignorecase'] ?? false) ? 'i' : '') + (truthy(call.kwargs['multiline'] ?? false) ? 'm' : '')).exec(pyStr(value));
      if (match === null) return null;
      if (refs.length === 0) return match[0];
      return refs.map((ref) => (typeof ref === 'number' ? (match[ref] ?? null) : (match.groups?.[ref] ?? null)));
    },
  },
  regex_findall: {
    fn: (value, call) => {
      const pattern = pyStr(arg(call, 0, 'regex', ''));
      const regexp = pythonRegExp(pattern, `g${(truthy(arg(call, 2, 'ignorecase', false)) ? 'i' : '') + (truthy(arg(call, 1, 'multiline', false)) ? 'm' : '')}`);
      return [...pyStr(value).matchAll(regexp)].map((match) => (match.length === 1 ? match[0] : match.length === 2 ? (match[1] ?? '') : match.slice(1).map((g) => g ?? '')));
    },
  },
  regex_escape: {
    fn: (value, call) => {
      const type = pyStr(arg(call, 0, 're_type', 'python'));
      if (type === 'python') return regexEscape(pyStr(value));
      if (type === 'posix_basic') return pyStr(value).replace(/([\].[^$*\\])/g, '\\$1');
      if (type === 'posix_extended') throw new JinjaRenderError(`Regex type (${type}) not yet implemented`);
      throw new JinjaRenderError(`Invalid regex type (${type})`);
    },
  },
  b64encode: { fn: (value, call) => Buffer.from(pyStr(value), textEncoding(call)).toString('base64') },
  b64decode: { fn: (value, call) => Buffer.from(pyStr(value), 'base64').toString(textEncoding(call)) },
  urldecode: { fn: (value) => unquotePlus(pyStr(value)) },
  hash: { fn: (value, call) => digest(pyStr(arg(call, 0, 'hashtype', 'sha1')), pyStr(value)) },
  checksum: { fn: (value) => digest('sha1', pyStr(value)) },
  sha1: { fn: (value) => digest('sha1', pyStr(value)) },
  md5: { fn: (value) => digest('md5', pyStr(value)) },
  to_uuid: { fn: (value, call) => uuid5(pyStr(value), pyStr(arg(call, 0, 'namespace', '361E6D51-FAEC-444A-9079-341386DA8E2E'))) },
  password_hash: {
    // passlib reads the salt and the other options before the password: an undefined one fails first.
    acceptsUndefined: true,
    fn: (value, call) => {
      for (const option of [...call.args, ...Object.values(call.kwargs)]) if (option instanceof Undefined) option.fail();
      if (value instanceof Undefined) value.fail();
      const type = pyStr(arg(call, 0, 'hashtype', 'sha512'));
      const salt = arg(call, 1, 'salt');
      const saltSize = arg(call, 2, 'salt_size');
      const rounds = arg(call, 3, 'rounds');
      if (type === 'md5' || type === 'md5_crypt') {
        // passlib's md5_crypt: an 8-character salt, no rounds to choose.
        if (rounds !== undefined && rounds !== null) throw new JinjaRenderError('password_hash: md5_crypt takes no rounds', 'leave rounds out for md5');
        // An empty salt is none (encrypt.py's `if salt:`): a random one.
        const saltText = salt === undefined || salt === null || salt === '' ? randomSalt(8) : pyStr(salt);
        // passlib refuses what crypt would cut or misread.
        if (saltText.length > 8) throw new JinjaRenderError('Could not hash the secret.. salt too large (md5_crypt requires <= 8 chars)');
        if (!/^[./0-9A-Za-z]*$/.test(saltText)) throw new JinjaRenderError('Could not hash the secret.. invalid characters in md5_crypt salt');
        return md5Crypt(pyStr(value), saltText);
      }
      const algorithm = type === 'sha512' || type === 'sha512_crypt' ? 'sha512' : type === 'sha256' || type === 'sha256_crypt' ? 'sha256' : undefined;
      if (algorithm === undefined) throw new JinjaRenderError(`password_hash: hash type '${type}' is not supported by beastie`, "use 'sha512' (what FreeBSD's pw takes), 'sha256' or 'md5'");
      // Ansible reads salt_size as an int (text of digits too); passlib then compares a list or mapping with its bounds and fails.
      let size = 16;
      if (saltSize !== undefined && saltSize !== null) {
        if (typeof saltSize === 'string' && /^\s*\d+\s*$/.test(saltSize)) size = Number(saltSize);
        else if (typeof saltSize === 'boolean' || (typeof saltSize === 'number' && Number.isInteger(saltSize))) size = Number(saltSize);
        else throw new JinjaRenderError(`'<' not supported between instances of '${typeName(saltSize)}' and 'int'`);
      }
      const saltText = salt === undefined || salt === null || salt === '' ? randomSalt(size) : pyStr(salt);
      // passlib's default rounds, which Ansible uses when passlib is installed (as Debian's is).
      const defaultRounds = algorithm === 'sha512' ? 656_000 : 535_000;
      return shaCrypt(algorithm, pyStr(value), saltText, rounds === undefined || rounds === null ? defaultRounds : numberOf(rounds as number));
    },
  },
  urlsplit: {
    fn: (value, call) => {
      const parts = urlsplit(pyStr(value));
      const query = arg(call, 0, 'query');
      if (query === undefined) return parts;
      const name = pyStr(query);
      if (!isDict(parts) || !Object.hasOwn(parts, name)) throw new JinjaRenderError(`urlsplit: unknown URL component: ${name}`);
      return parts[name];
    },
  },
};
