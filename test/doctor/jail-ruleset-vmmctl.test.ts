// /dev/vmmctl and the jail's devfs ruleset (src/doctor/jail-ruleset.ts): a 15.x kernel makes it
// (freebsd-src a97f683fe3c4, D47028, first in 15.0) and 15's bhyve creates VMs through it, so a
// ruleset without it is incomplete there and the finding says why; on 14.x there is no such node,
// so a ruleset that unhides it anyway is no sign that the jail's /dev is stale.
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/doctor/checks/all.js';
import { diagnose } from '../../src/doctor/run-doctor.js';
import { kernelHasVmmctl, requiredPaths } from '../../src/doctor/jail-ruleset.js';
import { DEVFS_RULES, evidence } from './evidence-fixture.js';
import { PROJECT_RULESET_25_LOADED } from '../fixtures/walkthrough-ruleset.js';

const on = (release: string) => ({ 'uname-r': `${release}\n`, userland: `${release}\n` });
const LOADED = `[25]\n${PROJECT_RULESET_25_LOADED}`;
const withVmmctl = { 'devfs.rules': `${DEVFS_RULES}add path vmmctl unhide\n`, 'devfs-loaded': `${LOADED}1300 path vmmctl unhide\n` };
const JAIL_DEV = 'fd\nio\nkmem\nmem\nnmdm-test.1A\nnmdm-test.1B\nnull\npci\nrandom\ntap0\nurandom\nvmm\nzero\n';

describe('vmmctl in the jail ruleset', () => {
  it('is needed from 15.0 on', () => {
    expect([12, 13, 14, 15, 16].map(kernelHasVmmctl)).toEqual([false, false, false, true, true]);
    expect(requiredPaths(14, false)).not.toContain('vmmctl');
    expect(requiredPaths(15, false)).toContain('vmmctl');
  });

  it('a 15.0 host whose ruleset 25 lacks vmmctl: the finding names it, says why, and the fix writes it', () => {
    const found = diagnose(ALL_CHECKS, evidence(on('15.0-RELEASE'))).filter((f) => f.id === 'devfs-ruleset-incomplete');
    expect(found).toHaveLength(1);
    expect(found[0]?.what).toBe(
      "devfs ruleset 25 (devfs_rules_bhyve_jail) of jail bhyve does not unhide vmmctl: FreeBSD 15's bhyve and bhyveload create the VM through /dev/vmmctl, so in this jail they fail with No such file or directory before the guest starts",
    );
    expect(found[0]?.fix.task).toContain('      - add path vmmctl unhide');
  });

  it('a 15.0 host whose ruleset unhides vmmctl, the jail started before: its /dev lacks it, and the fix applies the ruleset to that /dev without a restart', () => {
    const found = diagnose(ALL_CHECKS, evidence({ ...on('15.0-RELEASE'), ...withVmmctl }, { 'jail-dev': JAIL_DEV }));
    const notApplied = found.filter((f) => f.id === 'devfs-ruleset-not-applied');
    expect(notApplied).toHaveLength(1);
    expect(notApplied[0]?.fix.task).toBe(
      "- name: jail bhyve's mounted /dev gets ruleset 25 (devfs applyset; the jail keeps running)\n" +
        '  command:\n    argv: [devfs, -m, "/usr/local/bastille/jails/bhyve/root/dev", rule, -s, "25", applyset]',
    );
    expect(diagnose(ALL_CHECKS, evidence({ ...on('15.0-RELEASE'), ...withVmmctl }, { 'jail-dev': `${JAIL_DEV}vmmctl\n` })).map((f) => f.id)).not.toContain('devfs-ruleset-not-applied');
  });

  it('a 14.3 host whose ruleset unhides vmmctl: no node to show, no finding', () => {
    const ids = diagnose(ALL_CHECKS, evidence({ ...on('14.3-RELEASE'), ...withVmmctl }, { 'jail-dev': JAIL_DEV })).map((f) => f.id);
    expect(ids).not.toContain('devfs-ruleset-not-applied');
    expect(ids).not.toContain('devfs-ruleset-incomplete');
  });
});
