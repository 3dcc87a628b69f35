// Observation batches facts (STYLE.md principle 2): each module reads what it needs in one round
// trip when nothing has to change, and copy/template read the old bytes only when they differ.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import blockinfile from '../../modules/blockinfile.js';
import command from '../../modules/command.js';
import copy from '../../modules/copy.js';
import file from '../../modules/file.js';
import lineinfile from '../../modules/lineinfile.js';
import type { ModuleDefinition } from '../../src/module-api/module.js';
import { executeModule } from '../../src/runner/execute-module.js';
import { HostSession } from '../../src/runner/host-session.js';
import { LocalTransport } from '../../src/transport/local.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-rt-'));
  await writeFile(join(dir, 'f'), 'a\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function roundTrips(module: ModuleDefinition, params: unknown): Promise<number> {
  const session = new HostSession(new LocalTransport());
  await executeModule({ module, params: module.params.parse(params), session, vars: {}, check: true });
  return session.facts.roundTrips;
}

describe('round trips to observe', () => {
  it('one for lineinfile, blockinfile, file, command with creates and removes, and an unchanged copy', async () => {
    expect(await roundTrips(lineinfile, { path: join(dir, 'f'), line: 'a' })).toBe(1);
    expect(await roundTrips(blockinfile, { path: join(dir, 'f'), block: 'x' })).toBe(1);
    expect(await roundTrips(file, { path: join(dir, 'f'), mode: '0644' })).toBe(1);
    expect(await roundTrips(command, { cmd: 'true', creates: join(dir, 'x'), removes: join(dir, 'f') })).toBe(1);
    expect(await roundTrips(copy, { dest: join(dir, 'f'), content: 'a\n' })).toBe(1);
  });

  it('two for a copy whose content differs (the old bytes, for --diff)', async () => {
    expect(await roundTrips(copy, { dest: join(dir, 'f'), content: 'b\n' })).toBe(2);
  });
});
