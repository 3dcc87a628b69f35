// acpidump -t (docs/freebsd/host.md "acpidump"): the table headers as acpi_print_sdt prints them,
// a DMAR table on the seed machine unless the firmware's VT-d switch is off, none without VT-x.
import { describe, expect, it } from 'vitest';
import { bootedHostsOfFile } from '../host-sandbox.js';

const booted = bootedHostsOfFile();

describe('acpidump', () => {
  it('prints the RSD PTR, the XSDT and each table between /* and */, with DMAR on the seed machine', () => {
    const host = booted('seed');
    const out = host.run('acpidump -t');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^\/\*\n {2}RSD PTR: OEM=\S+, ACPI_Rev=2\.0x \(2\)\n/);
    expect(out.stdout).toMatch(/^ {2}XSDT: Length=\d+, Revision=\d+, Checksum=\d+,\n\tOEMID=.*, OEM Table ID=.*, OEM Revision=0x[0-9a-f]+,\n\tCreator ID=.*, Creator Revision=0x[0-9a-f]+\n\tEntries=\{ /m);
    expect(out.stdout).toMatch(/^ {2}DMAR: Length=\d+/m);
    expect(out.stdout.endsWith(' */\n')).toBe(true);
  });

  it('has no DMAR when the firmware turned VT-d off, nor on a CPU without VT-x', () => {
    const host = booted('seed');
    host.run("echo hw_iommu_bios=off >>/var/sim/hardware/sysctl");
    expect(host.run('acpidump -t').stdout).not.toMatch(/DMAR/);
    expect(booted('novtx').run('acpidump -t').stdout).not.toMatch(/DMAR/);
  });

  it('needs -t', () => {
    const out = booted('seed').run('acpidump');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^usage: acpidump/);
  });
});
