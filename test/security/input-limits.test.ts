// Hostile or broken input on the controller (README.md here: "a playbook author", and whoever
// writes the inventory or the --limit file): every case is refused with exit 5, its file:line
// where it has one, and no host contacted — never an out-of-memory, a hang, exit 250, or a run
// against every host. The real command line runs in-process with the real loader; only the
// transports are the test's, to see that none is ever opened.
import { moduleRegistry } from '../../src/module-api/registry.js';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allModules } from '../../modules/all.js';
import { main } from '../../src/cli/main.js';
import { MAX_INPUT_BYTES } from '../../src/input-text.js';
import { MAX_PATTERN_LENGTH } from '../../src/inventory/limit.js';
import { defaultWiring } from '../../src/cli/wiring.js';
import { TestTransportFactory } from '../fixtures/runner/harness.js';

let dir: string;
let inventory: string;
let playbook: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-input-limits-'));
  inventory = join(dir, 'hosts.yml');
  playbook = join(dir, 'site.yml');
  await writeFile(inventory, 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n    h2:\n      ansible_connection: local\n');
  await writeFile(playbook, '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `beastie ARGV` in-process; what it printed, its exit code and the hosts it opened. */
async function beastie(argv: readonly string[]): Promise<{ code: number; stderr: string; opened: readonly string[] }> {
  let stderr = '';
  const transports = new TestTransportFactory();
  const wiring = { ...defaultWiring(moduleRegistry(allModules)), transports: () => transports };
  const io = { stdout: { write: () => undefined }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir };
  const code = await main(argv, io, wiring);
  return { code, stderr, opened: transports.opened };
}

/** Expect exit 5, nothing opened, and the message (and position) in stderr. */
async function refused(argv: readonly string[], message: RegExp): Promise<void> {
  const run = await beastie(argv);
  expect(run.stderr).toMatch(message);
  expect(run.code, run.stderr).toBe(5);
  expect(run.opened).toEqual([]);
}

describe('input limits', () => {
  it('a --limit that does not parse is an error, not every host', async () => {
    await refused(['play', playbook, '-i', inventory, '--limit', '~[('], /does not parse: an unpaired \[/);
    await refused(['play', playbook, '-i', inventory, '--limit', ''], /names no host or group/);
    await refused(['play', playbook, '-i', inventory, '--limit', ',,,:::'], /is an empty pattern/);
  });

  it('a limit file with a 100,000-character line is refused at that line', async () => {
    const file = join(dir, 'limit.txt');
    await writeFile(file, `h1\n${'h'.repeat(100_000)}\n`);
    await refused(['play', playbook, '-i', inventory, '--limit', `@${file}`], new RegExp(`${file}:2:4097: line 2 of limit file`));
  });

  it('a --limit argument longer than a host pattern may be is refused', async () => {
    await refused(['play', playbook, '-i', inventory, '--limit', 'h'.repeat(MAX_PATTERN_LENGTH + 1)], new RegExp(`--limit is ${MAX_PATTERN_LENGTH + 1} characters long, more than beastie reads`));
  });

  it('an input file larger than beastie reads is refused before it is read', async () => {
    // Sparse: a size that is over the limit without writing 64 MiB.
    const file = join(dir, 'huge.yml');
    await writeFile(file, 'all:\n  hosts:\n    h1:\n');
    await truncate(file, MAX_INPUT_BYTES + 1);
    await refused(['play', playbook, '-i', file], new RegExp(`${file}:1:1: inventory file ${file} is ${MAX_INPUT_BYTES + 1} bytes, more than beastie reads`));
    await refused(['play', file, '-i', inventory], new RegExp(`${file}:1:1: .* is ${MAX_INPUT_BYTES + 1} bytes, more than beastie reads`));
  });

  it('a device as the inventory is refused, not read without end', async () => {
    await refused(['play', playbook, '-i', '/dev/zero'], /\/dev\/zero:1:1: inventory file \/dev\/zero is not a regular file/);
  });

  it('a host range of 100 million names is refused at the range', async () => {
    const file = join(dir, 'range.yml');
    await writeFile(file, 'all:\n  hosts:\n    h[0:99999999]:\n');
    await refused(['play', playbook, '-i', file], new RegExp(`${file}:3:6: bad host range .* names 100000000 hosts`));
  });

  it('a YAML alias bomb is refused where the aliases multiply', async () => {
    const file = join(dir, 'bomb.yml');
    const levels = ['    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, name] of [...'bcdefghi'].entries()) levels.push(`    ${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
    await writeFile(file, `- hosts: all\n  gather_facts: false\n  vars:\n${levels.join('\n')}\n  tasks:\n    - debug: {msg: hi}\n`);
    await refused(['play', file, '-i', inventory], new RegExp(`${file}:\\d+:\\d+: YAML aliases here expand to more than 1000 copies`));
  });

  it('a Latin-1 playbook is refused with its file and position, not read as U+FFFD', async () => {
    const file = join(dir, 'latin1.yml');
    await writeFile(file, Buffer.from('- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: "caf\xe9"}\n', 'latin1'));
    await refused(['play', file, '-i', inventory], new RegExp(`${file}:4:24: .* is not valid UTF-8`));
  });
});
