// The Ansible Vault format, read from ansible-core's lib/ansible/parsing/vault/__init__.py
// (docs/ansible-vault.md): a header `$ANSIBLE_VAULT;1.1;AES256` (1.2 adds `;LABEL`), then the
// hexlified text "hex(salt)\nhex(hmac)\nhex(ciphertext)" in lines of 80. Keys: PBKDF2-HMAC-SHA256
// of the password over the 32-byte salt, 10000 iterations, 80 bytes = AES key (32), HMAC key (32),
// counter IV (16). The plaintext is PKCS#7-padded to AES's 16-byte block, encrypted with
// AES-256-CTR, and the ciphertext signed with HMAC-SHA256; the HMAC is checked in constant time
// before anything is decrypted.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** The first bytes of every vaulted text. */
export const VAULT_HEADER = '$ANSIBLE_VAULT';

/** The parts of a vault envelope. */
export interface VaultEnvelope {
  readonly version: string;
  readonly cipher: string;
  /** The vault id label of a 1.2 envelope. */
  readonly label: string | undefined;
  /** The hexlified payload, line breaks removed. */
  readonly payload: string;
}

/** Why a vault text could not be read or decrypted. */
export class VaultFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultFormatError';
  }
}

/** Whether `text` is vaulted (starts with the header, as Ansible's is_encrypted checks). */
export function isVaulted(text: string | Buffer): boolean {
  const start = typeof text === 'string' ? text.trimStart() : text.subarray(0, 64).toString('utf8').trimStart();
  return start.startsWith(VAULT_HEADER);
}

/** Split the header from the payload. */
export function parseEnvelope(text: string): VaultEnvelope {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines[0] ?? '').trim().split(';');
  if (header[0] !== VAULT_HEADER || header.length < 3) throw new VaultFormatError('not a vault envelope: the first line must be $ANSIBLE_VAULT;1.1;AES256');
  const version = (header[1] ?? '').trim();
  const cipher = (header[2] ?? '').trim();
  const label = header.length >= 4 ? (header[3] ?? '').trim() : undefined;
  return { version, cipher, label: label === '' ? undefined : label, payload: lines.slice(1).map((line) => line.trim()).join('') };
}

function unhexlify(hex: string, what: string): Buffer {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new VaultFormatError(`vault format error: the ${what} is not hexadecimal`);
  return Buffer.from(hex, 'hex');
}

const ITERATIONS = 10_000;

function deriveKeys(password: Buffer, salt: Buffer): { cipherKey: Buffer; hmacKey: Buffer; iv: Buffer } {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 32 + 32 + 16, 'sha256');
  return { cipherKey: derived.subarray(0, 32), hmacKey: derived.subarray(32, 64), iv: derived.subarray(64, 80) };
}

function pad(plaintext: Buffer): Buffer {
  const length = 16 - (plaintext.length % 16);
  return Buffer.concat([plaintext, Buffer.alloc(length, length)]);
}

function unpad(padded: Buffer): Buffer {
  const length = padded.at(-1) ?? 0;
  if (length < 1 || length > 16 || length > padded.length || !padded.subarray(padded.length - length).every((byte) => byte === length)) {
    throw new VaultFormatError('vault format error: bad padding');
  }
  return padded.subarray(0, padded.length - length);
}

/**
 * Decrypt an envelope's payload with one password; undefined when the HMAC does not match (the
 * wrong password), a VaultFormatError when the text is damaged.
 */
export function decryptPayload(envelope: VaultEnvelope, password: Buffer): Buffer | undefined {
  if (envelope.cipher !== 'AES256') throw new VaultFormatError(`vault cipher ${envelope.cipher} is not supported (only AES256, as ansible-core)`);
  const inner = unhexlify(envelope.payload, 'payload').toString('latin1').split('\n');
  if (inner.length !== 3) throw new VaultFormatError('vault format error: the payload must hold salt, HMAC and ciphertext');
  const [saltHex, hmacHex, cipherHex] = inner as [string, string, string];
  const salt = unhexlify(saltHex, 'salt');
  const expected = unhexlify(hmacHex, 'HMAC');
  const ciphertext = unhexlify(cipherHex, 'ciphertext');
  const keys = deriveKeys(password, salt);
  const actual = createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  return unpad(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}

/** Encrypt `plaintext` into a vault text ending in a newline (1.2 with a label other than `default`). */
export function encryptVault(plaintext: Buffer, password: Buffer, label?: string, salt: Buffer = randomBytes(32)): string {
  const keys = deriveKeys(password, salt);
  const cipher = createCipheriv('aes-256-ctr', keys.cipherKey, keys.iv);
  const ciphertext = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()]);
  const hmac = createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
  const payload = Buffer.from([salt.toString('hex'), hmac.toString('hex'), ciphertext.toString('hex')].join('\n'), 'latin1').toString('hex');
  const header = label !== undefined && label !== 'default' ? `${VAULT_HEADER};1.2;AES256;${label}` : `${VAULT_HEADER};1.1;AES256`;
  const lines = [header];
  for (let at = 0; at < payload.length; at += 80) lines.push(payload.slice(at, at + 80));
  return `${lines.join('\n')}\n`;
}
