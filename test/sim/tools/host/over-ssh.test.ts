// The host tools on a real simulated fleet host over OpenSSH (infra's `up`, sim-boot at boot,
// a reboot through shutdown -r now): the same outputs as in the sandbox tests, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type TestFleet } from '../../../helpers/fleet.js';
import { waitFor } from '../../../helpers/wait-for.js';

describe('host tools over SSH (seed)', () => {
  let fleet: TestFleet;
  beforeAll(async () => {
    fleet = await startFleet({ hosts: 1, profile: 'seed' });
  });
  afterAll(async () => {
    await fleet?.down();
  });
  const run = async (command: string) => {
    const r = await fleet.ssh('sim01', command);
    return { stdout: r.stdout, stderr: r.stderr, code: r.exitCode };
  };

  it('boots the seed kernel with the default devfs rulesets', async () => {
    expect(await run('uname -rm; freebsd-version -kru')).toEqual({
      stdout: '12.2-RELEASE amd64\n12.2-RELEASE\n12.2-RELEASE\n12.2-RELEASE\n',
      stderr: '',
      code: 0,
    });
    expect((await run('devfs rule showsets')).stdout).toBe('1\n2\n3\n4\n5\n');
  });

  it('kldload twice and sysrc twice (docs/freebsd/idempotency.md)', async () => {
    expect(await run('kldload vmm')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run('kldload vmm')).toEqual({
      stdout: '',
      stderr: "kldload: can't load vmm: module already loaded or in kernel\n",
      code: 1,
    });
    expect((await run('sysrc -f /boot/loader.conf vmm_load=YES')).stdout).toBe('vmm_load:  -> YES\n');
    expect((await run('sysrc -f /boot/loader.conf vmm_load=YES')).stdout).toBe('vmm_load: YES -> YES\n');
    expect((await run('sysrc -f /boot/loader.conf pptdevs=1/0/0')).stdout).toBe('pptdevs:  -> 1/0/0\n');
  });

  it('reboots on shutdown -r now: new kern.boottime, ppt0 attached, vmm loaded by the loader', async () => {
    const before = (await run('sysctl -n kern.boottime')).stdout;
    const shutdown = await run('shutdown -r now');
    expect(shutdown.stdout).toBe('Shutdown NOW!\n');
    expect(shutdown.stderr).toMatch(/^shutdown: \[pid \d+\]\n$/);
    // While the host is down, ssh fails; once it is back, kern.boottime is the new boot's.
    const after = await waitFor(
      'the host to be back with a new kern.boottime',
      async () => {
        const r = await run('sysctl -n kern.boottime');
        return r.code === 0 && r.stdout !== '' && r.stdout !== before && r.stdout;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(after).not.toBe(before);
    expect((await run('pciconf -l | grep pci0:1:0:0')).stdout).toBe(
      'ppt0@pci0:1:0:0:\tclass=0x020000 card=0x12a28086 chip=0x150e8086 rev=0x01 hdr=0x00\n',
    );
    expect((await run('kldstat -q -m vmm; echo $?')).stdout).toBe('0\n');
  });
});
