import { describe, expect, it } from 'vitest';
import { parseServiceStatus, serviceStatusFact } from '../../src/facts/service-status.js';

const out = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

describe('parseServiceStatus', () => {
  it('rc 0 is running, anything else stopped (rc.subr status)', () => {
    expect(parseServiceStatus(out('rc=0\nsshd is running as pid 712.\n'))).toEqual({ kind: 'running', output: 'sshd is running as pid 712.' });
    expect(parseServiceStatus(out('rc=1\nsshd is not running.\n'))).toEqual({ kind: 'stopped', output: 'sshd is not running.' });
  });

  it("recognises service(8)'s message for a missing script (docs/freebsd/pkg-service.md)", () => {
    const text = 'foo does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d), or is not executable';
    expect(parseServiceStatus(out(`rc=1\n${text}\n`))).toEqual({ kind: 'missing', output: text });
  });

  it('runs onestatus, which answers whether or not NAME_enable is set', () => {
    expect(serviceStatusFact('vm').command.text).toContain('service vm onestatus');
  });
});
