import { describe, expect, it } from 'vitest';
import { hostAddress, hostName, parseProfileMix, planHosts } from '../../../sim/infra/fleet-plan.js';

describe('parseProfileMix', () => {
  it('gives every host the single profile named', () => {
    expect(parseProfileMix('novtx', 4)).toEqual([{ profile: 'novtx', count: 4 }]);
  });
  it('reads a mix in order and checks it against --hosts', () => {
    expect(parseProfileMix('seed:150,current:40,novtx:10', 200)).toEqual([
      { profile: 'seed', count: 150 },
      { profile: 'current', count: 40 },
      { profile: 'novtx', count: 10 },
    ]);
    expect(parseProfileMix('seed:1,bare:2', undefined)).toHaveLength(2);
    expect(() => parseProfileMix('seed:1,bare:2', 4)).toThrow('adds up to 3 hosts but --hosts is 4');
  });
  it('refuses unknown profiles and malformed parts', () => {
    expect(() => parseProfileMix('freebsd', 2)).toThrow('unknown profile "freebsd"; known: seed, current, novtx, bare');
    expect(() => parseProfileMix('seed:x,current:1', undefined)).toThrow('expected name:count, got "seed:x"');
    expect(() => parseProfileMix('seed', undefined)).toThrow('--hosts N is required');
  });
});

describe('host names and addresses', () => {
  it('pads K to at least two digits and to the width of the fleet', () => {
    expect(hostName(1, 3)).toBe('sim01');
    expect(hostName(7, 500)).toBe('sim007');
    expect(hostName(500, 500)).toBe('sim500');
  });
  it('puts host K of slot S at 127.S.x.y, never on .0 or .255', () => {
    expect(hostAddress(0, 1)).toBe('127.0.1.1');
    expect(hostAddress(0, 250)).toBe('127.0.1.250');
    expect(hostAddress(0, 251)).toBe('127.0.2.1');
    expect(hostAddress(3, 500)).toBe('127.3.2.250');
  });
  it('plans the hosts of a mix in order, each with its own address on port 2222', () => {
    const hosts = planHosts([{ profile: 'seed', count: 2 }, { profile: 'current', count: 1 }], 1);
    expect(hosts).toEqual([
      { index: 1, name: 'sim01', profile: 'seed', address: '127.1.1.1', port: 2222 },
      { index: 2, name: 'sim02', profile: 'seed', address: '127.1.1.2', port: 2222 },
      { index: 3, name: 'sim03', profile: 'current', address: '127.1.1.3', port: 2222 },
    ]);
  });
});
