// -e/--extra-vars as ansible-playbook takes them: `KEY=VALUE` pairs (space separated, values are
// strings), `@FILE` (YAML or JSON), or an inline JSON/YAML mapping. Later -e options win.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { InvalidInputError } from '../errors.js';
import { decryptIfVaulted, type VaultKeyring } from '../vault/vault-keyring.js';

function mapping(value: unknown, what: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(`${what} is not a mapping of variables`, { fix: 'give -e a mapping such as {"a": 1}, KEY=VALUE, or @vars.yml holding a mapping' });
  }
  return value as Record<string, unknown>;
}

/** One -e value as variables. */
export async function parseExtraVars(text: string, cwd: string, vault?: VaultKeyring): Promise<Record<string, unknown>> {
  const trimmed = text.trim();
  if (trimmed.startsWith('@')) {
    const file = resolve(cwd, trimmed.slice(1));
    let source: string;
    try {
      source = await readFile(file, 'utf8');
    } catch (error) {
      throw new InvalidInputError(`cannot read extra vars file ${file}: ${(error as Error).message}`, { fix: 'give -e @FILE an existing YAML or JSON file' });
    }
    // A vault-encrypted vars file (ansible-vault encrypt) is read as ansible-playbook reads it.
    source = decryptIfVaulted(source, file, vault);
    try {
      return mapping(parse(source), `extra vars file ${file}`);
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      throw new InvalidInputError(`extra vars file ${file} is not valid YAML: ${(error as Error).message}`, { fix: 'fix the YAML syntax of the file' });
    }
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return mapping(parse(trimmed), `-e '${trimmed}'`);
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      throw new InvalidInputError(`-e '${trimmed}' is not valid JSON or YAML: ${(error as Error).message}`, { fix: 'quote the JSON for your shell: -e \'{"a": 1}\'' });
    }
  }
  const vars: Record<string, unknown> = {};
  for (const pair of trimmed.split(/\s+/).filter((p) => p !== '')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InvalidInputError(`-e '${pair}' is not KEY=VALUE`, { fix: 'write -e name=value, -e @vars.yml, or -e \'{"name": "value"}\'' });
    vars[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return vars;
}

/** Every -e in order, merged. */
export async function collectExtraVars(values: readonly string[], cwd: string, vault?: VaultKeyring): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  for (const value of values) Object.assign(merged, await parseExtraVars(value, cwd, vault));
  return merged;
}
