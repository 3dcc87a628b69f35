// ifconfig's IPv4 addresses and route's default route (the facts ansible_default_ipv4 and
// ansible_interfaces are read from), against sbin/ifconfig/af_inet.c and sbin/route/route.c.
import { describe, expect, it } from 'vitest';
import { scenarioBox, step } from './box.js';
import { BOOT } from './seed-steps.js';

describe('ifconfig inet and route (seed profile)', () => {
  const r = scenarioBox('seed', [
    BOOT,
    step('no-route', 'route -n get default'),
    step('unreachable', 'route add default 192.0.2.1'),
    step('set', 'ifconfig em0 inet 192.0.2.10/24 && ifconfig em0 inet 192.0.2.20 netmask 255.255.255.0 alias && ifconfig em0'),
    step('nomask', 'ifconfig em0 inet 10.1.2.3'),
    step('after-nomask', 'ifconfig em0 | grep inet'),
    step('bad', 'ifconfig em0 inet 192.0.2.30/33'),
    step('add', 'route add default 192.0.2.1'),
    step('add-again', 'route add default 192.0.2.1'),
    step('get', 'route -n get default'),
    step('get6', 'route -n get -inet6 default'),
    step('delete', 'route delete default && route delete default'),
    step('boot-static', `sysrc ifconfig_igb0="inet 198.51.100.7 netmask 255.255.255.128" defaultrouter=198.51.100.1 >/dev/null && ${BOOT.command} && ifconfig igb0 | grep inet && route -n get default | grep -E 'gateway|interface'`),
  ], 120_000);

  it('prints addresses as in_status_nl: hex netmask and broadcast; a second address with alias', () => {
    expect(r['set']).toEqual({
      stdout:
        'em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n' +
        '\tinet 192.0.2.10 netmask 0xffffff00 broadcast 192.0.2.255\n\tinet 192.0.2.20 netmask 0xffffff00 broadcast 192.0.2.255\n' +
        '\tmedia: Ethernet autoselect (1000baseT <full-duplex>)\n\tstatus: active\n',
      stderr: '',
      code: 0,
    });
  });

  it('without alias replaces the first address; without a mask takes the class mask with the warning', () => {
    expect(r['nomask']?.stderr).toBe('ifconfig: WARNING: setting interface address without mask is deprecated,\ndefault mask may not be correct.\n');
    expect(r['after-nomask']?.stdout).toBe('\tinet 192.0.2.20 netmask 0xffffff00 broadcast 192.0.2.255\n\tinet 10.1.2.3 netmask 0xff000000 broadcast 10.255.255.255\n');
    expect(r['bad']).toEqual({ stdout: '', stderr: 'ifconfig: 192.0.2.30/33: bad value (width too large)\n', code: 1 });
  });

  it('route: no route, unreachable gateway, add, exists, get, delete as route.c says them', () => {
    expect(r['no-route']).toEqual({ stdout: '', stderr: 'route: route has not been found\n', code: 1 });
    expect(r['unreachable']).toEqual({ stdout: 'add net default: gateway 192.0.2.1 fib 0: Network is unreachable\n', stderr: 'route: writing to routing socket: Network is unreachable\n', code: 1 });
    expect(r['add']).toEqual({ stdout: 'add net default: gateway 192.0.2.1\n', stderr: '', code: 0 });
    expect(r['add-again']).toMatchObject({ stdout: 'add net default: gateway 192.0.2.1 fib 0: route already in table\n', code: 1 });
    expect(r['get']?.stdout).toBe(
      '   route to: default\ndestination: default\n       mask: default\n    gateway: 192.0.2.1\n        fib: 0\n  interface: em0\n      flags: <UP,GATEWAY,DONE,STATIC>\n' +
        ' recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire\n       0         0         0         0      1500         1         0 \n',
    );
    expect(r['get6']).toEqual({ stdout: '', stderr: 'route: route has not been found\n', code: 1 });
    expect(r['delete']).toEqual({ stdout: 'delete net default: gateway 192.0.2.1\ndelete net default: not in table\n', stderr: 'route: writing to routing socket: No such process\n', code: 1 });
  });

  it("applies rc.conf's static ifconfig_IF and defaultrouter at boot (rc.d/netif, rc.d/routing)", () => {
    expect(r['boot-static']?.stdout).toBe('\tinet 198.51.100.7 netmask 0xffffff80 broadcast 198.51.100.127\n    gateway: 198.51.100.1\n  interface: igb0\n');
  });
});
