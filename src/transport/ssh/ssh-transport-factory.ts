// Creates ssh transports for a run: resolves each host's settings (inventory variables, then
// ansible_ssh_*_args, then ~/.ssh/config, then /etc/ssh/ssh_config, first value wins as in
// OpenSSH), and holds what the
// run's connections share: key files with their passphrases, known_hosts, jump host connections.
import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { AnyAuthMethod } from 'ssh2';
import { InvalidInputError } from '../../errors.js';
import type { ConnectionSettings, Transport, TransportFactory } from '../transport.js';
import { prepareHostKeyCheck } from './host-key-check.js';
import { knownHostName } from './known-hosts.js';
import { KnownHostsStore } from './known-hosts-store.js';
import { KeyLoader, type AskPassphrase } from './key-loader.js';
import { parseSshArgs } from './ssh-args.js';
import { loadSshConfig, sshConfigOptions, type SshConfig } from './ssh-config.js';
import { SshConnection, type SshLogger } from './ssh-connection.js';
import { resolveSshOptions, type SshOption, type SshSettings } from './ssh-option.js';
import { SshTransport } from './ssh-transport.js';
import { ChannelSlots } from './channel-slots.js';

/** Handshakes in flight at once: enough to keep 2 cores busy, few enough that none waits out its timeout. */
const MAX_CONCURRENT_HANDSHAKES = 32;

/** What the command line decides for every ssh host of a run. */
export interface SshTransportFactoryOptions {
  /** `--accept-new-host-keys`: record unknown host keys instead of refusing them. */
  readonly acceptNewHostKeys: boolean;
  /** `--allow-password`: permit ansible_ssh_pass (refused otherwise, in favour of keys). */
  readonly allowPassword: boolean;
  /** Asks for an encrypted key's passphrase (once per key file). */
  readonly askPassphrase?: AskPassphrase;
  /** `--ask-become-pass`: the password for sudo/doas/su, asked once; never logged. */
  readonly becomePassword?: string;
  /** Default connect timeout (handshake and auth included). */
  readonly connectTimeoutMs: number;
  readonly logger?: SshLogger;
  /** The home whose ~/.ssh is read (tests point it elsewhere); the user's own by default. */
  readonly home?: string;
  /** The ssh-agent socket; `SSH_AUTH_SOCK` by default, `null` for none. */
  readonly agentSocket?: string | null;
  /** The system-wide config read after the user's; /etc/ssh/ssh_config by default. */
  readonly systemConfigPath?: string;
}

/** OpenSSH's ServerAliveCountMax default. */
const KEEPALIVE_COUNT_MAX = 3;
/** Keepalive when ServerAliveInterval is not set: a dead host is noticed within a minute. */
const KEEPALIVE_INTERVAL_MS = 15_000;
/** Longest ProxyJump chain followed, against loops in ssh config. */
const MAX_JUMPS = 8;

/** The default identity files OpenSSH tries, in its order. */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Parses `[user@]host[:port]` (one ProxyJump hop). */
function parseHop(hop: string, origin: string): { user?: string; host: string; port?: number } {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop.trim());
  if (!match?.[2]) throw new Error(`${origin}: cannot read ProxyJump hop '${hop}' (want [user@]host[:port])`);
  return {
    ...(match[1] ? { user: match[1] } : {}),
    host: match[2].replace(/^\[|\]$/g, ''),
    ...(match[3] ? { port: Number(match[3]) } : {}),
  };
}

/** The ssh TransportFactory the runner calls. */
export function createSshTransportFactory(options: SshTransportFactoryOptions): TransportFactory {
  return new SshTransportFactory(options);
}

/** Shared state of one run's ssh connections. */
class SshTransportFactory implements TransportFactory {
  private readonly home: string;
  private readonly keys: KeyLoader;
  private readonly knownHosts = new KnownHostsStore();
  private readonly transports: SshTransport[] = [];
  private readonly jumps = new Map<string, SshConnection>();
  /** At most this many SSH handshakes at once across the run (see SshEndpoint.handshakes). */
  private readonly handshakes = new ChannelSlots(MAX_CONCURRENT_HANDSHAKES);
  private configs: readonly SshConfig[] | undefined;

  constructor(private readonly options: SshTransportFactoryOptions) {
    this.home = options.home ?? homedir();
    this.keys = new KeyLoader(options.askPassphrase);
  }

  open(settings: ConnectionSettings): Transport {
    if (settings.password !== undefined && !this.options.allowPassword) {
      throw new InvalidInputError('a password is set for this host (ansible_ssh_pass / ansible_password) and password login is off', {
        host: settings.host,
        fix: 'use a key (ssh-agent or ansible_ssh_private_key_file), or pass --allow-password',
      });
    }
    let connection: SshConnection;
    try {
      const inventory: SshOption[] = [
        ...(settings.port !== undefined ? [{ keyword: 'Port', value: String(settings.port), origin: 'ansible_port' }] : []),
        ...(settings.user !== undefined ? [{ keyword: 'User', value: settings.user, origin: 'ansible_user' }] : []),
        ...(settings.privateKeyFile !== undefined ? [{ keyword: 'IdentityFile', value: settings.privateKeyFile, origin: 'ansible_ssh_private_key_file' }] : []),
      ];
      const args = settings.sshArgs === undefined ? [] : parseSshArgs(settings.sshArgs, 'ansible_ssh_common_args/ansible_ssh_extra_args');
      connection = this.connection(settings.host, settings.address, [...inventory, ...args], settings.connectTimeoutMs, settings.password, 0);
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      throw new InvalidInputError((error as Error).message, { host: settings.host, cause: error });
    }
    const transport = new SshTransport(settings.host, connection, this.options.becomePassword, this.options.logger);
    this.transports.push(transport);
    return transport;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.transports.map((transport) => transport.close()));
    await Promise.all([...this.jumps.values()].map((jump) => jump.close()));
  }

  /** ~/.ssh/config then the system-wide file, as OpenSSH reads them; read once per run. */
  private sshConfigs(): readonly SshConfig[] {
    this.configs ??= [
      loadSshConfig(join(this.home, '.ssh', 'config'), join(this.home, '.ssh')),
      loadSshConfig(this.options.systemConfigPath ?? '/etc/ssh/ssh_config', '/etc/ssh'),
    ];
    return this.configs;
  }

  /** Builds the connection for `address` with `first` options taking precedence over ssh config. */
  private connection(host: string, address: string, first: readonly SshOption[], timeoutMs: number | undefined, password: string | undefined, depth: number): SshConnection {
    const settings = resolveSshOptions([...first, ...this.sshConfigs().flatMap((config) => sshConfigOptions(config, address))]);
    for (const ignored of settings.ignored) this.options.logger?.debug?.(host, `ssh option ignored: ${ignored.keyword} ${ignored.value} (${ignored.origin})`);
    const hostName = settings.hostName ?? address;
    const port = settings.port ?? 22;
    const user = settings.user ?? userInfo().username;
    const connectTimeoutMs = timeoutMs ?? settings.connectTimeoutMs ?? this.options.connectTimeoutMs;
    const via = settings.proxyJump === undefined ? undefined : this.jumpChain(host, settings.proxyJump, depth);
    const userFiles = settings.userKnownHostsFiles ?? [join(this.home, '.ssh', 'known_hosts'), join(this.home, '.ssh', 'known_hosts2')];
    const appendTo = userFiles[0] ?? join(this.home, '.ssh', 'known_hosts');
    const policy = settings.hostKeyPolicy ?? (this.options.acceptNewHostKeys ? 'accept-new' : 'strict');
    return new SshConnection(
      {
        host,
        hostName,
        port,
        user,
        connectTimeoutMs,
        ...(via === undefined ? {} : { via }),
        keepaliveIntervalMs: settings.serverAliveIntervalMs ?? KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: settings.serverAliveCountMax ?? KEEPALIVE_COUNT_MAX,
        auth: () => this.authMethods(host, user, settings, password),
        hostKeys: () =>
          prepareHostKeyCheck(this.knownHosts, {
            host,
            knownHostName: knownHostName(hostName, port),
            files: [...userFiles, '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
            appendTo,
            policy,
            hashNew: settings.hashKnownHosts ?? false,
          }),
        handshakes: this.handshakes,
      },
      this.options.logger,
    );
  }

  /** The connection to the last hop of `proxyJump` (each hop rides on the one before). */
  private jumpChain(host: string, proxyJump: string, depth: number): SshConnection {
    let via: SshConnection | undefined;
    for (const hop of proxyJump.split(',')) {
      if (depth >= MAX_JUMPS) throw new Error(`ProxyJump for ${host} goes deeper than ${MAX_JUMPS} hops (a loop in ssh config?)`);
      const parsed = parseHop(hop, `ProxyJump of ${host}`);
      const first: SshOption[] = [
        ...(parsed.user !== undefined ? [{ keyword: 'User', value: parsed.user, origin: 'ProxyJump' }] : []),
        ...(parsed.port !== undefined ? [{ keyword: 'Port', value: String(parsed.port), origin: 'ProxyJump' }] : []),
        // Hops after the first ride on the previous one rather than their own ProxyJump.
        ...(via !== undefined ? [{ keyword: 'ProxyJump', value: 'none', origin: 'ProxyJump' }] : []),
      ];
      const key = `${via?.label ?? ''}>${hop.trim()}`;
      let connection = this.jumps.get(key);
      if (connection === undefined) {
        const previous = via;
        connection = this.connection(`jump ${hop.trim()}`, parsed.host, first, undefined, undefined, depth + 1);
        if (previous !== undefined) connection = new SshConnection({ ...connection.endpoint, via: previous }, this.options.logger);
        this.jumps.set(key, connection);
      }
      via = connection;
    }
    return via as SshConnection;
  }

  /** ssh-agent, then key files (the host's own, else OpenSSH's defaults), then a password if allowed. */
  private async authMethods(host: string, username: string, settings: SshSettings, password: string | undefined): Promise<AnyAuthMethod[]> {
    const methods: AnyAuthMethod[] = [];
    const agent = this.options.agentSocket === undefined ? process.env['SSH_AUTH_SOCK'] : this.options.agentSocket;
    if (agent) methods.push({ type: 'agent', username, agent });
    const explicit = settings.identityFiles.length > 0;
    const files = explicit ? settings.identityFiles : DEFAULT_IDENTITIES.map((name) => join(this.home, '.ssh', name)).filter((path) => existsSync(path));
    for (const file of files) {
      const loaded = await this.keys.load(file);
      if (loaded.ok) methods.push({ type: 'publickey', username, key: loaded.key });
      else this.options.logger?.warn?.(host, `key not used: ${loaded.why}`);
    }
    if (password !== undefined && this.options.allowPassword) {
      methods.push({ type: 'password', username, password });
      // FreeBSD's sshd takes passwords through PAM's keyboard-interactive by default.
      methods.push({
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
      });
    }
    return methods;
  }
}
