// The vault secrets of a run and the one place vaulted text is decrypted. Ansible's rules
// (VaultLib.decrypt_and_get_vault_id): the secret whose label the envelope names is tried first,
// then every other secret in the order given. Every decrypted value is remembered so output,
// events, reports and logs can censor it (src/vault/redact.ts).
import { parse } from 'yaml';
import { InvalidInputError } from '../errors.js';
import type { SourceRef } from '../source.js';
import { SecretValues } from '../output/secret-values.js';
import { decryptPayload, isVaulted, parseEnvelope, VaultFormatError } from './vault-format.js';

/** One vault secret: its label (vault id) and password. */
export interface VaultSecret {
  readonly label: string;
  readonly password: Buffer;
  /** Where it came from, for messages: a file, a script, `prompt`. */
  readonly source: string;
}

/** What loaders need to read vaulted text: the one decrypt path of every file, value and run-time include. */
export interface VaultKeyring {
  /** The plaintext of a vault envelope (a `!vault` value or a whole file); InvalidInputError at `where` when no secret fits. */
  decrypt(envelope: string, where: SourceRef): string;
}

/** The run's secrets, and what they revealed. */
export class VaultSecrets implements VaultKeyring {
  /** Decrypted values (and, of vaulted YAML files, their string values), for censoring; the run adds its other secrets here. */
  readonly censored = new SecretValues();

  constructor(readonly secrets: readonly VaultSecret[]) {}

  get revealed(): ReadonlySet<string> {
    return this.censored.values;
  }

  /** Decrypt without remembering (the `beastie vault` command, which prints the plaintext on purpose). */
  open(envelope: string, where: SourceRef): { readonly plaintext: Buffer; readonly secret: VaultSecret } {
    let parsed;
    try {
      parsed = parseEnvelope(envelope);
    } catch (error) {
      throw new InvalidInputError((error as Error).message, { source: where, fix: 'the vaulted text is damaged: encrypt it again' });
    }
    if (this.secrets.length === 0) {
      throw new InvalidInputError('this value is encrypted with Ansible Vault and no vault secret was given', {
        source: where,
        fix: 'pass --ask-vault-pass, --vault-password-file FILE or --vault-id LABEL@SOURCE (or set vault_password_file in ansible.cfg)',
      });
    }
    const first = this.secrets.filter((secret) => parsed.label !== undefined && secret.label === parsed.label);
    const ordered = [...first, ...this.secrets.filter((secret) => !first.includes(secret))];
    for (const secret of ordered) {
      let plaintext: Buffer | undefined;
      try {
        plaintext = decryptPayload(parsed, secret.password);
      } catch (error) {
        if (!(error instanceof VaultFormatError)) throw error;
        throw new InvalidInputError(error.message, { source: where, fix: 'the vaulted text is damaged: encrypt it again' });
      }
      if (plaintext !== undefined) return { plaintext, secret };
    }
    throw new InvalidInputError(`decryption failed: none of the ${ordered.length} vault secret(s) given (${ordered.map((s) => `${s.label}@${s.source}`).join(', ')}) decrypts this value`, {
      source: where,
      fix: 'give the vault password it was encrypted with (--vault-id LABEL@SOURCE, --vault-password-file, --ask-vault-pass)',
    });
  }

  decrypt(envelope: string, where: SourceRef): string {
    const text = this.open(envelope, where).plaintext.toString('utf8');
    this.censored.remember(text);
    return text;
  }

  /** A file's text, decrypted when it is vaulted; the string values of vaulted YAML are remembered one by one. */
  decryptFile(text: string, file: string): string {
    if (!isVaulted(text)) return text;
    const plaintext = this.open(text, { file, line: 1, column: 1 }).plaintext.toString('utf8');
    let values: unknown;
    try {
      values = parse(plaintext);
    } catch {
      values = plaintext;
    }
    this.censored.rememberLeaves(values);
    return plaintext;
  }
}

/** A file's text decrypted when it is vaulted (whole-file vault), else as it is. */
export function decryptIfVaulted(text: string, file: string, keyring: VaultKeyring | undefined): string {
  if (!isVaulted(text)) return text;
  if (keyring instanceof VaultSecrets) return keyring.decryptFile(text, file);
  if (keyring === undefined) {
    throw new InvalidInputError(`${file} is encrypted with Ansible Vault and no vault secret was given`, {
      source: { file, line: 1, column: 1 },
      fix: 'pass --ask-vault-pass, --vault-password-file FILE or --vault-id LABEL@SOURCE',
    });
  }
  return keyring.decrypt(text, { file, line: 1, column: 1 });
}
