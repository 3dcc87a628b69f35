import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../../../sim/infra/ed25519-key.js';
import { renderSshdConfig } from '../../../sim/infra/sshd-config.js';
import { runProcess } from '../../../sim/infra/run-process.js';

describe('renderSshdConfig', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is a configuration Debian’s sshd accepts, with the settings the fleet relies on', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-sshd-config-'));
    await writeFile(join(dir, 'key'), generateEd25519KeyPair('k').privateKey, { mode: 0o600 });
    const config = renderSshdConfig({ address: '127.0.1.9', port: 2222, hostKey: join(dir, 'key'), authorizedKeys: '/f/ssh/authorized_keys' });
    await writeFile(join(dir, 'sshd_config'), config);
    const checked = await runProcess(['/usr/sbin/sshd', '-T', '-f', join(dir, 'sshd_config')]);
    expect(checked.stderr).toBe('');
    expect(checked.exitCode).toBe(0);
    const effective = checked.stdout.split('\n');
    for (const line of [
      'listenaddress 127.0.1.9:2222',
      'usepam no',
      'strictmodes no',
      'usedns no',
      'permitrootlogin without-password',
      'authorizedkeysfile .ssh/authorized_keys /f/ssh/authorized_keys',
      'maxstartups 200:30:400',
      'maxsessions 10',
      'subsystem sftp internal-sftp',
      'printmotd no',
      'passwordauthentication no',
      'setenv PATH=/usr/local/freebsd/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]) {
      expect(effective).toContain(line);
    }
  });
});
