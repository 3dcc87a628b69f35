import { describe, expect, it } from 'vitest';
import { boottimeFact, parseKernBoottime } from '../../src/facts/boottime.js';

describe('parseKernBoottime', () => {
  it('reads sysctl -n kern.boottime exactly as docs/freebsd/host.md prints it', () => {
    expect(parseKernBoottime({ stdout: '{ sec = 1715699000, usec = 412345 } Tue May 14 15:03:20 2024\n', stderr: '', exitCode: 0 })).toBeCloseTo(1715699000.412345, 6);
  });

  it('is undefined when sysctl fails or prints something else', () => {
    expect(parseKernBoottime({ stdout: '', stderr: "sysctl: unknown oid 'kern.boottime'", exitCode: 1 })).toBeUndefined();
    expect(parseKernBoottime({ stdout: '1715699000\n', stderr: '', exitCode: 0 })).toBeUndefined();
  });

  it('uses sysctl -n', () => {
    expect(boottimeFact.command.text).toBe('sysctl -n kern.boottime');
  });
});
