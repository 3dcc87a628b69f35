import { describe, expect, it } from 'vitest';
import { parsePkgInstalled, pkgInstalledFact } from '../../src/facts/pkg-installed.js';

describe('parsePkgInstalled', () => {
  it('reads one line per package', () => {
    const stdout = 'vm-bhyve installed\nbhyve-firmware absent\ntmux installed upgradable\ncurl installed current\n';
    expect(parsePkgInstalled({ stdout, stderr: '', exitCode: 0 })).toEqual({
      'vm-bhyve': { installed: true },
      'bhyve-firmware': { installed: false },
      tmux: { installed: true, upgradable: true },
      curl: { installed: true, upgradable: false },
    });
  });

  it('checks every package in one command, upgrades only when asked', () => {
    const fact = pkgInstalledFact(['vm-bhyve', 'tmux'], false);
    expect(fact.command.text).toContain('for p in vm-bhyve tmux; do if pkg info -e "$p"');
    expect(fact.command.text).not.toContain('pkg upgrade -n');
    expect(pkgInstalledFact(['tmux'], true).command.text).toContain('pkg upgrade -n "$p"');
  });
});
