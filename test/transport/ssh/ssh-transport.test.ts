// The ssh transport against real OpenSSH sshd processes on 127.0.2.x.
import { mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../../src/command/command.js';
import { InvalidInputError, UnreachableError } from '../../../src/errors.js';
import { TEMP_DIR_PREFIX } from '../../../src/transport/install-file.js';
import { createSshTransportFactory, type SshTransportFactoryOptions } from '../../../src/transport/ssh/ssh-transport-factory.js';
import type { ConnectionSettings } from '../../../src/transport/transport.js';
import { generateKey, startSshd, type Sshd } from '../../helpers/sshd.js';
import { waitFor } from '../../helpers/wait-for.js';

let work: string;
let home: string;
let clientKey: string;
let a: Sshd;
let b: Sshd;

/** A factory reading `home`'s ~/.ssh, no agent. */
function factory(options: Partial<SshTransportFactoryOptions> = {}) {
  // The machine's /etc/ssh/ssh_config (HashKnownHosts yes on Debian) is left out for stable results.
  return createSshTransportFactory({ acceptNewHostKeys: false, allowPassword: false, connectTimeoutMs: 5000, home, agentSocket: null, systemConfigPath: join(work, 'no-system-config'), ...options });
}

function settings(host: string, sshd: Sshd, extra: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return { host, connection: 'ssh', address: sshd.address, port: sshd.port, user: 'root', ...extra };
}

/** The pids of sshd's per-connection processes (killing one drops that connection). */
/** Every live process's command line, arguments joined by spaces. */
async function commandLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline) lines.push(cmdline.replace(/\0$/, '').split('\0').join(' '));
  }
  return lines;
}

async function connectionPids(sshd: Sshd): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === sshd.pid) pids.push(Number(entry));
  }
  return pids;
}

/** Processes whose working directory is `dir` (the install script runs inside its private directory). */
async function pidsWorkingIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if ((await readlink(`/proc/${entry}/cwd`).catch(() => '')) === dir) pids.push(Number(entry));
  }
  return pids;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'beastie-ssh-test-'));
  home = join(work, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  clientKey = join(home, '.ssh', 'id_ed25519');
  await generateKey(clientKey, 'ed25519');
  [a, b] = await Promise.all([
    startSshd({ clientKeyPath: clientKey, hostKeyTypes: ['ed25519', 'ecdsa'], logLevel: 'DEBUG' }),
    startSshd({ clientKeyPath: clientKey }),
  ]);
  await writeFile(join(home, '.ssh', 'known_hosts'), [...a.knownHostsLines, ...b.knownHostsLines].join('\n') + '\n');
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await rm(work, { recursive: true, force: true });
});

describe('ssh transport: commands', () => {
  it('runs many commands and files over one connection per host', async () => {
    const ssh = factory();
    const before = await a.acceptedLogins();
    const t = ssh.open(settings('a', a));
    const result = await t.run(sh`echo out; echo err >&2; echo $LC_ALL; exit 3`);
    expect(result).toMatchObject({ exitCode: 3, stdout: 'out\nC\n', stderr: 'err\n' });
    expect((await t.run(sh`cat`, { stdin: 'from stdin' })).stdout).toBe('from stdin');
    expect((await t.run({ text: 'printf "%s|" one\necho "two!"', display: 'two lines' })).stdout).toBe('one|two!\n');
    for (let i = 0; i < 30; i += 1) expect((await t.run(sh`echo ${i}`)).stdout).toBe(`${i}\n`);
    await t.put(join(work, 'one-conn'), 'x');
    expect((await t.get(join(work, 'one-conn')))?.toString()).toBe('x');
    expect(await a.acceptedLogins()).toBe(before + 1);
    await ssh.closeAll();
  });

  it('runs 40 concurrent commands within MaxSessions 10 without a failure', async () => {
    const ssh = factory();
    const t = ssh.open(settings('a', a));
    // The SFTP session is open throughout and takes one of the ten sessions.
    const file = join(work, 'concurrent-get');
    await t.put(file, 'shared');
    // Each command counts the commands running beside it (the server is this machine): how many
    // run at once is read from the commands themselves, not from the clock.
    const running = join(work, 'concurrent-running');
    await mkdir(running, { recursive: true });
    const [results, gets] = await Promise.all([
      Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.run(sh`mkdir ${running}/${String(i)}; ls ${running} | wc -l >&2; sleep 0.25; rmdir ${running}/${String(i)}; echo ${i}`),
        ),
      ),
      Promise.all(Array.from({ length: 5 }, () => t.get(file))),
    ]);
    expect(gets.map((g) => g?.toString())).toEqual(Array.from({ length: 5 }, () => 'shared'));
    console.log(`sshd refused ${(await a.log()).split('no more sessions').length - 1} channel opens (retried)`);
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 40 }, (_, i) => `${i}\n`));
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    // At most 10 at a time, and more than one at once: counted by the commands, not timed.
    const together = results.map((r) => Number(r.stderr.trim()));
    expect(Math.max(...together)).toBeGreaterThan(1);
    expect(Math.max(...together)).toBeLessThanOrEqual(10);
    await ssh.closeAll();
  });

  it('copes with a server whose MaxSessions is below ten', async () => {
    const small = await startSshd({ clientKeyPath: clientKey, maxSessions: 2 });
    try {
      const knownHosts = join(work, 'known_hosts_small');
      await writeFile(knownHosts, small.knownHostsLines.join('\n') + '\n');
      const ssh = factory();
      const t = ssh.open(settings('small', small, { sshArgs: `-o UserKnownHostsFile=${knownHosts}` }));
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t.run(sh`sleep 0.2; echo ${i}`)));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
      await ssh.closeAll();
    } finally {
      await small.stop();
    }
  });

  it('kills a command at its timeout and reports it', async () => {
    const ssh = factory();
    const t = ssh.open(settings('a', a));
    const result = await t.run(sh`sleep 10`, { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(3000);
    await ssh.closeAll();
  });

  it('close() kills the commands still running and their children (Ctrl-C after its grace)', async () => {
    const ssh = factory();
    const t = ssh.open(settings('a', a));
    const seconds = 7_000_000 + Math.floor(Math.random() * 1_000_000);
    const running = t.run({ text: `sleep ${seconds} & sleep ${seconds}; wait`, display: 'two sleeps' }).catch((error: unknown) => error);
    const sleeping = async () => (await commandLines()).filter((line) => line === `sleep ${seconds}`).length;
    await waitFor('both sleeps to run', async () => (await sleeping()) === 2);
    await ssh.closeAll();
    await running;
    await waitFor('both sleeps to be gone', async () => (await sleeping()) === 0, { timeoutMs: 10_000 });
  });

  it('runs a command far longer than sshd takes in one request (a 100 KiB patch inline, three times) on the same connection', async () => {
    const ssh = factory();
    const t = ssh.open(settings('a', a));
    // Lines with newlines and `!`: the csh-safe form of the command line is several times longer.
    const patch = '+\tif (priv == PRIV_IO) return (0); /* ! */\n'.repeat(2400);
    expect(patch.length).toBeGreaterThan(100 * 1024);
    const result = await t.run(sh`printf %s ${patch} | wc -c; printf %s ${patch} | grep -c PRIV_IO; printf %s ${patch} | tail -n 1`);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').map((line) => line.trim())).toEqual([String(Buffer.byteLength(patch)), '2400', '+\tif (priv == PRIV_IO) return (0); /* ! */', '']);
    expect(result.exitCode).toBe(0);
    // It ran as a marked shell like any other command, and the connection lives on.
    expect((await t.run(sh`echo still here`)).stdout).toBe('still here\n');
    const again = await t.run(sh`printf %s ${patch} >/dev/null; exit 3`);
    expect(again.exitCode).toBe(3);
    // A long command that also needs stdin cannot put both there: refused, saying why.
    await expect(t.run(sh`printf %s ${patch} >/dev/null; cat`, { stdin: 'x' })).rejects.toThrow(/cannot run a command of \d+ KiB that also reads stdin/);
    await ssh.closeAll();
  });

  it('reconnects after close() (what reboot relies on)', async () => {
    const ssh = factory();
    const before = await b.acceptedLogins();
    const t = ssh.open(settings('b', b));
    expect((await t.run(sh`echo 1`)).stdout).toBe('1\n');
    await t.close();
    expect((await t.run(sh`echo 2`)).stdout).toBe('2\n');
    expect(await b.acceptedLogins()).toBe(before + 2);
    await ssh.closeAll();
  });

  it('reports a connection dropped mid-command as connection-lost, then reconnects', async () => {
    const ssh = factory();
    const t = ssh.open(settings('b', b));
    await t.run(sh`true`);
    const running = t.run(sh`sleep 20`);
    await waitFor('the remote sleep to run', async () => (await commandLines()).includes('sleep 20'));
    for (const pid of await connectionPids(b)) process.kill(pid, 'SIGKILL');
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error).toMatchObject({ reason: 'connection-lost', host: 'b' });
    expect((await t.run(sh`echo back`)).stdout).toBe('back\n');
    await ssh.closeAll();
  });
});

describe('ssh transport: files', () => {
  it('puts atomically with mode, keeps an existing mode, and gets undefined for a missing file', async () => {
    const ssh = factory();
    const t = ssh.open(settings('a', a));
    const path = join(work, 'put-mode');
    await t.put(path, 'first\n', { mode: 0o600 });
    expect((await t.run(sh`stat -c %a ${path}`)).stdout).toBe('600\n');
    await t.put(path, 'second\n');
    expect((await t.run(sh`stat -c %a ${path}`)).stdout).toBe('600\n');
    expect(await readFile(path, 'utf8')).toBe('second\n');
    await t.put(path, 'third\n', { mode: 0o644, owner: 'nobody', group: 'nogroup' });
    expect((await t.run(sh`stat -c '%a %U %G' ${path}`)).stdout).toBe('644 nobody nogroup\n');
    expect(await t.get(join(work, 'no-such-file'))).toBeUndefined();
    expect((await readdir(work)).filter((name) => name.includes('beastie-'))).toEqual([]);
    await ssh.closeAll();
  });

  it('fails a put whose chown fails, leaving the target and no temp file', async () => {
    const ssh = factory();
    const t = ssh.open(settings('a', a));
    const path = join(work, 'put-bad-owner');
    await writeFile(path, 'old');
    await expect(t.put(path, 'new', { owner: 'no-such-user-xyz' })).rejects.toThrow(/chown/);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect((await readdir(work)).filter((name) => name.startsWith('.put-bad-owner'))).toEqual([]);
    await ssh.closeAll();
  });

  it('leaves the old file intact when the connection dies during an upload, and the next write removes what was left', async () => {
    const ssh = factory();
    const t = ssh.open(settings('b', b));
    const path = join(work, 'big-file');
    await writeFile(path, 'old content');
    await t.run(sh`true`);
    const upload = t.put(path, Buffer.alloc(200 * 1024 * 1024, 'x'));
    // Kill the connection once the private temp file has started to grow.
    const temps = async (): Promise<string[]> => (await readdir(work)).filter((n) => n.startsWith(TEMP_DIR_PREFIX));
    const sizes = async () => Promise.all((await temps()).map(async (name) => (await stat(join(work, name, 'f')).catch(() => ({ size: 0 }))).size));
    await waitFor('the private temp file to grow', async () => (await sizes()).some((size) => size > 0), { intervalMs: 5 });
    // kill -9 of the writer on the host as well as of the connection: nothing cleans up after it.
    const [left = ''] = await temps();
    const victims = [...(await connectionPids(b)), ...(await pidsWorkingIn(join(work, left)))];
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    const error = await upload.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await temps()).toEqual([left]);
    // A killed process counts as running until its parent (here init) reaps it.
    const alive = async () => (await Promise.all(victims.map((pid) => stat(`/proc/${pid}`).then(() => true, () => false)))).some(Boolean);
    await waitFor('the killed processes to be reaped', async () => !(await alive()), { intervalMs: 10 });
    // What the killed writer left goes with the next write into that directory.
    await t.put(join(work, 'after-kill'), 'next\n');
    expect(await temps()).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe('old content');
    await ssh.closeAll();
  });
});

describe('ssh transport: host keys', () => {
  it('refuses a changed key naming file and line while another host goes on', async () => {
    const knownHosts = join(work, 'known_hosts_changed');
    const other = await generateKey(join(work, 'impostor'), 'ed25519');
    const lines = [`# header`, b.knownHostsLines[0], `[${a.address}]:${a.port} ${other.split(' ').slice(0, 2).join(' ')}`];
    await writeFile(knownHosts, lines.join('\n') + '\n');
    const ssh = factory();
    const args = `-o UserKnownHostsFile=${knownHosts}`;
    const ta = ssh.open(settings('a', a, { sshArgs: args }));
    const tb = ssh.open(settings('b', b, { sshArgs: args }));
    const [ra, rb] = await Promise.allSettled([ta.run(sh`echo a`), tb.run(sh`echo b`)]);
    expect(rb).toMatchObject({ status: 'fulfilled', value: { stdout: 'b\n' } });
    expect(ra.status).toBe('rejected');
    const error = (ra as PromiseRejectedResult).reason as UnreachableError;
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.reason).toBe('host-key-changed');
    expect(error.host).toBe('a');
    expect(error.message).toContain('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
    expect(error.message).toContain(`Offending ED25519 key in ${knownHosts}:3`);
    // With accept-new too: a changed key is never accepted.
    const lenient = factory({ acceptNewHostKeys: true }).open(settings('a', a, { sshArgs: `${args} -o StrictHostKeyChecking=no` }));
    await expect(lenient.run(sh`true`)).rejects.toMatchObject({ reason: 'host-key-changed' });
    await ssh.closeAll();
  });

  it('refuses an unknown host, then accepts and records it with acceptNewHostKeys', async () => {
    const knownHosts = join(work, 'known_hosts_new');
    const args = `-o UserKnownHostsFile=${knownHosts}`;
    const strict = factory();
    const error = await strict.open(settings('a', a, { sshArgs: args })).run(sh`true`).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'host-key-unknown', host: 'a' });
    expect((error as Error).message).toContain(`No ED25519 host key is known for [${a.address}]:${a.port}`);

    const accepting = factory({ acceptNewHostKeys: true });
    expect((await accepting.open(settings('a', a, { sshArgs: args })).run(sh`echo ok`)).stdout).toBe('ok\n');
    const recorded = await readFile(knownHosts, 'utf8');
    expect(recorded).toBe(`${a.knownHostsLines[0]}\n`);
    // Recorded, so a strict run now connects.
    expect((await factory().open(settings('a', a, { sshArgs: args })).run(sh`echo again`)).stdout).toBe('again\n');
    await accepting.closeAll();
  });

  it('records a new key hashed when ssh config says HashKnownHosts yes', async () => {
    const hashHome = join(work, 'hash-home');
    await mkdir(join(hashHome, '.ssh'), { recursive: true });
    await writeFile(join(hashHome, '.ssh', 'config'), 'Include conf.d/*.conf\n');
    await mkdir(join(hashHome, '.ssh', 'conf.d'));
    await writeFile(join(hashHome, '.ssh', 'conf.d', 'hash.conf'), 'Host *\n  HashKnownHosts yes\n');
    const ssh = factory({ home: hashHome, acceptNewHostKeys: true });
    expect((await ssh.open(settings('b', b, { privateKeyFile: clientKey })).run(sh`echo hashed-new`)).stdout).toBe('hashed-new\n');
    const recorded = await readFile(join(hashHome, '.ssh', 'known_hosts'), 'utf8');
    expect(recorded).toMatch(/^\|1\|[^ ]+ ssh-ed25519 /);
    expect(recorded).not.toContain(b.address);
    // ssh-keygen -F finds the hashed entry by name, so OpenSSH reads it as we wrote it.
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('ssh-keygen', ['-F', `[${b.address}]:${b.port}`, '-f', join(hashHome, '.ssh', 'known_hosts')], { encoding: 'utf8' })).toContain('ssh-ed25519');
    await ssh.closeAll();
  });

  it('accepts hashed entries and asks for a known key type first', async () => {
    const knownHosts = join(work, 'known_hosts_hashed');
    await writeFile(knownHosts, '');
    // Record a's ECDSA key only, hashed: the server must be asked for ECDSA rather than ED25519.
    const { execFileSync } = await import('node:child_process');
    const ecdsa = a.knownHostsLines.find((line) => line.includes('ecdsa-'));
    await writeFile(knownHosts, `${ecdsa}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', knownHosts], { stdio: 'ignore' });
    expect(await readFile(knownHosts, 'utf8')).toMatch(/^\|1\|/);
    const ssh = factory();
    expect((await ssh.open(settings('a', a, { sshArgs: `-o UserKnownHostsFile=${knownHosts}` })).run(sh`echo hashed`)).stdout).toBe('hashed\n');
    await ssh.closeAll();
  });
});

describe('ssh transport: reachability and auth', () => {
  it('reports a host that stops answering within the connect timeout while others finish', async () => {
    const stopped = await startSshd({ clientKeyPath: clientKey });
    const knownHosts = join(work, 'known_hosts_stopped');
    await writeFile(knownHosts, [...stopped.knownHostsLines, ...b.knownHostsLines].join('\n') + '\n');
    process.kill(stopped.pid, 'SIGSTOP');
    try {
      const ssh = factory({ connectTimeoutMs: 1500 });
      const args = `-o UserKnownHostsFile=${knownHosts}`;
      // What is checked is the order of events, not the clock: b's command runs until the stopped
      // host has been given up (a file the test writes then), so it prints `done` only if one
      // host's timeout came while the other's command ran, and neither waited for nor stopped it.
      const givenUp = join(work, 'stopped-given-up');
      const events: string[] = [];
      const [stoppedError, onB] = await Promise.all([
        ssh
          .open(settings('stopped', stopped, { sshArgs: args }))
          .run(sh`true`)
          .then(
            () => {
              events.push('stopped answered');
              return undefined;
            },
            async (error: unknown) => {
              events.push('stopped given up');
              await writeFile(givenUp, '');
              return error;
            },
          ),
        ssh
          .open(settings('b', b, { sshArgs: args }))
          .run(sh`i=0; while [ ! -e ${givenUp} ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done; [ -e ${givenUp} ] && echo done`)
          .then((result) => {
            events.push('b finished');
            return result;
          }),
      ]);
      expect(events).toEqual(['stopped given up', 'b finished']);
      expect(onB).toMatchObject({ exitCode: 0, stdout: 'done\n' });
      expect(stoppedError).toBeInstanceOf(UnreachableError);
      expect(stoppedError).toMatchObject({ reason: 'timeout', host: 'stopped' });
      // the handshake timer that fired is the one asked for (1500 ms), not the factory's default
      expect((stoppedError as UnreachableError).message).toContain('no SSH handshake within 1.5 s');
      await ssh.closeAll();
    } finally {
      process.kill(stopped.pid, 'SIGCONT');
      await stopped.stop();
    }
  });

  it('notices a host that stops answering mid-run through keepalives', async () => {
    const frozen = await startSshd({ clientKeyPath: clientKey });
    const knownHosts = join(work, 'known_hosts_frozen');
    await writeFile(knownHosts, frozen.knownHostsLines.join('\n') + '\n');
    const ssh = factory();
    const t = ssh.open(settings('frozen', frozen, { sshArgs: `-o UserKnownHostsFile=${knownHosts} -o ServerAliveInterval=1 -o ServerAliveCountMax=2` }));
    const stoppedPids: number[] = [];
    try {
      expect((await t.run(sh`echo up`)).stdout).toBe('up\n');
      for (const pid of [frozen.pid, ...(await connectionPids(frozen))]) {
        process.kill(pid, 'SIGSTOP');
        stoppedPids.push(pid);
      }
      const error = await t.run(sh`echo never`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableError);
      expect(error).toMatchObject({ host: 'frozen', reason: 'connection-lost' });
      // it was the keepalives that gave the connection up (the frozen host's TCP connection stays
      // open: nothing else would end the command), not the clock of this test
      expect((error as UnreachableError).message).toMatch(/keepalive timeout/i);
      // Closing while the host is still frozen (it is thawed only in `finally`) does not hang.
      const reconnecting = t.run(sh`true`).catch((e: unknown) => e);
      await ssh.closeAll();
      expect(await reconnecting).toBeInstanceOf(UnreachableError);
    } finally {
      for (const pid of stoppedPids) process.kill(pid, 'SIGCONT');
      await ssh.closeAll();
      await frozen.stop();
    }
  });

  it('logs in with a password only when allowed', async () => {
    const { execFileSync } = await import('node:child_process');
    // Its own name per test process: another run of the suite on this machine makes its own user.
    const user = `beastie-pw${process.pid}`;
    const password = `pw-${Date.now()}`;
    // A uid far above the simulated hosts' users: their own useradd starts at 1000 in views of their
    // own, and a process of theirs with this user's uid would make userdel refuse.
    execFileSync('useradd', ['-K', 'UID_MIN=50000', '-K', 'UID_MAX=59999', '-M', '-d', '/nonexistent', '-s', '/bin/sh', user]);
    const pw = await startSshd({ clientKeyPath: clientKey, extraConfig: ['PasswordAuthentication yes'] });
    try {
      execFileSync('chpasswd', { input: `${user}:${password}\n` });
      const knownHosts = join(work, 'known_hosts_pw');
      await writeFile(knownHosts, pw.knownHostsLines.join('\n') + '\n');
      const noKeys = join(work, 'no-keys-home');
      await mkdir(join(noKeys, '.ssh'), { recursive: true });
      const ssh = factory({ allowPassword: true, home: noKeys });
      const host = { ...settings('pw', pw, { user, password, sshArgs: `-o UserKnownHostsFile=${knownHosts}` }) };
      expect((await ssh.open(host).run(sh`id -un`)).stdout).toBe(`${user}\n`);
      await expect(ssh.open({ ...host, password: 'wrong' }).run(sh`true`)).rejects.toMatchObject({ reason: 'auth' });
      await ssh.closeAll();
    } finally {
      await pw.stop();
      // The user's sshd session process may still be exiting, and userdel refuses while it runs.
      await waitFor(`${user}'s processes to end`, () => {
        try {
          execFileSync('pgrep', ['-u', user], { stdio: 'ignore' });
          return false;
        } catch {
          return true;
        }
      });
      execFileSync('userdel', [user]);
    }
  });

  it('classifies refused, DNS and authentication failures', async () => {
    const ssh = factory({ connectTimeoutMs: 3000 });
    const refused = ssh.open({ host: 'closed', connection: 'ssh', address: '127.0.2.1', port: 1, user: 'root' });
    await expect(refused.run(sh`true`)).rejects.toMatchObject({ reason: 'refused', host: 'closed' });
    const dns = ssh.open({ host: 'nowhere', connection: 'ssh', address: 'no-such-host.invalid', user: 'root' });
    await expect(dns.run(sh`true`)).rejects.toMatchObject({ reason: 'dns', host: 'nowhere' });
    const wrongKey = join(work, 'not-authorized');
    await generateKey(wrongKey, 'ed25519');
    const auth = ssh.open(settings('a', a, { privateKeyFile: wrongKey }));
    const error = await auth.run(sh`true`).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'auth', host: 'a' });
    expect((error as Error).message).toContain('client-authentication');
    await ssh.closeAll();
  });

  it('refuses a password unless allowed', () => {
    expect(() => factory().open(settings('a', a, { password: 'hunter2' }))).toThrow(InvalidInputError);
    expect(() => factory({ allowPassword: true }).open(settings('a', a, { password: 'hunter2' }))).not.toThrow();
  });

  it('asks an encrypted key passphrase once for all hosts', async () => {
    const encrypted = join(work, 'encrypted_key');
    const publicKey = await generateKey(encrypted, 'ecdsa', 'correct horse');
    const c = await startSshd({ clientKeyPath: clientKey, authorizedKeys: [publicKey] });
    const d = await startSshd({ clientKeyPath: clientKey, authorizedKeys: [publicKey] });
    try {
      await writeFile(join(work, 'known_hosts_enc'), [...c.knownHostsLines, ...d.knownHostsLines].join('\n') + '\n');
      const asked: string[] = [];
      const ssh = factory({ askPassphrase: async (path) => (asked.push(path), 'correct horse') });
      const args = `-o UserKnownHostsFile=${join(work, 'known_hosts_enc')}`;
      const results = await Promise.all([
        ssh.open(settings('c', c, { privateKeyFile: encrypted, sshArgs: args })).run(sh`echo c`),
        ssh.open(settings('d', d, { privateKeyFile: encrypted, sshArgs: args })).run(sh`echo d`),
      ]);
      expect(results.map((r) => r.stdout)).toEqual(['c\n', 'd\n']);
      expect(asked).toEqual([encrypted]);
      await ssh.closeAll();
    } finally {
      await Promise.all([c.stop(), d.stop()]);
    }
  });

  it('follows ~/.ssh/config (HostName, User, Port, IdentityFile) and jumps through ProxyJump', async () => {
    const configHome = join(work, 'config-home');
    await mkdir(join(configHome, '.ssh'), { recursive: true });
    await writeFile(join(configHome, '.ssh', 'known_hosts'), [...a.knownHostsLines, ...b.knownHostsLines].join('\n') + '\n');
    await writeFile(
      join(configHome, '.ssh', 'config'),
      [
        'Host jumpbox',
        `  HostName ${a.address}`,
        `  Port ${a.port}`,
        '  User root',
        `  IdentityFile ${clientKey}`,
        'Host inner',
        `  HostName ${b.address}`,
        `  Port ${b.port}`,
        '  User root',
        `  IdentityFile ${clientKey}`,
        '  ProxyJump jumpbox',
        '',
      ].join('\n'),
    );
    const before = await a.log();
    const ssh = factory({ home: configHome });
    // ansible_port wins over the config's Port, as `-o Port=` before the host does for ssh.
    await writeFile(join(configHome, '.ssh', 'config'), `Host direct\n  HostName ${b.address}\n  Port 1\n  User nobody\n${await readFile(join(configHome, '.ssh', 'config'), 'utf8')}`);
    const direct = ssh.open({ host: 'direct', connection: 'ssh', address: 'direct', port: b.port, user: 'root', privateKeyFile: clientKey });
    expect((await direct.run(sh`echo direct`)).stdout).toBe('direct\n');
    const t = ssh.open({ host: 'inner', connection: 'ssh', address: 'inner' });
    expect((await t.run(sh`echo via jump`)).stdout).toBe('via jump\n');
    const after = (await a.log()).slice(before.length);
    // The jump host's sshd opened the forwarded TCP connection to the inner host.
    expect(after).toContain(`target ${b.address} port ${b.port}`);
    await ssh.closeAll();
  });

  it('jumps with -J from ansible_ssh_common_args', async () => {
    const ssh = factory();
    const before = (await a.log()).length;
    const t = ssh.open(settings('b', b, { sshArgs: `-J root@${a.address}:${a.port}` }));
    expect((await t.run(sh`echo jumped`)).stdout).toBe('jumped\n');
    expect((await a.log()).slice(before)).toContain(`target ${b.address} port ${b.port}`);
    // A target the jump host cannot reach is refused, named with its jump host.
    const closed = ssh.open({ host: 'closed', connection: 'ssh', address: '127.0.2.1', port: 1, user: 'root', sshArgs: `-J root@${a.address}:${a.port}` });
    const error = await closed.run(sh`true`).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'refused', host: 'closed' });
    expect((error as Error).message).toContain(`via root@${a.address}:${a.port}`);
    await ssh.closeAll();
  });

  it('chains two jump hosts and lets inventory settings win over ssh config', async () => {
    const ssh = factory();
    const before = (await a.log()).length;
    // client → a → b → a: the first hop (a) must forward to the second (b).
    const t = ssh.open(settings('a-again', a, { sshArgs: `-J root@${a.address}:${a.port},root@${b.address}:${b.port}` }));
    expect((await t.run(sh`echo two hops`)).stdout).toBe('two hops\n');
    expect((await a.log()).slice(before)).toContain(`target ${b.address} port ${b.port}`);
    await ssh.closeAll();
  });

  it('authenticates with ssh-agent', async () => {
    const { execFileSync } = await import('node:child_process');
    const socket = join(work, 'agent.sock');
    const output = execFileSync('ssh-agent', ['-a', socket], { encoding: 'utf8' });
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(output)?.[1]);
    try {
      execFileSync('ssh-add', ['-q', clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      // No key files at all: only the agent can log in.
      const emptyHome = join(work, 'agent-home');
      await mkdir(join(emptyHome, '.ssh'), { recursive: true });
      await writeFile(join(emptyHome, '.ssh', 'known_hosts'), a.knownHostsLines.join('\n') + '\n');
      const ssh = factory({ home: emptyHome, agentSocket: socket });
      expect((await ssh.open(settings('a', a)).run(sh`echo agent`)).stdout).toBe('agent\n');
      await ssh.closeAll();
      const none = factory({ home: emptyHome, agentSocket: null });
      await expect(none.open(settings('a', a)).run(sh`true`)).rejects.toMatchObject({ reason: 'auth' });
    } finally {
      process.kill(pid, 'SIGTERM');
    }
  });
});

describe('ssh transport: speed', () => {
  it('runs commands on one connection without per-command overhead beyond a channel', async () => {
    const ssh = factory();
    const t = ssh.open(settings('b', b));
    const loginsBefore = await b.acceptedLogins();
    await t.run(sh`true`);
    let started = performance.now();
    const latencies: number[] = [];
    for (let i = 0; i < 20; i += 1) latencies.push((await t.run(sh`true`)).durationMs);
    const sequential = 20 / ((performance.now() - started) / 1000);
    started = performance.now();
    await Promise.all(Array.from({ length: 40 }, () => t.run(sh`true`)));
    const concurrent = 40 / ((performance.now() - started) / 1000);
    const median = [...latencies].sort((x, y) => x - y)[10] ?? Infinity;
    console.log(`ssh commands/second on one connection: ${sequential.toFixed(0)} one after another (median ${median.toFixed(1)} ms), ${concurrent.toFixed(0)} with 10 channels`);
    // Figures are for the report (bench/ measures speed); what can be asserted on a shared, loaded
    // machine is the mechanism: every command went over the one login.
    expect(await b.acceptedLogins()).toBe(loginsBefore + 1);
    await ssh.closeAll();
  });
});
