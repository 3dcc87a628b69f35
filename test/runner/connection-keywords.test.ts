// The connection / remote_user / port keywords and Ansible's precedence for them: the host's
// connection variables > task > block > play keywords > the command line (-c, -u, ansible.cfg).
// Every row below was checked against ansible-playbook 2.14 (Debian's ansible-core) with -vvv:
// "ESTABLISH SSH CONNECTION FOR USER: …", the ssh command's "-o Port=…", and "ESTABLISH LOCAL
// CONNECTION" for connection: local (see docs/ansible/connection-keywords.md).
import { describe, expect, it } from 'vitest';
import { withConnectionDefaults, type ConnectionDefaults } from '../../src/cli/command-line-defaults.js';
import type { Inventory } from '../../src/inventory/types.js';
import type { Play } from '../../src/playbook/types.js';
import { renderConnectionKeywords, underHostVars } from '../../src/runner/connection-keywords.js';
import { inventoryView } from '../../src/runner/inventory-view.js';
import { effectiveTask, type Scope } from '../../src/runner/scope.js';
import { handlebarsTemplates } from '../../src/runner/templates.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { ConnectionSettings, Transport, TransportFactory } from '../../src/transport/transport.js';
import { block, play, task } from '../fixtures/runner/ast.js';
import { runPlays } from '../fixtures/runner/harness.js';

type Written = { connection?: string; remoteUser?: string; port?: number | string };

interface Row {
  readonly name: string;
  readonly hostVars?: Record<string, unknown>;
  readonly play?: Written;
  readonly block?: Written;
  readonly task?: Written;
  readonly cli?: ConnectionDefaults & { ansible_connection?: string };
  readonly want: { connection: 'ssh' | 'local'; user?: string; port?: number };
}

const rows: readonly Row[] = [
  { name: 'nothing set: ssh, ssh’s own user and port', want: { connection: 'ssh' } },
  { name: '-u alone', cli: { ansible_user: 'cliuser' }, want: { connection: 'ssh', user: 'cliuser' } },
  { name: 'a play keyword beats -u', cli: { ansible_user: 'cliuser' }, play: { remoteUser: 'playuser' }, want: { connection: 'ssh', user: 'playuser' } },
  { name: 'a block beats its play', play: { remoteUser: 'playuser' }, block: { remoteUser: 'blockuser' }, want: { connection: 'ssh', user: 'blockuser' } },
  { name: 'a task beats its block', play: { remoteUser: 'playuser' }, block: { remoteUser: 'blockuser' }, task: { remoteUser: 'taskuser' }, want: { connection: 'ssh', user: 'taskuser' } },
  {
    name: "the host's ansible_user beats every keyword and -u",
    hostVars: { ansible_user: 'invuser' },
    cli: { ansible_user: 'cliuser' },
    play: { remoteUser: 'playuser' },
    task: { remoteUser: 'taskuser' },
    want: { connection: 'ssh', user: 'invuser' },
  },
  { name: 'the older alias ansible_ssh_user beats a keyword too', hostVars: { ansible_ssh_user: 'sshalias' }, task: { remoteUser: 'taskuser' }, want: { connection: 'ssh', user: 'sshalias' } },
  { name: "the port keyword where the host sets none; -u still holds", cli: { ansible_user: 'cliuser' }, play: { port: 2222 }, want: { connection: 'ssh', user: 'cliuser', port: 2222 } },
  { name: "the host's ansible_port beats the port keyword", hostVars: { ansible_port: 22 }, task: { port: 2222 }, want: { connection: 'ssh', port: 22 } },
  { name: 'connection: local beats -c ssh', cli: { ansible_connection: 'ssh' }, play: { connection: 'local' }, want: { connection: 'local' } },
  { name: "the host's ansible_connection: ssh beats connection: local and -c local", hostVars: { ansible_connection: 'ssh' }, cli: { ansible_connection: 'local' }, play: { connection: 'local' }, want: { connection: 'ssh' } },
  { name: 'a task back to ssh inside a local play', play: { connection: 'local' }, task: { connection: 'ssh' }, want: { connection: 'ssh' } },
  { name: 'templates rendered with the host variables', hostVars: { deploy_user: 'ops', ssh_port: '2022' }, play: { remoteUser: '{{ deploy_user }}', port: '{{ ssh_port }}' }, want: { connection: 'ssh', user: 'ops', port: 2022 } },
];

const templates = handlebarsTemplates();

function keywords(written: Written | undefined): { connection: string | undefined; remoteUser: string | undefined; port: number | string | undefined } {
  return { connection: written?.connection, remoteUser: written?.remoteUser, port: written?.port };
}

function inventoryOf(hosts: Record<string, Record<string, unknown>>): Inventory {
  return {
    source: 'hosts.yml',
    warnings: [],
    hosts: new Map(Object.entries(hosts).map(([name, vars]) => [name, { name, vars }])),
    groups: new Map([
      ['all', { name: 'all', hosts: [], children: ['ungrouped'], vars: {} }],
      ['ungrouped', { name: 'ungrouped', hosts: Object.keys(hosts), children: [], vars: {} }],
    ]),
  };
}

/** The settings the host is reached with for the row's task, as the runner computes them. */
function settingsFor(row: Row): ConnectionSettings {
  const view = withConnectionDefaults(inventoryView(inventoryOf({ h1: row.hostVars ?? {} })), row.cli ?? {});
  const thePlay: Play = play([], keywords(row.play));
  const scope: Scope = [{ node: block([], keywords(row.block)), kind: 'block', rescuable: false, vars: {} }];
  const effective = effectiveTask(task('ping', {}, keywords(row.task)), scope, thePlay);
  const vars = view.hostVars('h1');
  const rendered = renderConnectionKeywords(templates, effective, vars, thePlay.source);
  return view.connection('h1', underHostVars(vars, rendered));
}

describe('connection keywords: Ansible precedence', () => {
  for (const row of rows) {
    it(row.name, () => {
      const settings = settingsFor(row);
      expect({ connection: settings.connection, user: settings.user, port: settings.port }).toEqual({ connection: row.want.connection, user: row.want.user, port: row.want.port });
    });
  }

  it('a port that is not a port number is invalid input naming the keyword', () => {
    expect(() => settingsFor({ name: 'bad', hostVars: { p: 'x22' }, task: { port: '{{ p }}' }, want: { connection: 'ssh' } })).toThrow(/'port' must be a port number from 1 to 65535 \(got "x22"\)/);
    expect(() => settingsFor({ name: 'bad', task: { port: 70000 }, want: { connection: 'ssh' } })).toThrow(/'port' must be a port number/);
  });

  it('an unsupported connection plugin fails as the inventory variable would', () => {
    expect(() => settingsFor({ name: 'docker', task: { connection: 'community.docker.docker' }, want: { connection: 'ssh' } })).toThrow(/ansible_connection 'community.docker.docker' of host h1 is not supported/);
  });
});

/** A factory that runs everything locally and records each connection it was asked to open. */
class RecordingFactory implements TransportFactory {
  readonly opened: { connection: string; user: string | undefined; port: number | undefined }[] = [];
  readonly hosts: string[] = [];
  open(settings: ConnectionSettings): Transport {
    this.opened.push({ connection: settings.connection, user: settings.user, port: settings.port });
    this.hosts.push(settings.host);
    return new LocalTransport(settings.host);
  }
  async closeAll(): Promise<void> {}
}

describe('connection keywords in a run', () => {
  it("the play's keywords are the host's connection; a task's own open a second one, reused by the next task with the same", async () => {
    const transports = new RecordingFactory();
    const run = await runPlays(
      [
        play(
          [
            task('command', { cmd: 'true' }, { name: 'as the play says' }),
            task('command', { cmd: 'true' }, { name: 'as deploy', remoteUser: 'deploy' }),
            block([task('command', { cmd: 'true' }, { name: 'as deploy again' })], { remoteUser: 'deploy' }),
            task('command', { cmd: 'true' }, { name: 'on port 2222', port: 2222 }),
          ],
          { remoteUser: 'admin' },
        ),
      ],
      inventoryOf({ h1: {} }),
      { transports },
    );
    expect(run.reporter.events.filter((e) => e.event === 'task_result').map((e) => (e.event === 'task_result' ? e.status : ''))).toEqual(['changed', 'changed', 'changed', 'changed']);
    expect(transports.opened).toEqual([
      { connection: 'ssh', user: 'admin', port: undefined },
      { connection: 'ssh', user: 'deploy', port: undefined },
      { connection: 'ssh', user: 'admin', port: 2222 },
    ]);
  });

  it("keywords the host's variables override open no second connection", async () => {
    const transports = new RecordingFactory();
    await runPlays(
      [play([task('command', { cmd: 'true' }), task('command', { cmd: 'true' }, { remoteUser: 'other' })], { remoteUser: 'admin' })],
      inventoryOf({ h1: { ansible_user: 'invuser' } }),
      { transports },
    );
    expect(transports.opened).toEqual([{ connection: 'ssh', user: 'invuser', port: undefined }]);
  });

  it('each play connects as its own keywords say', async () => {
    const transports = new RecordingFactory();
    await runPlays(
      [play([task('command', { cmd: 'true' })], { connection: 'local' }), play([task('command', { cmd: 'true' })], { remoteUser: 'second' })],
      inventoryOf({ h1: {} }),
      { transports },
    );
    expect(transports.opened).toEqual([
      { connection: 'local', user: undefined, port: undefined },
      { connection: 'ssh', user: 'second', port: undefined },
    ]);
  });

  it('a delegated task takes remote_user where the delegated host sets none, not the port nor connection: local (PlayContext)', async () => {
    const transports = new RecordingFactory();
    await runPlays(
      [
        play([task('command', { cmd: 'true' }, { name: 'there', delegateTo: 'h2' }), task('command', { cmd: 'true' }, { name: 'own', delegateTo: 'h3' })], {
          hosts: 'h1',
          remoteUser: 'admin',
          port: 2222,
          connection: 'local',
        }),
      ],
      inventoryOf({ h1: {}, h2: {}, h3: { ansible_user: 'h3user' } }),
      { transports },
    );
    expect(transports.hosts).toEqual(['h1', 'h2', 'h3']);
    expect(transports.opened).toEqual([
      { connection: 'local', user: 'admin', port: 2222 },
      { connection: 'ssh', user: 'admin', port: undefined },
      { connection: 'ssh', user: 'h3user', port: undefined },
    ]);
  });
});
