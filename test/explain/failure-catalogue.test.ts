// The failure catalogue: each known text, as its tool prints it (docs/freebsd/*.md), maps to its
// cause and fix; context decides between the jail and host readings of the same text.
import { describe, expect, it } from 'vitest';
import { explainFailure } from '../../src/explain/failure-catalogue.js';
import { withExplanation } from '../../src/explain/explaining-reporter.js';
import type { RunEvent } from '../../src/output/events.js';

const host = { jail: undefined };
const jail = { jail: 'bhyve' };

describe('failure catalogue', () => {
  const cases: readonly (readonly [string, { readonly jail: string | undefined }, string, RegExp])[] = [
    ['/usr/local/sbin/vm: ERROR: unable to load if_tap.ko!', jail, 'vm-bhyve-load-module-in-jail', /load if_tap on the host/],
    ['/usr/local/sbin/vm: ERROR: unable to load if_tap.ko!', host, 'vm-bhyve-load-module', /kld/],
    ['jail: bhyve: unknown parameter: allow.vmm', host, 'jail-unknown-allow-vmm', /load vmm on the host first/],
    ['bhyve: failed to open /dev/pci: Operation not permitted\ndevice emulation initialization error: No such file or directory', jail, 'bhyve-pci-eperm', /securelevel -1/],
    ['bhyve: failed to open /dev/pci: No such file or directory', jail, 'bhyve-pci-hidden', /add path pci unhide/],
    ['bhyve: failed to open /dev/io: Operation not permitted', jail, 'bhyve-io-eperm', /kernel_patch/],
    ['bhyve: failed to open /dev/io: No such file or directory', jail, 'bhyve-io-hidden', /add path io unhide/],
    ['bhyve: failed to open /dev/mem: Operation not permitted', jail, 'bhyve-mem-eperm', /released sys\/kern\/kern_jail\.c[\s\S]*kernel_patch/],
    ['bhyve: failed to open /dev/mem: No such file or directory', jail, 'bhyve-mem-hidden', /add path mem unhide/],
    ['bhyve: PCI device at 1/0/0 is not using the ppt(4) driver', jail, 'bhyve-not-ppt', /pptdev/],
    ['bhyve: passthru requires guest memory to be wired', jail, 'bhyve-passthru-wired', /wired_memory/],
    ['vm_create: Operation not permitted', jail, 'vm-create-eperm', /allow\.vmm/],
    ['vm_create: No such file or directory', jail, 'vm-create-no-vmm', /kld/],
    ['/usr/local/sbin/vm: ERROR: kernel vmm not initialised (no VT-x / AMD SVM cpu support?)', jail, 'vm-bhyve-vmm-not-initialised', /VT-x/],
    ['fatal; pci passthrough not supported on this system (no VT-d or amdvi)', jail, 'vm-bhyve-no-iommu', /amdvi/],
    ['/usr/local/sbin/vm: ERROR: $vm_enable is not enabled in /etc/rc.conf!', jail, 'vm-bhyve-not-enabled', /vm_enable/],
    ['/usr/local/sbin/vm: ERROR: $vm_dir has not been configured or is not a valid directory', jail, 'vm-bhyve-no-vm-dir', /vm_dir/],
    ['/usr/local/sbin/vm: ERROR: failed to add member vtnet0 to the virtual switch public', jail, 'vm-switch-add-member', /vnet0/],
    ["kldload: can't load if_tuntap: No such file or directory", host, 'kldload-if-tuntap-12', /if_tap/],
    ["kldload: can't load vmm: module already loaded or in kernel", host, 'kldload-already-loaded', /kld module/],
    ["kldload: can't load if_bridge: Operation not permitted", jail, 'kldload-eperm', /on the host/],
    ['[ERROR]: VNET jail names may not contain (-|_) characters.', host, 'bastille-vnet-name', /without - or _/],
    ['Reversed (or previously applied) patch detected!  Assume -R? [y] ', host, 'patch-reversed', /kernel_patch/],
    ['sysctl: kern.securelevel=-1: Operation not permitted', host, 'securelevel-lower', /reboot/],
  ];
  for (const [text, context, id, fix] of cases) {
    it(`${id}: ${text.split('\n')[0] ?? ''}`, () => {
      const explanation = explainFailure(text, context);
      expect(explanation?.id).toBe(id);
      expect(explanation?.fix).toMatch(fix);
      expect(explanation?.doc).toMatch(/^docs\/freebsd\/[a-z-]+\.md$/);
    });
  }

  it('an unknown text has no explanation, and only failures are explained', () => {
    expect(explainFailure('something else went wrong', host)).toBeUndefined();
    const failed: RunEvent = { event: 'task_result', host: 'h', task: 't', status: 'failed', source: { file: 'p.yml', line: 1, column: 1 }, msg: 'vm init failed (exit 1)', stderr: '/usr/local/sbin/vm: ERROR: unable to load if_tap.ko!', durationMs: 1, jail: 'bhyve' };
    const explained = withExplanation(failed);
    expect(explained.event === 'task_result' ? explained.explanation?.id : undefined).toBe('vm-bhyve-load-module-in-jail');
    const ok: RunEvent = { ...failed, status: 'ok' };
    expect(withExplanation(ok)).toBe(ok);
  });

  it('a reversed patch is explained although patch exited 0: without a terminal it un-applied the change', () => {
    const reversed = 'Hmm...  Looks like a unified diff to me...\nReversed (or previously applied) patch detected!  Assume -R? [y] \nHunk #1 succeeded at 3319.\ndone\n';
    const changed: RunEvent = { event: 'task_result', host: 'h', task: 't', status: 'changed', source: { file: 'p.yml', line: 1, column: 1 }, msg: '', stdout: reversed, durationMs: 1 };
    const explained = withExplanation(changed);
    expect(explained.event === 'task_result' ? explained.explanation : undefined).toMatchObject({ id: 'patch-reversed', cause: /unpatched although the command succeeded/ });
    expect(explainFailure(reversed, host, true)?.id).toBe('patch-reversed');
    expect(explainFailure("kldload: can't load vmm: module already loaded or in kernel", host, true)).toBeUndefined();
  });
});
