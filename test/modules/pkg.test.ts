import { describe, expect, it } from 'vitest';
import pkg, { planPkg, verifyPkg, type PkgFacts } from '../../modules/pkg.js';
import pkgng from '../../modules/pkgng.js';
import type { PackageState } from '../../src/facts/pkg-installed.js';
import { pkgAnnotationsFact } from '../../src/facts/pkg-annotations.js';
import { sh } from '../../src/command/command.js';
import { LocalTransport } from '../../src/transport/local.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const params = (p: Record<string, unknown>) => pkg.params.parse(p);
const states = (s: Record<string, PackageState>, more: Omit<PkgFacts, 'states'> = {}): PkgFacts => ({ states: s, ...more });
const view = (plan: ReturnType<typeof planPkg>) => plan.steps.map((s) => (s.kind === 'noop' ? `noop: ${s.reason}` : s.actions.map((a) => (a.kind === 'run' ? a.command.text : '')).join(' && ')));
const UPDATE = 'env ASSUME_ALWAYS_YES=yes pkg update';

describe('pkg plan (community.general.pkgng)', () => {
  it('refreshes the catalogue, then installs only the missing packages in one command; pkgng\'s message', () => {
    const plan = planPkg(params({ name: ['vm-bhyve', 'tmux', 'nano'] }), states({ 'vm-bhyve': { installed: true }, tmux: { installed: false }, nano: { installed: false } }));
    expect(view(plan)).toEqual([`${UPDATE} && env ASSUME_ALWAYS_YES=yes pkg install -y tmux nano`]);
    expect(plan.values).toEqual({ msg: 'installed 2 packages' });
    const none = planPkg(params({ name: 'vm-bhyve' }), states({ 'vm-bhyve': { installed: true } }));
    expect(view(none)).toEqual(['noop: vm-bhyve is installed']);
    expect(none.values).toEqual({ msg: 'package(s) already present' });
  });

  it.each([
    ['cached: no update, install -U', { name: 'tmux', cached: true }, ['env ASSUME_ALWAYS_YES=yes pkg install -U -y tmux']],
    ['pkgsite: -r REPO', { name: 'tmux', pkgsite: 'local', cached: true }, ['env ASSUME_ALWAYS_YES=yes pkg install -U -r local -y tmux']],
    ['chroot: pkg -c', { name: 'tmux', chroot: '/jails/j1', cached: true }, ['env ASSUME_ALWAYS_YES=yes pkg -c /jails/j1 install -U -y tmux']],
    ['rootdir: pkg -r', { name: 'tmux', rootdir: '/mnt', cached: true }, ['env ASSUME_ALWAYS_YES=yes pkg -r /mnt install -U -y tmux']],
    ['ignore_osver: IGNORE_OSVERSION', { name: 'tmux', ignore_osver: true, cached: true }, ['env ASSUME_ALWAYS_YES=yes IGNORE_OSVERSION=yes pkg install -U -y tmux']],
    ['a glob gets -g', { name: 'py3*', cached: true }, ["env ASSUME_ALWAYS_YES=yes pkg install -U -g -y 'py3*'"]],
  ])('%s', (_name, p, expected) => {
    expect(view(planPkg(params(p), states({})))).toEqual(expected);
  });

  it('removes only installed packages', () => {
    const plan = planPkg(params({ name: 'tmux,nano', state: 'absent' }), states({ tmux: { installed: true }, nano: { installed: false } }));
    expect(view(plan)).toEqual(['env ASSUME_ALWAYS_YES=yes pkg delete -y tmux']);
    expect(plan.values).toEqual({ msg: 'removed 1 package(s)' });
    expect(planPkg(params({ name: 'nano', state: 'absent' }), states({ nano: { installed: false } })).values).toEqual({ msg: 'package(s) already absent' });
  });

  it('latest installs the missing and upgrades the outdated; * upgrades everything', () => {
    const facts = states({ a: { installed: false }, b: { installed: true, upgradable: true }, c: { installed: true, upgradable: false } });
    const plan = planPkg(params({ name: ['a', 'b', 'c'], state: 'latest' }), facts);
    expect(view(plan)).toEqual([`${UPDATE} && env ASSUME_ALWAYS_YES=yes pkg install -y a`, 'env ASSUME_ALWAYS_YES=yes pkg upgrade -y b']);
    expect(plan.values).toEqual({ msg: 'installed 1 package; upgraded 1 package' });
    expect(view(planPkg(params({ name: 'c', state: 'latest' }), facts))).toEqual(['noop: c is installed and up to date']);
    expect(planPkg(params({ name: '*', state: 'latest' }), states({}, { upgradeAll: 3 }))).toMatchObject({ values: { msg: 'updated 3 package(s)' } });
    expect(planPkg(params({ name: '*', state: 'latest' }), states({}, { upgradeAll: 0 }))).toMatchObject({ steps: [{ kind: 'noop' }], values: { msg: 'no packages need upgrades' } });
  });

  it('autoremove and annotations, with pkgng\'s messages and failures', () => {
    const installed = { tmux: { installed: true } };
    expect(planPkg(params({ name: 'tmux', autoremove: true }), states(installed, { autoremove: 0 })).values).toEqual({ msg: 'package(s) already present, no package(s) to autoremove' });
    expect(view(planPkg(params({ name: 'tmux', autoremove: true }), states(installed, { autoremove: 2 })))).toContain('env ASSUME_ALWAYS_YES=yes pkg autoremove -y');
    const annotated = planPkg(params({ name: 'tmux', annotation: '+role=web,-old,:tier=2' }), states(installed, { annotations: { tmux: { old: 'x', tier: '1' } } }));
    expect(view(annotated)).toEqual([
      'noop: tmux is installed',
      'env ASSUME_ALWAYS_YES=yes pkg annotate -y -A tmux role web',
      'env ASSUME_ALWAYS_YES=yes pkg annotate -y -D tmux old',
      'env ASSUME_ALWAYS_YES=yes pkg annotate -y -M tmux tier 2',
    ]);
    expect(annotated.values).toEqual({ msg: 'package(s) already present, added 3 annotations.' });
    expect(planPkg(params({ name: 'tmux', annotation: ['+role=db'] }), states(installed, { annotations: { tmux: { role: 'web' } } })).failure).toBe(
      'failed to annotate tmux, because role is already set to web, but should be set to db',
    );
    expect(planPkg(params({ name: 'tmux', annotation: [':nope=1'] }), states(installed, { annotations: { tmux: {} } })).failure).toBe('could not change annotation to tmux: tag nope does not exist');
  });

  it('shows the package states before and after', () => {
    expect(planPkg(params({ name: ['a', 'b'] }), states({ a: { installed: true }, b: { installed: false } })).steps[0]).toMatchObject({
      diff: { header: 'pkg', before: 'a: installed\nb: absent\n', after: 'a: installed\nb: installed\n' },
    });
  });

  it('parameters: pkg alias, one string split on commas and spaces, odd names and exclusive roots refused; jail is the session', () => {
    expect(params({ pkg: 'vm-bhyve, grub2-bhyve bhyve-firmware' }).name).toEqual(['vm-bhyve', 'grub2-bhyve', 'bhyve-firmware']);
    expect(() => params({ name: ['ok', '-f'] })).toThrow(/package name/);
    expect(() => params({ name: [] })).toThrow();
    expect(() => params({ name: 'x', jail: 'j', chroot: '/c' })).toThrow(/mutually exclusive/);
    expect(() => params({ name: 'x', annotation: 'role=web' })).toThrow(/\+tag=value/);
    expect(pkg.jail?.(params({ name: 'x', jail: 'j' }))).toBe('j');
    expect(pkgng.name).toBe('pkgng');
    expect(pkgng.params).toBe(pkg.params);
  });

  it('verify names the package pkg did not install, in pkgng\'s words', () => {
    expect(verifyPkg(params({ name: ['a', 'b'] }), states({ a: { installed: true }, b: { installed: false } }))).toBe('failed to install b');
    expect(verifyPkg(params({ name: 'a', state: 'absent' }), states({ a: { installed: false } }))).toBeUndefined();
  });
});

describe('pkg annotations fact', () => {
  it('keeps what pkg info -A printed for a package inside that package: an annotation cannot add another', async () => {
    // An annotation's value is anyone's text (a repository's manifest, `pkg annotate`); the old read
    // took a `@@pkg NAME` line anywhere in the output as the start of another installed package.
    const dir = mkdtempSync(join(tmpdir(), 'beastie-pkg-'));
    try {
      writeFileSync(
        join(dir, 'pkg'),
        `#!/bin/sh\ncase "$2" in\n-e) [ "$3" = vim ] ;;\n-A) printf 'vim-9.1:\\n\\tnote           : hi\\n@@pkg other\\n\\tbeastie        : managed\\n' ;;\nesac\n`,
        { mode: 0o755 },
      );
      const fact = pkgAnnotationsFact(['vim', 'other'], []);
      const result = await new LocalTransport().run(sh`PATH=${dir}:$PATH; ${fact.command}`);
      const annotations = fact.parse(result);
      expect(Object.keys(annotations)).toEqual(['vim']);
      expect(annotations['vim']).toMatchObject({ note: 'hi' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
