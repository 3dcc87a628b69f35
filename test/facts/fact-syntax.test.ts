import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bastilleStateFact } from '../../src/facts/bastille-state.js';
import { devfsStateFact } from '../../src/facts/devfs-state.js';
import type { Fact } from '../../src/facts/fact.js';
import { kernelStateFact } from '../../src/facts/kernel-state.js';
import { kldBootFact, kldStatusFact } from '../../src/facts/kld-status.js';
import { pciStateFact } from '../../src/facts/pci-state.js';
import { batchFactCommand } from '../../src/facts/read-facts.js';
import { vmGuestStateFact, vmSwitchStateFact } from '../../src/facts/vm-bhyve-state.js';

// Every fact command must parse as POSIX sh, alone and batched (here-documents, nested
// subshells and `$( (` included), with arguments that need quoting.
const facts: [string, Fact<unknown>][] = [
  ['bastille', bastilleStateFact("it's-a jail", '12.2-RELEASE')],
  ['devfs', devfsStateFact('/etc/devfs rules', 25)],
  ['kernel', kernelStateFact({ srcDir: '/usr/src', strip: 0, patch: "--- a\n+++ a\n@@ -1 +1 @@\n-x'\n+y$(z)\n", kernelName: 'kernel.patched' })],
  ['kld status', kldStatusFact('vmm')],
  ['kld boot', kldBootFact('vmm')],
  ['pci', pciStateFact()],
  ['vm switch', vmSwitchStateFact('public')],
  ['vm guest', vmGuestStateFact('test', 'FreeBSD-12.2-RELEASE-amd64-bootonly.iso')],
  ['vm guest in a datastore', vmGuestStateFact('test', '', 'ssd')],
];

const parses = (text: string) => execFileSync('/bin/sh', ['-n', '-c', text], { stdio: ['ignore', 'pipe', 'pipe'] });

describe('fact commands are valid sh', () => {
  it.each(facts)('%s', (_name, fact) => {
    expect(() => parses(fact.command.text)).not.toThrow();
    expect(() => parses(batchFactCommand([fact, fact], 'n').text)).not.toThrow();
  });

  it('the check itself rejects broken sh', () => {
    expect(() => parses('d=$(( a; b )')).toThrow();
  });
});
