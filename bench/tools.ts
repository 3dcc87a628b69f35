// The three things the benchmark times on the same hosts: beastie, Ansible, and the plain
// OpenSSH floor; each as a command line for the first N hosts of the fleet.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT, type BenchFleet } from './bench-fleet.js';
import { FLOOR_COMMANDS } from './floor-commands.js';

/**
 * What is being timed: beastie; Ansible with pipelining + ControlPersist; the same with Mitogen's
 * strategy (Debian's ansible-mitogen, the fastest Ansible a user can pick); the OpenSSH floor (one
 * command per task per host over a ControlMaster); and the physical floor of a no-change re-run:
 * one ssh2 connection and ONE exec per host (bench/one-exec-floor.mjs).
 */
export type ToolName = 'beastie' | 'ansible' | 'mitogen' | 'floor' | 'exec1';

/** Where Debian's ansible-mitogen keeps its strategy plugins (testbed-notes). */
export const MITOGEN_STRATEGY_DIR = '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy';

/** The key exchange every tool uses: what beastie's ssh2 picks first, and 60–70 ms cheaper per connection here than OpenSSH 9.2's default sntrup761 (testbed-notes). */
export const KEX = 'curve25519-sha256';

/**
 * beastie's --connect-timeout: ssh2's ready timeout covers key exchange and authentication, and
 * with hundreds of handshakes at once on 2 cores they queue for CPU well past the 10 s default
 * (500 hosts: every host "unreachable" after 10 s). OpenSSH's ConnectTimeout covers only TCP and
 * the banner, so Ansible and the floor do not hit this.
 */
export const BEASTIE_CONNECT_TIMEOUT_S = 120;

/** Where the workloads live (tools run from here so `files/` resolves alike for both). */
export const WORKLOADS_DIR = join(PROJECT_ROOT, 'bench', 'workloads');

/** A tool's command line for one run. */
export interface ToolCommand {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** What the command builders need. */
export interface ToolContext {
  readonly fleet: BenchFleet;
  /** Scratch directory of this benchmark run. */
  readonly workDir: string;
  /** beastie's built CLI entry (the bundle; tsc's output for the profile), or undefined to run bin/beastie.js. */
  readonly beastieEntry: string | undefined;
  /** Extra node flags for beastie (the profile run adds --cpu-prof). */
  readonly nodeFlags?: readonly string[];
}

/** Ansible's fastest honest settings (issue 6): pipelining, ControlMaster + ControlPersist, no facts, Python pinned; with Mitogen's strategy when asked. */
export function ansibleConfig(workDir: string, mitogen = false): string {
  return [
    '[defaults]',
    ...(mitogen ? [`strategy_plugins = ${MITOGEN_STRATEGY_DIR}`, 'strategy = mitogen_linear'] : []),
    'interpreter_python = /usr/bin/python3',
    'gathering = explicit',
    'host_key_checking = True',
    'retry_files_enabled = False',
    // SSH connection timeout: Mitogen's hosts went unreachable at 30 s with the machine's load at 30 (its interpreter start-up counts).
    'timeout = 120',
    '',
    '[ssh_connection]',
    'pipelining = True',
    `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o KexAlgorithms=${KEX}`,
    `control_path_dir = ${join(workDir, 'cp')}`,
    '',
  ].join('\n');
}

/** The environment every tool starts with: a plain PATH, HOME, C locale. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: process.env['HOME'] ?? '/root', LC_ALL: 'C.UTF-8', ...extra };
}

/** The command that runs `playbook` (second run or first run alike) with `tool` on the first `hosts` hosts. */
export async function toolCommand(tool: ToolName, hosts: number, context: ToolContext): Promise<ToolCommand> {
  const inventory = await context.fleet.inventory(hosts);
  switch (tool) {
    case 'beastie':
      return {
        argv: [process.execPath, ...(context.nodeFlags ?? []), context.beastieEntry ?? join(PROJECT_ROOT, 'bin', 'beastie.js'), 'play', 'w1.beastie.yml', '-i', inventory, '--forks', String(hosts), '--connect-timeout', String(BEASTIE_CONNECT_TIMEOUT_S)],
        cwd: WORKLOADS_DIR,
        env: baseEnv(),
      };
    case 'ansible':
    case 'mitogen': {
      const config = join(context.workDir, `${tool}.cfg`);
      await writeFile(config, ansibleConfig(context.workDir, tool === 'mitogen'));
      return {
        argv: ['ansible-playbook', '-i', inventory, '--forks', String(hosts), 'w1.ansible.yml'],
        cwd: WORKLOADS_DIR,
        env: baseEnv({ ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(context.workDir, 'ansible-tmp') }),
      };
    }
    case 'floor':
    case 'exec1': {
      const hostsFile = join(context.workDir, `floor-hosts-${hosts}`);
      const commandsFile = join(context.workDir, 'floor-commands');
      await writeFile(hostsFile, context.fleet.hosts.slice(0, hosts).map((h) => `${h.address} ${h.port}\n`).join(''));
      await writeFile(commandsFile, FLOOR_COMMANDS.map((c) => `${c}\n`).join(''));
      if (tool === 'exec1') {
        return {
          argv: [process.execPath, join(PROJECT_ROOT, 'bench', 'one-exec-floor.mjs'), hostsFile, commandsFile, context.fleet.clientKey, context.fleet.knownHosts, KEX],
          cwd: PROJECT_ROOT,
          env: baseEnv(),
        };
      }
      return {
        argv: ['/bin/sh', join(PROJECT_ROOT, 'bench', 'floor.sh'), hostsFile, commandsFile, context.fleet.clientKey, context.fleet.knownHosts, join(context.workDir, 'fcp'), KEX],
        cwd: context.workDir,
        env: baseEnv(),
      };
    }
  }
}
