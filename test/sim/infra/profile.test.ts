import { describe, expect, it } from 'vitest';
import { loadProfileEnv, parseProfileEnv, PROFILE_NAMES, renderHostProfile } from '../../../sim/infra/profile.js';
import { SIM_ROOT } from '../../../sim/infra/up.js';

describe('profiles', () => {
  it('every profile.env sets the contract’s keys', async () => {
    const versions: Record<string, string> = {};
    for (const profile of PROFILE_NAMES) {
      const values = await loadProfileEnv(SIM_ROOT, profile);
      versions[profile] = `${values.get('SIM_FREEBSD_VERSION')} vtx=${values.get('SIM_CPU_VTX')} root=${values.get('SIM_ROOT_FS') ?? 'ufs'}`;
    }
    expect(versions).toEqual({
      seed: '12.2-RELEASE vtx=yes root=ufs',
      current: '14.3-RELEASE vtx=yes root=ufs',
      novtx: '12.2-RELEASE vtx=no root=ufs',
      bare: '14.3-RELEASE vtx=yes root=ufs',
      seedzfs: '12.2-RELEASE vtx=yes root=zfs',
      currentzfs: '14.3-RELEASE vtx=yes root=zfs',
      r13: '13.5-RELEASE vtx=yes root=ufs',
      r15: '15.0-RELEASE vtx=yes root=ufs',
    });
  });

  it('parses KEY=value lines, skips comments, and points at a bad line', () => {
    expect([...parseProfileEnv('# c\n\nSIM_A=1.2\n', 'f')]).toEqual([['SIM_A', '1.2']]);
    expect(() => parseProfileEnv('SIM_A=1\nSIM_B=$(x)\n', 'p.env')).toThrow('p.env:2:1: expected KEY=value');
  });

  it('renders /var/sim/profile with the host name', () => {
    expect(renderHostProfile(new Map([['SIM_PROFILE', 'seed']]), 'sim04')).toBe('SIM_PROFILE=seed\nSIM_HOSTNAME=sim04\n');
  });
});
