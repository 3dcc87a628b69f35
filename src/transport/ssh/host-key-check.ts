// ssh2 accepts any host key unless told otherwise; this is the telling. The presented key is
// looked up in the known_hosts files; unknown keys are refused unless the policy is accept-new
// (then recorded, as OpenSSH does), and a changed key is always refused with OpenSSH's warning.
import { UnreachableError } from '../../errors.js';
import {
  checkHostKey,
  fingerprint,
  keyTypeLabel,
  keyTypeOfBlob,
  knownHostsLine,
  knownKeyTypes,
  type KnownHostEntry,
} from './known-hosts.js';
import type { KnownHostsStore } from './known-hosts-store.js';
import type { HostKeyPolicy } from './ssh-option.js';

/** What to check a host's key against. */
export interface HostKeyTarget {
  /** Inventory name, for messages. */
  readonly host: string;
  /** `[address]:port` or `address`, as looked up in known_hosts. */
  readonly knownHostName: string;
  /** Files to read; new keys go to `appendTo`. */
  readonly files: readonly string[];
  readonly appendTo: string;
  readonly policy: HostKeyPolicy;
  /** Record new keys with a hashed host field. */
  readonly hashNew: boolean;
}

/** ssh2's default host key algorithms (1.17), reordered so that known types come first. */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;

type HostKeyAlgorithm = (typeof DEFAULT_HOST_KEY_ALGORITHMS)[number];

/** Signature algorithms that a key of `keyType` can use. */
function algorithmsFor(keyType: string): HostKeyAlgorithm[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => a === keyType);
}

/** A prepared check for one connection attempt. */
export interface HostKeyCheck {
  /** For ssh2's `algorithms.serverHostKey`: ask for the key types we know first, as OpenSSH does. */
  readonly algorithms: HostKeyAlgorithm[];
  /** For ssh2's `hostVerifier`. */
  readonly verify: (key: Buffer, callback: (valid: boolean) => void) => void;
  /** Why the key was refused, once `verify` refused it. */
  readonly refusal: () => UnreachableError | undefined;
}

/** OpenSSH's warning for a changed host key, naming the offending file and line. */
export function changedKeyMessage(target: HostKeyTarget, blob: Buffer, entry: KnownHostEntry): string {
  const label = keyTypeLabel(keyTypeOfBlob(blob));
  return [
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${label} key sent by the remote host is`,
    `${fingerprint(blob)}.`,
    'Please contact your system administrator.',
    `Add correct host key in ${target.appendTo} to get rid of this message.`,
    `Offending ${keyTypeLabel(entry.keyType)} key in ${entry.file}:${entry.line}`,
    `Host key for ${target.knownHostName} has changed and you have requested strict checking.`,
    'Host key verification failed.',
  ].join('\n');
}

/** Loads the known keys for `target` and returns the ssh2 hooks that enforce them. */
export async function prepareHostKeyCheck(store: KnownHostsStore, target: HostKeyTarget): Promise<HostKeyCheck> {
  const entries = await store.entries(target.files);
  const known = knownKeyTypes(entries, target.knownHostName).flatMap(algorithmsFor);
  const algorithms = [...new Set([...known, ...DEFAULT_HOST_KEY_ALGORITHMS])];
  let refusal: UnreachableError | undefined;
  const refuse = (reason: 'host-key-unknown' | 'host-key-changed', message: string, fix: string): void => {
    refusal = new UnreachableError(reason, message, { host: target.host, fix });
  };

  const verify = (blob: Buffer, callback: (valid: boolean) => void): void => {
    const check = checkHostKey(entries, target.knownHostName, blob);
    const label = keyTypeLabel(keyTypeOfBlob(blob));
    switch (check.status) {
      case 'known':
        callback(true);
        return;
      case 'changed':
        refuse('host-key-changed', changedKeyMessage(target, blob, check.entry), `if the host was reinstalled, remove line ${check.entry.line} of ${check.entry.file} and connect again`);
        callback(false);
        return;
      case 'revoked':
        refuse('host-key-changed', `WARNING: REVOKED HOST KEY DETECTED! The ${label} host key for ${target.knownHostName} is marked as revoked in ${check.entry.file}:${check.entry.line}.\nHost key verification failed.`, 'this key must not be trusted; ask the host\'s administrator');
        callback(false);
        return;
      case 'unknown':
        if (target.policy === 'strict') {
          refuse(
            'host-key-unknown',
            `No ${label} host key is known for ${target.knownHostName} and you have requested strict checking (key fingerprint ${fingerprint(blob)}).\nHost key verification failed.`,
            `check the fingerprint, then run with --accept-new-host-keys or add the key to ${target.appendTo}`,
          );
          callback(false);
          return;
        }
        store.append(target.appendTo, knownHostsLine(target.knownHostName, blob, target.hashNew)).then(
          () => callback(true),
          (error: unknown) => {
            refuse('host-key-unknown', `cannot record the new host key of ${target.knownHostName} in ${target.appendTo}: ${String(error)}`, `make ${target.appendTo} writable`);
            callback(false);
          },
        );
    }
  };
  return { algorithms, verify, refusal: () => refusal };
}
