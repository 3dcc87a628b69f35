// become over SSH with the real sudo, doas (opendoas) and su, each asking for a password. The
// test side creates a login user with sudoers and doas.conf rules that require its password,
// and a target user for su (su asks for the target's password). Both users have tcsh as their
// login shell, as FreeBSD users often do, so every command also proves the csh-safe wrapping.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../../src/command/command.js';
import { createSshTransportFactory } from '../../../src/transport/ssh/ssh-transport-factory.js';
import type { BecomeSpec, Transport, TransportFactory } from '../../../src/transport/transport.js';
import { generateKey, startSshd, type Sshd } from '../../helpers/sshd.js';
import { waitFor } from '../../helpers/wait-for.js';

const LOGIN_USER = 'beastie-become';
const TARGET_USER = 'beastie-target';
const SUDOERS = '/etc/sudoers.d/beastie-become-test';
const DOAS_CONF = '/etc/doas.conf';
const DOAS_RULE = `permit ${LOGIN_USER} as root`;

const loginPassword = `pw-${randomBytes(6).toString('hex')}`;
const targetPassword = `pw-${randomBytes(6).toString('hex')}`;
let doasConfBefore: string | undefined;
let work: string;
let sshd: Sshd;
let ssh: TransportFactory;
let transport: Transport;
const logged: string[] = [];

const LOGIN_SHELL = '/usr/bin/tcsh';

/** Sleep lengths of this file's own, killed by pid in afterAll whatever a test left running. */
const markers: number[] = [];

/** Pids of `sleep SECONDS` processes (sshd runs on this machine, so the test sees them). */
function sleeping(seconds: number): number[] {
  try {
    return execFileSync('pgrep', ['-f', `^sleep ${seconds}$`], { encoding: 'utf8' }).split('\n').filter((line) => line !== '').map(Number);
  } catch {
    return [];
  }
}

function ensureUser(name: string, password: string): void {
  if (!existsSync(LOGIN_SHELL)) throw new Error(`${LOGIN_SHELL} is missing: install tcsh (apt-get install tcsh)`);
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
    execFileSync('usermod', ['-s', LOGIN_SHELL, name]);
  } catch {
    execFileSync('useradd', ['-m', '-s', LOGIN_SHELL, name]);
  }
  execFileSync('chpasswd', { input: `${name}:${password}\n` });
}

beforeAll(async () => {
  ensureUser(LOGIN_USER, loginPassword);
  ensureUser(TARGET_USER, targetPassword);
  await writeFile(SUDOERS, `${LOGIN_USER} ALL=(ALL:ALL) ALL\n`, { mode: 0o440 });
  doasConfBefore = existsSync(DOAS_CONF) ? await readFile(DOAS_CONF, 'utf8') : undefined;
  if (!doasConfBefore?.includes(DOAS_RULE)) await writeFile(DOAS_CONF, `${doasConfBefore ?? ''}${DOAS_RULE}\n`, { mode: 0o600 });

  work = await mkdtemp(join(tmpdir(), 'beastie-become-test-'));
  const home = join(work, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true });
  const key = join(home, '.ssh', 'id_ed25519');
  await generateKey(key, 'ed25519');
  sshd = await startSshd({ clientKeyPath: key });
  await writeFile(join(home, '.ssh', 'known_hosts'), sshd.knownHostsLines.join('\n') + '\n');
  ssh = createSshTransportFactory({
    acceptNewHostKeys: false,
    allowPassword: false,
    connectTimeoutMs: 5000,
    home,
    agentSocket: null,
    becomePassword: loginPassword,
    logger: { debug: (_host, message) => logged.push(message), warn: (_host, message) => logged.push(message) },
  });
  transport = ssh.open({ host: 'becomer', connection: 'ssh', address: sshd.address, port: sshd.port, user: LOGIN_USER });
});

afterAll(async () => {
  for (const marker of markers) for (const pid of sleeping(marker)) process.kill(pid, 'SIGKILL');
  await ssh?.closeAll();
  await sshd?.stop();
  await rm(work, { recursive: true, force: true });
  await rm(SUDOERS, { force: true });
  if (doasConfBefore === undefined) await rm(DOAS_CONF, { force: true });
  else await writeFile(DOAS_CONF, doasConfBefore);
  for (const user of [LOGIN_USER, TARGET_USER]) execFileSync('userdel', ['-r', user], { stdio: 'ignore' });
});

describe('become over ssh', () => {
  const sudo: BecomeSpec = { method: 'sudo' };
  const doas: BecomeSpec = { method: 'doas' };

  it('logs in as the unprivileged user, whose tcsh login shell runs /bin/sh scripts unchanged', async () => {
    expect((await transport.run(sh`id -un`)).stdout).toBe(`${LOGIN_USER}\n`);
    const script = { text: 'x="multi\nline!"\nprintf "%s|%s\\n" "$x" "$0"', display: 'multi-line' };
    expect((await transport.run(script)).stdout).toBe('multi\nline!|/bin/sh\n');
  });

  for (const spec of [sudo, doas]) {
    it(`${spec.method}: runs as root with the password, output exactly the command's`, async () => {
      const result = await transport.run(sh`id -un; echo to-stderr >&2; echo $LC_ALL`, { become: spec });
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^root\n/);
      expect(result.stdout).toContain('C\n');
      // doas runs on a pty, where stderr arrives on stdout.
      expect(spec.method === 'doas' ? result.stdout : result.stderr).toContain('to-stderr');
      expect(result.stdout + result.stderr).not.toContain(loginPassword);
      expect(result.stdout).not.toMatch(/password|BEASTIE-BECOME/i);
    });

    it(`${spec.method}: passes stdin through to the command`, async () => {
      const result = await transport.run(sh`cat; id -un`, { become: spec, stdin: 'line one\nline two\n' });
      expect(result).toMatchObject({ exitCode: 0, stdout: `line one\nline two\nroot\n` });
    });

    it(`${spec.method}: keeps a non-zero exit as the command's`, async () => {
      expect((await transport.run(sh`exit 7`, { become: spec })).exitCode).toBe(7);
    });

    it(`${spec.method}: a wrong password fails the command, not the connection`, async () => {
      const result = await transport.run(sh`id -un`, { become: { ...spec, password: 'wrong-password' } });
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout).not.toContain('root');
      expect(result.stderr + result.stdout).toMatch(/incorrect password|Authentication failed|refused/i);
    });

    it(`${spec.method}: puts a root-owned file atomically into a root-only directory and reads it back`, async () => {
      const dir = join(work, `root-only-${spec.method}`);
      await mkdir(dir, { mode: 0o700 });
      const path = join(dir, 'secret.conf');
      await writeFile(path, 'old\n');
      await transport.put(path, 'new content\n', { become: spec, mode: 0o640 });
      expect(execFileSync('stat', ['-c', '%a %U', path], { encoding: 'utf8' })).toBe('640 root\n');
      expect(await readFile(path, 'utf8')).toBe('new content\n');
      expect((await transport.get(path, { become: spec }))?.toString()).toBe('new content\n');
      expect(await transport.get(join(dir, 'missing'), { become: spec })).toBeUndefined();
      expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' })).toBe('secret.conf\n');
    });
  }

  it('su: runs as the target user with its password', async () => {
    const command = { text: `id -un; cat; echo "two\nlines!"`, display: 'su check' };
    const result = await transport.run(command, { become: { method: 'su', user: TARGET_USER, password: targetPassword }, stdin: 'via su\n' });
    expect(result).toMatchObject({ exitCode: 0, stdout: `${TARGET_USER}\nvia su\ntwo\nlines!\n` });
  });

  // The login user cannot signal what runs as another user: leaving kills through the same become.
  for (const [label, spec] of [
    ['sudo', sudo],
    ['doas', doas],
    ['su', { method: 'su', user: TARGET_USER, password: targetPassword }],
  ] as const) {
    it(`${label}: leaving the connection kills a command still running as the become user, with its children`, async () => {
      const seconds = 8_000_000 + Math.floor(Math.random() * 1_000_000);
      markers.push(seconds);
      const running = transport.run(sh`sleep ${seconds} & sleep ${seconds}`, { become: spec }).catch((error: unknown) => error);
      await waitFor('the command to run', () => sleeping(seconds).length === 2, { timeoutMs: 30_000 });
      await transport.close();
      await waitFor('the command and its child to be gone', () => sleeping(seconds).length === 0, { timeoutMs: 15_000 });
      await running;
      expect((await transport.run(sh`id -un`)).stdout).toBe(`${LOGIN_USER}\n`);
    });
  }

  it('never logs the password', () => {
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain(loginPassword);
    expect(logged.join('\n')).not.toContain(targetPassword);
  });
});
