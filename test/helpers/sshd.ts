// A real Debian OpenSSH sshd for tests: its own config, host keys and client key in a temp dir,
// listening on a loopback address 127.0.2.x. Root's sessions get a fresh /root (a private mount
// namespace with /etc/skel dotfiles) because the machine's own ~/.bashrc is slow to source.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** Host key types sshd can be given; ed25519 alone keeps start-up fast. */
export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

/** How to start one test sshd. */
export interface SshdOptions {
  /** Last octet of 127.0.2.x; a random one when absent. */
  readonly octet?: number;
  readonly hostKeyTypes?: readonly HostKeyType[];
  /** Public keys allowed to log in, besides the generated client key. */
  readonly authorizedKeys?: readonly string[];
  /** A client key to reuse instead of generating one (its `.pub` must sit beside it). */
  readonly clientKeyPath?: string;
  readonly maxSessions?: number;
  /** sshd's LogLevel; DEBUG lets tests count connections and channels. */
  readonly logLevel?: 'INFO' | 'VERBOSE' | 'DEBUG';
  /** Extra sshd_config lines; they win over the defaults here (e.g. `PasswordAuthentication yes`). */
  readonly extraConfig?: readonly string[];
}

/** A running sshd and what a client needs to reach it. */
export interface Sshd {
  readonly address: string;
  readonly port: number;
  /** The temp dir holding config, keys and log. */
  readonly dir: string;
  /** The listener's pid (SIGSTOP it to make the host stop answering). */
  readonly pid: number;
  readonly clientKeyPath: string;
  readonly clientPublicKey: string;
  /** `[127.0.2.x]:port ssh-ed25519 AAAA…`, one line per host key type. */
  readonly knownHostsLines: readonly string[];
  /** sshd's log so far. */
  log(): Promise<string>;
  /** How many logins sshd accepted so far (from its log). */
  acceptedLogins(): Promise<number>;
  /** Kills sshd and every session it started, and removes the temp dir. */
  stop(): Promise<void>;
}

/** A free TCP port on `address`, found by binding port 0. */
async function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const info = server.address();
      server.close(() => (typeof info === 'object' && info !== null ? resolve(info.port) : reject(new Error('no port'))));
    });
  });
}

/** Generates a key pair without a passphrase (or with one) and returns its public line. */
export async function generateKey(path: string, type: HostKeyType, passphrase = ''): Promise<string> {
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  await run('ssh-keygen', ['-q', '-t', type, ...bits, '-N', passphrase, '-C', 'beastie-test', '-f', path]);
  return (await readFile(`${path}.pub`, 'utf8')).trim();
}

/** The sshd_config text for a test server. */
function sshdConfig(dir: string, address: string, port: number, hostKeys: readonly string[], options: SshdOptions): string {
  // sshd keeps the first value of a keyword, so the caller's lines go first.
  return [
    ...(options.extraConfig ?? []),
    `ListenAddress ${address}:${port}`,
    ...hostKeys.map((key) => `HostKey ${key}`),
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'UsePAM no',
    'StrictModes no',
    'UseDNS no',
    `MaxSessions ${options.maxSessions ?? 10}`,
    'MaxStartups 100:30:200',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'PrintMotd no',
    'PrintLastLog no',
    'Subsystem sftp internal-sftp',
    `LogLevel ${options.logLevel ?? 'VERBOSE'}`,
    '',
  ].join('\n');
}

/** Waits until sshd accepts TCP connections (it writes its pid file once it listens). */
async function waitForPidFile(path: string, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  const written = async () => (await readFile(path, 'utf8').catch(() => '')).trim() !== '';
  const outcome = await waitFor("sshd's pid file", async () => (child.exitCode !== null ? 'exited' : (await written()) && 'listening'), { timeoutMs: 10_000, intervalMs: 20 }).catch(
    async () => {
      throw new Error(`sshd did not start within 10 s: ${await log()}`);
    },
  );
  if (outcome === 'exited') throw new Error(`sshd exited with ${child.exitCode}: ${await log()}`);
}

/** Pids of the direct children of `pid` (sshd's per-connection processes). */
async function childPids(pid: number): Promise<number[]> {
  try {
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(pid)]);
    return stdout.split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Kills a process tree from its root, children first found then killed together. */
async function killTree(pid: number): Promise<void> {
  const children = await childPids(pid);
  for (const child of children) await killTree(child);
  try {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Starts an sshd on 127.0.2.x with generated keys; call `stop()` when done. */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), 'beastie-sshd-'));
  // Non-root users read authorized_keys with their own uid, so the dir must be traversable.
  await chmod(dir, 0o755);
  const octet = options.octet ?? 2 + Math.floor(Math.random() * 250);
  const address = `127.0.2.${octet}`;
  const types = options.hostKeyTypes ?? ['ed25519'];
  const hostKeys: string[] = [];
  const hostPublicKeys: string[] = [];
  for (const type of types) {
    const path = join(dir, `ssh_host_${type}_key`);
    hostPublicKeys.push(await generateKey(path, type));
    hostKeys.push(path);
  }
  let clientKeyPath = options.clientKeyPath;
  if (clientKeyPath === undefined) {
    clientKeyPath = join(dir, 'client_ed25519');
    await generateKey(clientKeyPath, 'ed25519');
  }
  const clientPublicKey = (await readFile(`${clientKeyPath}.pub`, 'utf8')).trim();
  await writeFile(join(dir, 'authorized_keys'), [clientPublicKey, ...(options.authorizedKeys ?? [])].join('\n') + '\n', { mode: 0o644 });
  const home = join(dir, 'root-home');
  await mkdir(home, { mode: 0o700 });
  await cp('/etc/skel', home, { recursive: true });
  await mkdir('/run/sshd', { recursive: true });

  const port = await freePort(address);
  const configPath = join(dir, 'sshd_config');
  await writeFile(configPath, sshdConfig(dir, address, port, hostKeys, options));
  const logPath = join(dir, 'sshd.log');
  const log = async (): Promise<string> => readFile(logPath, 'utf8').catch(() => '');
  // unshare without --fork execs in place, so the child's pid is sshd's pid.
  const child = spawn(
    'unshare',
    ['-m', '--propagation', 'private', '/bin/sh', '-c', 'mount --bind "$1" /root && exec /usr/sbin/sshd -D -E "$2" -f "$3"', 'sh', home, logPath, configPath],
    { stdio: 'ignore' },
  );
  await waitForPidFile(join(dir, 'sshd.pid'), child, log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('sshd has no pid');

  return {
    address,
    port,
    dir,
    pid,
    clientKeyPath,
    clientPublicKey,
    knownHostsLines: hostPublicKeys.map((line) => `[${address}]:${port} ${line.split(' ').slice(0, 2).join(' ')}`),
    log,
    acceptedLogins: async () => (await log()).split('\n').filter((line) => line.includes('Accepted publickey')).length,
    stop: async () => {
      await killTree(pid);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
