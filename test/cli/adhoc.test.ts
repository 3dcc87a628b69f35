// The ad-hoc mode (`beastie PATTERN -i INV -m MODULE -a ARGS`) as a user runs it, against two
// simulated FreeBSD hosts over SSH: ansible's output layout, -o, --tree, -m setup, exit codes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { runBeastie } from '../helpers/beastie-cli.js';

let fleet: TestFleet;
let scratch: string;
beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  scratch = await mkdtemp(join(tmpdir(), 'beastie-adhoc-'));
}, 180_000);
afterAll(async () => {
  await fleet?.down();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

const adhoc = (args: string[]) => runBeastie(['-i', fleet.inventory, ...args]);

describe('beastie PATTERN -m MODULE', () => {
  it('-m ping prints each host as SUCCESS with the JSON result; -m defaults to command', async () => {
    const ping = await adhoc(['all', '-m', 'ping']);
    expect(ping.stderr).toBe('');
    expect(ping.exitCode).toBe(0);
    for (const host of fleet.hosts) expect(ping.stdout).toContain(`${host.name} | SUCCESS => {\n    "changed": false,\n    "msg": "pong",\n    "ping": "pong"\n}\n`);
    const uname = await runBeastie([fleet.hosts[0]?.name ?? '', '-i', fleet.inventory, '-a', 'uname -s']);
    expect(uname.stdout).toBe(`${fleet.hosts[0]?.name} | CHANGED | rc=0 >>\nFreeBSD\n`);
  });

  it('-m shell -a shows rc and output; a failure is FAILED with exit 2; -o puts it on one line', async () => {
    const host = fleet.hosts[1]?.name ?? '';
    const shell = await adhoc([host, '-m', 'shell', '-a', 'echo one; echo two; exit 3']);
    expect(shell.exitCode).toBe(2);
    expect(shell.stdout).toBe(`${host} | FAILED | rc=3 >>\none\ntwo\n`);
    const oneLine = await adhoc([host, '-m', 'shell', '-a', 'printf "a\\nb"', '-o']);
    expect(oneLine.exitCode).toBe(0);
    expect(oneLine.stdout).toBe(`${host} | CHANGED | rc=0 | (stdout) a\\nb\n`);
  });

  it('-m setup --tree DIR writes each host\'s facts as JSON; key=value arguments reach the module', async () => {
    const tree = join(scratch, 'tree');
    const setup = await adhoc(['all', '-m', 'setup', '--tree', tree, '-o']);
    expect(setup.exitCode).toBe(0);
    for (const host of fleet.hosts) {
      const facts = JSON.parse(await readFile(join(tree, host.name), 'utf8')) as { ansible_facts: Record<string, unknown>; changed: boolean };
      expect(facts.changed).toBe(false);
      expect(facts.ansible_facts['system']).toBe('FreeBSD');
      expect(setup.stdout).toContain(`${host.name} | SUCCESS => {"ansible_facts":`);
    }
    const host = fleet.hosts[0]?.name ?? '';
    // /root, not /tmp: a simulated host owns /root, while its /tmp is the machine's own (sim/README.md).
    const touched = await adhoc([host, '-m', 'ansible.builtin.file', '-a', 'path=/root/adhoc-marker state=touch']);
    expect(touched.exitCode).toBe(0);
    expect(touched.stdout.startsWith(`${host} | CHANGED => {\n    "changed": true`)).toBe(true);
    expect((await fleet.ssh(host, 'test -f /root/adhoc-marker && echo there')).stdout).toBe('there\n');
  });

  it('bad input is exit 5 before any host is contacted: unknown module, missing command argument, unknown option', async () => {
    const typo = await adhoc(['all', '-m', 'pnig']);
    expect(typo.exitCode).toBe(5);
    expect(typo.stderr).toContain("'ping'");
    const bare = await adhoc(['all', '-m', 'shell']);
    expect(bare.exitCode).toBe(5);
    expect(bare.stderr).toContain('No argument passed to shell module');
    const option = await adhoc(['all', '--modul-name', 'ping']);
    expect(option.exitCode).toBe(5);
    expect(option.stderr).toContain('did you mean --module-name?');
    const none = await adhoc(['nosuchhost', '-m', 'ping']);
    expect(none.exitCode).toBe(0);
    expect(none.stderr).toContain('No hosts matched');
  });
});
