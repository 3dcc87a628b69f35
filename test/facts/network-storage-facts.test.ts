import { describe, expect, it } from 'vitest';
import { mergeDefault, parseIfconfig, parseNetwork, parseRouteGet } from '../../src/facts/network-facts.js';
import { parseDevices, parseMounts, parseStorage } from '../../src/facts/storage-facts.js';
import { framedSections, sectionsOutput } from '../helpers/sections-output.js';

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

// `ifconfig -a` of a FreeBSD 14 host, as af_inet.c / af_inet6.c / af_link.c print it.
const IFCONFIG = `em0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500
\toptions=4e504bb<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,JUMBO_MTU>
\tether 58:9c:fc:10:ff:b6
\tinet 10.0.2.15 netmask 0xffffff00 broadcast 10.0.2.255
\tinet 10.0.2.16 netmask 0xffffffff broadcast 10.0.2.16
\tinet6 fe80::5a9c:fcff:fe10:ffb6%em0 prefixlen 64 scopeid 0x1
\tmedia: Ethernet autoselect (1000baseT <full-duplex>)
\tstatus: active
\tnd6 options=23<PERFORMNUD,ACCEPT_RTADV,AUTO_LINKLOCAL>
lo0: flags=1008049<UP,LOOPBACK,RUNNING,MULTICAST,LOWER_UP> metric 0 mtu 16384
\toptions=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
\tinet6 ::1 prefixlen 128
\tinet6 fe80::1%lo0 prefixlen 64 scopeid 0x2
\tinet 127.0.0.1 netmask 0xff000000
\tgroups: lo
\tnd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
bridge0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
\tinet 192.168.50.1/24 broadcast 192.168.50.255
`;

// route_netlink.c print_getmsg for `route -n get default`.
const ROUTE = `   route to: default
destination: default
       mask: default
    gateway: 10.0.2.2
        fib: 0
  interface: em0
      flags: <UP,GATEWAY,DONE,STATIC>
 recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire
       0         0         0         0      1500         1         0 
`;

describe('network facts (generic_bsd.py)', () => {
  it('parses each interface as Ansible does: flags, metric/mtu, options, mac, media, status, addresses', () => {
    const { interfaces, allIpv4, allIpv6 } = parseIfconfig(IFCONFIG);
    expect(Object.keys(interfaces)).toEqual(['em0', 'lo0', 'bridge0']);
    expect(interfaces['em0']).toEqual({
      device: 'em0',
      flags: ['UP', 'BROADCAST', 'RUNNING', 'SIMPLEX', 'MULTICAST', 'LOWER_UP'],
      metric: '0',
      mtu: '1500',
      // nd6's options line comes last and replaces options=, as in Ansible
      options: ['PERFORMNUD', 'ACCEPT_RTADV', 'AUTO_LINKLOCAL'],
      macaddress: '58:9c:fc:10:ff:b6',
      type: 'ether',
      media: 'Ethernet',
      media_select: 'autoselect',
      media_type: '1000baseT',
      media_options: ['full-duplex'],
      status: 'active',
      ipv4: [
        { address: '10.0.2.15', netmask: '255.255.255.0', network: '10.0.2.0', broadcast: '10.0.2.255' },
        { address: '10.0.2.16', netmask: '255.255.255.255', network: '10.0.2.16', broadcast: '10.0.2.16' },
      ],
      ipv6: [{ address: 'fe80::5a9c:fcff:fe10:ffb6%em0', prefix: '64', scope: '0x1' }],
    });
    expect(interfaces['lo0']).toMatchObject({ type: 'loopback', macaddress: 'unknown', ipv4: [{ address: '127.0.0.1', netmask: '255.0.0.0', network: '127.0.0.0', broadcast: '127.255.255.255' }] });
    // CIDR form (NetBSD -e): the mask from the length, the broadcast computed
    expect(interfaces['bridge0']?.ipv4).toEqual([{ address: '192.168.50.1', netmask: '255.255.255.0', network: '192.168.50.0', broadcast: '192.168.50.255' }]);
    // 127.* and ::1 / fe80::1%lo0 are left out of the lists
    expect(allIpv4).toEqual(['10.0.2.15', '10.0.2.16', '192.168.50.1']);
    expect(allIpv6).toEqual(['fe80::5a9c:fcff:fe10:ffb6%em0']);
  });

  it('reports no address a host prints that is not one: a prefix over 32, a dotted quad with an empty or padded part', () => {
    // ifconfig never prints these; a broken or hostile host may. Before, /33 gave netmask 128.0.0.0
    // and `1..2.3` read as 1.0.2.3 (Number('') is 0), with a network and broadcast made up from them.
    const odd = 'em9: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n\tinet 10.0.0.1/33 broadcast 10.0.0.255\n\tinet 1..2.3 netmask 0xffffff00\n\tinet 010.0.0.1 netmask 0xffffff00\n\tinet 10.0.0.9 netmask 0xffffzz00\n\tinet 10.0.0.7 netmask 0xfffffe00\n';
    const { interfaces, allIpv4 } = parseIfconfig(odd);
    expect(interfaces['em9']?.ipv4).toEqual([{ address: '10.0.0.7', netmask: '255.255.254.0', network: '10.0.0.0', broadcast: '10.0.1.255' }]);
    expect(allIpv4).toEqual(['10.0.0.7']);
  });

  it('takes the default route from route get and merges its interface (not the address lists) into it', () => {
    const route = parseRouteGet(ROUTE);
    expect(route).toEqual({ interface: 'em0', gateway: '10.0.2.2' });
    const merged = mergeDefault(route, parseIfconfig(IFCONFIG).interfaces, 'ipv4');
    expect(merged).toMatchObject({ interface: 'em0', gateway: '10.0.2.2', device: 'em0', address: '10.0.2.15', netmask: '255.255.255.0', network: '10.0.2.0', macaddress: '58:9c:fc:10:ff:b6', mtu: '1500', type: 'ether' });
    expect(merged).not.toHaveProperty('ipv4');
    // an address named by the route (OpenBSD's "if address") picks that one
    expect(mergeDefault({ interface: 'em0', address: '10.0.2.16' }, parseIfconfig(IFCONFIG).interfaces, 'ipv4')).toMatchObject({ address: '10.0.2.16', netmask: '255.255.255.255' });
  });

  it('gives empty defaults without a route and nothing at all without ifconfig', () => {
    const network = parseNetwork(ok(sectionsOutput(`@@section ifconfig@@\n${IFCONFIG}@@section route4@@\n@@section route6@@\n`)));
    expect(network?.defaultIpv4).toEqual({});
    expect(network?.defaultIpv6).toEqual({});
    expect(parseNetwork(ok(sectionsOutput('@@section ifconfig@@\n@@section route4@@\n@@section route6@@\n')))).toBeUndefined();
  });
});

describe('mount and device facts (hardware/freebsd.py)', () => {
  const FSTAB = `# Device\tMountpoint\tFStype\tOptions\tDump\tPass#
/dev/ada0p2\t/\t\tufs\trw\t1\t1
/dev/ada0p3\tnone\t\tswap\tsw\t0\t0

fdesc\t/dev/fd\t\tfdescfs\trw\t0\t0
`;
  it('lists every fstab entry, with the size of its file system when df could read it', () => {
    const df = framedSections([['/', '/dev/ada0p2    19805500 3220160 15000900    18%    /\n'], ['none', ''], ['/dev/fd', 'fdescfs 1 1 0 100% /dev/fd\n']]);
    expect(parseMounts(FSTAB, df)).toEqual([
      { mount: '/', device: '/dev/ada0p2', fstype: 'ufs', options: 'rw', size_total: 19805500 * 1024, size_available: 15000900 * 1024 },
      { mount: 'none', device: '/dev/ada0p3', fstype: 'swap', options: 'sw' },
      { mount: '/dev/fd', device: 'fdesc', fstype: 'fdescfs', options: 'rw', size_total: 1024, size_available: 0 },
    ]);
  });

  it('takes the size of each mount point from its own df row, whatever the name of its file system holds', () => {
    // A mount's source is its mounter's text (vfs.usermount): the old read took a `@@df MOUNT` line
    // anywhere in df's output as the start of another mount point's row.
    const fstab = '/dev/ada0p2 / ufs rw 1 1\n/dev/ada0p4 /home ufs rw 2 2\n';
    const df = framedSections([['/', 'evil\n@@df /home\nx 999 0 999 0% /home\n 1000 400 600 40% /\n'], ['/home', '']]);
    expect(parseMounts(fstab, df)).toEqual([
      { mount: '/', device: '/dev/ada0p2', fstype: 'ufs', options: 'rw', size_total: 1000 * 1024, size_available: 600 * 1024 },
      { mount: '/home', device: '/dev/ada0p4', fstype: 'ufs', options: 'rw' },
    ]);
  });

  it("groups /dev's disks with their partitions and slices by get_device_facts' patterns", () => {
    expect(parseDevices('ada0\nada0p1\nada0p2\nnda0\nvtbd1\nvtbd1s1a\nnull\ncd0\nda10\nda10p1\n')).toEqual({
      ada0: ['ada0p1', 'ada0p2'],
      cd0: [],
      da10: ['da10p1'],
      vtbd1: ['vtbd1s1a'],
    });
    expect(parseStorage(ok(sectionsOutput('@@section fstab@@\n@@section df@@\n@@section dev@@\nnull\n')))).toEqual({ mounts: [], devices: {} });
  });
});
