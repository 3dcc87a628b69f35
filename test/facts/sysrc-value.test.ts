import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/facts/fact.js';
import { outputNonce } from '../../src/facts/output-nonce.js';
import { batchFactCommand, splitFactOutputs } from '../../src/facts/read-facts.js';
import { parseSysrcValue, sysrcValueFact, type SysrcValue } from '../../src/facts/sysrc-value.js';
import { bootedHostsOfFile } from '../sim/tools/host/host-sandbox.js';

const out = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

describe('parseSysrcValue', () => {
  it('reads a value, an empty value, and an unknown variable', () => {
    expect(parseSysrcValue(out('in-file\nset\nYES\n'))).toEqual({ value: 'YES', inFile: true });
    expect(parseSysrcValue(out('in-file\nset\n\n'))).toEqual({ value: '', inFile: true });
    expect(parseSysrcValue(out('not-in-file\nunset\n'))).toEqual({ value: undefined, inFile: false });
  });

  it('sees a value that only /etc/defaults/rc.conf sets as set but not in the file', () => {
    expect(parseSysrcValue(out('not-in-file\nset\nNO\n'))).toEqual({ value: 'NO', inFile: false });
  });

  it('keeps list values whole', () => {
    expect(parseSysrcValue(out('in-file\nset\nvmm nmdm if_bridge\n'))).toEqual({ value: 'vmm nmdm if_bridge', inFile: true });
  });
});

describe('sysrcValueFact', () => {
  it('reads with sysrc -f FILE -n NAME, and the file itself with grep', () => {
    const fact = sysrcValueFact('vmm_load', '/boot/loader.conf');
    expect(fact.command.text).toContain('sysrc -f /boot/loader.conf -n vmm_load');
    expect(fact.command.text).toContain(`grep -q '^[[:space:]]*vmm_load=' /boot/loader.conf`);
    expect(fact.key).toBe('sysrc:/boot/loader.conf:vmm_load');
    expect(sysrcValueFact('sshd_enable').command.text).toContain('sysrc -n sshd_enable');
  });
});

// The together-read (one sourcing of the files for every variable of a batch) against sysrc's own
// answer for each variable, on a simulated host whose sysrc follows sysrc.subr's f_sysrc_get.
describe('sysrc values read together', () => {
  const files: Record<string, string> = {
    '/etc/rc.conf': [
      'vm_enable="YES"',
      'empty_value=""',
      "  spaced='a b  c'",
      'multi="line one',
      'line two"',
      'ref="${vm_enable}-and-more"',
      'later="first"',
      'later="second"',
      'not_an_assignment+=x',
      '',
    ].join('\n'),
    '/etc/rc.conf.local': 'local_only="here"\nvm_enable="NO"\n',
    '/boot/loader.conf': 'vmm_load="YES"\nhw.vmm.amdvi.enable=1\n',
  };
  const rcNames = ['vm_enable', 'empty_value', 'spaced', 'multi', 'ref', 'later', 'not_an_assignment', 'sshd_enable', 'local_only', 'no_such_variable'];
  const facts = [
    ...rcNames.map((name) => sysrcValueFact(name, '/etc/rc.conf')),
    ...rcNames.map((name) => sysrcValueFact(name)),
    // Interleaved with the rc.conf ones: the batch moves each group's members together.
    sysrcValueFact('vmm_load', '/boot/loader.conf'),
    sysrcValueFact('vm_enable', '/boot/loader.conf'),
    sysrcValueFact('vmm_load', '/boot/no-such-file.conf'),
  ];
  const host = bootedHostsOfFile()('seed');
  for (const [path, text] of Object.entries(files)) host.run(`cat > ${path}`, text);

  const read = (batch: readonly Fact<SysrcValue>[]) => {
    const word = outputNonce();
    const result = host.run(batchFactCommand(batch, word).text);
    expect(result.code).toBe(0);
    return splitFactOutputs(batch.length, word, result.stdout, result.stderr).map(parseSysrcValue);
  };

  it('gives every variable the value and file membership that its own sysrc run gives', () => {
    const alone = facts.map(({ together: _together, ...fact }) => fact);
    expect(facts.every((fact) => fact.together !== undefined)).toBe(true);
    const apart = read(alone);
    // what the apart read saw, so that the comparison below compares something
    expect(apart.slice(0, 3)).toEqual([
      { value: 'YES', inFile: true },
      { value: '', inFile: true },
      { value: 'a b  c', inFile: true },
    ]);
    expect(apart[rcNames.length]).toEqual({ value: 'NO', inFile: false });
    const batch = [...facts];
    // sort the loader.conf facts in among the rc.conf ones
    batch.splice(3, 0, ...batch.splice(rcNames.length * 2, 3));
    const order = batch.map((fact) => facts.indexOf(fact));
    const together = readFactOutputsInOrder(batch, order);
    expect(together).toEqual(apart);
  });

  it("keeps the batch's nonce out of every argv while the files are sourced (ps run from the file itself)", () => {
    // The file runs ps while the group's shell sources it: every process's argv at that moment.
    host.run('cat > /etc/ps-probe.conf', 'probe="$(/bin/ps -A -ww -o args= > /tmp/beastie-ps-probe.out)"\nother="x"\n');
    const batch = [sysrcValueFact('probe', '/etc/ps-probe.conf'), sysrcValueFact('other', '/etc/ps-probe.conf')];
    const word = outputNonce();
    const result = host.run(batchFactCommand(batch, word).text);
    const nonce = /^@@beastie ([0-9a-f]+)@@\n/.exec(result.stdout)?.[1] ?? '';
    expect(nonce).toMatch(/^[0-9a-f]{28}$/);
    expect(splitFactOutputs(batch.length, word, result.stdout, result.stderr).map(parseSysrcValue)).toEqual([
      { value: '', inFile: true },
      { value: 'x', inFile: true },
    ]);
    const argv = host.run('cat /tmp/beastie-ps-probe.out').stdout;
    // the group's own shell was running when ps looked
    expect(argv).toContain('source_rc_confs');
    expect(argv).not.toContain(nonce);
  });

  it('runs sysrc not at all, and sources each file group once', () => {
    const command = batchFactCommand(facts, outputNonce()).text;
    expect(command).not.toContain('sysrc ');
    // rc.conf, rc_conf_files, loader.conf and the missing file: one shell each
    expect(command.match(/env -i \/bin\/sh -c/g)).toHaveLength(4);
  });

  /** The together-read of `batch`, put back in `facts`' order (`order[i]`: batch[i]'s index in facts). */
  function readFactOutputsInOrder(batch: readonly Fact<SysrcValue>[], order: readonly number[]): SysrcValue[] {
    const values = read(batch);
    const restored: SysrcValue[] = [];
    order.forEach((original, at) => {
      restored[original] = values[at] as SysrcValue;
    });
    return restored;
  }
});
