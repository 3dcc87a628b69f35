// The values a run must never show: decrypted vault values, the passwords it was given or read
// from password variables, and what a no_log task returned or set. Censoring is by value
// (src/vault/censor.ts), so a copy made by set_fact, a registered result printed later, or the
// value inside a longer command line is censored too, whatever variable holds it.
/** Values shorter than this are not censored: they would blank unrelated output ("yes", "22"). */
export const MIN_CENSORED_LENGTH = 4;

/** Variables whose value is a password wherever it is used (Ansible's connection and become passwords). */
export const PASSWORD_VARIABLES: readonly string[] = [
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_ssh_password',
  'ansible_become_pass',
  'ansible_become_password',
  'ansible_ssh_private_key_passphrase',
];

/** A growing set of secret strings; read at every event and log line, so later additions count. */
export class SecretValues {
  private readonly known = new Set<string>();

  get values(): ReadonlySet<string> {
    return this.known;
  }

  /** Remember a string: as it is, trimmed, and each line of it (stdout_lines shows them apart). */
  remember(value: string): void {
    this.add(value);
    this.add(value.trim());
    if (value.includes('\n')) for (const line of value.split('\n')) this.add(line.trim());
  }

  /** Remember every string inside a value (lists and mappings walked), except under `skipKeys`. */
  rememberLeaves(value: unknown, skipKeys: ReadonlySet<string> = new Set()): void {
    if (typeof value === 'string') this.remember(value);
    else if (Array.isArray(value)) for (const item of value) this.rememberLeaves(item, skipKeys);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) if (!skipKeys.has(key)) this.rememberLeaves(item, skipKeys);
    }
  }

  private add(value: string): void {
    if (value.length >= MIN_CENSORED_LENGTH) this.known.add(value);
  }
}
