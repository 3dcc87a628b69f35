// The ansible-core release whose command line, ansible.cfg, playbook language and variables
// beastie follows: printed by --version, and the `ansible_version` variable playbooks compare.

/** The ansible-core release beastie follows. */
export const ANSIBLE_VERSION_FOLLOWED = '2.14';

/**
 * `ansible_version` as Ansible builds it (CLI.version_info): the version split at dots, numbers
 * as integers, padded to major.minor.revision with zeros.
 */
export function ansibleVersionVar(version: string = ANSIBLE_VERSION_FOLLOWED): Readonly<Record<string, string | number>> {
  const parts: (string | number)[] = version.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  while (parts.length < 3) parts.push(0);
  return { string: version, full: version, major: parts[0] ?? 0, minor: parts[1] ?? 0, revision: parts[2] ?? 0 };
}
