// The simulated machine kinds (issue 4, "Profiles") and their profile.env files, which become each
// host's /var/sim/profile (sim/CONTRACT.md).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimError } from './sim-error.js';

/** Every profile a host can have. */
export const PROFILE_NAMES = ['seed', 'current', 'novtx', 'bare', 'seedzfs', 'currentzfs', 'r13', 'r15'] as const;

/** One simulated machine kind. */
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** The keys every profile.env must set (sim/CONTRACT.md, `/var/sim/profile`). */
export const PROFILE_KEYS = [
  'SIM_PROFILE',
  'SIM_FREEBSD_VERSION',
  'SIM_BASTILLE_VERSION',
  'SIM_VMBHYVE_VERSION',
  'SIM_CPU_VTX',
] as const;

/** Narrow a string to a profile name. */
export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

/** Where a profile's files live in the repository: `profile.env` and the `root/` layer. */
export function profileDir(simRoot: string, profile: ProfileName): string {
  return join(simRoot, 'profiles', profile);
}

/** A profile.env's `KEY=value` pairs, in file order; comments and blank lines are skipped. */
export function parseProfileEnv(text: string, file: string): Map<string, string> {
  const values = new Map<string, string>();
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^([A-Z_][A-Z0-9_]*)=([A-Za-z0-9._:/-]*)$/.exec(trimmed);
    if (!match?.[1] || match[2] === undefined) {
      throw new SimError(`${file}:${index + 1}:1: expected KEY=value with a plain value, got ${JSON.stringify(line)}`);
    }
    values.set(match[1], match[2]);
  });
  return values;
}

/** Read and check a profile's profile.env: every key of {@link PROFILE_KEYS} set, SIM_PROFILE matching. */
export async function loadProfileEnv(simRoot: string, profile: ProfileName): Promise<Map<string, string>> {
  const file = join(profileDir(simRoot, profile), 'profile.env');
  const values = parseProfileEnv(await readFile(file, 'utf8'), file);
  for (const key of PROFILE_KEYS) {
    if (!values.has(key)) throw new SimError(`${file}: ${key} is not set`);
  }
  if (values.get('SIM_PROFILE') !== profile) throw new SimError(`${file}: SIM_PROFILE is not ${profile}`);
  return values;
}

/** The text of a host's /var/sim/profile: the profile's values plus the host's name, sh-sourceable. */
export function renderHostProfile(values: ReadonlyMap<string, string>, hostname: string): string {
  const lines = [...values].map(([key, value]) => `${key}=${value}`);
  lines.push(`SIM_HOSTNAME=${hostname}`);
  return `${lines.join('\n')}\n`;
}
