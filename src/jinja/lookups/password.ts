// lookup('password', 'FILE length=N chars=… seed=…'): a random password kept in a file on the
// controller, created (mode 0600) on first use and read back afterwards, as Ansible's
// plugins/lookup/password.py does; /dev/null gives a fresh one without storing it.
import { mkdirSync, openSync, readFileSync, writeSync, closeSync, existsSync } from 'node:fs';
import path from 'node:path';
import { JinjaRenderError } from '../errors.js';
import { pyRandom } from '../python-random.js';
import { shaCrypt } from '../filters/sha-crypt.js';
import { pyStr } from '../values.js';
import type { Lookup } from './lookup.js';

const charsets: Readonly<Record<string, string>> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};

/** `path key=value …` as Ansible's _parse_parameters reads it. */
function parse(term: string, options: Readonly<Record<string, unknown>>): { file: string; params: Record<string, string> } {
  const match = /^(\S+)(.*)$/s.exec(term.trim());
  if (match === null) throw new JinjaRenderError('lookup password: a file path is required');
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) params[key] = pyStr(value);
  for (const pair of (match[2] ?? '').trim().split(/\s+(?=\w+=)/).filter((p) => p !== '')) {
    const at = pair.indexOf('=');
    if (at < 0) throw new JinjaRenderError(`lookup password: unrecognized value '${pair}'`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  for (const key of Object.keys(params)) if (!['length', 'encrypt', 'chars', 'ident', 'seed'].includes(key)) throw new JinjaRenderError(`Unrecognized value after key=value parameters given to password lookup: ${key}`);
  return { file: match[1] ?? '', params };
}

function generate(params: Record<string, string>): string {
  const length = Number(params['length'] ?? 20);
  // The chars option's default is the list ['ascii_letters', 'digits', '.,:-_']; a given text is
  // _parse_parameters': a ',' first when it holds ',,', then the pieces of it split at commas
  // (',,' read as one), empty ones dropped. Each name of Python's string module is its characters.
  const given = params['chars'];
  const names = given === undefined ? ['ascii_letters', 'digits', '.,:-_'] : [...(given.includes(',,') ? [','] : []), ...given.replaceAll(',,', ',').split(',').filter((c) => c !== '')];
  // _gen_candidate_chars then drops every quote, ' and ".
  const chars = names
    .map((name) => (Object.hasOwn(charsets, name) ? charsets[name] : name))
    .join('')
    .replace(/["']/g, '');
  // utils/encrypt.py's random_password: random.Random(seed).choice(chars) per character (SystemRandom unseeded).
  const random = pyRandom(params['seed']);
  return Array.from({ length }, () => chars[Number(random.randbelow(chars.length))] ?? '').join('');
}

export const passwordLookup: Lookup = (terms, options, scope) =>
  terms.map((term) => {
    const { file, params } = parse(pyStr(term), options);
    const target = path.isAbsolute(file) ? file : path.join(scope.searchDirs.at(-1) ?? process.cwd(), file);
    let password: string;
    let salt: string | undefined;
    if (target !== '/dev/null' && existsSync(target)) {
      const line = readFileSync(target, 'utf8').split('\n')[0] ?? '';
      const saltAt = line.indexOf(' salt=');
      password = saltAt < 0 ? line : line.slice(0, saltAt);
      salt = saltAt < 0 ? undefined : line.slice(saltAt + 6);
    } else {
      password = generate(params);
      if (params['encrypt'] !== undefined) salt = generate({ length: '8', chars: 'ascii_letters,digits,./' });
      if (target !== '/dev/null') {
        mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        // Exclusive create with the final mode: nobody else can read it before it is complete.
        const fd = openSync(target, 'wx', 0o600);
        try {
          writeSync(fd, `${password}${salt === undefined ? '' : ` salt=${salt}`}\n`);
        } finally {
          closeSync(fd);
        }
      }
    }
    const encrypt = params['encrypt'];
    if (encrypt === undefined) return password;
    if (encrypt !== 'sha512_crypt' && encrypt !== 'sha256_crypt') throw new JinjaRenderError(`lookup password: encrypt=${encrypt} is not supported`, 'use sha512_crypt');
    return shaCrypt(encrypt === 'sha512_crypt' ? 'sha512' : 'sha256', password, salt ?? generate({ length: '16', chars: 'ascii_letters,digits,./' }), undefined);
  });
