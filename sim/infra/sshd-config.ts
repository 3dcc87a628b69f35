// The sshd_config of one simulated host. Paths are as seen inside the host's mount namespace;
// DIR is not overlaid there, so its files are at the same paths inside and out.
import { HOST_PATH } from './fleet-layout.js';

/** What differs between hosts' sshd configurations. */
export interface SshdConfigInput {
  readonly address: string;
  readonly port: number;
  readonly hostKey: string;
  readonly authorizedKeys: string;
}

/** The config text. `SetEnv PATH` puts the fake tools first for every session (PAM, which reads /etc/environment, is off). */
export function renderSshdConfig(input: SshdConfigInput): string {
  return [
    `ListenAddress ${input.address}:${input.port}`,
    `HostKey ${input.hostKey}`,
    // Inside the host /run is its own directory, so this is DIR/hosts/simK/run/sshd.pid outside.
    'PidFile /run/sshd.pid',
    // A user's own ~/.ssh/authorized_keys first, as FreeBSD's sshd (its default), then the
    // fleet's client key, which every host trusts for root.
    `AuthorizedKeysFile .ssh/authorized_keys ${input.authorizedKeys}`,
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'MaxStartups 200:30:400',
    'MaxSessions 10',
    'Subsystem sftp internal-sftp',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    `SetEnv PATH=${HOST_PATH}`,
    'LogLevel INFO',
    '',
  ].join('\n');
}
