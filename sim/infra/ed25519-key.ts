// Ed25519 key pairs in OpenSSH's own formats, made in-process: spawning ssh-keygen once per host
// costs more than everything else `up` does for a host, and 500 hosts need 500 host keys.
import { generateKeyPairSync } from 'node:crypto';

/** An OpenSSH key pair: the private key file's text and the public key's `ssh-ed25519 AAAA… comment` line. */
export interface OpenSshKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

const KEY_TYPE = 'ssh-ed25519';

/** SSH wire `string`: uint32 big-endian length, then the bytes. */
function sshString(bytes: Buffer | string): Buffer {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

/** Generate a fresh key pair; the private key is the unencrypted `openssh-key-v1` format (PROTOCOL.key). */
export function generateEd25519KeyPair(comment: string): OpenSshKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The DER encodings end with the raw 32-byte public key (SPKI) and the 32-byte seed (PKCS#8).
  const pub = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  const seed = privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(-32);
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(pub)]);

  const check = uint32(Math.floor(Math.random() * 0xffffffff));
  let secret = Buffer.concat([
    check,
    check,
    sshString(KEY_TYPE),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  // Pad to the cipher block size (8 for "none") with bytes 1, 2, 3, …
  const padding = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))]);

  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(secret),
  ]);
  const base64 = blob.toString('base64').replace(/.{1,70}/g, '$&\n');
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${base64}-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `${KEY_TYPE} ${publicBlob.toString('base64')} ${comment}`,
  };
}
