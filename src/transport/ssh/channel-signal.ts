// Sending a signal to the command of an exec channel. ssh2's channel.signal() sends nothing once
// the channel is no longer writable (ssh2 1.17 lib/Channel.js checks `this.writable`), and every
// command here ends its stdin at once, so it would never send. The request itself is valid after
// EOF (RFC 4254 §6.9 ties it to the channel, not to its input), and OpenSSH's sshd answers it with
// killpg() on the command's process group (session.c, session_signal_req): the command and every
// child that did not leave the group die. This goes to ssh2's protocol object directly.
import type { ClientChannel } from 'ssh2';

/** The parts of ssh2's channel this relies on (not in its typings). */
interface ChannelInternals {
  readonly outgoing?: { readonly id: number; readonly state: string };
  readonly _client?: { readonly _protocol?: { signal(id: number, signal: string): void } };
}

/**
 * Ask the server to send `signal` (`KILL`, `TERM`) to the channel's command; a no-op once the
 * channel is closing. ssh2 marks a channel whose input ended `eof` (lib/Channel.js, eof()).
 */
export function signalChannel(channel: ClientChannel, signal: string): void {
  const inner = channel as unknown as ChannelInternals;
  const state = inner.outgoing?.state;
  if (inner.outgoing === undefined || (state !== 'open' && state !== 'eof')) return;
  inner._client?._protocol?.signal(inner.outgoing.id, signal);
}
