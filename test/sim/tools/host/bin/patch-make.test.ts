// The seed's kernel patch, exactly as the article prints it (tabs shown as spaces), with the
// simulated BSD patch(1) on the generated kern_jail.c stand-ins, then make buildkernel/installkernel
// and a reboot into the patched kernel: what each step prints, its exit code, and the second-run
// behaviours (docs/freebsd/passthrough.md, docs/freebsd/idempotency.md).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_PATCH as SEED_PATCH } from '../../../../../sim/infra/kern-jail-standin.js';
import { bootedHost, type HostSandbox } from '../host-sandbox.js';

const HEAD = `Hmm...  Looks like a unified diff to me...
The text leading up to this was:
--------------------------
|Index: sys/kern/kern_jail.c
|===================================================================
|--- sys/kern/kern_jail.c    (revision 367580)
|+++ sys/kern/kern_jail.c    (working copy)
--------------------------
Patching file sys/kern/kern_jail.c using Plan A...
`;

describe('patch and kernel rebuild (seed)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seed');
    host.run('cat > /etc/bhyve-in-jail.patch', SEED_PATCH);
    host.run('mkdir -p /var/sim/control; echo 0 > /var/sim/control/buildkernel-seconds');
  });
  afterAll(() => host.dispose());

  it('the patch is the article\'s, with spaces where the tree has tabs', () => {
    expect(SEED_PATCH).toContain('@@ -3319,7 +3319,9 @@\n         * able to read kernel/phyiscal memory');
    expect(host.run("sed -n 3319p /usr/src/sys/kern/kern_jail.c").stdout).toBe(
      '\t\t * able to read kernel/phyiscal memory (provided /dev/[k]mem\n',
    );
  });

  it('rejects without -l (whitespace differs), saving a BSD-style .rej, rc 1', () => {
    const out = host.run('cd /usr/src && patch -p0 < /etc/bhyve-in-jail.patch');
    expect(out).toEqual({
      stdout: `${HEAD}Hunk #1 failed at 3319.\n1 out of 1 hunks failed--saving rejects to sys/kern/kern_jail.c.rej\ndone\n`,
      stderr: '',
      code: 1,
    });
    expect(host.run('head -1 /usr/src/sys/kern/kern_jail.c.rej; rm /usr/src/sys/kern/kern_jail.c.rej').stdout).toBe(
      '@@ -3319,7 +3319,9 @@\n',
    );
    expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('0\n');
  });

  it('checks with -C, applies with -l at line 3319 leaving .orig', () => {
    expect(host.run('cd /usr/src && patch -C -l -p0 < /etc/bhyve-in-jail.patch')).toEqual({
      stdout: `${HEAD}Hunk #1 succeeded at 3319.\ndone\n`,
      stderr: '',
      code: 0,
    });
    expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('0\n');
    expect(host.run('cd /usr/src && patch -l -p0 < /etc/bhyve-in-jail.patch')).toEqual({
      stdout: `${HEAD}Hunk #1 succeeded at 3319.\ndone\n`,
      stderr: '',
      code: 0,
    });
    expect(host.run('sed -n 3322,3324p /usr/src/sys/kern/kern_jail.c').stdout).toBe(
      '   case PRIV_IO:\n\tcase PRIV_KMEM_READ:\n   case PRIV_KMEM_WRITE:\n',
    );
    expect(host.run('test -f /usr/src/sys/kern/kern_jail.c.orig').code).toBe(0);
  });

  it('second run: -N ignores it (rc 1, .rej), -C without tty assumes -R (rc 0, nothing written)', () => {
    expect(host.run('cd /usr/src && patch -N -l -p0 < /etc/bhyve-in-jail.patch')).toEqual({
      stdout: `${HEAD}Ignoring previously applied (or reversed) patch.\nHunk #1 ignored at 3319.\n1 out of 1 hunks ignored--saving rejects to sys/kern/kern_jail.c.rej\ndone\n`,
      stderr: '',
      code: 1,
    });
    expect(host.run('cd /usr/src && patch -C -l -p0 < /etc/bhyve-in-jail.patch')).toEqual({
      stdout: `${HEAD}Reversed (or previously applied) patch detected!  Assume -R? [y] \nHunk #1 succeeded at 3319.\ndone\n`,
      stderr: '',
      code: 0,
    });
    expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('1\n');
  });

  it('builds a kernel that records the patch, installs it, boots it: uname -v shows the local build', () => {
    const build = host.run('cd /usr/src && make -j4 buildkernel KERNCONF=GENERIC');
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/^-{62}\n>>> Kernel build for GENERIC started on .+\n-{62}\n/);
    expect(build.stdout).toContain('>>> stage 1: configuring the kernel\n');
    expect(build.stdout).toContain('>>> stage 3.1: building everything\n');
    expect(build.stdout).toMatch(/\n-{62}\n>>> Kernel build for GENERIC completed on .+\n-{62}\n$/);
    expect(host.run('. /var/sim/state/kernels/GENERIC; echo $kernel_jail_privs').stdout).toBe('PRIV_IO PRIV_KMEM_READ PRIV_KMEM_WRITE\n');
    const install = host.run('cd /usr/src && make installkernel KERNCONF=GENERIC');
    expect(install.stdout).toMatch(/>>> Installing kernel GENERIC completed on .+\n-{62}\n$/);
    expect(host.run('ls /boot').stdout).toBe('defaults\nkernel\nkernel.old\n');
    expect(host.run('test -f /boot/kernel.old/vmm.ko && test -f /boot/kernel/vmm.ko').code).toBe(0);
    expect(host.run('uname -v').stdout).toBe('FreeBSD 12.2-RELEASE r366954 GENERIC \n');
    host.boot();
    expect(host.run('uname -v').stdout).toMatch(
      /^FreeBSD 12\.2-RELEASE #0: .+ 20\d\d {5}root@sim01:\/usr\/obj\/usr\/src\/amd64\.amd64\/sys\/GENERIC \n$/,
    );
    expect(host.run('freebsd-version -kr').stdout).toBe('12.2-RELEASE\n12.2-RELEASE\n');
    expect(host.run('. /usr/local/freebsd/lib/common.sh; sim_kernel_jail_grants PRIV_IO && sim_kernel_jail_grants PRIV_KMEM_WRITE').code).toBe(0);
    expect(host.run('kldload vmm').code).toBe(0);
  });

  it('gates: installkernel without a build fails like Makefile.inc1; a rebuild counts up', () => {
    expect(host.run('cd /usr/src && make installkernel KERNCONF=BHYVE')).toMatchObject({ code: 1 });
    expect(host.run('cd /usr/src && make installkernel KERNCONF=BHYVE').stderr).toBe(
      'ERROR: No kernel "BHYVE" to install.\n*** Error code 1\n\nStop.\nmake[1]: stopped in /usr/src\n*** Error code 1\n\nStop.\nmake: stopped in /usr/src\n',
    );
    expect(host.run('cd /usr/src && make buildkernel KERNCONF=BHYVE').stderr).toContain(
      'ERROR: Missing kernel configuration file(s) (BHYVE).\n',
    );
    host.run('cd /usr/src && make buildkernel >/dev/null');
    expect(host.run('. /var/sim/state/kernels/GENERIC; echo "$kernel_version"').stdout).toMatch(/^FreeBSD 12\.2-RELEASE #1: /);
  });

  it('INSTKERNNAME installs beside the running kernel, for nextboot -k', () => {
    host.run('cd /usr/src && make installkernel KERNCONF=GENERIC INSTKERNNAME=kernel.test >/dev/null');
    expect(host.run('ls /boot').stdout).toBe('defaults\nkernel\nkernel.old\nkernel.test\n');
    expect(host.run('nextboot -k kernel.test').code).toBe(0);
  });
});

describe('applying the seed patch again without -N (seed)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seed');
    host.run('cat > /etc/bhyve-in-jail.patch', SEED_PATCH);
    host.run('cd /usr/src && patch -l -p0 < /etc/bhyve-in-jail.patch');
  });
  afterAll(() => host.dispose());

  it('with no tty the reversed-patch question takes its default: the patch is un-applied, rc 0', () => {
    expect(host.run('cd /usr/src && patch -l -p0 < /etc/bhyve-in-jail.patch')).toEqual({
      stdout: `${HEAD}Reversed (or previously applied) patch detected!  Assume -R? [y] \nHunk #1 succeeded at 3319.\ndone\n`,
      stderr: '',
      code: 0,
    });
    expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('0\n');
  });

  it('-t assumes -R silently but for its message (printed without a newline)', () => {
    host.run('cd /usr/src && patch -l -p0 < /etc/bhyve-in-jail.patch');
    expect(host.run('cd /usr/src && patch -t -l -p0 < /etc/bhyve-in-jail.patch').stdout).toBe(
      `${HEAD}Reversed (or previously applied) patch detected!  Assuming -R.Hunk #1 succeeded at 3319.\ndone\n`,
    );
    expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('0\n');
  });

  it('-f -R -C on the unpatched tree fails: the check that tells the states apart', () => {
    expect(host.run('cd /usr/src && patch -f -R -C -l -p0 < /etc/bhyve-in-jail.patch')).toMatchObject({
      stdout: `${HEAD}Hunk #1 failed at 3319.\n1 out of 1 hunks failed\ndone\n`,
      code: 1,
    });
  });
});

describe('the seed patch on the 14.x tree (current)', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('current');
    host.run('cat > /etc/bhyve-in-jail.patch', SEED_PATCH);
  });
  afterAll(() => host.dispose());

  it('applies with -l only with fuzz 1 and an offset (the comment typo was fixed)', () => {
    expect(host.run('cd /usr/src && patch -l -p0 < /etc/bhyve-in-jail.patch')).toEqual({
      stdout: `${HEAD}Hunk #1 succeeded at 3760 with fuzz 1 (offset 441 lines).\ndone\n`,
      stderr: '',
      code: 0,
    });
  });
});

describe("the repository's patch (playbooks/files/bhyve-in-jail.patch, real tabs) on both trees", () => {
  const patch = readFileSync(new URL('../../../../../playbooks/files/bhyve-in-jail.patch', import.meta.url), 'utf8');
  it.each([
    ['seed', 'Hunk #1 succeeded at 3320.'],
    ['current', 'Hunk #1 succeeded at 3761 (offset 441 lines).'],
  ])('applies on %s without -l: %s', (profile, message) => {
    const host = bootedHost(profile);
    try {
      host.run('cat > /etc/bhyve-in-jail.patch', patch);
      const out = host.run('cd /usr/src && patch -p0 < /etc/bhyve-in-jail.patch');
      expect(out.stdout).toContain(`Patching file sys/kern/kern_jail.c using Plan A...\n${message}\ndone\n`);
      expect(out.code).toBe(0);
      expect(host.run('cd /usr/src && make buildkernel >/dev/null && . /var/sim/state/kernels/GENERIC && echo $kernel_jail_privs').stdout).toBe('PRIV_IO PRIV_KMEM_READ PRIV_KMEM_WRITE\n');
    } finally {
      host.dispose();
    }
  });
});

describe("the repository's patch applied a second time (seed): patch.c looks for hunk 1 reversed at each fuzz level before more fuzz", () => {
  const patch = readFileSync(new URL('../../../../../playbooks/files/bhyve-in-jail.patch', import.meta.url), 'utf8');
  it('sees it reversed at fuzz 0 and, without a tty, un-applies it (rc 0), though forward it would apply again at fuzz 2', () => {
    const host = bootedHost('seed');
    try {
      host.run('cat > /etc/bhyve-in-jail.patch', patch);
      expect(host.run('cd /usr/src && patch -p0 < /etc/bhyve-in-jail.patch').code).toBe(0);
      const again = host.run('cd /usr/src && patch -p0 < /etc/bhyve-in-jail.patch');
      expect(again.stdout).toContain('Patching file sys/kern/kern_jail.c using Plan A...\nReversed (or previously applied) patch detected!  Assume -R? [y] \nHunk #1 succeeded at 3320.\ndone\n');
      expect(again.code).toBe(0);
      expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('0\n');
    } finally {
      host.dispose();
    }
  });
});

describe('a patch that grants jails PRIV_IO alone (seed): the kernel records each privilege apart', () => {
  // the repository's patch without its PRIV_KMEM_WRITE line (hunk header recounted)
  const full = readFileSync(new URL('../../../../../playbooks/files/bhyve-in-jail.patch', import.meta.url), 'utf8');
  const half = full.replace('@@ -3320,5 +3320,7 @@', '@@ -3320,5 +3320,6 @@').replace('+\tcase PRIV_KMEM_WRITE:\n', '');
  it('builds a kernel granting PRIV_IO and PRIV_KMEM_READ, not PRIV_KMEM_WRITE; booted, only the first two are granted', () => {
    expect(half).not.toBe(full);
    const host = bootedHost('seed');
    try {
      host.run('mkdir -p /var/sim/control; echo 0 > /var/sim/control/buildkernel-seconds');
      expect(host.run('. /usr/local/freebsd/lib/common.sh; sim_kernel_jail_grants PRIV_KMEM_READ && ! sim_kernel_jail_grants PRIV_IO').code).toBe(0);
      host.run('cat > /etc/half.patch', half);
      expect(host.run('cd /usr/src && patch -p0 < /etc/half.patch').stdout).toContain('Hunk #1 succeeded at 3320.\n');
      host.run('cd /usr/src && make buildkernel >/dev/null && make installkernel >/dev/null');
      expect(host.run('. /var/sim/state/kernels/GENERIC && echo $kernel_jail_privs').stdout).toBe('PRIV_IO PRIV_KMEM_READ\n');
      host.boot();
      const grants = (priv: string) => host.run(`. /usr/local/freebsd/lib/common.sh; sim_kernel_jail_grants ${priv}`).code === 0;
      expect(['PRIV_IO', 'PRIV_KMEM_READ', 'PRIV_KMEM_WRITE'].map(grants)).toEqual([true, true, false]);
    } finally {
      host.dispose();
    }
  });
});
