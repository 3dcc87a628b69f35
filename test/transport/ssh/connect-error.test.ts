import { describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../src/errors.js';
import { connectError } from '../../../src/transport/ssh/connect-error.js';

const target = { host: 'web1', user: 'admin', hostName: '10.0.0.5', port: 22 };

function ssh2Error(message: string, level: string, code?: string): Error {
  return Object.assign(new Error(message), { level, ...(code ? { code } : {}) });
}

describe('connectError', () => {
  it.each([
    [ssh2Error('getaddrinfo ENOTFOUND x', 'client-dns', 'ENOTFOUND'), 'dns'],
    [ssh2Error('connect ECONNREFUSED', 'client-socket', 'ECONNREFUSED'), 'refused'],
    [ssh2Error('Timed out while waiting for handshake', 'client-timeout'), 'timeout'],
    [ssh2Error('connect EHOSTUNREACH', 'client-socket', 'EHOSTUNREACH'), 'timeout'],
    [ssh2Error('All configured authentication methods failed', 'client-authentication'), 'auth'],
    [ssh2Error('read ECONNRESET', 'client-socket', 'ECONNRESET'), 'connection-lost'],
    [ssh2Error('Handshake failed: no matching cipher', 'handshake'), 'protocol'],
    [ssh2Error('Bad packet length', 'protocol'), 'protocol'],
  ] as const)('classifies %s as %s', (error, reason) => {
    const result = connectError(error, target, 10_000);
    expect(result).toBeInstanceOf(UnreachableError);
    expect(result.reason).toBe(reason);
    expect(result.host).toBe('web1');
    expect(result.message).toContain('admin@10.0.0.5:22');
    expect(result.fix).toBeTruthy();
  });

  it('says how long the handshake was waited for and names the jump host', () => {
    const result = connectError(ssh2Error('Timed out while waiting for handshake', 'client-timeout'), { ...target, via: 'root@gw:22' }, 1500);
    expect(result.message).toBe('ssh admin@10.0.0.5:22 via root@gw:22: timeout: no SSH handshake within 1.5 s [ssh2 client-timeout]');
  });
});
