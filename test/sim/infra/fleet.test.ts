// End to end: a small fleet of two profiles driven with the plain OpenSSH client, through
// reboots, a hanging boot, a power-cycle and `down`.
import { access, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fleetStatus } from '../../../sim/infra/status.js';
import { powerCycleHost } from '../../../sim/infra/power-cycle.js';
import { mountNamespaceOf, processesByMountNamespace } from '../../../sim/infra/namespace-processes.js';
import { readHolderRecord } from '../../../sim/infra/holder.js';
import { downFleet } from '../../../sim/infra/down.js';
import { runProcess } from '../../../sim/infra/run-process.js';
import { startFleet, type TestFleet } from '../../helpers/fleet.js';
import { waitFor } from '../../helpers/wait-for.js';

const FAKE_BOOT = join(import.meta.dirname, 'fixtures', 'fake-boot.sh');
const DOWN_SECONDS = 1;

/** Every live process's command line, read from /proc (procps may not be installed). */
async function commandLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline) lines.push(cmdline.replace(/\0$/, '').split('\0').join(' '));
  }
  return lines;
}

/** Poll `ssh host true` until it answers; returns when it did. */
async function waitUntilReachable(fleet: TestFleet, host: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(`${host} to come back`, async () => (await fleet.ssh(host, 'true')).exitCode === 0, { timeoutMs, intervalMs: 100 });
}

describe('simulated fleet (3 hosts, seed and current)', () => {
  let fleet: TestFleet;
  let downDone = false;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 3, profile: 'seed:2,current:1', rebootDownSeconds: DOWN_SECONDS, bootScript: FAKE_BOOT });
  });
  afterAll(async () => {
    if (!downDone) await fleet.down();
  });

  it('writes an Ansible inventory and known_hosts with every host’s own key', async () => {
    const inventory = parse(await readFile(fleet.inventory, 'utf8')) as {
      all: { children: { sim: { hosts: Record<string, Record<string, unknown>> } } };
    };
    const hosts = inventory.all.children.sim.hosts;
    expect(Object.keys(hosts)).toEqual(['sim01', 'sim02', 'sim03']);
    const knownHosts = await readFile(join(fleet.dir, 'ssh', 'known_hosts'), 'utf8');
    for (const plan of fleet.hosts) {
      expect(hosts[plan.name]).toMatchObject({
        ansible_host: plan.address,
        ansible_port: 2222,
        ansible_user: 'root',
        ansible_ssh_private_key_file: join(fleet.dir, 'ssh', 'id_ed25519'),
        ansible_ssh_common_args: `-o UserKnownHostsFile=${join(fleet.dir, 'ssh', 'known_hosts')}`,
        ansible_python_interpreter: '/usr/bin/python3',
      });
      const hostKey = (await readFile(join(fleet.dir, 'hosts', plan.name, 'ssh_host_ed25519_key.pub'), 'utf8')).split(' ');
      expect(knownHosts).toContain(`[${plan.address}]:2222 ${hostKey[0]} ${hostKey[1]}`);
    }
    expect(new Set(fleet.hosts.map((h) => h.address)).size).toBe(3);
  });

  it('runs commands on each host, which sees its own hostname, profile and PATH', async () => {
    for (const plan of fleet.hosts) {
      const result = await fleet.ssh(plan, 'hostname; . /var/sim/profile; echo "$SIM_PROFILE $SIM_HOSTNAME"; /bin/sh -c \'echo "$PATH"\'');
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      const [hostname, profile, path] = result.stdout.trim().split('\n');
      expect(hostname).toBe(plan.name);
      expect(profile).toBe(`${plan.profile} ${plan.name}`);
      expect(path?.split(':')[0]).toBe('/usr/local/freebsd/bin');
    }
  });

  it('puts the project’s fake tools first on PATH, read-only', async () => {
    const toolsRoot = join(import.meta.dirname, '..', '..', '..', 'sim', 'tools');
    const expected = new Set<string>();
    for (const dir of ['host/bin', 'jail/bin']) {
      for (const name of await readdir(join(toolsRoot, dir)).catch(() => [] as string[])) expected.add(name);
    }
    const listing = await fleet.ssh('sim01', 'ls /usr/local/freebsd/bin; touch /usr/local/freebsd/bin/x 2>&1 || echo read-only');
    const lines = listing.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/Read-only file system|read-only/);
    expect(new Set(lines.slice(0, -2).filter(Boolean))).toEqual(expected);
    const first = [...expected].sort()[0];
    if (first !== undefined) {
      // Both the login shell sshd runs and a plain /bin/sh find the fake first.
      const found = await fleet.ssh('sim01', `command -v ${first}; /bin/sh -c 'command -v ${first}'`);
      expect(found.stdout).toBe(`/usr/local/freebsd/bin/${first}\n/usr/local/freebsd/bin/${first}\n`);
    }
  });

  it('gives each host its own /etc, leaving the machine’s /etc untouched', async () => {
    const marker = `beastie-infra-test-${process.pid}`;
    expect((await fleet.ssh('sim01', `echo sim01 > /etc/${marker} && cat /etc/${marker}`)).stdout).toBe('sim01\n');
    expect((await fleet.ssh('sim02', `test -e /etc/${marker} && echo present || echo absent`)).stdout).toBe('absent\n');
    await expect(stat(`/etc/${marker}`)).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(fleet.dir, 'hosts', 'sim01', 'upper', 'etc', marker), 'utf8')).toBe('sim01\n');
  });

  it('serves SFTP inside the host’s own view', async () => {
    const batch = 'put /etc/hostname /root/from-sftp\nget /var/sim/profile -\n';
    const sftp = await runProcess([
      '/bin/sh',
      '-c',
      `printf '%s' "$1" | sftp -b - -i "$2" -o UserKnownHostsFile="$3" -o StrictHostKeyChecking=yes -P 2222 root@"$4" >/dev/null && echo ok`,
      'sh',
      batch.replace('-\n', `${fleet.dir}/got-profile\n`),
      join(fleet.dir, 'ssh', 'id_ed25519'),
      join(fleet.dir, 'ssh', 'known_hosts'),
      fleet.hosts[2]?.address ?? '',
    ]);
    expect(sftp.stderr).toBe('');
    expect(sftp.stdout).toBe('ok\n');
    expect(await readFile(join(fleet.dir, 'got-profile'), 'utf8')).toContain('SIM_HOSTNAME=sim03');
    expect((await fleet.ssh('sim03', 'cat /root/from-sftp')).stdout).toBe(await readFile('/etc/hostname', 'utf8'));
  });

  it('reboots on request: connections drop, the host stays down, then boots and keeps its files', async () => {
    await fleet.ssh('sim01', 'echo kept > /etc/rc.conf.local-test');
    // A process in a mount namespace of its own (as a jail might make) must not outlive the reboot.
    const escaped = await fleet.ssh('sim01', 'unshare --mount --fork sleep 300 </dev/null >/dev/null 2>&1 & echo $!');
    const escapedPid = Number(escaped.stdout.trim());
    expect(escapedPid).toBeGreaterThan(1);
    const session = fleet.ssh('sim01', 'touch /root/session-started; sleep 30; echo survived', 40_000);
    const started = await fleet.hostPath('sim01', '/root/session-started');
    await waitFor('the session on sim01 to start', () => access(started).then(() => true, () => false));
    const requested = Date.now();
    await fleet.ssh('sim01', 'touch /var/sim/reboot-request');
    const dropped = await session;
    expect(dropped.exitCode).toBe(255);
    expect(dropped.stdout).toBe('');
    expect((await fleet.ssh('sim01', 'true')).exitCode).toBe(255);
    await waitUntilReachable(fleet, 'sim01');
    expect(Date.now() - requested).toBeGreaterThanOrEqual(DOWN_SECONDS * 1000);
    const after = await fleet.ssh('sim01', 'cat /etc/rc.conf.local-test; test -e /var/sim/reboot-request || echo request-gone; wc -l < /var/sim/state/infra-test-boots; hostname');
    expect(after.stdout).toBe('kept\nrequest-gone\n2\nsim01\n');
    expect((await commandLines()).filter((line) => line === 'sleep 300')).toEqual([]);
    expect((await fleetStatus(fleet.dir)).hosts[0]?.state).toBe('up');
  });

  it('lets a test write a host’s files from Linux through hostPath, even after the host looked for them', async () => {
    expect((await fleet.ssh('sim03', 'cat /var/sim/control/from-linux 2>&1')).stdout).toContain('No such file');
    await writeFile(await fleet.hostPath('sim03', '/var/sim/control/from-linux'), 'hook\n');
    expect((await fleet.ssh('sim03', 'cat /var/sim/control/from-linux')).stdout).toBe('hook\n');
    // It went through overlayfs into sim03's own upper dir, and nowhere else.
    expect(await readFile(join(fleet.dir, 'hosts', 'sim03', 'upper', 'var', 'sim', 'control', 'from-linux'), 'utf8')).toBe('hook\n');
    expect((await fleet.ssh('sim02', 'test -e /var/sim/control/from-linux || echo absent')).stdout).toBe('absent\n');
  });

  it('keeps a host whose boot hangs down until it is power-cycled', async () => {
    // The hook is written from Linux, as tests of the boot script do.
    await writeFile(await fleet.hostPath('sim02', '/var/sim/control/infra-test-hang-once'), '');
    const requested = Date.now();
    await fleet.ssh('sim02', 'touch /var/sim/reboot-request');
    await waitFor('sim02 to report hanging', async () => (await fleetStatus(fleet.dir)).hosts[1]?.state === 'hanging', { timeoutMs: 15_000, intervalMs: 100 });
    // The supervisor records 'hanging' once the boot script has run, after the down time and
    // in place of starting sshd, and logs it when the cycle is over: from then on nothing
    // starts sim02's sshd but a power-cycle.
    await waitFor("the supervisor to end sim02's cycle", async () => (await readFile(join(fleet.dir, 'supervisor.log'), 'utf8')).includes('sim02: hanging'));
    expect(Date.now() - requested).toBeGreaterThanOrEqual(DOWN_SECONDS * 1000);
    expect((await fleet.ssh('sim02', 'true')).exitCode).toBe(255);
    expect((await fleetStatus(fleet.dir)).hosts[1]?.state).toBe('hanging');

    const cycled = await powerCycleHost(fleet.dir, 'sim2');
    expect(cycled.host).toBe('sim02');
    expect(cycled.state.state).toBe('up');
    expect((await fleet.ssh('sim02', 'wc -l < /var/sim/state/infra-test-boots')).stdout).toBe('3\n');
  });

  it('notices an sshd killed from outside the fleet, and power-cycle brings the host back', async () => {
    const pid = Number((await readFile(join(fleet.dir, 'hosts', 'sim03', 'run', 'sshd.pid'), 'utf8')).trim());
    process.kill(pid, 'SIGKILL');
    await waitFor('sim03 to be reported down outside a reboot', async () => (await fleetStatus(fleet.dir)).hosts[2]?.detail?.includes('outside a reboot'), {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    expect(await readFile(join(fleet.dir, 'supervisor.log'), 'utf8')).toContain(`sim03: sshd (pid ${pid}) died outside a reboot`);
    expect((await powerCycleHost(fleet.dir, 'sim03')).state.state).toBe('up');
    expect((await fleet.ssh('sim03', 'hostname')).stdout).toBe('sim03\n');
  });

  it('down stops every process and leaves no mount behind', async () => {
    const namespaces = new Set<string>();
    for (const plan of fleet.hosts) {
      const holder = await readHolderRecord(join(fleet.dir, 'hosts', plan.name, 'holder.json'));
      if (holder) namespaces.add(holder.mountNamespace);
    }
    expect(namespaces.size).toBe(3);
    const holder = await readHolderRecord(join(fleet.dir, 'hosts', 'sim01', 'holder.json'));
    expect(await readFile(`/proc/${holder?.pid ?? 0}/mountinfo`, 'utf8')).toContain(`upperdir=${fleet.dir}/hosts/sim01/upper/etc`);
    const session = fleet.ssh('sim03', 'sleep 60', 70_000);
    const sim03 = (await readHolderRecord(join(fleet.dir, 'hosts', 'sim03', 'holder.json')))?.mountNamespace;
    const hostProcesses = await waitFor("sim03's session to run its sleep", async () => {
      const processes = [...processesByMountNamespace()]
        .filter(([namespace]) => namespaces.has(namespace))
        .flatMap(([namespace, pids]) => pids.map((pid) => ({ pid, namespace })));
      const lines = await Promise.all(
        processes.map(async ({ pid, namespace }) => ({ namespace, cmdline: await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') })),
      );
      return lines.some(({ namespace, cmdline }) => namespace === sim03 && cmdline.split('\0').join(' ').trim() === 'sleep 60') && processes;
    });
    // Holders, sshds and sim03's session (sshd's session processes and the shell).
    expect(hostProcesses.length).toBeGreaterThanOrEqual(8);
    await downFleet(fleet.dir);
    expect((await session).exitCode).toBe(255);
    // By pid: a dead namespace's number may already belong to a namespace another test just made.
    expect(hostProcesses.filter(({ pid, namespace }) => mountNamespaceOf(pid) === namespace)).toEqual([]);
    // No mount of this fleet is left in any namespace on the machine (DIR names every one of them).
    const withFleetMounts: string[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const mountinfo = await readFile(`/proc/${entry}/mountinfo`, 'utf8').catch(() => '');
      if (mountinfo.includes(fleet.dir)) withFleetMounts.push(entry);
    }
    expect(withFleetMounts).toEqual([]);
    expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain('beastie-sim');
    const status = await fleetStatus(fleet.dir);
    expect(status.supervisor).toBe('stopped');
    expect(status.hosts.map((h) => h.state)).toEqual(['down', 'down', 'down']);
    expect((await commandLines()).filter((line) => line.includes(fleet.dir))).toEqual([]);
    const record = JSON.parse(await readFile(join(fleet.dir, 'fleet.json'), 'utf8')) as { cgroup?: string };
    expect(record.cgroup).toMatch(/beastie-sim\/fleet\d+$/);
    await expect(stat(record.cgroup ?? '')).rejects.toThrow(/ENOENT/);
    await fleet.down();
    downDone = true;
  });
});
