// pkg against docs/freebsd/pkg-service.md, docs/freebsd/idempotency.md (install twice), the bootstrap prompt of a fresh jail,
// fake payloads on the bare profile; fetch without network (the FreeBSD images only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootedHost, type HostSandbox } from '../host-sandbox.js';

const ALREADY = `Updating FreeBSD repository catalogue...
FreeBSD repository is up to date.
All repositories are up to date.
Checking integrity... done (0 conflicting)
The most recent versions of packages are already installed
`;

describe('pkg (bare)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('bare');
    // stands in for the jail tools' payload tree of vm-bhyve
    host.run('mkdir -p /usr/local/freebsd/libexec/pkg/vm-bhyve/usr/local/sbin && printf "#!/bin/sh\\n" > /usr/local/freebsd/libexec/pkg/vm-bhyve/usr/local/sbin/vm');
  });
  afterAll(() => host.dispose());

  it('installs with -y, copies the payload, and says "already installed" the second time', () => {
    expect(host.run('pkg info -e vm-bhyve').code).toBe(1);
    const first = host.run('pkg install -y vm-bhyve');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('New packages to be INSTALLED:\n\tvm-bhyve: 1.6.2\n');
    expect(first.stdout).toContain('[1/1] Installing vm-bhyve-1.6.2...\n');
    expect(first.stdout).not.toContain('Proceed with this action?');
    expect(host.run('test -f /usr/local/sbin/vm').code).toBe(0);
    expect(host.run('pkg info -e vm-bhyve')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('pkg install -y vm-bhyve')).toEqual({ stdout: ALREADY, stderr: '', code: 0 });
  });

  it('asks without -y and declines without a tty; unknown names fail', () => {
    const asked = host.run('pkg install tmux');
    expect(asked.stdout).toMatch(/Proceed with this action\? \[y\/N\]: $/);
    expect(asked.code).toBe(1);
    expect(host.run('pkg info -e tmux').code).toBe(1);
    expect(host.run('pkg install -y bastillebsd')).toMatchObject({
      stderr: "pkg: No packages available to install matching 'bastillebsd' have been found in the repositories\n",
      code: 1,
    });
  });

  it('deletes with -y and removes the payload', () => {
    expect(host.run('pkg delete -y vm-bhyve').stdout).toContain('[1/1] Deinstalling vm-bhyve-1.6.2...\n');
    expect(host.run('pkg info -e vm-bhyve').code).toBe(1);
    expect(host.run('test -e /usr/local/sbin/vm').code).toBe(1);
  });

  it('in a fresh jail the bootstrapper asks first; ASSUME_ALWAYS_YES bootstraps', () => {
    host.run('printf "jail_name=j\\njail_jid=1\\n" > /var/sim/jail; mv /var/sim/state/pkg /var/sim/state/pkg.host');
    expect(host.run('pkg install -y vm-bhyve')).toEqual({
      stdout: 'The package management tool is not yet installed on your system.\nDo you want to fetch and install it now? [y/N]: ',
      stderr: '',
      code: 1,
    });
    const boot = host.run('ASSUME_ALWAYS_YES=yes pkg install -y vm-bhyve');
    expect(boot.stdout).toMatch(/^Bootstrapping pkg from pkg\+http:\/\/pkg\.FreeBSD\.org\/FreeBSD:14:amd64\/quarterly, please wait\.\.\.\n/);
    expect(boot.code).toBe(0);
    expect(host.run('pkg info -e pkg && pkg info -e vm-bhyve').code).toBe(0);
    host.run('rm -rf /var/sim/state/pkg /var/sim/jail; mv /var/sim/state/pkg.host /var/sim/state/pkg');
  });

  it("portupgrade's tools: ports_glob over the ports INDEX, portinstall from a package or a port, pkg_glob over the db", () => {
    // no ports tree: PortsDB cannot fetch or make an INDEX
    expect(host.run('pkg install -y portupgrade >/dev/null && ports_glob tmux')).toMatchObject({ stdout: '', code: 1, stderr: expect.stringContaining('failed to fetch INDEX!') });
    const index = "printf '%s\\n' 'tmux-3.1c|/usr/ports/sysutils/tmux|/usr/local|Terminal Multiplexer|' 'nano-5.4|/usr/ports/editors/nano|/usr/local|Nano|' 'nano-devel-6.0|/usr/ports/editors/nano-devel|/usr/local|Nano|' > /usr/ports/INDEX-14";
    expect(host.run(`${index}; ports_glob tmux; echo -; ports_glob 'nano*'; echo -; ports_glob editors/nano; echo -; ports_glob vim`)).toEqual({
      stdout: 'sysutils/tmux\n-\neditors/nano\neditors/nano-devel\n-\neditors/nano\n-\n',
      stderr: '',
      code: 0,
    });
    const installed = host.run('portinstall --batch sysutils/tmux; portinstall --batch --use-packages nano; pkg info -e tmux && pkg info -e nano && pkg info -e sysutils/tmux && pkg info -e tmux-3.1c && echo installed; pkg info -e sysutils/vim || echo no-vim');
    expect(installed.stdout).toBe("--->  Installing 'tmux-3.1c' from a port (sysutils/tmux)\n--->  Building '/usr/ports/sysutils/tmux'\n--->  Installing 'nano-5.4' from a package\ninstalled\nno-vim\n");
    expect(host.run('portinstall --batch vim')).toMatchObject({ code: 1, stderr: '** No such package or port: vim\n' });
    expect(host.run('pkg_glob tmux sysutils/tmux "n*"; pkg delete -y $(pkg_glob tmux) >/dev/null && pkg info -e tmux || echo removed')).toMatchObject({ stdout: 'tmux-3.1c\nnano-5.4\nremoved\n', code: 0 });
  });
});

describe('fetch (no network)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seed');
  });
  afterAll(() => host.dispose());

  it('"downloads" FreeBSD images as sparse files, again on a second run', () => {
    const url = 'https://download.freebsd.org/ftp/releases/ISO-IMAGES/12.2/FreeBSD-12.2-RELEASE-amd64-bootonly.iso';
    for (let run = 0; run < 2; run += 1) {
      const out = host.run(`mkdir -p /var/vms/.iso && fetch -o /var/vms/.iso ${url}`);
      expect(out.code).toBe(0);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^\/var\/vms\/\.iso\/FreeBSD-12\.2-RELEASE-amd64-bootonly\.iso +\d+ MB \d+ kBps \d\dm\d\ds\n$/);
    }
    expect(host.run('stat -c %s /var/vms/.iso/FreeBSD-12.2-RELEASE-amd64-bootonly.iso').stdout).toBe('426506240\n');
  });

  it('fails for other paths and hosts with fetch\'s messages', () => {
    expect(host.run('fetch https://download.freebsd.org/nosuch.iso')).toEqual({
      stdout: '',
      stderr: 'fetch: https://download.freebsd.org/nosuch.iso: Not Found\n',
      code: 1,
    });
    expect(host.run('fetch https://example.com/x.iso').stderr).toBe('fetch: https://example.com/x.iso: No address record\n');
  });
});
