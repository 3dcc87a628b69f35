// Ansible's vault and unvault filters (plugins/filter/encryption.py): a string encrypted into a
// vault text with a password given in the template, and back. The format is the project's one
// implementation of Ansible Vault (src/vault/vault-format.ts). vault's default vault id
// `filter_default` makes a 1.2 envelope with that label, as VaultLib.encrypt does; a `salt`
// (its UTF-8 bytes, any length) makes the text reproducible.
import { decryptPayload, encryptVault, isVaulted, parseEnvelope, VaultFormatError } from '../../vault/vault-format.js';
import { JinjaRenderError } from '../errors.js';
import type { Filter } from '../registry.js';
import { pyStr, truthy, typeName, Undefined, type CallArgs } from '../values.js';

/** The keyword arguments do_vault / do_unvault take; any other is Python's TypeError. */
function checkKeywords(filter: string, call: CallArgs, known: readonly string[]): void {
  for (const name of Object.keys(call.kwargs)) {
    if (!known.includes(name)) throw new JinjaRenderError(`do_${filter}() got an unexpected keyword argument '${name}'`, `${filter} takes ${known.join(', ')}`);
  }
}

function argument(call: CallArgs, index: number, name: string): unknown {
  return call.args[index] ?? call.kwargs[name];
}

/** The password argument: a string, as do_vault requires (an undefined one fails as undefined). */
function secretOf(call: CallArgs, wording: string): Buffer {
  const secret = argument(call, 0, 'secret');
  if (secret instanceof Undefined) secret.fail();
  if (typeof secret !== 'string' && !Buffer.isBuffer(secret)) throw new JinjaRenderError(`Secret passed is required to be ${wording}a string, instead we got: <class '${typeName(secret)}'>`);
  return Buffer.from(secret);
}

export const vaultFilters: Readonly<Record<string, Filter>> = {
  vault: {
    fn: (value, call) => {
      checkKeywords('vault', call, ['secret', 'salt', 'vaultid', 'wrap_object']);
      const secret = secretOf(call, '');
      if (typeof value !== 'string' && !Buffer.isBuffer(value)) throw new JinjaRenderError(`Can only vault strings, instead we got: <class '${typeName(value)}'>`);
      const salt = argument(call, 1, 'salt');
      const label = argument(call, 2, 'vaultid') ?? 'filter_default';
      if (truthy(argument(call, 3, 'wrap_object') ?? false)) {
        throw new JinjaRenderError('vault: wrap_object=True is not supported by beastie', 'leave wrap_object out: the vault text is a string beastie passes on as written');
      }
      if (salt !== undefined && salt !== null && pyStr(salt) === '') throw new JinjaRenderError('Unable to encrypt: Empty or invalid salt passed');
      const saltBytes = salt === undefined || salt === null ? undefined : Buffer.from(pyStr(salt));
      return encryptVault(Buffer.from(value), secret, pyStr(label), saltBytes);
    },
  },
  unvault: {
    fn: (value, call) => {
      checkKeywords('unvault', call, ['secret', 'vaultid']);
      const secret = secretOf(call, 'as ');
      if (typeof value !== 'string' && !Buffer.isBuffer(value)) throw new JinjaRenderError(`Vault should be in the form of a string, instead we got: <class '${typeName(value)}'>`);
      const text = value.toString();
      // Not vaulted: passed through, as do_unvault does.
      if (!isVaulted(text)) return text;
      let plain: Buffer | undefined;
      try {
        plain = decryptPayload(parseEnvelope(text), secret);
      } catch (error) {
        if (error instanceof VaultFormatError) throw new JinjaRenderError(`Unable to decrypt: ${error.message}`);
        throw error;
      }
      if (plain === undefined) throw new JinjaRenderError('Unable to decrypt: Decryption failed (no vault secrets were found that could decrypt)', 'give unvault the password the text was encrypted with');
      return plain.toString('utf8');
    },
  },
};
