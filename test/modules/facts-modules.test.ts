import { describe, expect, it } from 'vitest';
import getent, { planGetent } from '../../modules/getent.js';
import hostname, { planHostname } from '../../modules/hostname.js';
import package_, { pkgParams } from '../../modules/package.js';
import { parsePackages } from '../../modules/package_facts.js';
import { parseServices, planServiceFacts } from '../../modules/service_facts.js';

describe('getent', () => {
  const g = (p: Record<string, unknown>) => getent.params.parse({ database: 'passwd', ...p });
  const out = (stdout: string, exitCode = 0) => ({ stdout, stderr: '', exitCode });
  it('splits passwd on : and hosts on whitespace, keyed by the first field', () => {
    expect(planGetent(g({ key: 'root' }), out('root:*:0:0:Charlie &:/root:/bin/csh\n')).setFacts).toEqual({ getent_passwd: { root: ['*', '0', '0', 'Charlie &', '/root', '/bin/csh'] } });
    expect(planGetent(g({ database: 'hosts' }), out('127.0.0.1       localhost localhost.my.domain\n')).values).toEqual({ ansible_facts: { getent_hosts: { '127.0.0.1': ['localhost', 'localhost.my.domain'] } } });
  });
  it('Ansible\'s failures; a missing key without fail_key is null', () => {
    expect(planGetent(g({ key: 'nobody2' }), out('', 2)).failure).toBe('One or more supplied key could not be found in the database.');
    expect(planGetent(g({ key: 'nobody2', fail_key: false }), out('', 2)).setFacts).toEqual({ getent_passwd: { nobody2: null } });
    expect(planGetent(g({ database: 'nosuch' }), out('', 1)).failure).toBe('Missing arguments, or database unknown.');
  });
});

describe('service_facts and package_facts parsers', () => {
  it('services: running, stopped, unknown; enabled from service -e', () => {
    const services = parseServices('sshd 0 enabled sshd is running as pid 812.\nntpd 1 disabled ntpd is not running.\ndevfs 1 disabled Usage: /etc/rc.d/devfs\n');
    expect(planServiceFacts(services).setFacts).toEqual({
      services: {
        sshd: { name: 'sshd', state: 'running', status: 'enabled', source: 'freebsd' },
        ntpd: { name: 'ntpd', state: 'stopped', status: 'disabled', source: 'freebsd' },
        devfs: { name: 'devfs', state: 'unknown', status: 'disabled', source: 'freebsd' },
      },
    });
  });
  it('packages: a list per name with Ansible\'s pkg atoms', () => {
    expect(parsePackages('vm-bhyve\t1.5.0\tsysutils/vm-bhyve\tFreeBSD:14:amd64\t0\t1700000000\t/usr/local\n')).toEqual({
      'vm-bhyve': [{ name: 'vm-bhyve', version: '1.5.0', origin: 'sysutils/vm-bhyve', arch: 'FreeBSD:14:amd64', automatic: false, installed: 1700000000, prefix: '/usr/local', source: 'pkg' }],
    });
  });
});

describe('hostname and package', () => {
  it('hostname: sets what differs, now and in /etc/rc.conf.d/hostname; sets the name facts', () => {
    const p = hostname.params.parse({ name: 'bhyve01.example.org' });
    const plan = planHostname(p, { current: 'sim01', permanent: { value: undefined, inFile: false } });
    expect(plan.steps.flatMap((s) => (s.kind === 'change' ? s.actions.map((a) => (a.kind === 'run' ? a.command.text : '')) : []))).toEqual([
      'hostname bhyve01.example.org',
      'mkdir -p /etc/rc.conf.d && sysrc -f /etc/rc.conf.d/hostname hostname=bhyve01.example.org',
    ]);
    expect(plan.setFacts).toEqual({ ansible_hostname: 'bhyve01', ansible_nodename: 'bhyve01.example.org', ansible_fqdn: 'bhyve01.example.org', ansible_domain: 'example.org' });
    expect(planHostname(p, { current: 'bhyve01.example.org', permanent: { value: 'bhyve01.example.org', inFile: true } }).steps.every((s) => s.kind === 'noop')).toBe(true);
    expect(() => hostname.params.parse({ name: 'a b' })).toThrow();
  });
  it('package is pkg with Ansible\'s state names', () => {
    expect(pkgParams(package_.params.parse({ name: 'tmux', state: 'installed' }))).toMatchObject({ name: ['tmux'], state: 'present' });
    expect(pkgParams(package_.params.parse({ name: ['a', 'b'], state: 'removed', use: 'pkgng' }))).toMatchObject({ name: ['a', 'b'], state: 'absent' });
    expect(package_.params.parse({ name: '{{ item }}' })).toMatchObject({ name: '{{ item }}' });
  });
});
