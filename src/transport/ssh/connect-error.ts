// ssh2's connection errors, classified into the unreachable reasons the recap counts:
// ssh2 tags each error with `level` (client-socket, client-dns, client-timeout,
// client-authentication, protocol, handshake) and socket errors carry a Node `code`.
import { UnreachableError, type UnreachableReason } from '../../errors.js';

/** Where we tried to connect, for the message. */
export interface ConnectTarget {
  readonly host: string;
  readonly user: string;
  readonly hostName: string;
  readonly port: number;
  /** The jump host chain, when there is one. */
  readonly via?: string;
}

function reasonOf(level: string | undefined, code: string | undefined): UnreachableReason {
  if (level === 'client-dns' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (level === 'client-timeout' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'timeout';
  if (level === 'client-authentication' || level === 'agent') return 'auth';
  if (code === 'ECONNREFUSED') return 'refused';
  if (level === 'client-socket') return code === 'ECONNRESET' || code === 'EPIPE' ? 'connection-lost' : 'refused';
  return 'protocol';
}

const FIXES: Readonly<Record<UnreachableReason, string>> = {
  dns: 'check the host name (ansible_host) and DNS',
  refused: 'check that sshd runs on the host and the port (ansible_port) is right',
  timeout: 'check that the host is up and reachable; raise ConnectTimeout for slow links',
  auth: 'check the user (ansible_user), ssh-agent keys and ansible_ssh_private_key_file',
  'host-key-unknown': 'run with --accept-new-host-keys to record it',
  'host-key-changed': 'verify the host key with its administrator',
  'connection-lost': 'check the host; it may have rebooted or its sshd died',
  protocol: 'check that the port speaks SSH',
  'host-locked': 'wait for the other run to finish, or take over a stale lock with --break-stale-locks',
};

/** An ssh2 error during connect, as an UnreachableError naming the host. */
export function connectError(error: unknown, target: ConnectTarget, timeoutMs: number): UnreachableError {
  const err = error as { level?: string; code?: string; message?: string };
  const reason = reasonOf(err.level, err.code);
  const where = `${target.user}@${target.hostName}:${target.port}${target.via ? ` via ${target.via}` : ''}`;
  const detail =
    reason === 'timeout' && err.level === 'client-timeout' && !/keepalive/i.test(err.message ?? '')
      ? `no SSH handshake within ${timeoutMs / 1000} s`
      : (err.message ?? String(error));
  const level = err.level ? ` [ssh2 ${err.level}${err.code ? ` ${err.code}` : ''}]` : err.code ? ` [${err.code}]` : '';
  return new UnreachableError(reason, `ssh ${where}: ${reason}: ${detail}${level}`, { host: target.host, fix: FIXES[reason], cause: error });
}
