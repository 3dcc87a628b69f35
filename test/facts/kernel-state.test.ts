// kernel_patch's dry runs on BSD patch: usr.bin/patch/patch.c (freebsd-src at 036af6d3) has `-C`
// and `--check` but no `--dry-run`; an unknown option reaches usage(), which exits 0
// (my_exit(EXIT_SUCCESS)), so a dry run spelt `--dry-run` "succeeds" whatever the tree holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLE_PATCH as SEED_PATCH } from '../../sim/infra/kern-jail-standin.js';
import { kernelStateFact } from '../../src/facts/kernel-state.js';
import { bootedHost, type HostSandbox } from '../sim/tools/host/host-sandbox.js';

describe('kernel state fact on BSD patch', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seed');
  });
  afterAll(() => host.dispose());

  it('BSD patch answers --dry-run with its usage and exit 0, as patch.c usage() does', () => {
    const out = host.run('cd /usr/src && patch --dry-run -p0 </dev/null');
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('usage: patch [-bCcEeflNnRstuv]');
  });

  it('on the unpatched tree the patch is not taken for applied: the dry runs use -C', () => {
    const fact = kernelStateFact({ srcDir: '/usr/src', strip: 0, patch: SEED_PATCH, kernelName: 'kernel.patched' });
    const out = host.run(fact.command.text);
    const state = fact.parse({ stdout: out.stdout, stderr: out.stderr, exitCode: out.code });
    expect(state.patch).not.toBe('applied');
    expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('0\n');
  });
});
