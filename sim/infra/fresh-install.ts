// What a freshly installed FreeBSD host has that the profile layers cannot hold because it names
// the host: /etc/rc.conf and /boot/loader.conf as bsdinstall assembles them (docs/freebsd/host.md,
// "Fresh installs": the rc.conf.hostname, rc.conf.net, rc.conf.services and rc.conf.zfs pieces in
// glob order; loader.conf.zfs and config's zfs_load line), and sudo's view of PATH.

/** How the host's root file system was installed (profile.env `SIM_ROOT_FS`, default ufs). */
export type RootFs = 'ufs' | 'zfs';

/** The profile's root file system; anything but `zfs` is the installer's UFS default. */
export function rootFsOf(profileValues: ReadonlyMap<string, string>): RootFs {
  return profileValues.get('SIM_ROOT_FS') === 'zfs' ? 'zfs' : 'ufs';
}

/** The network interface the installer configured: the seed machine's onboard em0. */
const INSTALL_INTERFACE = 'em0';

/** /etc/rc.conf of a host installed with the installer's default answers (DHCP, sshd, crash dumps). */
export function renderInstalledRcConf(hostname: string, rootFs: RootFs): string {
  const lines = [
    `hostname="${hostname}"`,
    `ifconfig_${INSTALL_INTERFACE}="DHCP"`,
    'sshd_enable="YES"',
    '# Set dumpdev to "AUTO" to enable crash dumps, "NO" to disable',
    'dumpdev="AUTO"',
  ];
  if (rootFs === 'zfs') lines.push('zfs_enable="YES"');
  return `${lines.join('\n')}\n`;
}

/**
 * /boot/loader.conf of that install. On UFS it is empty but there: config appends the (absent)
 * loader.conf.* pieces with `>>`, which creates the file whatever cat finds, and hardening always
 * leaves an empty piece of its own.
 */
export function renderInstalledLoaderConf(rootFs: RootFs): string {
  if (rootFs === 'ufs') return '';
  return ['kern.geom.label.disk_ident.enable="0"', 'kern.geom.label.gptid.enable="0"', 'zfs_load="YES"', ''].join('\n');
}

/**
 * A sudoers drop-in. FreeBSD's sudo ships with secure_path commented out, so a command run with
 * sudo is looked up in the caller's PATH, where the simulator's tools come first; Debian's
 * sudoers sets a secure_path without them, which would hide every FreeBSD tool from `become`.
 */
export const SUDOERS_DROP_IN = [
  "# Written by beastie's simulator: as on FreeBSD, sudo keeps the caller's PATH (no secure_path),",
  '# so the simulated FreeBSD tools are found under sudo too.',
  'Defaults !secure_path',
  '',
].join('\n');

/**
 * A directory in the host's own /var/run that tells sim-boot it may run cleanvar there: /var/run
 * is the host's (a bind mount), not the machine's. Directories survive cleanvar.
 */
export const OWN_RUN_MARKER = '.sim-host-run';
