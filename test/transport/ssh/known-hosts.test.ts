import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, entryMatchesHost, keyTypeOfBlob, knownHostName, knownHostsLine, knownKeyTypes, parseKnownHosts } from '../../../src/transport/ssh/known-hosts.js';

/** A fake key blob: string type, then some bytes, as SSH encodes public keys. */
function blob(type: string, body: string): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, Buffer.from(body)]);
}

const ED_A = blob('ssh-ed25519', 'key-a');
const ED_B = blob('ssh-ed25519', 'key-b');
const RSA_A = blob('ssh-rsa', 'rsa-a');

function hashed(name: string, salt = Buffer.from('0123456789abcdefghij')): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  const text = [
    '# comment',
    `web1,10.0.0.1 ssh-ed25519 ${ED_A.toString('base64')}`,
    `[10.0.0.2]:2222 ssh-ed25519 ${ED_A.toString('base64')}`,
    `${hashed('[db1]:2200')} ssh-rsa ${RSA_A.toString('base64')}`,
    `*.lab,!bad.lab ssh-ed25519 ${ED_B.toString('base64')}`,
    `@revoked * ssh-ed25519 ${blob('ssh-ed25519', 'stolen').toString('base64')}`,
    'garbage',
    '',
  ].join('\n');
  const entries = parseKnownHosts(text, '/home/u/.ssh/known_hosts');

  it('reads key lines with their line numbers and skips comments and garbage', () => {
    expect(entries.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(entries[4]?.marker).toBe('revoked');
    expect(keyTypeOfBlob(ED_A)).toBe('ssh-ed25519');
  });

  it('names non-22 ports in brackets', () => {
    expect(knownHostName('web1', 22)).toBe('web1');
    expect(knownHostName('10.0.0.2', 2222)).toBe('[10.0.0.2]:2222');
  });

  it('matches plain names, [host]:port, hashed entries and patterns with negation', () => {
    expect(checkHostKey(entries, 'web1', ED_A).status).toBe('known');
    expect(checkHostKey(entries, '10.0.0.1', ED_A).status).toBe('known');
    expect(checkHostKey(entries, '[10.0.0.2]:2222', ED_A).status).toBe('known');
    expect(checkHostKey(entries, '10.0.0.2', ED_A).status).toBe('unknown');
    expect(checkHostKey(entries, '[db1]:2200', RSA_A).status).toBe('known');
    expect(checkHostKey(entries, 'db1', RSA_A).status).toBe('unknown');
    expect(checkHostKey(entries, 'x.lab', ED_B).status).toBe('known');
    expect(checkHostKey(entries, 'bad.lab', ED_B).status).toBe('unknown');
  });

  it('reports a changed key with the offending file and line', () => {
    const check = checkHostKey(entries, 'web1', ED_B);
    expect(check).toMatchObject({ status: 'changed', entry: { file: '/home/u/.ssh/known_hosts', line: 2 } });
  });

  it('treats a key of a type the host is not known with as changed', () => {
    expect(checkHostKey(entries, '[db1]:2200', ED_A)).toMatchObject({ status: 'changed', entry: { line: 4 } });
  });

  it('refuses a revoked key', () => {
    expect(checkHostKey(entries, 'anything', blob('ssh-ed25519', 'stolen')).status).toBe('revoked');
  });

  it('lists the key types known for a host, for algorithm ordering', () => {
    expect(knownKeyTypes(entries, '[db1]:2200')).toEqual(['ssh-rsa']);
    expect(knownKeyTypes(entries, 'nowhere')).toEqual([]);
  });

  it('writes lines that it reads back, hashed or plain', () => {
    for (const hashedLine of [false, true]) {
      const line = knownHostsLine('[h]:2022', ED_A, hashedLine);
      const [entry] = parseKnownHosts(line, 'f');
      expect(entry && entryMatchesHost(entry, '[h]:2022')).toBe(true);
      expect(entry && entryMatchesHost(entry, 'h')).toBe(false);
      expect(line.startsWith('|1|')).toBe(hashedLine);
    }
  });
});
