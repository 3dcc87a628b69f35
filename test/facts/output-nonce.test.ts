// The host's part of a nonce (src/facts/output-nonce.ts hostNonce) where /dev/urandom cannot be
// read: a jail whose devfs ruleset unhides null and zero only. FreeBSD answers the read-only
// sysctl kern.arandom in any jail (sys/kern/kern_mib.c sysctl_kern_arnd: read_random(9)), so the
// digits are still made on the host, and still in no command line. Before session 14 the nonce
// there was the controller's word alone, which ps shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinCommands, sh } from '../../src/command/command.js';
import { hostNonce, outputNonce } from '../../src/facts/output-nonce.js';
import { makeBox, step, type Box, type StepResult } from '../sim/tools/jail/box.js';
import { BOOT } from '../sim/tools/jail/seed-steps.js';

const CONF = `cat >/etc/jail.conf <<'X'
t1 {
  path = /var/tmp/t1root;
  host.hostname = t1.example;
  mount.devfs;
  devfs_ruleset = 30;
}
X
mkdir -p /var/tmp/t1root`;

describe('the host part of a nonce in a jail that hides /dev/urandom (simulated host, sandbox)', () => {
  let box: Box;
  let r: Record<string, StepResult>;
  const word = outputNonce();
  const nonce = hostNonce(word);
  const command = joinCommands([nonce.make, sh`printf '%s\n' ${nonce.value}`], ';').text;

  beforeAll(async () => {
    box = await makeBox('seed');
    r = await box.scenario([
      BOOT,
      step('rules', 'devfs rule -s 30 add hide && devfs rule -s 30 add path null unhide && devfs rule -s 30 add path zero unhide'),
      step('conf', CONF),
      step('create', 'jail -c t1'),
      step('dev', 'jexec t1 ls /dev'),
      step('nonce', sh`jexec t1 /bin/sh -c ${command}`.text),
      step('again', sh`jexec t1 /bin/sh -c ${command}`.text),
    ]);
  }, 240_000);
  afterAll(() => box.remove());

  it('is made by the kernel through kern.arandom: 16 hex digits after the word, fresh each time', () => {
    expect(r['create']).toMatchObject({ code: 0 });
    expect(r['dev']?.stdout).toBe('null\nzero\n');
    const first = r['nonce']?.stdout.trim() ?? '';
    const second = r['again']?.stdout.trim() ?? '';
    expect(first).toMatch(new RegExp(`^${word}[0-9a-f]{16}$`));
    expect(second).toMatch(new RegExp(`^${word}[0-9a-f]{16}$`));
    expect(second).not.toBe(first);
    expect(command).not.toContain(first.slice(word.length));
  });
});
