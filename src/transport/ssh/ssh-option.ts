// OpenSSH client options as keyword/value pairs, from the command line (`-o`, `-p`, `-J`…) or
// ~/.ssh/config, and what beastie makes of them. OpenSSH takes the first value it meets for a
// keyword, so sources are concatenated in precedence order and read first-wins.
import { homedir } from 'node:os';

/** One `Keyword value` setting; the keyword as written (matched case-insensitively). */
export interface SshOption {
  readonly keyword: string;
  readonly value: string;
  /** Where it came from, for messages: `~/.ssh/config:12`, `ansible_ssh_common_args`. */
  readonly origin: string;
}

/** How unknown and changed host keys are treated (`StrictHostKeyChecking`). */
export type HostKeyPolicy = 'strict' | 'accept-new';

/** The options beastie acts on, resolved first-wins. */
export interface SshSettings {
  readonly hostName?: string;
  readonly user?: string;
  readonly port?: number;
  readonly identityFiles: readonly string[];
  readonly proxyJump?: string;
  readonly userKnownHostsFiles?: readonly string[];
  /** Absent: the command line's --accept-new-host-keys decides. */
  readonly hostKeyPolicy?: HostKeyPolicy;
  readonly connectTimeoutMs?: number;
  readonly serverAliveIntervalMs?: number;
  readonly serverAliveCountMax?: number;
  /** Record new host keys hashed (`HashKnownHosts yes`, Debian's system default). */
  readonly hashKnownHosts?: boolean;
  /** Options seen but not acted on, for a diagnostic. */
  readonly ignored: readonly SshOption[];
}

/** `~/x` → `$HOME/x`, as OpenSSH expands paths in IdentityFile and UserKnownHostsFile. */
export function expandHome(path: string, home: string = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

function positiveNumber(option: SshOption): number {
  const value = Number(option.value);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${option.origin}: ${option.keyword} must be a number of seconds, got '${option.value}'`);
  return value;
}

/** StrictHostKeyChecking values as OpenSSH reads them; `ask` cannot ask here, so it is strict. */
function hostKeyPolicy(option: SshOption): HostKeyPolicy {
  switch (option.value.toLowerCase()) {
    case 'yes':
    case 'ask':
      return 'strict';
    // `no` also records new keys; a changed key is refused whatever the setting.
    case 'no':
    case 'off':
    case 'accept-new':
      return 'accept-new';
    default:
      throw new Error(`${option.origin}: StrictHostKeyChecking must be yes, no, ask or accept-new, got '${option.value}'`);
  }
}

/** Reads options first-wins (IdentityFile accumulates, as in OpenSSH). */
export function resolveSshOptions(options: readonly SshOption[]): SshSettings {
  const seen = new Set<string>();
  const identityFiles: string[] = [];
  const ignored: SshOption[] = [];
  const settings: { -readonly [K in keyof SshSettings]: SshSettings[K] } = { identityFiles, ignored };
  for (const option of options) {
    const keyword = option.keyword.toLowerCase();
    if (keyword === 'identityfile') {
      identityFiles.push(expandHome(option.value));
      continue;
    }
    if (seen.has(keyword)) continue;
    seen.add(keyword);
    switch (keyword) {
      case 'hostname':
        settings.hostName = option.value;
        break;
      case 'user':
        settings.user = option.value;
        break;
      case 'port': {
        const port = Number(option.value);
        if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${option.origin}: Port must be 1-65535, got '${option.value}'`);
        settings.port = port;
        break;
      }
      case 'proxyjump':
        if (option.value.toLowerCase() !== 'none') settings.proxyJump = option.value;
        break;
      case 'userknownhostsfile':
        settings.userKnownHostsFiles = option.value.split(/\s+/).filter((p) => p !== '').map((p) => expandHome(p));
        break;
      case 'stricthostkeychecking':
        settings.hostKeyPolicy = hostKeyPolicy(option);
        break;
      case 'connecttimeout':
        settings.connectTimeoutMs = positiveNumber(option) * 1000;
        break;
      case 'serveraliveinterval':
        settings.serverAliveIntervalMs = positiveNumber(option) * 1000;
        break;
      case 'serveralivecountmax':
        settings.serverAliveCountMax = positiveNumber(option);
        break;
      case 'hashknownhosts':
        settings.hashKnownHosts = option.value.toLowerCase() === 'yes';
        break;
      default:
        ignored.push(option);
    }
  }
  return settings;
}
