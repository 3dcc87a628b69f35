// One suite, every transport: what src/transport/transport.ts promises of a Transport (run with
// LC_ALL=C, stdin, output as it arrives, secrets shown as ***, timeouts, atomic put with a mode,
// get of missing and binary files, close and reconnect) holds alike for the local transport, the
// ssh transport to a simulated FreeBSD host, and the jail wrapper inside a jail on that host.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, sh } from '../../src/command/command.js';
import { JailTransport } from '../../src/transport/jail.js';
import { LocalTransport } from '../../src/transport/local.js';
import { withEnvironment } from '../../src/runner/environment.js';
import type { Transport } from '../../src/transport/transport.js';
import { OUTPUT_LIMIT_BYTES, truncationNote } from '../../src/transport/output-buffer.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions } from '../modules/helpers/fleet-session.js';
import { waitFor } from '../helpers/wait-for.js';

/** Pids of `sleep SECONDS` processes (the simulated host and its jails share the test's pid space). */
async function sleeping(seconds: number): Promise<number[]> {
  const found = await promisify(execFile)('pgrep', ['-f', `^sleep ${seconds}$`]).catch(() => ({ stdout: '' }));
  return found.stdout.split('\n').filter((line) => line !== '').map(Number);
}

/** A transport under test and a directory it may write in (a path as the transport sees it). */
interface Subject {
  readonly transport: Transport;
  readonly dir: string;
}

const JAIL = 'cj';
const JAIL_ROOT = `/usr/local/jails/${JAIL}`;
const makeJail = `mkdir -p ${JAIL_ROOT}/work && printf '${JAIL} {\\n  path = "${JAIL_ROOT}";\\n  mount.devfs;\\n  persist;\\n}\\n' > /etc/jail.conf && jail -c ${JAIL}`;

let fleet: TestFleet;
let sessions: FleetSessions;
let localDir: string;
const subjects = new Map<string, Subject>();

beforeAll(async () => {
  localDir = await mkdtemp(join(tmpdir(), 'beastie-conformance-'));
  subjects.set('local', { transport: new LocalTransport(), dir: localDir });
  fleet = await startFleet({ hosts: 1, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  const made = await fleet.ssh('sim01', `mkdir -p /root/work && ${makeJail}`);
  if (made.exitCode !== 0) throw new Error(`making jail ${JAIL}: ${made.stderr}`);
  subjects.set('ssh', { transport: sessions.transport('sim01'), dir: '/root/work' });
  subjects.set('jail', { transport: new JailTransport(sessions.transport('sim01'), JAIL), dir: '/work' });
}, 180_000);
afterAll(async () => {
  // A running jail's mounts would outlive the fleet's namespaces: remove it whatever happened.
  if (fleet !== undefined) await fleet.ssh('sim01', `jls -j ${JAIL} >/dev/null 2>&1 && jail -r ${JAIL}`);
  await sessions?.close();
  await fleet?.down();
  if (localDir !== undefined) await rm(localDir, { recursive: true, force: true });
});

const subject = (name: string): Subject => {
  const found = subjects.get(name);
  if (found === undefined) throw new Error(`no transport ${name}: beforeAll failed`);
  return found;
};

describe.each(['local', 'ssh', 'jail'])('the %s transport', (name) => {
  it('runs /bin/sh with LC_ALL=C; success and failure have the same fields', async () => {
    const { transport } = subject(name);
    expect(await transport.run(sh`echo $LC_ALL; echo out`)).toMatchObject({ exitCode: 0, stdout: 'C\nout\n', stderr: '' });
    const failed = await transport.run(sh`echo err >&2; exit 4`);
    expect(failed).toMatchObject({ exitCode: 4, stdout: '', stderr: 'err\n' });
    expect(failed.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('writes stdin and closes it; streams output as it arrives, adding up to the result', async () => {
    const { transport } = subject(name);
    expect((await transport.run(sh`cat; echo end`, { stdin: 'one\ntwo\n' })).stdout).toBe('one\ntwo\nend\n');
    const chunks: string[] = [];
    const result = await transport.run(sh`for i in 1 2 3; do echo line $i; done; echo oops >&2`, {
      onOutput: (stream, chunk) => {
        if (stream === 'stdout') chunks.push(chunk);
      },
    });
    expect(chunks.join('')).toBe(result.stdout);
    expect(result.stdout).toBe('line 1\nline 2\nline 3\n');
  });

  it('shows a secret as *** in the command it reports, and passes the real value', async () => {
    const result = await subject(name).transport.run(sh`printf %s ${new Secret('hunter2')}`);
    expect(result.stdout).toBe('hunter2');
    expect(result.command).toContain('printf %s ***');
    expect(result.command).not.toContain('hunter2');
  });

  it('kills a command at its timeout and says so', async () => {
    const result = await subject(name).transport.run(sh`sleep 30`, { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).not.toBe(0);
  });

  it('puts atomically with the mode, leaving no temporary file; gets the same bytes back, undefined when missing', async () => {
    const { transport, dir } = subject(name);
    const path = `${dir}/rc.conf`;
    const bytes = Buffer.from([0x00, 0xff, 0x0a, 0xc3, 0x28, 0x41]);
    await transport.put(path, 'old\n', { mode: 0o644 });
    await transport.put(path, bytes, { mode: 0o600 });
    expect(await transport.get(path)).toEqual(bytes);
    expect((await transport.run(sh`stat -c %a ${path} 2>/dev/null || stat -f %Lp ${path}`)).stdout).toBe('600\n');
    expect((await transport.run(sh`ls -A ${dir}`)).stdout).toBe('rc.conf\n');
    expect(await transport.get(`${dir}/absent`)).toBeUndefined();
  });

  it('cuts each stream where a lead command ends: its own output, limit, note and live output are exactly its own', async () => {
    const live: string[] = [];
    // 2 MiB of x from sh's builtins (1 MiB doubled), so the command line stays short.
    const big = 'x'.repeat(2 * OUTPUT_LIMIT_BYTES);
    const result = await subject(name).transport.run(
      sh`printf '@@go W12@@\n'; printf '@@go W12@@\n' >&2; s=x; i=0; while [ $i -lt 20 ]; do s=$s$s; i=$((i+1)); done; printf %s "$s$s"; echo own-err >&2; printf '\n@@end-W12@@ 0\nread\n'; printf '\n@@end-W12@@\nread-err\n' >&2`,
      {
        leadEnds: { announce: '@@go W', hostPart: /^[0-9a-f]*$/, marker: (stream, hostPart) => `\n@@end-W${hostPart}@@${stream === 'stdout' ? ' ' : '\n'}` },
        onOutput: (stream, chunk) => stream === 'stdout' && live.push(chunk),
      },
    );
    expect(result.stdout).toBe(big.slice(0, OUTPUT_LIMIT_BYTES) + truncationNote(OUTPUT_LIMIT_BYTES, OUTPUT_LIMIT_BYTES));
    expect(result.stderr).toBe('own-err\n');
    expect(live.join('')).toBe(big);
    expect(result.after).toEqual({ stdout: '@@go W12@@\n\n@@end-W12@@ 0\nread\n', stderr: '@@go W12@@\n\n@@end-W12@@\nread-err\n' });
  });

  it('runs a command longer than one argument may be (a 140 KiB patch inline, twice), also under a timeout and an environment', async () => {
    const { transport } = subject(name);
    // Linux takes at most 128 KiB in one argument (MAX_ARG_STRLEN), FreeBSD 256 KiB in all of them (ARG_MAX).
    const patch = '+\tif (priv == PRIV_IO) return (0); /* ! \' */\n'.repeat(3200);
    expect(patch.length).toBeGreaterThan(128 * 1024);
    const result = await transport.run(sh`printf %s ${patch} | wc -c; printf %s ${patch} | tail -n 1; echo $LC_ALL`);
    expect(result.stdout.split('\n').map((line) => line.trim())).toEqual([String(Buffer.byteLength(patch)), "+\tif (priv == PRIV_IO) return (0); /* ! ' */", 'C', '']);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    // The long script itself goes on stdin, so it cannot also carry the command's: refused, saying why.
    await expect(transport.run(sh`printf %s ${patch} >/dev/null; cat`, { stdin: 'in\n' })).rejects.toThrow(/cannot run a command of \d+ KiB that also reads stdin/);
    // Under a timeout (timeout(1) runs a second shell) and with an environment (env(1) does) alike.
    const timed = await transport.run(withEnvironment(sh`printf %s ${patch} | wc -c; echo $BEASTIE_LONG`, ['BEASTIE_LONG=yes']), { timeoutMs: 60_000 });
    expect(timed).toMatchObject({ exitCode: 0, stdout: `${Buffer.byteLength(patch)}\nyes\n`, stderr: '' });
  });

  it('leaving the connection kills a command still running, with its children', async () => {
    const { transport } = subject(name);
    const seconds = 8_000_000 + Math.floor(Math.random() * 1_000_000);
    const running = transport.run(sh`sleep ${seconds} & sleep ${seconds}`).catch((error: unknown) => error);
    await waitFor('the command to run', async () => (await sleeping(seconds)).length === 2, { timeoutMs: 30_000 });
    // A jail shares its host's connection: the runner closes the host's transport.
    await (name === 'jail' ? subject('ssh').transport : transport).close();
    await waitFor('the command and its child to be gone', async () => (await sleeping(seconds)).length === 0, { timeoutMs: 15_000 });
    await running;
  });

  it('runs again after close()', async () => {
    const { transport } = subject(name);
    await transport.close();
    expect((await transport.run(sh`echo again`)).stdout).toBe('again\n');
  });
});

describe('the jail transport against a hostile jail', () => {
  it('resolves paths inside the jail: a link the jail planted to its /etc never makes a write land in the host\'s /etc', async () => {
    const jail = subject('jail').transport;
    const planted = await fleet.ssh('sim01', `mkdir -p ${JAIL_ROOT}/etc && jexec ${JAIL} /bin/sh -c 'ln -s /etc /work/escape'`);
    expect(planted.exitCode, planted.stderr).toBe(0);
    await jail.put('/work/escape/beastie-escape.conf', 'inside\n', { mode: 0o644 });
    expect((await fleet.ssh('sim01', 'test -e /etc/beastie-escape.conf && echo host || echo clean')).stdout).toBe('clean\n');
    expect((await fleet.ssh('sim01', `cat ${JAIL_ROOT}/etc/beastie-escape.conf`)).stdout).toBe('inside\n');
    expect((await jail.get('/work/escape/beastie-escape.conf'))?.toString()).toBe('inside\n');
    expect(await jail.get('/work/escape/passwd')).toBeUndefined();
  });
});
