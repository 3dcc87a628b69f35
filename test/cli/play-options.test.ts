// ansible-playbook's options on `beastie play`, and the ANSIBLE_* / ansible.cfg fallbacks, seen
// from the connection settings and become specs the runner hands the transports.
import { moduleRegistry } from '../../src/module-api/registry.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, type MainWiring } from '../../src/cli/main.js';
import type { Playbook } from '../../src/playbook/types.js';
import type { ConnectionSettings, TransportFactory } from '../../src/transport/transport.js';
import { play, task } from '../fixtures/runner/ast.js';
import { RecordingTransport, testServices, type RecordedRun } from '../fixtures/runner/harness.js';
import { testModules } from '../fixtures/runner/test-modules.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-playopts-'));
  await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n    h2:\n      ansible_user: own\n      ansible_become: false\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const site: Playbook = { path: 'site.yml', plays: [play([task('t_cmd', { cmd: 'echo task-marker' }, { name: 'run' })], { name: 'all hosts' })], warnings: [] };
/** The become spec the task's command ran with on `host`. */
const taskBecome = (runs: readonly RecordedRun[], host: string) => runs.find((r) => r.host === host && r.command.includes('task-marker'))?.options.become;

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, playbook: Playbook = site, askLine?: (prompt: string) => Promise<string>) {
  let stdout = '';
  let stderr = '';
  const settings: ConnectionSettings[] = [];
  const runs: RecordedRun[] = [];
  const factory: TransportFactory = {
    open: (connection) => {
      settings.push(connection);
      return new RecordingTransport(connection.host, runs);
    },
    closeAll: async () => undefined,
  };
  const wiring: MainWiring = { loadPlaybook: async () => playbook, services: testServices(), transports: () => factory, modules: moduleRegistry(testModules) };
  const code = await main(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: dir, ...(askLine === undefined ? {} : { askLine }) }, wiring);
  const of = (host: string) => settings.find((s) => s.host === host);
  return { code, stdout, stderr, of, runs };
}

describe('beastie play connection and become options', () => {
  it('-u, --private-key, -T, --ssh-common-args and -b are defaults the inventory overrides', async () => {
    const run = await cli(['play', 'site.yml', '-i', 'hosts.yml', '-u', 'admin', '--private-key', '/keys/id', '-T', '4', '--ssh-common-args', '-o ProxyJump=j', '-b', '--become-user', 'ops', '--json']);
    expect(run.code).toBe(0);
    expect(run.of('h1')).toMatchObject({ user: 'admin', privateKeyFile: '/keys/id', connectTimeoutMs: 4000, sshArgs: '-o ProxyJump=j' });
    expect(run.of('h2')?.user).toBe('own');
    expect(taskBecome(run.runs, 'h1')).toEqual({ method: 'sudo', user: 'ops' });
    expect(taskBecome(run.runs, 'h2')).toBeUndefined();
  });

  it('-c (or ANSIBLE_TRANSPORT) is the connection of hosts whose inventory names none; ansible_connection wins', async () => {
    await writeFile(join(dir, 'mixed.yml'), 'all:\n  hosts:\n    h1:\n    h2:\n      ansible_connection: ssh\n');
    for (const [argv, env] of [[['-c', 'local'], {}], [['--connection', 'local'], {}], [[], { ANSIBLE_TRANSPORT: 'local' }]] as const) {
      const run = await cli(['play', 'site.yml', '-i', 'mixed.yml', ...argv, '--json'], env);
      expect(run.code).toBe(0);
      expect([run.of('h1')?.connection, run.of('h2')?.connection]).toEqual(['local', 'ssh']);
    }
    expect((await cli(['play', 'site.yml', '-i', 'mixed.yml', '--json'])).of('h1')?.connection).toBe('ssh');
  });

  it('a play that says become: false is not escalated by -b', async () => {
    const quiet: Playbook = { path: 'site.yml', plays: [play([task('t_cmd', { cmd: 'echo task-marker' }, { name: 'run' })], { name: 'p', become: false })], warnings: [] };
    const run = await cli(['play', 'site.yml', '-i', 'hosts.yml', '-b', '--json'], {}, quiet);
    expect(run.runs.filter((r) => r.command.includes('task-marker'))).toHaveLength(2);
    expect(taskBecome(run.runs, 'h1')).toBeUndefined();
  });

  it('ANSIBLE_* variables and ./ansible.cfg fill what the command line leaves out (CLI > env > cfg)', async () => {
    await writeFile(join(dir, 'ansible.cfg'), '[defaults]\ninventory = hosts.yml\nremote_user = cfguser\nretry_files_enabled = False\n[privilege_escalation]\nbecome = yes\nbecome_method = doas\n');
    const fromCfg = await cli(['play', 'site.yml', '--json']);
    expect(fromCfg.code).toBe(0);
    expect(fromCfg.of('h1')?.user).toBe('cfguser');
    expect(taskBecome(fromCfg.runs, 'h1')).toEqual({ method: 'doas' });
    const fromEnv = await cli(['play', 'site.yml', '--json'], { ANSIBLE_REMOTE_USER: 'envuser', ANSIBLE_BECOME: 'false' });
    expect(fromEnv.of('h1')?.user).toBe('envuser');
    expect(taskBecome(fromEnv.runs, 'h1')).toBeUndefined();
    const fromLine = await cli(['play', 'site.yml', '--json', '-u', 'lineuser'], { ANSIBLE_REMOTE_USER: 'envuser' });
    expect(fromLine.of('h1')?.user).toBe('lineuser');
  });

  it('several -i are merged; --become-method outside sudo/doas/su is exit 5', async () => {
    await writeFile(join(dir, 'more.ini'), 'h3 ansible_user=three\n');
    const run = await cli(['play', 'site.yml', '-i', 'hosts.yml', '-i', 'more.ini', '--json']);
    expect(run.of('h3')?.user).toBe('three');
    expect(run.of('h1')).toBeDefined();
    const bad = await cli(['play', 'site.yml', '-i', 'hosts.yml', '--become-method', 'pbrun']);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain("become method 'pbrun' (--become-method) is not supported");
  });

  it('retry files follow retry_files_enabled and retry_files_save_path', async () => {
    const failing: Playbook = { path: 'site.yml', plays: [play([task('t_fail', {}, { name: 'fail' })], { name: 'p' })], warnings: [] };
    await writeFile(join(dir, 'ansible.cfg'), `[defaults]\nretry_files_save_path = ${join(dir, 'retries')}\n`);
    const saved = await cli(['play', 'site.yml', '-i', 'h1,', '--json'], {}, failing);
    expect(saved.code).toBe(2);
    expect(await readFile(join(dir, 'retries', 'site.retry'), 'utf8')).toBe('h1\n');
    await writeFile(join(dir, 'ansible.cfg'), '[defaults]\nretry_files_enabled = False\n');
    await rm(join(dir, 'retries'), { recursive: true });
    expect((await cli(['play', 'site.yml', '-i', 'h1,', '--json'], {}, failing)).code).toBe(2);
    await expect(readFile(join(dir, 'retries', 'site.retry'), 'utf8')).rejects.toThrow();
    await expect(readFile(join(dir, 'site.retry'), 'utf8')).rejects.toThrow();
  });

  it('error_on_missing_handler: on by default (the run ends at the notify, exit 2); False in ansible.cfg or the environment makes it a warning', async () => {
    const notifying: Playbook = {
      path: 'site.yml',
      plays: [play([task('t_cmd', { cmd: 'true' }, { name: 'change', notify: ['nowhere'] }), task('t_cmd', { cmd: 'echo after-marker' }, { name: 'after' })], { name: 'p' })],
      warnings: [],
    };
    const after = (run: Awaited<ReturnType<typeof cli>>) => run.runs.some((r) => r.command.includes('after-marker'));
    const strict = await cli(['play', 'site.yml', '-i', 'h1,', '--json'], {}, notifying);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain("The requested handler 'nowhere' was not found");
    expect(after(strict)).toBe(false);
    const fromEnv = await cli(['play', 'site.yml', '-i', 'h1,', '--json'], { ANSIBLE_ERROR_ON_MISSING_HANDLER: 'false' }, notifying);
    expect(fromEnv.code).toBe(0);
    expect(after(fromEnv)).toBe(true);
    await writeFile(join(dir, 'ansible.cfg'), '[defaults]\nerror_on_missing_handler = False\n');
    const fromCfg = await cli(['play', 'site.yml', '-i', 'h1,', '--json'], {}, notifying);
    expect(fromCfg.code).toBe(0);
    expect(fromCfg.stdout).toContain("The requested handler 'nowhere' was not found");
  });

  it('--step asks before each task: n skips, y runs, c runs the rest without asking', async () => {
    const three: Playbook = { path: 'site.yml', plays: [play(['a', 'b', 'c', 'd'].map((name) => task('t_cmd', { cmd: `echo step-${name}` }, { name })), { name: 'p' })], warnings: [] };
    const answers = ['n', 'y', 'c'];
    const prompts: string[] = [];
    const run = await cli(['play', 'site.yml', '-i', 'h1,', '--json', '--step'], {}, three, async (prompt) => {
      prompts.push(prompt);
      return answers.shift() ?? 'n';
    });
    expect(prompts).toEqual(['Perform task: TASK: a (N)o/(y)es/(c)ontinue: ', 'Perform task: TASK: b (N)o/(y)es/(c)ontinue: ', 'Perform task: TASK: c (N)o/(y)es/(c)ontinue: ']);
    expect(run.runs.map((r) => r.command).join('\n')).not.toContain('echo step-a');
    for (const name of ['b', 'c', 'd']) expect(run.runs.map((r) => r.command).join('\n')).toContain(`echo step-${name}`);
    const noTerminal = await cli(['play', 'site.yml', '-i', 'h1,', '--step']);
    expect(noTerminal.code).toBe(5);
  });

  it('--version, --list-tags, -M and --flush-cache', async () => {
    const version = await cli(['play', '--version']);
    expect(version.stdout).toMatch(/^beastie play \[beastie \d+\.\d+\.\d+, follows ansible-core 2\.14\]\n {2}config file = None\n/);
    const tagged: Playbook = { path: 'site.yml', plays: [play([task('t_cmd', { cmd: 'true' }, { name: 'x', tags: ['pkg', 'base'] })], { name: 'p', tags: ['web'] })], warnings: [] };
    const tags = await cli(['play', 'site.yml', '-i', 'hosts.yml', '--list-tags'], {}, tagged);
    expect(tags.stdout).toContain('TASK TAGS: [base, pkg, web]');
    const noted = await cli(['play', 'site.yml', '-i', 'hosts.yml', '-M', './library', '--flush-cache', '-v', '--json']);
    expect(noted.code).toBe(0);
    expect(noted.stderr).toContain("-M/--module-path ./library is accepted and ignored");
    expect(noted.stderr).toContain('--flush-cache');
  });
});
