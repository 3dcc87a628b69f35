import { describe, expect, it } from 'vitest';
import pkg, { planPkg, verifyPkg } from '../../modules/pkg.js';

const params = (p: Record<string, unknown>) => pkg.params.parse(p);
const view = (plan: ReturnType<typeof planPkg>) => plan.steps.map((s) => (s.kind === 'noop' ? `noop: ${s.reason}` : s.actions.map((a) => (a.kind === 'run' ? a.command.text : '')).join(' && ')));

describe('pkg plan', () => {
  it('installs only the missing packages, in one command', () => {
    expect(view(planPkg(params({ name: ['vm-bhyve', 'tmux', 'nano'] }), { 'vm-bhyve': { installed: true }, tmux: { installed: false }, nano: { installed: false } }))).toEqual([
      'env ASSUME_ALWAYS_YES=yes pkg install -y tmux nano',
    ]);
    expect(view(planPkg(params({ name: 'vm-bhyve' }), { 'vm-bhyve': { installed: true } }))).toEqual(['noop: vm-bhyve is installed']);
  });

  it('removes only installed packages', () => {
    expect(view(planPkg(params({ name: 'tmux,nano', state: 'absent' }), { tmux: { installed: true }, nano: { installed: false } }))).toEqual(['env ASSUME_ALWAYS_YES=yes pkg delete -y tmux']);
    expect(view(planPkg(params({ name: 'nano', state: 'absent' }), { nano: { installed: false } }))).toEqual(['noop: nano not installed']);
  });

  it('latest installs the missing and upgrades the outdated', () => {
    const facts = { a: { installed: false }, b: { installed: true, upgradable: true }, c: { installed: true, upgradable: false } };
    expect(view(planPkg(params({ name: ['a', 'b', 'c'], state: 'latest' }), facts))).toEqual([
      'env ASSUME_ALWAYS_YES=yes pkg install -y a',
      'env ASSUME_ALWAYS_YES=yes pkg upgrade -y b',
    ]);
    expect(view(planPkg(params({ name: 'c', state: 'latest' }), facts))).toEqual(['noop: c is installed and up to date']);
  });

  it('shows the package states before and after', () => {
    expect(planPkg(params({ name: ['a', 'b'] }), { a: { installed: true }, b: { installed: false } }).steps[0]).toMatchObject({
      diff: { header: 'pkg', before: 'a: installed\nb: absent\n', after: 'a: installed\nb: installed\n' },
    });
  });

  it('splits one string on commas and spaces, refuses odd names', () => {
    expect(params({ name: 'vm-bhyve, grub2-bhyve bhyve-firmware' }).name).toEqual(['vm-bhyve', 'grub2-bhyve', 'bhyve-firmware']);
    expect(() => params({ name: ['ok', '-f'] })).toThrow(/package name/);
    expect(() => params({ name: [] })).toThrow();
    expect(() => params({ name: 'x', jail: 'j' })).toThrow();
  });

  it('verify names the packages pkg did not install', () => {
    expect(verifyPkg(params({ name: ['a', 'b'] }), { a: { installed: true }, b: { installed: false } })).toBe('pkg exited 0 but b is still not installed');
    expect(verifyPkg(params({ name: 'a', state: 'absent' }), { a: { installed: false } })).toBeUndefined();
  });
});
