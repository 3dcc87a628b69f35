// Which command lines only read the host (src/command/read-only-programs.ts): the forms each
// program's FreeBSD source shows to be queries, and nothing else.
import { describe, expect, it } from 'vitest';
import { isReadOnlyCommand } from '../../src/command/read-only-programs.js';

const readOnly = (line: string) => isReadOnlyCommand(line.split(' ').filter((word) => word !== ''));

describe('read-only programs', () => {
  it.each([
    'kldstat',
    'kldstat -q -m zfs',
    'kldstat -qm zfs',
    'kldstat -v -n vmm.ko',
    'kldstat -i 3',
    '/sbin/kldstat -m vmm',
    'uname',
    'uname -r',
    'uname -K',
    '/usr/bin/uname -a',
    'freebsd-version',
    'freebsd-version -kru',
    'sysctl -n kern.osrelease',
    'sysctl kern.securelevel hw.ncpu',
    'sysctl -qn security.jail.jailed',
    'sysctl -a',
    'sysctl -d hw.vmm',
  ])('%s only reads', (line) => {
    expect(readOnly(line)).toBe(true);
  });

  it.each([
    // Setting, or reading a file of settings.
    'sysctl kern.securelevel=1',
    'sysctl -n kern.osrelease net.inet.ip.forwarding=1',
    'sysctl -f /etc/sysctl.conf',
    'sysctl',
    // Operands or options the source does not take as a query.
    'kldstat zfs',
    'kldstat -m',
    'kldstat -x',
    'uname -r extra',
    'freebsd-version -j web',
    // Other programs, and the same name elsewhere than the base system.
    'kldload zfs',
    'hostname',
    'cat /etc/rc.conf',
    '/usr/local/bin/kldstat -m zfs',
    './uname',
  ])('%s is not on the list', (line) => {
    expect(readOnly(line)).toBe(false);
  });
});
