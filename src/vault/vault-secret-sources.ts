// Where vault passwords come from, as ansible's CLI builds them (lib/ansible/cli/__init__.py
// build_vault_ids / setup_vault_secrets and parsing/vault get_file_vault_secret): each
// --vault-id LABEL@SOURCE (no `@`: label `default`), then each --vault-password-file as
// default@FILE, then --ask-vault-pass as a prompt. SOURCE `prompt` asks on the terminal; an
// executable file is run and its stdout is the password (a `NAME-client` script is given
// `--vault-id LABEL`, and exit 2 means it has no such secret); another file is read, surrounding
// whitespace stripped. An empty password is refused, as Ansible does.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { exitedText } from '../text/exit-text.js';
import type { VaultSecret } from './vault-keyring.js';

/** The vault options of a command line (after ANSIBLE_* and ansible.cfg). */
export interface VaultSources {
  readonly vaultIds: readonly string[];
  readonly passwordFiles: readonly string[];
  readonly askVaultPass: boolean;
}

/** How to ask on the terminal; undefined when there is no terminal. */
export type AskSecret = ((prompt: string) => Promise<string>) | undefined;

/** `label@source` → its parts (Ansible splits at the first `@`). */
export function splitVaultId(vaultId: string): { readonly label: string; readonly source: string } {
  const at = vaultId.indexOf('@');
  if (at === -1) return { label: 'default', source: vaultId };
  return { label: vaultId.slice(0, at) || 'default', source: vaultId.slice(at + 1) };
}

/** The vault ids in Ansible's order; `autoPrompt` (ansible-vault) asks when nothing else is given. */
export function vaultIdList(sources: VaultSources, autoPrompt: boolean): string[] {
  const ids = [...sources.vaultIds, ...sources.passwordFiles.map((file) => `default@${file}`)];
  if (sources.askVaultPass || (ids.length === 0 && autoPrompt)) ids.push('default@prompt_ask_vault_pass');
  return ids;
}

function refuseEmpty(password: Buffer, source: string): Buffer {
  if (password.length === 0) throw new InvalidInputError(`the vault password from ${source} is empty`, { fix: 'give a non-empty vault password' });
  return password;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Trim \r and \n at both ends, as Python's bytes.strip(b'\r\n'). */
function stripNewlines(bytes: Buffer): Buffer {
  let start = 0;
  let end = bytes.length;
  while (start < end && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start++;
  while (end > start && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  return bytes.subarray(start, end);
}

function passwordFromFile(label: string, source: string, cwd: string): Buffer {
  const file = resolve(cwd, source);
  try {
    statSync(file);
  } catch {
    throw new InvalidInputError(`the vault password file ${file} was not found`, { fix: 'check the path given to --vault-password-file / --vault-id' });
  }
  if (isExecutable(file)) {
    const client = basename(file, extname(file)).endsWith('-client');
    try {
      // stdin and stderr stay the terminal's, so a script may prompt.
      const out = execFileSync(file, client ? ['--vault-id', label] : [], { stdio: ['inherit', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
      return refuseEmpty(stripNewlines(out), `script ${file}`);
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      const status = (error as { status?: number | null }).status;
      const script = `vault password script ${file}`;
      // Its stdout (a password, perhaps) is never shown; its stderr went to the terminal.
      const message =
        client && status === 2
          ? `${script} has no secret for vault id '${label}'`
          : status === undefined || status === null
            ? `${script} ${(error as Error).message}`
            : exitedText(script, { exitCode: status, stdout: '', stderr: '' });
      throw new InvalidInputError(message, { fix: 'fix the script, or remove its executable bit if it is a plain password file' });
    }
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InvalidInputError(`cannot read vault password file ${file}: ${(error as Error).message}`, { fix: 'make it readable by the user running beastie' });
  }
  const text = bytes.toString('utf8').trim();
  return refuseEmpty(stripNewlines(Buffer.from(text, 'utf8')), `file ${file}`);
}

/** Load every secret the sources name; prompts are asked now, before anything runs. */
export async function loadVaultSecrets(ids: readonly string[], cwd: string, ask: AskSecret): Promise<VaultSecret[]> {
  const secrets: VaultSecret[] = [];
  for (const id of ids) {
    const { label, source } = splitVaultId(id);
    if (source === 'prompt' || source === 'prompt_ask_vault_pass') {
      if (ask === undefined) {
        throw new InvalidInputError('a vault password prompt needs a terminal to ask on', { fix: 'run from a terminal, or use --vault-password-file FILE' });
      }
      const prompt = source === 'prompt' ? `Vault password (${label}): ` : 'Vault password: ';
      secrets.push({ label, password: refuseEmpty(Buffer.from(await ask(prompt), 'utf8'), 'the prompt'), source: 'prompt' });
      continue;
    }
    secrets.push({ label, password: passwordFromFile(label, source, cwd), source });
  }
  return secrets;
}
