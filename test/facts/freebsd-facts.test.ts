import { describe, expect, it } from 'vitest';
import { virtualization } from '../../src/facts/ansible-facts.js';
import { parseLocalFact } from '../../src/facts/local-facts.js';
import { factVariables, freebsdFactList, freebsdFacts, namedFactValues, parseBoottime, parseJls, parseKldstat } from '../../src/facts/freebsd-facts.js';
import { framedSections, sectionsOutput } from '../helpers/sections-output.js';

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const missing = { stdout: '', stderr: 'sh: 1: kldstat: not found\n', exitCode: 127 };

describe('gathered FreeBSD facts', () => {
  it('parses kern.boottime as sysctl prints it (docs/freebsd/host.md)', () => {
    expect(parseBoottime(ok('{ sec = 1715699000, usec = 412345 } Tue May 14 15:03:20 2024\n'))).toBe(1715699000);
    expect(parseBoottime(missing)).toBeUndefined();
  });

  it('parses the kldstat file table into module file names (docs/freebsd/kld.md)', () => {
    const table = `Id Refs Address                Size Name
 1   93 0xffffffff80200000  1f3c6c8 kernel
 2    1 0xffffffff8213d000   5b4750 zfs.ko
 9    1 0xffffffff82a00000   3a9b48 vmm.ko
10    1 0xffffffff82dab000     6c90 nmdm.ko
`;
    expect(parseKldstat(ok(table))).toEqual(['kernel', 'zfs', 'vmm', 'nmdm']);
    expect(parseKldstat(missing)).toBeUndefined();
  });

  it('parses `jls jid name path`', () => {
    expect(parseJls(ok('1 bhyve /usr/local/bastille/jails/bhyve/root\n3 web /jails/web\n'))).toEqual([
      { jid: 1, name: 'bhyve', path: '/usr/local/bastille/jails/bhyve/root' },
      { jid: 3, name: 'web', path: '/jails/web' },
    ]);
    expect(parseJls(ok(''))).toEqual([]);
  });

  it('reads each fact with its own parser and names the variables with Ansible aliases', () => {
    const outputs: Record<keyof typeof freebsdFacts, ReturnType<typeof ok>> = {
      beastie_kernel_version: ok('14.1-RELEASE-p5\n'),
      beastie_freebsd_version: ok('14.1-RELEASE-p6\n'),
      beastie_kernel_release: ok('14.1-RELEASE-p5\n'),
      beastie_arch: ok('amd64\n'),
      beastie_hostname: ok('bhyve01.lab\n'),
      beastie_kernel_modules: ok(' 1   93 0xffffffff80200000  1f3c6c8 kernel\n'),
      beastie_jails: ok(''),
      // One sysctl, each name as sysctl(8) prints it (docs/freebsd/host.md).
      beastie_sysctl: ok(
        'kern.securelevel: -1\nhw.ncpu: 8\nhw.physmem: 17179869184\nkern.boottime: { sec = 1715699000, usec = 1 } Tue May 14 15:03:20 2024\n' +
          'hw.model: Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz\nvm.stats.vm.v_page_size: 4096\nvm.stats.vm.v_page_count: 4194304\nvm.stats.vm.v_free_count: 1048576\n' +
          'security.jail.jailed: 0\nkern.vm_guest: none\n',
      ),
      beastie_user_id: ok('root\n'),
      beastie_env: ok('HOME=/root\nLC_ALL=C\nPATH=/sbin:/bin\n'),
      beastie_date_time: ok('2024|05|Tuesday|2|19|14|17|03|20|1715699000|CEST|+0200\n2024-05-14T15:03:20Z\n'),
      // facts.d: each *.fact's section named by its kind and hex name (site.fact, legacy.fact).
      beastie_local: ok(sectionsOutput('@@section file:736974652e66616374@@\n{"rack": "r1"}\n@@section file:6c65676163792e66616374@@\n[general]\nRole = web\n')),
      beastie_network: ok(sectionsOutput(
        '@@section ifconfig@@\nem0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n\tinet 192.0.2.10 netmask 0xffffff00 broadcast 192.0.2.255\n' +
          'lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384\n\tinet 127.0.0.1 netmask 0xff000000\n' +
          '@@section route4@@\n    gateway: 192.0.2.1\n  interface: em0\n@@section route6@@\n',
      )),
      beastie_storage: ok(framedSections([['fstab', '/dev/ada0p2 / ufs rw 1 1\n'], ['df', framedSections([['/', '/dev/ada0p2 1000 400 600 40% /\n']], '1')], ['dev', 'ada0\nada0p2\nnull\n']])),
    };
    const names = Object.keys(freebsdFacts) as (keyof typeof freebsdFacts)[];
    const values = names.map((name) => freebsdFacts[name].parse(outputs[name]));
    const vars = factVariables(namedFactValues(values));
    expect(vars['ansible_facts']).toMatchObject({ hostname: 'bhyve01', memtotal_mb: 16384, beastie_securelevel: -1 });
    delete vars['ansible_facts'];
    expect(vars).toEqual({
      beastie_kernel_version: '14.1-RELEASE-p5',
      beastie_freebsd_version: '14.1-RELEASE-p6',
      beastie_release: '14.1-RELEASE',
      beastie_kernel_release: '14.1-RELEASE-p5',
      beastie_arch: 'amd64',
      beastie_hostname: 'bhyve01.lab',
      beastie_securelevel: -1,
      beastie_kernel_modules: ['kernel'],
      beastie_jails: [],
      beastie_ncpu: 8,
      beastie_physmem: 17179869184,
      beastie_boottime: 1715699000,
      ansible_nodename: 'bhyve01.lab',
      ansible_hostname: 'bhyve01',
      ansible_fqdn: 'bhyve01.lab',
      ansible_architecture: 'amd64',
      ansible_machine: 'amd64',
      ansible_kernel: '14.1-RELEASE-p5',
      ansible_processor_vcpus: 8,
      ansible_processor_nproc: 8,
      ansible_memtotal_mb: 16384,
      ansible_system: 'FreeBSD',
      ansible_os_family: 'FreeBSD',
      ansible_distribution: 'FreeBSD',
      ansible_distribution_release: '14.1-RELEASE-p5',
      ansible_distribution_version: '14.1',
      ansible_distribution_major_version: '14',
      ansible_domain: 'lab',
      ansible_processor: ['Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz'],
      ansible_processor_count: 8,
      ansible_memfree_mb: 4096,
      ansible_user_id: 'root',
      ansible_env: { HOME: '/root', LC_ALL: 'C', PATH: '/sbin:/bin' },
      ansible_date_time: {
        year: '2024', month: '05', weekday: 'Tuesday', weekday_number: '2', weeknumber: '19', day: '14', hour: '17', minute: '03', second: '20',
        epoch: '1715699000', epoch_int: '1715699000', date: '2024-05-14', time: '17:03:20',
        iso8601_micro: '2024-05-14T15:03:20.000000Z', iso8601: '2024-05-14T15:03:20Z', iso8601_basic: '20240514T170320000000', iso8601_basic_short: '20240514T170320',
        tz: 'CEST', tz_dst: 'CEST', tz_offset: '+0200',
      },
      ansible_virtualization_type: '',
      ansible_virtualization_role: '',
      ansible_pkg_mgr: 'pkgng',
      ansible_service_mgr: 'bsdinit',
      ansible_local: { site: { rack: 'r1' }, legacy: { general: { role: 'web' } } },
      ansible_interfaces: ['em0', 'lo0'],
      ansible_all_ipv4_addresses: ['192.0.2.10'],
      ansible_all_ipv6_addresses: [],
      ansible_default_ipv4: expect.objectContaining({ interface: 'em0', gateway: '192.0.2.1', address: '192.0.2.10', netmask: '255.255.255.0', mtu: '1500' }),
      ansible_default_ipv6: {},
      ansible_em0: expect.objectContaining({ device: 'em0', ipv4: [{ address: '192.0.2.10', netmask: '255.255.255.0', network: '192.0.2.0', broadcast: '192.0.2.255' }] }),
      ansible_lo0: expect.objectContaining({ device: 'lo0', type: 'loopback' }),
      ansible_mounts: [{ mount: '/', device: '/dev/ada0p2', fstype: 'ufs', options: 'rw', size_total: 1024000, size_available: 614400 }],
      ansible_devices: { ada0: ['ada0p2'] },
      beastie_hw_model: 'Intel(R) Xeon(R) CPU E5-2620 v4 @ 2.10GHz',
      beastie_memory: { pageSize: 4096, pages: 4194304, free: 1048576 },
      beastie_jailed: false,
      beastie_vm_guest: 'none',
      beastie_user_id: 'root',
      beastie_env: { HOME: '/root', LC_ALL: 'C', PATH: '/sbin:/bin' },
      beastie_date_time: expect.any(Object),
      beastie_local: expect.any(Object),
    });
  });

  it('virtualization as Ansible names it: jails in a jail, kvm/VMware… from kern.vm_guest, else empty', () => {
    expect(virtualization(true, 'none', 'x')).toEqual({ type: 'jails', role: 'guest' });
    expect(virtualization(false, 'kvm', 'x')).toEqual({ type: 'kvm', role: 'guest' });
    // Ansible's sysctl regexes know no bhyve: a bhyve guest has type ''; beastie_vm_guest says bhyve.
    expect(virtualization(false, 'bhyve', 'x')).toEqual({ type: '', role: '' });
    expect(virtualization(false, 'none', 'QEMU')).toEqual({ type: 'kvm', role: 'guest' });
  });

  it('facts.d: JSON, INI (lower-cased keys) and the error text for neither', () => {
    expect(parseLocalFact('{"a": [1]}')).toEqual({ a: [1] });
    expect(parseLocalFact('[s]\nKey: v\n')).toEqual({ s: { key: 'v' } });
    expect(parseLocalFact('just words', '/etc/ansible/facts.d/x.fact')).toBe('error loading facts as JSON or ini - please check content: /etc/ansible/facts.d/x.fact');
  });

  it('reads every gathered sysctl in one command; a name sysctl does not know leaves out only its variable', () => {
    const sysctl = freebsdFacts.beastie_sysctl;
    expect(sysctl.command.text).toBe(
      'sysctl kern.securelevel hw.ncpu hw.physmem kern.boottime hw.model vm.stats.vm.v_page_size vm.stats.vm.v_page_count vm.stats.vm.v_free_count security.jail.jailed kern.vm_guest',
    );
    // (a sectioned fact's nonce falls back to sysctl kern.arandom where /dev/urandom cannot be read: not a gathered sysctl)
    const gathersSysctl = (text: string) => text.replaceAll('sysctl -B 8 -b kern.arandom', '').includes('sysctl');
    expect(freebsdFactList.filter((fact) => gathersSysctl(fact.command.text))).toEqual([sysctl]);
    const values = sysctl.parse({
      stdout: 'kern.securelevel: 1\nhw.ncpu: 2\nhw.physmem: 2147483648\nhw.model: QEMU Virtual CPU\nvm.stats.vm.v_page_size: 4096\nvm.stats.vm.v_free_count: 10\nsecurity.jail.jailed: 1\n',
      stderr: "sysctl: unknown oid 'kern.boottime'\nsysctl: unknown oid 'vm.stats.vm.v_page_count'\nsysctl: unknown oid 'kern.vm_guest'\n",
      exitCode: 3,
    });
    expect(values).toEqual({
      beastie_securelevel: 1,
      beastie_ncpu: 2,
      beastie_physmem: 2147483648,
      beastie_boottime: undefined,
      beastie_hw_model: 'QEMU Virtual CPU',
      beastie_memory: undefined,
      beastie_jailed: true,
      beastie_vm_guest: undefined,
    });
  });

  it('leaves out facts whose command failed (Linux has no freebsd-version)', () => {
    const values = freebsdFactList.map((fact) => fact.parse(fact.key === 'gather:hostname' ? ok('box\n') : missing));
    expect(factVariables(namedFactValues(values))).toEqual({
      beastie_hostname: 'box',
      ansible_nodename: 'box',
      ansible_hostname: 'box',
      ansible_fqdn: 'box',
      ansible_domain: '',
      ansible_local: {},
      beastie_local: {},
      ansible_facts: { beastie_hostname: 'box', nodename: 'box', hostname: 'box', fqdn: 'box', domain: '', local: {}, beastie_local: {} },
    });
  });
});
