// `beastie doctor` on the command line, without SSH: what it prints never shows a vault value or a
// password, whichever output (the terminal, --json, the HTML report) and whatever carries it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type MainWiring } from '../../src/cli/main.js';
import { vaultStringYaml } from '../../src/cli/vault-command.js';
import { UnreachableError } from '../../src/errors.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import type { ConnectionSettings, Transport, TransportFactory } from '../../src/transport/transport.js';
import { encryptVault } from '../../src/vault/vault-format.js';
import { testServices } from '../fixtures/runner/harness.js';
import { testModules } from '../fixtures/runner/test-modules.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-doctorcmd-'));
  await writeFile(join(dir, 'pw'), 'correct horse\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every host refuses the connection, as ssh says it: the address it tried is in the message. */
class RefusingTransports implements TransportFactory {
  readonly addresses: string[] = [];
  open(settings: ConnectionSettings): Transport {
    this.addresses.push(settings.address);
    const refuse = (): never => {
      throw new UnreachableError('refused', `connect to ${settings.address} port 22: Connection refused (password ${settings.password ?? 'none'})`, { host: settings.host });
    };
    return { host: settings.host, run: async () => refuse(), put: async () => refuse(), get: async () => refuse(), close: async () => undefined };
  }
  async closeAll(): Promise<void> {}
}

async function doctor(argv: string[], transports: RefusingTransports) {
  let stdout = '';
  let stderr = '';
  const modules = moduleRegistry(testModules);
  const wiring: MainWiring = {
    loadPlaybook: async (path, { extraVars, vault }) => loadPlaybook(path, { extraVars, vault, modules }),
    services: testServices(),
    transports: () => transports,
    modules,
  };
  const code = await main(['doctor', '-i', 'hosts.yml', ...argv], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir }, wiring);
  return { code, stdout, stderr };
}

describe('beastie doctor output and secrets', () => {
  it('censors a vaulted ansible_host and an inventory password in the terminal, --json and --report output', async () => {
    const address = vaultStringYaml(encryptVault(Buffer.from('10.99.1.2'), Buffer.from('correct horse')), 'ansible_host').replace(/^/gm, '      ');
    await writeFile(
      join(dir, 'hosts.yml'),
      ['all:', '  hosts:', '    h1:', address.trimEnd(), '      ansible_password: hunter2-inventory', ''].join('\n'),
    );
    for (const output of [[], ['--json'], ['--report', 'report.html']]) {
      const transports = new RefusingTransports();
      const run = await doctor(['--vault-password-file', 'pw', ...output], transports);
      // The vaulted address was decrypted and used: the transport was asked for it.
      expect(transports.addresses).toEqual(['10.99.1.2']);
      expect(run.code, run.stderr).toBe(4);
      const shown = run.stdout + run.stderr + (output[0] === '--report' ? await readFile(join(dir, 'report.html'), 'utf8') : '');
      expect(shown).toContain('Connection refused');
      expect(shown).toContain('connect to *** port 22');
      expect(shown).not.toContain('10.99.1.2');
      expect(shown).not.toContain('hunter2-inventory');
    }
  });
});
