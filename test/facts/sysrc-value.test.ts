import { describe, expect, it } from 'vitest';
import { parseSysrcValue, sysrcValueFact } from '../../src/facts/sysrc-value.js';

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
