// The runner over the real ssh transport against a real OpenSSH sshd on 127.0.2.x: facts in one
// connection, tasks, and a host whose sshd is not there (unreachable, the other host goes on).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionFactory } from '../../src/runner/connection-factory.js';
import { createSshTransportFactory } from '../../src/transport/ssh/ssh-transport-factory.js';
import { generateKey, startSshd, type Sshd } from '../helpers/sshd.js';
import { play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';

let work: string;
let home: string;
let sshd: Sshd;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'beastie-runner-ssh-'));
  home = join(work, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const key = join(home, '.ssh', 'id_ed25519');
  await generateKey(key, 'ed25519');
  sshd = await startSshd({ clientKeyPath: key });
  await writeFile(join(home, '.ssh', 'known_hosts'), `${sshd.knownHostsLines.join('\n')}\n`);
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('runner over ssh', () => {
  it('gathers facts and runs tasks over one connection; an unreachable host leaves, the other goes on (exit 4)', async () => {
    const ssh = createSshTransportFactory({ acceptNewHostKeys: false, allowPassword: false, connectTimeoutMs: 5000, home, agentSocket: null });
    const inventory = localInventory({
      up: { ansible_connection: 'ssh', ansible_host: sshd.address, ansible_port: sshd.port, ansible_user: 'root' },
      // Nothing listens on port 1 of the same address: connection refused.
      down: { ansible_connection: 'ssh', ansible_host: sshd.address, ansible_port: 1, ansible_user: 'root' },
    });
    const loginsBefore = await sshd.acceptedLogins();
    const run = await runPlays(
      [
        play(
          [
            task('t_cmd', { cmd: 'echo {{ beastie_hostname }}' }, { name: 'echo', register: 'r' }),
            task('t_debug', { msg: '{{ r.stdout }}' }, { name: 'show' }),
          ],
          { gatherFacts: true },
        ),
      ],
      inventory,
      { transports: connectionFactory(ssh) },
    );
    expect(statuses(run, 'Gathering Facts')).toEqual({ up: 'ok', down: 'unreachable' });
    expect(statuses(run, 'echo')).toEqual({ up: 'changed' });
    expect(String(run.reporter.of('task_result').find((e) => e.task === 'show')?.values?.['msg'])).not.toBe('');
    expect(run.reporter.of('host_unreachable')[0]).toMatchObject({ host: 'down', reason: 'refused' });
    expect(run.exitCode).toBe(4);
    expect((await sshd.acceptedLogins()) - loginsBefore).toBe(1);
  }, 60_000);
});
