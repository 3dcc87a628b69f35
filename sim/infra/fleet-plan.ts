// Which hosts a fleet has: names, profiles and loopback addresses, computed from the command line
// before anything starts.
import { SimError } from './sim-error.js';
import { isProfileName, PROFILE_NAMES, type ProfileName } from './profile.js';

/** One host of the fleet as planned: `index` is K in simK, counting from 1. */
export interface HostPlan {
  readonly index: number;
  readonly name: string;
  readonly profile: ProfileName;
  readonly address: string;
  readonly port: number;
}

/** The port every simulated sshd listens on (each host has its own address). */
export const SSH_PORT = 2222;

/** Hosts per third octet: addresses x.y.z.1 … x.y.z.250, so no host ever gets .0 or .255. */
const HOSTS_PER_OCTET = 250;

/** How many fleets can run at once on one machine: one second octet of 127.0.0.0/8 each. */
export const FLEET_SLOTS = 250;

/** A count of hosts per profile, in the order given: `seed:150,current:40`. */
export type ProfileMix = readonly { readonly profile: ProfileName; readonly count: number }[];

/** Parse `--profile`: one name (every host) or `name:count,…`; `hosts` is `--hosts` when given. */
export function parseProfileMix(spec: string, hosts: number | undefined): ProfileMix {
  const parts = spec.split(',').map((part) => part.trim());
  const single = parts.length === 1 && !spec.includes(':');
  if (single) {
    const profile = parts[0] ?? '';
    if (!isProfileName(profile)) throw unknownProfile(profile);
    if (hosts === undefined) throw new SimError('--hosts N is required with a single --profile');
    return [{ profile, count: hosts }];
  }
  const mix = parts.map((part) => {
    const match = /^([a-z]+):(\d+)$/.exec(part);
    if (!match?.[1] || !match[2]) throw new SimError(`--profile: expected name:count, got ${JSON.stringify(part)}`);
    if (!isProfileName(match[1])) throw unknownProfile(match[1]);
    return { profile: match[1], count: Number(match[2]) };
  });
  const total = mix.reduce((sum, entry) => sum + entry.count, 0);
  if (hosts !== undefined && total !== hosts) {
    throw new SimError(`--profile ${spec} adds up to ${total} hosts but --hosts is ${hosts}`);
  }
  return mix;
}

function unknownProfile(name: string): SimError {
  return new SimError(`unknown profile ${JSON.stringify(name)}; known: ${PROFILE_NAMES.join(', ')}`);
}

/** `simK` with K zero-padded to at least two digits and to the width of the largest index. */
export function hostName(index: number, total: number): string {
  const width = Math.max(2, String(total).length);
  return `sim${String(index).padStart(width, '0')}`;
}

/** Host K's address in fleet slot S: 127.S.(1 + ⌊(K−1)/250⌋).(1 + (K−1) mod 250). */
export function hostAddress(slot: number, index: number): string {
  const third = 1 + Math.floor((index - 1) / HOSTS_PER_OCTET);
  const fourth = 1 + ((index - 1) % HOSTS_PER_OCTET);
  if (third > 254) throw new SimError(`host ${index} does not fit in one fleet slot`);
  return `127.${slot}.${third}.${fourth}`;
}

/** Every host of a fleet in slot `slot`, in the mix's order. */
export function planHosts(mix: ProfileMix, slot: number): HostPlan[] {
  if (!Number.isInteger(slot) || slot < 0 || slot >= FLEET_SLOTS) throw new SimError(`fleet slot ${slot} out of range`);
  const total = mix.reduce((sum, entry) => sum + entry.count, 0);
  if (total < 1) throw new SimError('a fleet needs at least one host');
  const profiles = mix.flatMap((entry) => Array.from({ length: entry.count }, () => entry.profile));
  return profiles.map((profile, i) => ({
    index: i + 1,
    name: hostName(i + 1, total),
    profile,
    address: hostAddress(slot, i + 1),
    port: SSH_PORT,
  }));
}
