// kernel_patch's dry runs on BSD patch (docs/freebsd/patch.md): the patch.c of today's releases
// takes `--dry-run` as `-C` and answers an unknown option with usage() and exit 1; an old copy
// (savestr era) had no `--dry-run` and exited 0 there, where `--dry-run` "succeeded" whatever the
// tree held. The fact uses `-C`, which every BSD patch has.
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

  it("BSD patch takes --dry-run as -C (longopts {\"dry-run\", …, 'C'}) and answers an unknown option with usage and exit 1", () => {
    // Both spellings print the same check and leave the tree as it was.
    const check = (flag: string) => host.run(`cd /usr/src && patch ${flag} -N -f -p0 <<'EOF'\n${SEED_PATCH}EOF`);
    const before = host.run('sha256sum /usr/src/sys/kern/kern_jail.c').stdout;
    const [dryRun, short] = [check('--dry-run'), check('-C')];
    expect(dryRun.stdout).toContain('Hunk #1');
    expect({ out: dryRun.stdout, code: dryRun.code }).toEqual({ out: short.stdout, code: short.code });
    expect(host.run('sha256sum /usr/src/sys/kern/kern_jail.c').stdout).toBe(before);
    const unknown = host.run('cd /usr/src && patch --no-such-option -p0 </dev/null');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('usage: patch [-bCcEeflNnRstuv]');
  });

  it('on the unpatched tree the patch is not taken for applied: the dry runs use -C', () => {
    const fact = kernelStateFact({ srcDir: '/usr/src', strip: 0, patch: SEED_PATCH, kernelName: 'kernel.patched' });
    const out = host.run(fact.command.text);
    const state = fact.parse({ stdout: out.stdout, stderr: out.stderr, exitCode: out.code });
    expect(state.patch).not.toBe('applied');
    expect(host.run('grep -c PRIV_KMEM_WRITE /usr/src/sys/kern/kern_jail.c').stdout).toBe('0\n');
  });
});
