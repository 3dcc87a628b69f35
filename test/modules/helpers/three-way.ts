// The three-way module check (STYLE.md principle 14) through the local connection, each run in
// its own temporary directory: apply (changed), --check on a fresh target (reports changed,
// changes nothing), apply again (not changed).
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ModuleDefinition } from '../../../src/module-api/module.js';
import { executeModule, type ModuleOutcome } from '../../../src/runner/execute-module.js';
import { HostSession } from '../../../src/runner/host-session.js';
import { LocalTransport } from '../../../src/transport/local.js';

/** Everything observable under a directory: paths, types, modes, bytes, link targets. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (path: string, rel: string): Promise<void> => {
    const stat = await lstat(path);
    const mode = (stat.mode & 0o7777).toString(8);
    if (stat.isSymbolicLink()) out[rel] = `link ${await readlink(path)}`;
    else if (stat.isDirectory()) {
      out[rel] = `dir ${mode}`;
      for (const name of (await readdir(path)).sort()) await walk(join(path, name), `${rel}/${name}`);
    } else out[rel] = `file ${mode} ${(await readFile(path)).toString('base64')}`;
  };
  await walk(dir, '.');
  return out;
}

/** Run a module once through the local connection. */
export function runLocal(module: ModuleDefinition, params: unknown, options: { check?: boolean; vars?: Record<string, unknown> } = {}): Promise<ModuleOutcome> {
  return executeModule({
    module,
    params: module.params.parse(params),
    session: new HostSession(new LocalTransport()),
    vars: options.vars ?? {},
    check: options.check ?? false,
  });
}

export interface ThreeWayCase {
  readonly module: ModuleDefinition;
  /** The task's parameters for a target directory. */
  params(dir: string): unknown;
  /** Put the target in its starting state. */
  prepare?(dir: string): Promise<void>;
  readonly vars?: Record<string, unknown>;
}

/** The three outcomes, after the three-way assertions held; temporary directories are removed. */
export async function threeWay(test: ThreeWayCase): Promise<{ first: ModuleOutcome; check: ModuleOutcome; second: ModuleOutcome; dir: string; cleanup(): Promise<void> }> {
  const applied = await mkdtemp(join(tmpdir(), 'beastie-mod-'));
  const fresh = await mkdtemp(join(tmpdir(), 'beastie-mod-check-'));
  try {
    await test.prepare?.(applied);
    await test.prepare?.(fresh);
    const vars = test.vars ?? {};
    const first = await runLocal(test.module, test.params(applied), { vars });
    expect(first.status, `apply: ${first.msg}`).toBe('changed');

    const before = await snapshot(fresh);
    const check = await runLocal(test.module, test.params(fresh), { check: true, vars });
    expect(check.status, `--check: ${check.msg}`).toBe('changed');
    expect(check.results).toHaveLength(0);
    expect(await snapshot(fresh)).toEqual(before);

    const second = await runLocal(test.module, test.params(applied), { vars });
    expect(second.status, `apply again: ${second.msg}`).toBe('ok');
    return { first, check, second, dir: applied, cleanup: () => rm(applied, { recursive: true, force: true }) };
  } catch (error) {
    await rm(applied, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}
