// service devfs restart and devfs rule against docs/freebsd/devfs.md, docs/freebsd/pkg-service.md, docs/freebsd/idempotency.md: rulesets loaded
// from /etc/defaults/devfs.rules and /etc/devfs.rules, auto-numbering, idempotent reloads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootedHost, type HostSandbox } from '../host-sandbox.js';
import { WALKTHROUGH_RULESET_25 } from '../../../../fixtures/walkthrough-ruleset.js';

const RULES_25 = WALKTHROUGH_RULESET_25;
const SHOW_25 = `100 include 4
200 path vmm unhide
300 path vmm/* unhide
400 path tap* unhide
500 path mem unhide
600 path kmem unhide
700 path nmdm* unhide
800 path pci unhide
900 path io unhide
`;

describe('devfs rulesets and service', () => {
  let host: HostSandbox;
  beforeAll(() => {
    host = bootedHost('seed');
  });
  afterAll(() => host.dispose());

  it('boots with the default rulesets 1-5 of /etc/defaults/devfs.rules', () => {
    expect(host.run('devfs rule showsets').stdout).toBe('1\n2\n3\n4\n5\n');
    expect(host.run('devfs rule -s 4 show').stdout).toBe(
      '100 include 1\n200 include 2\n300 include 3\n400 path fuse unhide\n500 path zfs unhide\n',
    );
    expect(host.run('devfs rule -s 25 show')).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('loads /etc/devfs.rules silently on restart, and a second restart rebuilds the same set (docs/freebsd/idempotency.md)', () => {
    host.run('cat > /etc/devfs.rules', RULES_25);
    expect(host.run('service devfs restart')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('devfs rule -s 25 show').stdout).toBe(SHOW_25);
    expect(host.run('service devfs restart')).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(host.run('devfs rule -s 25 show').stdout).toBe(SHOW_25);
    expect(host.run('devfs rule showsets').stdout).toBe('1\n2\n3\n4\n5\n25\n');
  });

  // The walk-through's 25 includes only 4, whose own includes of 1, 2 and 3 a stock kernel skips
  // there (vfs.devfs.rule_depth 1): hide_all never runs, so every node stays visible.
  it('evaluates visibility for jails: the walk-through\'s ruleset 25 hides nothing; ruleset 4 hides pci', () => {
    const lib = '. /usr/local/freebsd/lib/common.sh; . /usr/local/freebsd/lib/devfs.sh;';
    expect(host.run(`${lib} sim_devfs_visible_devices 25`).stdout).toBe(
      'null zero random urandom crypto log ptmx pts fd stdin stdout stderr console ctty mem kmem io pci vmm vmm/guest vmm.io vmmctl nmdm0A nmdm0B tap0 bpf bpf0 pf fuse zfs\n',
    );
    expect(host.run(`${lib} sim_devfs_visible_devices 4`).stdout).toBe('null zero random urandom crypto log ptmx pts fd stdin stdout stderr fuse zfs\n');
    expect(host.run(`${lib} sim_devfs_visible 4 pci`).code).toBe(1);
    expect(host.run(`${lib} sim_devfs_visible 25 pci`).code).toBe(0);
  });

  it('numbers added rules last + 100, refuses taken numbers and bad arguments', () => {
    expect(host.run('devfs rule -s 30 add path pci unhide').code).toBe(0);
    expect(host.run('devfs rule -s 30 add path io unhide').code).toBe(0);
    expect(host.run('devfs rule -s 30 add 150 path mem unhide').code).toBe(0);
    expect(host.run('devfs rule -s 30 show').stdout).toBe('100 path pci unhide\n150 path mem unhide\n200 path io unhide\n');
    expect(host.run('devfs rule -s 30 add 150 hide')).toEqual({
      stdout: '',
      stderr: 'devfs rule: ioctl DEVFSIO_RADD: File exists\n',
      code: 1,
    });
    expect(host.run('devfs rule -s 30 add foo')).toEqual({ stdout: '', stderr: 'devfs rule: unknown argument: foo\n', code: 1 });
    expect(host.run('devfs rule -s 30 frob')).toEqual({ stdout: '', stderr: 'devfs rule: unknown command: frob\n', code: 1 });
    expect(host.run('devfs rule -s 30 delset; devfs rule -s 30 show')).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('warns like rc.subr when a rules file has a bad line', () => {
    host.run('cat >> /etc/devfs.rules', '[broken=26]\nadd path x frobnicate\n');
    expect(host.run('service devfs restart')).toEqual({
      stdout: '',
      stderr:
        'devfs rule: unknown argument: frobnicate\n/etc/rc.d/devfs: WARNING: devfs_init_rulesets: could not read rules from /etc/devfs.rules\n',
      code: 1,
    });
    host.run('cat > /etc/devfs.rules', RULES_25);
  });

  it('service: the missing-script message on stdout rc 1, usage, onestatus of a daemon', () => {
    expect(host.run('service foo start')).toEqual({
      stdout: 'foo does not exist in /etc/rc.d or the local startup\ndirectories (/usr/local/etc/rc.d), or is not executable\n',
      stderr: '',
      code: 1,
    });
    expect(host.run('service devfs').code).toBe(1);
    expect(host.run('service devfs status').stderr).toBe(
      "/etc/rc.d/devfs: unknown directive 'status'.\nUsage: /etc/rc.d/devfs [fast|force|one|quiet](start|stop|restart|rcvar|enabled|describe|extracommands)\n",
    );
    expect(host.run('service ntpd status')).toEqual({
      stdout: "Cannot 'status' ntpd. Set ntpd_enable to YES in /etc/rc.conf or use 'onestatus' instead of 'status'.\n",
      stderr: '',
      code: 0,
    });
    expect(host.run('service ntpd onestatus')).toEqual({ stdout: 'ntpd is not running.\n', stderr: '', code: 1 });
  });
});
