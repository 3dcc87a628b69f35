// connection / remote_user / port over SSH on a simulated host, through the command line: the
// inventory names no user and no port, so the play's `port:` keyword is the port, `-u root` the
// user, a task's (or its block's) `remote_user:` logs in as another user, and a task's
// `connection: local` runs on the controller (Linux, where the simulated host's uname says FreeBSD).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fleetPaths } from '../../sim/infra/fleet-layout.js';
import { recapOf, runBeastie, taskResults } from '../helpers/beastie-cli.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';

let fleet: TestFleet;
let work: string;

const playbook = (port: number) => `- hosts: all
  gather_facts: false
  port: ${port}
  tasks:
    - name: a login for deploy
      ansible.builtin.user:
        name: deploy
    - name: that the controller's key opens
      ansible.posix.authorized_key:
        user: deploy
        key: "{{ lookup('file', client_public_key) }}"
    - name: as the command line's user
      ansible.builtin.command: id -un
      register: as_cli
    - name: as deploy
      ansible.builtin.command: id -un
      remote_user: deploy
      register: as_deploy
    - block:
        - name: as the block's user
          ansible.builtin.command: id -un
          register: in_block
      remote_user: deploy
    - name: on the controller
      ansible.builtin.command: uname -s
      connection: local
      register: here
    - name: on the host
      ansible.builtin.command: uname -s
      register: there
    - name: each ran where and as its keywords say
      ansible.builtin.assert:
        that:
          - as_cli.stdout == 'root'
          - as_deploy.stdout == 'deploy'
          - in_block.stdout == 'deploy'
          - here.stdout == 'Linux'
          - there.stdout == 'FreeBSD'
`;

beforeAll(async () => {
  fleet = await startFleet({ hosts: 1, profile: 'current' });
  work = await mkdtemp(join(tmpdir(), 'beastie-connection-keywords-'));
  const paths = fleetPaths(fleet.dir);
  const host = fleet.hosts[0];
  if (host === undefined) throw new Error('no host in the fleet');
  // No ansible_user, no ansible_port: the keywords and -u decide them.
  const inventory = {
    all: {
      hosts: {
        [host.name]: {
          ansible_host: host.address,
          ansible_ssh_private_key_file: paths.clientKey,
          ansible_ssh_common_args: `-o UserKnownHostsFile=${paths.knownHosts}`,
        },
      },
    },
  };
  await writeFile(join(work, 'hosts.yml'), stringify(inventory));
  await writeFile(join(work, 'play.yml'), playbook(host.port));
}, 180_000);

afterAll(async () => {
  await fleet?.down();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('connection keywords over ssh', () => {
  it('remote_user logs in as its user, connection: local runs on the controller, port: is the port', async () => {
    const run = await runBeastie(['play', join(work, 'play.yml'), '-i', join(work, 'hosts.yml'), '-u', 'root', '-e', `client_public_key=${fleetPaths(fleet.dir).clientPublicKey}`, '--json'], { timeoutMs: 240_000 });
    expect(run.exitCode, `${run.stderr}\n${run.stdout.slice(-3000)}`).toBe(0);
    const name = fleet.hosts[0]?.name ?? '';
    const stdout = (task: string) => taskResults(run, name).find((e) => e['task'] === task);
    expect(stdout('as deploy')).toMatchObject({ status: 'changed' });
    expect(recapOf(run)[name]).toMatchObject({ failed: 0, unreachable: 0 });
    // The assert passed, so each value was as written there; the host did not run the local one.
    expect(taskResults(run, name).find((e) => e['task'] === 'each ran where and as its keywords say')).toMatchObject({ status: 'ok' });
  }, 300_000);
});
