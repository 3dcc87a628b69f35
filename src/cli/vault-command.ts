// `beastie vault ACTION`: ansible-vault's encrypt, decrypt, view, encrypt_string and rekey, on
// files ansible-vault reads and writes (src/vault/vault-format.ts). Plaintext is printed only by
// view, decrypt to stdout and the user's own encrypt_string input — this command reveals on purpose.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { didYouMean } from '../text/did-you-mean.js';
import { encryptVault, isVaulted } from '../vault/vault-format.js';
import { VaultSecrets, type VaultSecret } from '../vault/vault-keyring.js';
import { loadVaultSecrets, splitVaultId, vaultIdList, type AskSecret } from '../vault/vault-secret-sources.js';
import { settingEnvName } from '../config/settings.js';
import type { CliIO } from './cli-io.js';
import { cliConfig } from './cli-config.js';
import { HELP_OPTIONS, VAULT_OPTIONS } from './common-options.js';
import { defineCommand, helpText, parseCommandLine } from './option-spec.js';
import { versionText } from './version.js';

const ACTIONS = ['encrypt', 'decrypt', 'view', 'encrypt_string', 'rekey'] as const;
type Action = (typeof ACTIONS)[number];

/** `beastie vault`, declared once. */
export const VAULT_COMMAND = defineCommand({
  name: 'vault',
  usage: 'beastie vault encrypt|decrypt|view|encrypt_string|rekey [options] [FILE...|STRING]',
  summary: 'Encrypt and decrypt Ansible Vault files and values, as ansible-vault does (format 1.1/1.2, AES256).',
  options: {
    ...VAULT_OPTIONS,
    'encrypt-vault-id': { type: 'string', arg: 'LABEL', help: 'the vault id to encrypt with when several are given' },
    output: { type: 'string', arg: 'FILE', help: 'write the result to FILE (- for stdout) instead of in place' },
    name: { type: 'string', short: 'n', arg: 'NAME', help: 'encrypt_string: the variable name to print before !vault' },
    'stdin-name': { type: 'string', arg: 'NAME', help: 'encrypt_string: read the value from stdin and name it NAME' },
    'new-vault-password-file': { type: 'string', arg: 'FILE', help: 'rekey: the new password file' },
    'new-vault-id': { type: 'string', arg: 'LABEL@SOURCE', help: 'rekey: the new vault id' },
    ...HELP_OPTIONS,
  },
  epilog: 'Without FILE, encrypt and decrypt read stdin and write stdout; encrypt_string without STRING reads stdin.',
});

/** `beastie vault --help`. */
export function vaultHelp(): string {
  return helpText(VAULT_COMMAND, settingEnvName);
}

function usage(message: string): InvalidInputError {
  return new InvalidInputError(message, { fix: 'run `beastie vault --help`' });
}

/** Reads all of stdin (the test seam is CliIO.readStdin). */
async function stdinText(io: CliIO): Promise<Buffer> {
  if (io.readStdin === undefined) throw usage('no input: give a FILE, or pipe the text on stdin');
  return io.readStdin();
}

/** Write `content` over `file` atomically, keeping its mode (a vaulted file stays as private as it was). */
function replaceFile(file: string, content: string | Buffer): void {
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    // A new file: private by default.
  }
  const temp = join(dirname(file), `.${randomBytes(6).toString('hex')}.beastie-vault`);
  writeFileSync(temp, content, { mode, flag: 'wx' });
  chmodSync(temp, mode);
  renameSync(temp, file);
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InvalidInputError(`cannot read ${file}: ${(error as Error).message}`, { fix: 'check the path' });
  }
}

/** The one secret to encrypt with: --encrypt-vault-id's, else the only one (as ansible-vault). */
function encryptSecret(secrets: readonly VaultSecret[], label: string | undefined): VaultSecret {
  if (label !== undefined) {
    const found = secrets.find((secret) => secret.label === label);
    if (found === undefined) throw usage(`no vault secret has the id '${label}' given to --encrypt-vault-id (have: ${secrets.map((s) => s.label).join(', ')})`);
    return found;
  }
  if (secrets.length > 1) throw usage(`the vault ids ${secrets.map((s) => s.label).join(',')} are all available to encrypt with: choose one with --encrypt-vault-id`);
  const only = secrets[0];
  if (only === undefined) throw usage('no vault secret to encrypt with');
  return only;
}

/** Asking for a new password asks twice, as ansible-vault does. */
function confirmingAsk(ask: AskSecret): AskSecret {
  if (ask === undefined) return undefined;
  return async (prompt) => {
    const first = await ask(`New ${prompt}`);
    const again = await ask(`Confirm New ${prompt}`);
    if (first !== again) throw usage('the passwords do not match');
    return first;
  };
}

/** ansible-vault's encrypt_string layout: `NAME: !vault |` then the envelope indented by 10. */
export function vaultStringYaml(envelope: string, name: string | undefined): string {
  const lines = [`${name === undefined ? '' : `${name}: `}!vault |`, ...envelope.trimEnd().split('\n').map((line) => `          ${line}`)];
  return `${lines.join('\n')}\n`;
}

/** Run `beastie vault`; returns the exit code. */
export async function vaultCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const config = cliConfig(io);
  const { options, positionals } = parseCommandLine(VAULT_COMMAND, argv, (name) => config.settings.get(name));
  if (options.help) {
    io.stdout.write(vaultHelp());
    return 0;
  }
  if (options.version) {
    io.stdout.write(versionText('vault', config.settings.configFile));
    return 0;
  }
  const [written, ...rest] = positionals;
  if (written === undefined) throw usage('no action given');
  const action = ACTIONS.find((known) => known === written) as Action | undefined;
  if (action === undefined) {
    const near = didYouMean(written, ACTIONS);
    throw usage(`unknown vault action '${written}'${near === undefined ? '' : ` — did you mean '${near}'?`}`);
  }
  const encrypting = action === 'encrypt' || action === 'encrypt_string';
  const ids = vaultIdList({ vaultIds: options.vaultId, passwordFiles: options.vaultPasswordFile, askVaultPass: options.askVaultPass }, true);
  const secrets = await loadVaultSecrets(ids, io.cwd, encrypting ? confirmingAsk(io.askSecret) : io.askSecret);
  const keyring = new VaultSecrets(secrets);
  const out = (text: string | Buffer) => io.stdout.write(typeof text === 'string' ? text : text.toString('utf8'));
  const files = rest.map((file) => resolve(io.cwd, file));
  const output = options.output === undefined || options.output === '-' ? options.output : resolve(io.cwd, options.output);
  if (output !== undefined && files.length > 1) throw usage('--output takes one input file');

  switch (action) {
    case 'encrypt': {
      const secret = encryptSecret(secrets, options.encryptVaultId);
      const inputs = files.length === 0 ? [undefined] : files;
      for (const file of inputs) {
        const plaintext = file === undefined ? await stdinText(io) : readInput(file);
        if (isVaulted(plaintext)) throw usage(`${file ?? 'the input'} is already encrypted`);
        const envelope = encryptVault(plaintext, secret.password, secret.label);
        const target = output ?? (file === undefined ? '-' : file);
        if (target === '-') out(envelope);
        else replaceFile(target, envelope);
      }
      io.stderr.write('Encryption successful\n');
      return 0;
    }
    case 'decrypt':
    case 'view': {
      if (action === 'view' && files.length === 0) throw usage('view needs a FILE');
      const inputs = files.length === 0 ? [undefined] : files;
      for (const file of inputs) {
        const text = (file === undefined ? await stdinText(io) : readInput(file)).toString('utf8');
        if (!isVaulted(text)) throw usage(`${file ?? 'the input'} is not vault encrypted`);
        const { plaintext } = keyring.open(text, { file: file ?? '<stdin>', line: 1, column: 1 });
        const target = action === 'view' ? '-' : (output ?? (file === undefined ? '-' : file));
        if (target === '-') out(plaintext);
        else replaceFile(target, plaintext);
      }
      if (action === 'decrypt') io.stderr.write('Decryption successful\n');
      return 0;
    }
    case 'encrypt_string': {
      const secret = encryptSecret(secrets, options.encryptVaultId);
      let values: string[];
      let name = options.name;
      if (options.stdinName !== undefined) {
        name = options.stdinName;
        values = [(await stdinText(io)).toString('utf8')];
      } else if (rest.length > 0) {
        values = rest;
      } else {
        // As ansible-vault: the value read from stdin keeps its bytes (no trailing newline is removed).
        values = [(await stdinText(io)).toString('utf8')];
      }
      out(values.map((value) => vaultStringYaml(encryptVault(Buffer.from(value, 'utf8'), secret.password, secret.label), name)).join('\n'));
      io.stderr.write('Encryption successful\n');
      return 0;
    }
    case 'rekey': {
      if (files.length === 0) throw usage('rekey needs a FILE');
      const newIds = options.newVaultId !== undefined ? [options.newVaultId] : options.newVaultPasswordFile !== undefined ? [`default@${options.newVaultPasswordFile}`] : ['default@prompt_ask_vault_pass'];
      const [fresh] = await loadVaultSecrets(newIds, io.cwd, confirmingAsk(io.askSecret));
      if (fresh === undefined) throw usage('no new vault secret');
      for (const file of files) {
        const { plaintext } = keyring.open(readInput(file).toString('utf8'), { file, line: 1, column: 1 });
        replaceFile(file, encryptVault(plaintext, fresh.password, options.newVaultId === undefined ? undefined : splitVaultId(options.newVaultId).label));
      }
      io.stderr.write('Rekey successful\n');
      return 0;
    }
  }
}
