import { describe, expect, it } from 'vitest';
import { sysctlFact, sysctlValueOutput, sysctlValuesCommand } from '../../src/facts/sysctl-values.js';

// What sysctl(8) prints for `sysctl kern.ostype no.such hw.vmm` (sbin/sysctl/sysctl.c; docs/freebsd/host.md).
const printed = {
  stdout: 'kern.ostype: FreeBSD\nhw.vmm.vmx.initialized: 1\nhw.vmm.amdvi.enable: 0\n',
  stderr: "sysctl: unknown oid 'no.such'\n",
};

describe('sysctl values read by one sysctl', () => {
  it('is one sysctl with every name, each quoted for sh', () => {
    expect(sysctlValuesCommand(['kern.ostype', 'hw.vmm']).text).toBe('sysctl kern.ostype hw.vmm');
  });

  it('gives back what `sysctl [-n] NAME` alone prints: a leaf, a subtree, an unknown name', () => {
    expect(sysctlValueOutput(printed, 'kern.ostype', true)).toEqual({ stdout: 'FreeBSD\n', stderr: '', exitCode: 0 });
    expect(sysctlValueOutput(printed, 'kern.ostype', false)).toEqual({ stdout: 'kern.ostype: FreeBSD\n', stderr: '', exitCode: 0 });
    expect(sysctlValueOutput(printed, 'hw.vmm', false)).toEqual({ stdout: 'hw.vmm.vmx.initialized: 1\nhw.vmm.amdvi.enable: 0\n', stderr: '', exitCode: 0 });
    expect(sysctlValueOutput(printed, 'no.such', true)).toEqual({ stdout: '', stderr: "sysctl: unknown oid 'no.such'\n", exitCode: 1 });
    // a name that is the prefix of another's is not that other name
    expect(sysctlValueOutput({ stdout: 'kern.osreldate: 1402000\n', stderr: '' }, 'kern.osrel', true).exitCode).toBe(1);
  });

  it('hands each read what `sysctl -n ITS NAMES` alone prints, the exit status counting the names not read', () => {
    const seen: unknown[] = [];
    const fact = sysctlFact('test:sysctl', {
      one: { names: ['kern.ostype'], parse: (output) => output },
      both: { names: ['kern.ostype', 'no.such'], parse: (output) => (seen.push(output), output.exitCode) },
    });
    expect(fact.command.text).toBe('sysctl kern.ostype no.such');
    expect(fact.parse({ ...printed, exitCode: 1 })).toEqual({ one: { stdout: 'FreeBSD\n', stderr: '', exitCode: 0 }, both: 1 });
    expect(seen).toEqual([{ stdout: 'FreeBSD\n', stderr: "sysctl: unknown oid 'no.such'\n", exitCode: 1 }]);
  });
});
