// The `!vault` YAML tag (ansible-vault encrypt_string's output): the tagged block scalar is a
// vault envelope, decrypted at load time with the run's secrets into a plain string.
import type { ScalarTag } from 'yaml';
import { InvalidInputError } from '../errors.js';
import type { VaultKeyring } from './vault-keyring.js';

/** A `!vault` tag that decrypts with `keyring`; failures are kept in `failures` (keyed by message) for the caller to place. */
export function vaultTag(keyring: VaultKeyring | undefined, failures: Map<string, InvalidInputError>): ScalarTag {
  return {
    tag: '!vault',
    resolve(text: string, onError: (message: string) => void): string {
      try {
        if (keyring === undefined) {
          throw new InvalidInputError('this value is encrypted with Ansible Vault and no vault secret was given', {
            fix: 'pass --ask-vault-pass, --vault-password-file FILE or --vault-id LABEL@SOURCE',
          });
        }
        // The position is the parser's to give (the caller places the error at the tagged node).
        return keyring.decrypt(text, { file: '', line: 0, column: 0 });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        failures.set(error.message, error);
        onError(error.message);
        return '';
      }
    },
  };
}
