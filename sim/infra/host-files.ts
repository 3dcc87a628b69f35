// A host's files on the Linux side, made before its holder starts: upper/work dirs of the
// overlaid directories, its /root and /run, /var/sim/profile, host key and sshd_config.
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateEd25519KeyPair } from './ed25519-key.js';
import { OWN_RUN_MARKER, renderInstalledLoaderConf, renderInstalledRcConf, rootFsOf, SUDOERS_DROP_IN } from './fresh-install.js';
import { OVERLAID_DIRS, TOOLS_MOUNT, HOST_PATH, type HostPaths } from './fleet-layout.js';
import type { HostPlan } from './fleet-plan.js';
import { writeHostState } from './host-state.js';
import { renderHostProfile } from './profile.js';
import { renderSshdConfig } from './sshd-config.js';

/** Where Debian keeps the dotfiles a fresh home gets (root's real .bashrc is slow here). */
const SKELETON = '/etc/skel';

/**
 * Login shells read /etc/profile, which on Debian resets PATH for root; this snippet in the host's
 * /etc/profile.d puts the fake tools first again. Non-login sessions get PATH from sshd's SetEnv.
 */
export const LOGIN_PATH_SNIPPET = `# Written by beastie's simulator: the fake FreeBSD tools come first.\nPATH=${HOST_PATH}\nexport PATH\n`;

/** Create every file of a host and return its public host key line. */
export async function writeHostFiles(
  plan: HostPlan,
  paths: HostPaths,
  profileValues: ReadonlyMap<string, string>,
  authorizedKeys: string,
): Promise<string> {
  for (const dir of OVERLAID_DIRS) {
    await mkdir(paths.upper(dir.path), { recursive: true });
    await mkdir(paths.work(dir.path), { recursive: true });
  }
  // Mount point of the tools, and the contract's /var/sim files.
  await mkdir(join(paths.upper('/usr/local'), TOOLS_MOUNT.replace('/usr/local/', '')), { recursive: true });
  await mkdir(join(paths.upper('/var'), 'sim', 'control'), { recursive: true });
  await writeFile(join(paths.upper('/var'), 'sim', 'profile'), renderHostProfile(profileValues, plan.name));
  await mkdir(join(paths.upper('/etc'), 'profile.d'), { recursive: true });
  await writeFile(join(paths.upper('/etc'), 'profile.d', 'zz-sim-freebsd-path.sh'), LOGIN_PATH_SNIPPET);
  // A fresh install's own files (they name the host, so no profile layer can hold them).
  const rootFs = rootFsOf(profileValues);
  await writeFile(join(paths.upper('/etc'), 'rc.conf'), renderInstalledRcConf(plan.name, rootFs));
  await writeFile(join(paths.upper('/boot'), 'loader.conf'), renderInstalledLoaderConf(rootFs));
  await mkdir(join(paths.upper('/etc'), 'sudoers.d'), { recursive: true });
  await writeFile(join(paths.upper('/etc'), 'sudoers.d', 'zz-sim-freebsd-path'), SUDOERS_DROP_IN, { mode: 0o440 });

  await mkdir(paths.root, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(SKELETON, { withFileTypes: true })) {
    if (entry.isFile()) await copyFile(join(SKELETON, entry.name), join(paths.root, entry.name));
  }
  // sshd's privilege-separation directory, and /run/lock behind Debian's /var/lock.
  await mkdir(join(paths.run, 'sshd'), { recursive: true, mode: 0o755 });
  await mkdir(join(paths.run, 'lock'), { recursive: true });
  await mkdir(join(paths.run, OWN_RUN_MARKER), { recursive: true });
  if (rootFs === 'zfs') await mkdir(paths.zroot, { recursive: true });

  const key = generateEd25519KeyPair(`root@${plan.name}`);
  await writeFile(paths.hostKey, key.privateKey, { mode: 0o600 });
  await writeFile(paths.hostPublicKey, `${key.publicKey}\n`);
  await writeFile(
    paths.sshdConfig,
    renderSshdConfig({ address: plan.address, port: plan.port, hostKey: paths.hostKey, authorizedKeys }),
  );
  await writeHostState(paths.state, { state: 'down', since: new Date().toISOString(), boots: 0, detail: 'starting' });
  return key.publicKey;
}
