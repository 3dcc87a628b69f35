// ansible.utils.usable_range (plugins/filter/usable_range.py of ansible.utils 2.x): every address
// of a network given in CIDR form, on Python's ipaddress (python-ipaddress.ts: strict, an IPv4
// netmask or hostmask prefix), with their count. Only under its ansible.utils name, as Ansible 2.14
// finds it (the collection added it after ansible-core's routing table was written).
import { JinjaRenderError } from '../errors.js';
import { pyNetwork } from '../python-ipaddress.js';
import type { Filter } from '../registry.js';
import { typeName, Undefined } from '../values.js';
import { ipv4Text, ipv6Text, widthOf } from '../../net/ip-address.js';

/**
 * Python builds the whole list; beastie refuses past a million addresses (a /12 of IPv4, a /108
 * of IPv6), where Ansible would spend minutes and gigabytes on it.
 */
const MAX_ADDRESSES = 1n << 20n;

function failure(message: string): never {
  throw new JinjaRenderError(`Error while using plugin 'usable_range': ${message}`);
}

function usableRange(value: unknown): unknown {
  if (value instanceof Undefined) value.fail();
  // six.ensure_text: anything but text is refused before ipaddress reads it.
  if (typeof value !== 'string') return failure(`not expecting type '<class '${typeName(value)}'>'`);
  const net = pyNetwork(value);
  if (net === undefined) return failure(`'${value}' does not appear to be an IPv4 or IPv6 network (or has host bits set)`);
  const size = 1n << BigInt(widthOf(net.version) - net.prefixlen);
  if (size > MAX_ADDRESSES) return failure(`${value} has ${size} addresses; beastie lists at most ${MAX_ADDRESSES}`);
  const text = (ip: bigint): string => (net.version === 4 ? ipv4Text(ip) : ipv6Text(ip, false));
  const ips = Array.from({ length: Number(size) }, (_, i) => text(net.network + BigInt(i)));
  return { usable_ips: ips, number_of_ips: Number(size) };
}

export const usableRangeFilters: Readonly<Record<string, Filter>> = {
  'ansible.utils.usable_range': {
    fn: (value, call) => {
      // The plugin's function takes the input alone.
      const given = call.args.length + Object.keys(call.kwargs).length;
      if (given > 0) throw new JinjaRenderError(`_usable_range() takes 1 positional argument but ${given + 1} were given`);
      return usableRange(value);
    },
  },
};
