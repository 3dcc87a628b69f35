import { describe, expect, it } from 'vitest';
import { isIpAddress, parseAddress, splitHostPort } from '../../src/inventory/host-address.js';

describe('splitHostPort', () => {
  it.each<[string, string, number | undefined]>([
    ['bhyve01.lab', 'bhyve01.lab', undefined],
    ['bhyve01.lab:2222', 'bhyve01.lab', 2222],
    ['bhyve[01:20].lab:22', 'bhyve[01:20].lab', 22],
    ['bhyve[01:20].lab', 'bhyve[01:20].lab', undefined],
    ['192.0.2.1:2200', '192.0.2.1', 2200],
    ['[2001:db8::1]:2222', '2001:db8::1', 2222],
    ['2001:db8::1', '2001:db8::1', undefined],
    ['host_with_trailing-', 'host_with_trailing-', undefined],
    ['not a host:22', 'not a host:22', undefined],
  ])('%s', (text, host, port) => {
    expect(splitHostPort(text)).toEqual({ host, port });
  });

  it('reports text that is no host name as unparsable', () => {
    expect(parseAddress('web:&db')).toBeUndefined();
    expect(parseAddress('bhyve01.lab')).toEqual({ host: 'bhyve01.lab', port: undefined });
  });
});

describe('isIpAddress', () => {
  it.each<[string, boolean]>([
    ['192.0.2.1', true],
    ['::1', true],
    ['fe80::1:2', true],
    ['bhyve01.lab', false],
    ['10.0.0', false],
  ])('%s → %s', (name, expected) => {
    expect(isIpAddress(name)).toBe(expected);
  });
});
