// Private keys for publickey auth: ed25519, ecdsa and rsa files, OpenSSH or PEM format. An
// encrypted key's passphrase is asked once through the injected prompt and the parsed key kept
// for the run, so a hundred hosts cost one question.
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

/** Asks the user for a key's passphrase (the CLI prompts on the terminal). */
export type AskPassphrase = (keyPath: string) => Promise<string>;

/** A loaded key, or why it cannot be used. */
export type LoadedKey = { readonly ok: true; readonly key: ParsedKey } | { readonly ok: false; readonly why: string };

function isEncryptedError(error: Error): boolean {
  return /encrypted/i.test(error.message) && /passphrase/i.test(error.message);
}

/** Loads and caches key files; one per factory. */
export class KeyLoader {
  private readonly keys = new Map<string, Promise<LoadedKey>>();

  constructor(private readonly askPassphrase: AskPassphrase | undefined) {}

  /** The parsed key at `path`; the passphrase prompt runs at most once per path. */
  load(path: string): Promise<LoadedKey> {
    let key = this.keys.get(path);
    if (key === undefined) {
      key = this.read(path);
      this.keys.set(path, key);
    }
    return key;
  }

  private async read(path: string): Promise<LoadedKey> {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (error) {
      return { ok: false, why: `cannot read ${path}: ${(error as Error).message}` };
    }
    const plain = ssh2.utils.parseKey(data);
    if (!(plain instanceof Error)) return { ok: true, key: plain };
    if (!isEncryptedError(plain)) return { ok: false, why: `${path}: ${plain.message}` };
    if (this.askPassphrase === undefined) return { ok: false, why: `${path} is encrypted and no passphrase prompt is available` };
    const passphrase = await this.askPassphrase(path);
    const parsed = ssh2.utils.parseKey(data, passphrase);
    if (parsed instanceof Error) return { ok: false, why: `${path}: wrong passphrase (${parsed.message})` };
    return { ok: true, key: parsed };
  }
}
