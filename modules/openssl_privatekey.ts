// openssl_privatekey: community.crypto's module on the host's base-system openssl(1) alone — no
// Python, no cryptography library. The key is read with `openssl pkey` (type, size, curve, the
// public key's DER for the fingerprint), generated with `openssl genpkey` into a private temporary
// file of the key's directory and renamed over the path, as community.crypto's
// module_backends/privatekey.py decides: needs_regeneration (regenerate, force, size and type,
// format), needs_conversion (format_mismatch: convert), mode 0600 unless `mode` says otherwise.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import { raw, sh, type Command } from '../src/command/command.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from '../src/facts/fact.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';
import type { CommandResult } from '../src/transport/transport.js';
import { attributeCommands, attributeDifferences, withAttributesNotes, fileAttributeParams } from './support/file-attributes.js';
import { backupCommand, backupFileOf } from './support/write-safety.js';
import { stillNotAsWanted } from '../src/module-api/changes-left.js';
import { pathOperand } from '../src/command/path-operand.js';
import { printAfter, privateWriteCommand } from './support/private-write.js';

/** community.crypto's curve choices (IANA names), with the name openssl(1) knows each by. */
const CURVES: Readonly<Record<string, string>> = {
  secp224r1: 'secp224r1',
  secp256k1: 'secp256k1',
  secp256r1: 'prime256v1',
  secp384r1: 'secp384r1',
  secp521r1: 'secp521r1',
  secp192r1: 'prime192v1',
  brainpoolP256r1: 'brainpoolP256r1',
  brainpoolP384r1: 'brainpoolP384r1',
  brainpoolP512r1: 'brainpoolP512r1',
  sect163k1: 'sect163k1',
  sect163r2: 'sect163r2',
  sect233k1: 'sect233k1',
  sect233r1: 'sect233r1',
  sect283k1: 'sect283k1',
  sect283r1: 'sect283r1',
  sect409k1: 'sect409k1',
  sect409r1: 'sect409r1',
  sect571k1: 'sect571k1',
  sect571r1: 'sect571r1',
};
const KEY_TYPES = ['DSA', 'ECC', 'Ed25519', 'Ed448', 'RSA', 'X25519', 'X448'] as const;
type KeyType = (typeof KEY_TYPES)[number];

const params = z
  .strictObject({
    path: z.string().min(1).describe('The key file on the host.'),
    state: z.enum(['present', 'absent']).default('present').describe('present: the key exists and matches; absent: removed.'),
    size: z.number().int().default(4096).describe('Bits of an RSA or DSA key (ignored for the others).'),
    type: z.enum(KEY_TYPES).default('RSA').describe('The algorithm.'),
    curve: z.enum(Object.keys(CURVES) as [string, ...string[]]).optional().describe('type ECC: the curve (IANA name; secp256r1 is openssl\'s prime256v1).'),
    passphrase: z.string().optional().describe('Refused by beastie: reading an encrypted key would need the passphrase on a command line.'),
    cipher: z.string().default('auto').describe("Only 'auto', as community.crypto's cryptography backend."),
    format: z.enum(['pkcs1', 'pkcs8', 'raw', 'auto', 'auto_ignore']).default('auto_ignore').describe('pkcs1 (traditional), pkcs8; auto: pkcs8 for X25519/X448/Ed25519/Ed448, else pkcs1; auto_ignore: as auto for new keys, any for an existing one. raw is refused by beastie.'),
    format_mismatch: z.enum(['regenerate', 'convert']).default('regenerate').describe('An existing key in another format: regenerate it, or convert it with openssl pkey.'),
    select_crypto_backend: z.enum(['auto', 'cryptography']).default('auto').describe("Accepted; beastie's backend is the host's openssl(1)."),
    regenerate: z.enum(['never', 'fail', 'partial_idempotence', 'full_idempotence', 'always']).default('full_idempotence').describe('When an existing key is replaced (community.crypto\'s needs_regeneration).'),
    force: z.boolean().default(false).describe('Regenerate always (regenerate: always).'),
    backup: z.boolean().default(false).describe('Copy the old key to PATH.PID.YYYY-MM-DD@HH:MM:SS~ before replacing or removing it.'),
    return_content: z.boolean().default(false).describe('Register the key\'s PEM as privatekey.'),
    ...fileAttributeParams,
  })
  .superRefine((p, context) => {
    // get_privatekey_argument_spec: required_if=[("type", "ECC", ["curve"])].
    if (p.type === 'ECC' && p.curve === undefined) context.addIssue({ code: 'custom', path: ['curve'], message: 'type is ECC but all of the following are missing: curve' });
  });

type Params = z.output<typeof params>;

/** An existing key as openssl(1) reads it without a passphrase. */
export interface KeyFile {
  readonly kind: 'absent' | 'directory' | 'file';
  /** The key's directory is a directory. */
  readonly baseDir: boolean;
  /** identify_private_key_format: pkcs8 or pkcs1 by the PEM label, raw otherwise. */
  readonly format?: 'pkcs1' | 'pkcs8' | 'raw';
  /** Read by openssl pkey with an empty passphrase (an encrypted or broken key is not). */
  readonly readable?: boolean;
  readonly type?: KeyType;
  readonly size?: number;
  /** IANA name of an EC key's curve. */
  readonly curve?: string;
  /** The public key, DER SubjectPublicKeyInfo (what community.crypto fingerprints). */
  readonly publicDer?: Buffer;
  readonly pem?: string;
}

/** Parses the lines {@link keyFileFact} prints. */
export function parseKeyFile(output: FactOutput): KeyFile {
  const lines = output.stdout.split('\n');
  const baseDir = lines.includes('basedir');
  if (lines.includes('absent')) return { kind: 'absent', baseDir };
  if (lines.includes('directory')) return { kind: 'directory', baseDir };
  const header = lines.find((l) => l.startsWith('header '))?.slice('header '.length) ?? '';
  const label = /^-----BEGIN (.+)-----$/.exec(header.trim())?.[1];
  const format = label === 'PRIVATE KEY' || label === 'ENCRYPTED PRIVATE KEY' ? 'pkcs8' : label?.endsWith(' PRIVATE KEY') === true ? 'pkcs1' : 'raw';
  const text = lines.filter((l) => l.startsWith('text '))
    .map((l) => l.slice('text '.length));
  const named = text.map((l) => /^([A-Z0-9]+) Private-Key:/.exec(l)?.[1]).find((n) => n !== undefined);
  const bits = text.map((l) => /^Private-Key: \((\d+) bit/.exec(l)?.[1]).find((n) => n !== undefined);
  const oid = text.map((l) => /^ASN1 OID: (\S+)/.exec(l)?.[1]).find((n) => n !== undefined);
  const namedTypes: Record<string, KeyType> = { ED25519: 'Ed25519', ED448: 'Ed448', X25519: 'X25519', X448: 'X448' };
  const type: KeyType | undefined =
    named !== undefined ? namedTypes[named] : text.some((l) => l.startsWith('modulus:')) ? 'RSA' : oid !== undefined ? 'ECC' : text.some((l) => /^P:/.test(l)) ? 'DSA' : undefined;
  const pub = lines.find((l) => l.startsWith('pub '))?.slice('pub '.length).trim() ?? '';
  const pemStart = lines.indexOf('pem');
  const curve = oid === undefined ? undefined : (Object.entries(CURVES).find(([, name]) => name === oid)?.[0] ?? oid);
  return {
    kind: 'file',
    baseDir,
    format,
    readable: type !== undefined,
    ...(type === undefined ? {} : { type }),
    ...(bits === undefined ? {} : { size: Number(bits) }),
    ...(curve === undefined ? {} : { curve }),
    ...(pub === '' ? {} : { publicDer: Buffer.from(pub, 'hex') }),
    ...(pemStart < 0 ? {} : { pem: lines.slice(pemStart + 1).join('\n') }),
  };
}

/** What the key file is: `openssl pkey -noout -text` lines, the public key's DER as hex, the PEM when asked. */
export function keyFileFact(path: string, withPem: boolean): Fact<KeyFile> {
  const operand = pathOperand(path);
  const dir = posix.dirname(path);
  return defineFact(
    `openssl-privatekey:${withPem ? 'pem' : '-'}:${path}`,
    sh`if [ -d ${dir} ]; then echo basedir; fi
if [ -d ${operand} ]; then echo directory; exit 0; fi
if [ ! -e ${operand} ]; then echo absent; exit 0; fi
printf 'header %s\\n' "$(head -n 1 ${operand})"
openssl pkey -in ${operand} -passin pass: -noout -text 2>/dev/null | grep -E '^([A-Z0-9]+ )?Private-Key:|^ASN1 OID:|^modulus:|^P:' | sed 's/^/text /'
printf 'pub %s\\n' "$(openssl pkey -in ${operand} -passin pass: -pubout -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \\n')"${withPem ? raw(`\necho pem; cat ${sh`${operand}`.text}`) : raw('')}`,
    parseKeyFile,
    [fileSubject(path)],
  );
}

/** get_fingerprint_of_bytes: every hashlib.algorithms_guaranteed digest, colon-separated hex pairs (shake: 32 bytes). */
export function fingerprintOf(der: Buffer): Record<string, string> {
  const algorithms: [string, string, number?][] = [
    ['blake2b', 'blake2b512'], ['blake2s', 'blake2s256'], ['md5', 'md5'], ['sha1', 'sha1'], ['sha224', 'sha224'], ['sha256', 'sha256'], ['sha384', 'sha384'],
    ['sha3_224', 'sha3-224'], ['sha3_256', 'sha3-256'], ['sha3_384', 'sha3-384'], ['sha3_512', 'sha3-512'], ['sha512', 'sha512'], ['shake_128', 'shake128', 32], ['shake_256', 'shake256', 32],
  ];
  const out: Record<string, string> = {};
  for (const [name, node, length] of algorithms) {
    const hex = createHash(node, length === undefined ? undefined : { outputLength: length }).update(der).digest('hex');
    out[name] = hex.replace(/(..)(?!$)/g, '$1:');
  }
  return out;
}

/** _get_wanted_format: the format a new key is written in. */
function wantedFormat(p: Params): 'pkcs1' | 'pkcs8' | 'raw' {
  if (p.format !== 'auto' && p.format !== 'auto_ignore') return p.format;
  return ['X25519', 'X448', 'Ed25519', 'Ed448'].includes(p.type) ? 'pkcs8' : 'pkcs1';
}

/** The genpkey command line of the wanted key, printing PEM on stdout. */
function generateCommand(p: Params): Command {
  switch (p.type) {
    case 'RSA':
      return sh`openssl genpkey -algorithm RSA -pkeyopt ${`rsa_keygen_bits:${p.size}`}`;
    case 'DSA':
      return sh`openssl dsaparam -genkey -noout ${String(p.size)}`;
    case 'ECC':
      return sh`openssl genpkey -algorithm EC -pkeyopt ${`ec_paramgen_curve:${CURVES[p.curve ?? ''] ?? ''}`} -pkeyopt ec_param_enc:named_curve`;
    default:
      return sh`openssl genpkey -algorithm ${p.type.toUpperCase()}`;
  }
}

/**
 * Writes a key made by `source` (a command printing PEM) in the wanted format to `f` in the install
 * script's private directory beside the key (src/transport/install-file.ts: mktemp -d, entered and
 * checked, umask 077), prints its public key's DER as `pub HEX` (and the PEM after `pem` for
 * return_content), then renames it over the path without following a link planted there: a failed
 * openssl leaves the old key. Before (issue 17) `-out` named a `mktemp DIR/.beastie-key.XXXXXX` file
 * beside the key, which a user who can write DIR swapped for a link to a file of theirs: root wrote
 * the new private key into it.
 */
function writeKeyCommand(p: Params, source: Command): Command {
  const traditional = wantedFormat(p) === 'pkcs1' ? raw(' -traditional') : raw('');
  return privateWriteCommand(p.path, {
    privateUmask: true,
    make: sh`${source} | openssl pkey${traditional} -out f`,
    then: [sh`printf 'pub %s\\n' "$(openssl pkey -in f -pubout -outform DER | od -An -v -tx1 | tr -d ' \\n')"`, ...(p.return_content ? [printAfter('pem')] : [])],
  });
}

const UNREADABLE =
  'Unable to read the key. The key is protected with a another passphrase / no passphrase or broken. Will not proceed. To force regeneration, call the module with `generate` set to `full_idempotence` or `always`, or with `force=true`.';
const WRONG_TYPE =
  'Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with `generate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`.';
const WRONG_FORMAT =
  'Key has wrong format. Will not proceed. To force regeneration, call the module with `generate` set to `partial_idempotence`, `full_idempotence` or `always`, or with `force=true`. To convert the key, set `format_mismatch` to `convert`.';

/** _check_size_and_type. */
function sizeAndTypeMatch(p: Params, key: KeyFile): boolean {
  if (key.type !== p.type) return false;
  if (p.type === 'RSA' || p.type === 'DSA') return key.size === p.size;
  if (p.type === 'ECC') return key.curve === p.curve;
  return true;
}

/** needs_regeneration: true, false, or the failure message. */
function needsRegeneration(p: Params, key: KeyFile): boolean | string {
  const regenerate = p.force ? 'always' : p.regenerate;
  if (regenerate === 'always') return true;
  if (key.kind === 'absent') return true;
  // _check_passphrase: no passphrase is given (beastie refuses one), so the key must load without.
  if (key.readable !== true) return regenerate === 'full_idempotence' ? true : UNREADABLE;
  if (regenerate !== 'never' && !sizeAndTypeMatch(p, key)) return regenerate === 'partial_idempotence' || regenerate === 'full_idempotence' ? true : WRONG_TYPE;
  const formatOk = p.format === 'auto_ignore' || key.format === wantedFormat(p);
  if (p.format_mismatch === 'regenerate' && regenerate !== 'never' && !formatOk) return regenerate === 'partial_idempotence' || regenerate === 'full_idempotence' ? true : WRONG_FORMAT;
  return false;
}

/** The wanted attributes: mode 0600 unless given (PrivateKeyModule.__init__). */
function wantedAttributes(p: Params) {
  return { mode: p.mode ?? 0o600, owner: p.owner, group: p.group };
}

/** The registered result: dump() with the params' type and size, the existing key's fingerprint. */
function dumpValues(p: Params, key: KeyFile | undefined): Record<string, unknown> {
  return {
    filename: p.path,
    type: p.type,
    size: p.size,
    ...(p.type === 'ECC' ? { curve: p.curve } : {}),
    fingerprint: key?.publicDer === undefined ? null : fingerprintOf(key.publicDer),
    ...(p.return_content && p.state === 'present' ? { privatekey: key?.pem ?? null } : {}),
  };
}

/** The plan: Ansible's decision on the key, then the file's attributes. */
export function planPrivateKey(p: Params, key: KeyFile, stat: FileStat | undefined): Plan {
  const base = posix.dirname(p.path);
  if (!key.baseDir) return { steps: [], failure: `The directory ${base} does not exist or the file is not a directory` };
  if (p.state === 'absent') {
    if (key.kind === 'absent') return { steps: [{ kind: 'noop', reason: `${p.path} is absent` }], values: dumpValues(p, undefined) };
    const commands = [...(p.backup ? [backupCommand(p.path)] : []), sh`rm -f ${pathOperand(p.path)}`];
    return { steps: [{ kind: 'change', summary: `remove ${p.path}`, actions: commands.map((command) => ({ kind: 'run' as const, command })) }], values: dumpValues(p, undefined) };
  }
  if (p.passphrase !== undefined) return { steps: [], failure: 'openssl_privatekey: passphrase is not supported by beastie (openssl would need it on its command line to read the key)' };
  if (p.format === 'raw') return { steps: [], failure: 'openssl_privatekey: format raw is not supported by beastie (openssl pkey writes PEM or DER only)' };
  if (key.kind === 'directory') return { steps: [], failure: `${p.path} is a directory. Please specify a path to a file.` };
  const decision = needsRegeneration(p, key);
  if (typeof decision === 'string') return { steps: [], failure: decision };
  const wanted = wantedAttributes(p);
  const values = dumpValues(p, key);
  const backup = p.backup && key.kind === 'file' ? [backupCommand(p.path)] : [];
  const attributeRuns = (current: FileStat | undefined) => attributeCommands(p.path, current, wanted).map((command) => ({ kind: 'run' as const, command }));
  if (decision) {
    const what = p.type === 'ECC' ? `ECC ${p.curve ?? ''}` : p.type === 'RSA' || p.type === 'DSA' ? `${p.type} ${p.size}` : p.type;
    const step: Step = {
      kind: 'change',
      summary: `${key.kind === 'absent' ? 'generate' : 'regenerate'} ${what} key ${p.path}`,
      actions: [...backup.map((command) => ({ kind: 'run' as const, command })), { kind: 'run', command: writeKeyCommand(p, generateCommand(p)) }, ...attributeRuns(undefined)],
    };
    return { steps: [step], values };
  }
  // needs_conversion: format_mismatch convert and another format.
  if (p.format_mismatch === 'convert' && p.format !== 'auto_ignore' && key.format !== wantedFormat(p)) {
    const step: Step = {
      kind: 'change',
      summary: `convert ${p.path} to ${wantedFormat(p)}`,
      actions: [...backup.map((command) => ({ kind: 'run' as const, command })), { kind: 'run', command: writeKeyCommand(p, sh`openssl pkey -in ${raw('"$target"')}`) }, ...attributeRuns(undefined)],
    };
    return { steps: [step], values };
  }
  const differences = attributeDifferences(stat, wanted);
  if (differences.length === 0) return { steps: [{ kind: 'noop', reason: `${p.path} is a ${key.type ?? ''} key as wanted` }], values };
  return { steps: [{ kind: 'change', summary: `${p.path}: ${differences.join(', ')}`, actions: attributeRuns(stat) }], values };
}

/** After a write: the new key's fingerprint (and PEM) from what the command printed, and backup_file. */
export function registerPrivateKey(p: Params, results: readonly CommandResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const backup = backupFileOf(results);
  if (backup !== undefined) out['backup_file'] = backup;
  for (const result of results) {
    const lines = result.stdout.split('\n');
    const pub = lines.find((l) => l.startsWith('pub '))?.slice('pub '.length).trim();
    if (pub === undefined || pub === '') continue;
    out['fingerprint'] = fingerprintOf(Buffer.from(pub, 'hex'));
    const pem = lines.indexOf('pem');
    if (p.return_content && pem >= 0) out['privatekey'] = lines.slice(pem + 1).join('\n');
  }
  return out;
}

const facts = (p: Params) => [keyFileFact(p.path, p.return_content), fileStatFact(p.path)] as const;

export default defineModule({
  name: 'openssl_privatekey',
  summary: 'Generate an OpenSSL private key (community.crypto.openssl_privatekey) with the base system\'s openssl',
  description:
    "community.crypto's openssl_privatekey on FreeBSD's base openssl(1), no Python: the key is read with " +
    '`openssl pkey` (type, bits, curve; the public key\'s DER, fingerprinted on the controller with every ' +
    'hashlib.algorithms_guaranteed digest as community.crypto does) and generated with `openssl genpkey` ' +
    '(DSA: `openssl dsaparam -genkey`) into a file of a private directory beside it (mktemp -d, umask 077), then ' +
    'renamed over the path without following a link. Regenerates as module_backends/privatekey.py needs_regeneration: force / regenerate ' +
    '(never, fail, partial_idempotence, full_idempotence, always), size and type (RSA/DSA bits, ECC curve), ' +
    'format (pkcs1 = traditional PEM, pkcs8; auto_ignore accepts either), format_mismatch: convert with ' +
    '`openssl pkey`. Mode 0600 unless `mode` is given. Registers filename, type, size, curve (ECC), ' +
    'fingerprint, backup_file, privatekey (return_content). Differences: passphrase and format raw are ' +
    'refused with a reason (reading an encrypted key would put the passphrase on a command line); no diff.',
  params,
  example: `- name: The poudriere signing key
  community.crypto.openssl_privatekey:
    path: /usr/local/etc/ssl/keys/poudriere.key
    size: 4096
    mode: '0600'`,
  needs: (p) => [...facts(p)],
  async observe(host, p) {
    const [key, stat] = await host.facts(...facts(p));
    return { key, stat };
  },
  plan({ params: p, facts: observed }) {
    return withAttributesNotes(planPrivateKey(p, observed.key, observed.stat), p);
  },
  verify({ params: p, facts: observed }) {
    const again = planPrivateKey({ ...p, force: false, regenerate: p.regenerate === 'always' ? 'full_idempotence' : p.regenerate }, observed.key, observed.stat);
    return stillNotAsWanted(p.path, again);
  },
  register: ({ params: p, results }) => registerPrivateKey(p, results),
});
