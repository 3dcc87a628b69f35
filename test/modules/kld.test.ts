import { describe, expect, it } from 'vitest';
import kld, { moduleFor, planKld, planRenamed } from '../../modules/kld.js';
import { kldBootFact } from '../../src/facts/kld-status.js';

const params = (p: Record<string, unknown>) => kld.params.parse(p);
const none = { kldList: [], loaderLoad: undefined };
const summaries = (steps: ReturnType<typeof planKld>) => steps.map((s) => (s.kind === 'change' ? `change: ${s.summary}` : `noop: ${s.reason}`));
const commands = (steps: ReturnType<typeof planKld>) =>
  steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : a.path)) : []));

describe('kld plan', () => {
  it('loads an absent module with kldload, and only then', () => {
    const steps = planKld(params({ name: 'vmm' }), { status: 'absent', boot: none });
    expect(summaries(steps)).toEqual(['change: load vmm']);
    expect(commands(steps)).toEqual(['kldload vmm']);
    expect(summaries(planKld(params({ name: 'vmm' }), { status: 'module', boot: none }))).toEqual(['noop: vmm is loaded']);
    expect(summaries(planKld(params({ name: 'vmm' }), { status: 'file', boot: none }))).toEqual(['noop: vmm is loaded (as a file)']);
  });

  it('unloads only a loaded module', () => {
    expect(commands(planKld(params({ name: 'nmdm', state: 'unloaded' }), { status: 'module', boot: none }))).toEqual(['kldunload nmdm']);
    expect(summaries(planKld(params({ name: 'nmdm', state: 'unloaded' }), { status: 'absent', boot: none }))).toEqual([
      'noop: nmdm is not loaded',
    ]);
  });

  it('adds to kld_list with sysrc += and shows the list before and after', () => {
    const steps = planKld(params({ name: 'nmdm', persistent: true }), { status: 'module', boot: { kldList: ['vmm'], loaderLoad: undefined } });
    expect(commands(steps)).toEqual(['sysrc kld_list+=nmdm']);
    expect(steps[1]).toMatchObject({ diff: { header: '/etc/rc.conf kld_list', before: 'kld_list="vmm"\n', after: 'kld_list="vmm nmdm"\n' } });
    expect(summaries(planKld(params({ name: 'vmm', persistent: true }), { status: 'module', boot: { kldList: ['vmm'], loaderLoad: undefined } }))).toEqual([
      'noop: vmm is loaded',
      'noop: kld_list has vmm',
    ]);
    expect(commands(planKld(params({ name: 'vmm', persistent: false }), { status: 'module', boot: { kldList: ['vmm'], loaderLoad: undefined } }))).toEqual([
      'sysrc kld_list-=vmm',
    ]);
  });

  it('sets NAME_load in loader.conf, case-insensitively recognising YES', () => {
    expect(commands(planKld(params({ name: 'vmm', boot_loader: true }), { status: 'module', boot: none }))).toEqual([
      'sysrc -f /boot/loader.conf vmm_load=YES',
    ]);
    expect(commands(planKld(params({ name: 'vmm', boot_loader: true }), { status: 'module', boot: { kldList: [], loaderLoad: 'yes' } }))).toEqual([]);
    expect(commands(planKld(params({ name: 'vmm', boot_loader: false }), { status: 'module', boot: { kldList: [], loaderLoad: 'YES' } }))).toEqual([
      'sysrc -f /boot/loader.conf -x vmm_load',
    ]);
  });

  it("takes load/boot of dlundgren's kld (trombik.freebsd_kld): boot defaults to true in that form", () => {
    expect(params({ name: 'wsp' })).toEqual({ name: 'wsp', state: 'loaded', persistent: undefined, boot_loader: undefined });
    expect(params({ name: 'wsp', load: true })).toMatchObject({ state: 'loaded', boot_loader: true });
    expect(params({ name: 'wsp', load: false, boot: false })).toMatchObject({ state: 'unloaded', boot_loader: false });
    expect(params({ name: 'wlan_acl', boot: false })).toMatchObject({ state: 'loaded', boot_loader: false });
    // test_kld.yml "module booted but not loaded": load no, boot left to its default
    const steps = planKld(params({ name: 'wlan_acl', load: false }), { status: 'absent', boot: none });
    expect(commands(steps)).toEqual(['sysrc -f /boot/loader.conf wlan_acl_load=YES']);
    expect(() => params({ name: 'wsp', load: false, state: 'loaded' })).toThrow(/contradicts state/);
    expect(() => params({ name: 'wsp', boot: true, boot_loader: false })).toThrow(/contradicts boot_loader/);
  });

  it("registers dlundgren's name/load/boot beside module", () => {
    const plan = kld.plan({ params: params({ name: 'wsp', load: true, boot: true }), facts: { status: 'module', boot: none, module: 'wsp' }, vars: {}, host: 'h' });
    expect(plan.values).toEqual({ module: 'wsp', name: 'wsp', load: true, boot: true });
  });

  it('rejects names that are not module names', () => {
    expect(() => params({ name: 'vmm; reboot' })).toThrow(/module name/);
    expect(() => params({ name: 'vmm', stat: 'loaded' })).toThrow();
  });

  it('verifies after acting: a kldload that did not load is a failure', () => {
    expect(kld.verify?.({ params: params({ name: 'vmm' }), facts: { status: 'absent', boot: none, module: 'vmm' }, results: [] })).toBe(
      'vmm is still not loaded after kldload',
    );
  });

  it('if_tap means if_tuntap from FreeBSD 13 on (uname -K), and the old word leaves kld_list', () => {
    expect(moduleFor('if_tap', 1202000)).toBe('if_tap');
    expect(moduleFor('if_tap', 1305000)).toBe('if_tuntap');
    expect(moduleFor('if_tun', 1300139)).toBe('if_tuntap');
    expect(moduleFor('if_bridge', 1305000)).toBe('if_bridge');
    // a 12.2 host upgraded to 13.5: kld_list still names if_tap; if_tuntap is in GENERIC
    const old = { status: 'module' as const, boot: { kldList: ['vmm', 'if_tap'], loaderLoad: undefined } };
    const renamed = { status: 'module' as const, boot: { kldList: ['vmm', 'if_tap'], loaderLoad: undefined } };
    expect(commands(planRenamed(params({ name: 'if_tap', persistent: true }), old, renamed))).toEqual(['sysrc kld_list-=if_tap', 'sysrc kld_list+=if_tuntap']);
    // converged: if_tuntap listed, if_tap gone
    const done = { status: 'module' as const, boot: { kldList: ['vmm', 'if_tuntap'], loaderLoad: undefined } };
    expect(commands(planRenamed(params({ name: 'if_tap', persistent: true }), done, done))).toEqual([]);
  });
});

describe('kldBootFact', () => {
  it('parses the list and the loader value, and their absence', () => {
    const fact = kldBootFact('vmm');
    expect(fact.parse({ stdout: 'kld_list=vmm nmdm\nload=YES\n', stderr: '', exitCode: 0 })).toEqual({ kldList: ['vmm', 'nmdm'], loaderLoad: 'YES' });
    expect(fact.parse({ stdout: 'kld_list=\n', stderr: '', exitCode: 0 })).toEqual({ kldList: [], loaderLoad: undefined });
  });
});
