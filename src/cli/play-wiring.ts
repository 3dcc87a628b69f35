// What `beastie play`, ad-hoc, doctor and `beastie doc` are given to work with: the module set,
// the playbook loader, the runner's services and the transports. cli/wiring.ts builds the real
// one; tests pass their own.
import type { ModuleRegistry } from '../module-api/registry.js';
import type { Playbook } from '../playbook/types.js';
import type { RunnerServices } from '../runner/services.js';
import type { TransportFactory } from '../transport/transport.js';
import type { VaultKeyring } from '../vault/vault-keyring.js';

/** SSH settings from the command line, for the transport factory. */
export interface SshOptions {
  readonly acceptNewHostKeys: boolean;
  readonly allowPassword: boolean;
  readonly connectTimeoutMs: number | undefined;
  /** Asks for an encrypted private key's passphrase on the terminal; absent without one. */
  readonly askSecret: ((prompt: string) => Promise<string>) | undefined;
}

/** What the playbook loader is given besides the file. */
export interface PlaybookLoadRequest {
  readonly extraVars: Readonly<Record<string, unknown>>;
  /** Decrypts `!vault` values and vaulted vars files. */
  readonly vault: VaultKeyring;
  /** The playbook's text when it is not a file (the ad-hoc mode's one-task play). */
  readonly text?: string;
  /** Where roles are looked for after roles/ beside the playbook (roles_path, $ANSIBLE_ROLES_PATH). */
  readonly rolesPath?: readonly string[] | undefined;
  /** Where collections (their roles) are looked for after collections/ beside the playbook (collections_path). */
  readonly collectionsPath?: readonly string[] | undefined;
}

/** What the play command needs wired in: the playbook loader, the services, the transports. */
export interface PlayWiring {
  /** The run's module set: the loader, the runner and `beastie doc` all use this one. */
  readonly modules: ModuleRegistry;
  /** Loads and validates the whole playbook; throws InvalidInputError(s) with file:line:column. */
  loadPlaybook(path: string, request: PlaybookLoadRequest): Promise<Playbook>;
  readonly services: RunnerServices;
  transports(options: SshOptions): TransportFactory;
}
