// ansible.utils' address tests (plugins/test/*.py of ansible.utils 2.x, `x is
// ansible.utils.in_network('10.0.0.0/8')`), on Python's ipaddress (python-ipaddress.ts). Each
// reads the value as the plugin does: a non-text value is no address (ensure_text raises, the
// test catches it and answers False), a network must have no host bits set (strict
// ip_network). Ansible 2.14 finds them only by their ansible.utils.* names.
import { spawnSync } from 'node:child_process';
import { JinjaRenderError } from './errors.js';
import { addressClass, ipv4Mapped, ipv4Text, isSubnetOf, masksOf, pyAddress, pyNetwork, type PyAddress, type PyNetwork } from './python-ipaddress.js';
import { isDict, isNumber, isTuple, pyStr } from './values.js';

type TestFn = (value: unknown, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>) => boolean;

function network(value: unknown): PyNetwork | undefined {
  return typeof value === 'string' ? pyNetwork(value) : undefined;
}

function address(value: unknown): PyAddress | undefined {
  return typeof value === 'string' ? pyAddress(value) : undefined;
}

function required(test: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>, name: string): unknown {
  if (args.length > 0) return args[0];
  if (Object.hasOwn(kwargs, name)) return kwargs[name];
  throw new JinjaRenderError(`_${test}() missing 1 required positional argument: '${name}'`, `give the ${test} test its ${name}: x is ansible.utils.${test}(…)`);
}

/** The networks of in_any_network / in_one_network: the argument spec takes a list, text or a number; the test iterates what it was given. */
function networks(test: string, value: unknown): readonly unknown[] {
  if (Array.isArray(value) && !isTuple(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isNumber(value) || typeof value === 'bigint') throw new JinjaRenderError(`'${typeof value === 'boolean' ? 'bool' : 'int'}' object is not iterable`);
  throw new JinjaRenderError(`argument 'networks' is of type ${isDict(value) ? "<class 'dict'>" : pyStr(value)} and we were unable to convert to list`, `give ${test} a list of networks`);
}

function inNetwork(value: unknown, other: unknown): boolean {
  const a = network(value);
  const b = network(other);
  return a !== undefined && b !== undefined && isSubnetOf(a, b);
}

/** ipv4_netmask / ipv4_hostmask: the mask as `10.0.0.0/MASK` reads it, written back the same. */
function maskTest(value: unknown, which: 'netmask' | 'hostmask'): boolean {
  const net = pyNetwork(`10.0.0.0/${pyStr(value)}`);
  return net !== undefined && net.version === 4 && ipv4Text(masksOf(net)[which]) === value;
}

const byAddress = (check: (address: PyAddress) => boolean): TestFn => (value) => {
  const read = address(value);
  return read !== undefined && check(read);
};

const tests: Readonly<Record<string, TestFn>> = {
  in_network: (value, args, kwargs) => inNetwork(value, required('in_network', args, kwargs, 'network')),
  in_any_network: (value, args, kwargs) => networks('in_any_network', required('in_any_network', args, kwargs, 'networks')).some((other) => inNetwork(value, other)),
  in_one_network: (value, args, kwargs) => networks('in_one_network', required('in_one_network', args, kwargs, 'networks')).filter((other) => inNetwork(value, other)).length === 1,
  subnet_of: (value, args, kwargs) => inNetwork(value, required('subnet_of', args, kwargs, 'network_b')),
  supernet_of: (value, args, kwargs) => inNetwork(required('supernet_of', args, kwargs, 'network_b'), value),
  ip: (value) => network(value) !== undefined,
  ipv4: (value) => network(value)?.version === 4,
  ipv6: (value) => network(value)?.version === 6,
  ip_address: (value) => address(value) !== undefined,
  ipv4_address: (value) => address(value)?.version === 4,
  ipv6_address: (value) => address(value)?.version === 6,
  ipv4_netmask: (value) => maskTest(value, 'netmask'),
  ipv4_hostmask: (value) => maskTest(value, 'hostmask'),
  ipv6_ipv4_mapped: byAddress((read) => ipv4Mapped(read) !== undefined),
  ipv6_sixtofour: byAddress(addressClass.isSixToFour),
  ipv6_teredo: byAddress(addressClass.isTeredo),
  loopback: byAddress(addressClass.isLoopback),
  multicast: byAddress(addressClass.isMulticast),
  private: byAddress(addressClass.isPrivate),
  public: byAddress(addressClass.isGlobal),
  reserved: byAddress(addressClass.isReserved),
  unspecified: byAddress(addressClass.isUnspecified),
  resolvable: (value) => resolvable(pyStr(value)),
  // re.match of IEEE EUI-48 (any mix of : and -), Cisco's triple hextet, or 12 bare digits; `$` may precede a final newline.
  mac: (value) => {
    if (typeof value !== 'string') throw new JinjaRenderError('expected string or bytes-like object', 'the mac test takes text');
    return /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}(?=\n?$)|^([0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4})(?=\n?$)|^[0-9a-f]{12}(?=\n?$)/i.test(value);
  },
};

/**
 * ansible.utils' resolvable (plugins/test/resolvable.py): an address resolves when
 * socket.gethostbyaddr finds a name for it, a name when socket.getaddrinfo(host, None) answers —
 * the controller's resolver (/etc/hosts, then DNS). A test renders synchronously and Node's
 * resolver is asynchronous only, so beastie asks the C library's resolver through getent(1), in a
 * child process that blocks rendering until it answers (10 s at most, then not resolvable):
 * `getent ahosts NAME` is getaddrinfo (glibc; FreeBSD's getent has only `hosts`, which is
 * gethostbyname), `getent hosts ADDRESS` is gethostbyaddr. Exit status 0 means resolved.
 */
function resolvable(host: string): boolean {
  const run = (args: string[]): number | null => {
    const child = spawnSync('getent', args, { stdio: 'ignore', timeout: 10_000 });
    // Without getent (macOS has none) every answer would read "not resolvable": say so instead.
    if ((child.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new JinjaRenderError('the ansible.utils.resolvable test needs getent(1) on the controller, and there is none on its PATH', 'run beastie where getent is installed (Linux, FreeBSD), or test the name on a host: command: getent hosts NAME');
    }
    return child.status;
  };
  // No host name starts with '-' (RFC 1123 2.1), and getent would take one for an option.
  if (host === '' || host.includes('\0') || host.startsWith('-')) return false;
  if (pyAddress(host) !== undefined) return run(['hosts', host]) === 0;
  const status = run(['ahosts', host]);
  // 1: getent does not know the `ahosts` database (FreeBSD); 2: not found.
  return status === 0 || (status === 1 && run(['hosts', host]) === 0);
}

/** The tests by the names Ansible 2.14 finds them by. */
export const ipTests: Readonly<Record<string, TestFn>> = Object.fromEntries(Object.entries(tests).map(([name, fn]) => [`ansible.utils.${name}`, fn]));
