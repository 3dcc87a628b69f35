// The keywords of the keyword table as the runner applies them: check_mode, diff, environment,
// module_defaults, notify on blocks — over the local connection, files written in a temp dir.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { block, handler, play, task } from '../fixtures/runner/ast.js';
import { localInventory, runPlays, statuses } from '../fixtures/runner/harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-keywords-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const one = () => localInventory({ h1: {} });

describe('check_mode', () => {
  it('check_mode: false runs the task for real under --check, its result registered', async () => {
    const out = join(dir, 'real');
    const run = await runPlays(
      [
        play([
          task('t_cmd', { cmd: `echo ran > ${out}; echo done` }, { name: 'real', checkMode: false, register: 'r' }),
          task('t_cmd', { cmd: `echo {{ r.stdout }} > ${join(dir, 'planned')}` }, { name: 'planned' }),
        ]),
      ],
      one(),
      { check: true },
    );
    expect(await readFile(out, 'utf8')).toBe('ran\n');
    expect(existsSync(join(dir, 'planned'))).toBe(false);
    expect(statuses(run, 'real')).toEqual({ h1: 'changed' });
  });

  it('check_mode: true on a block forces check mode on its tasks without --check', async () => {
    const run = await runPlays([play([block([task('t_cmd', { cmd: `touch ${join(dir, 'x')}` }, { name: 'touch' })], { checkMode: true })])], one());
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(statuses(run, 'touch')).toEqual({ h1: 'changed' });
  });
});

describe('environment', () => {
  it('exports the merged environment (play, block, task) to the command, values quoted', async () => {
    const out = join(dir, 'env');
    await runPlays(
      [
        play([block([task('t_cmd', { cmd: `echo "$A|$B|$C" > ${out}` }, { name: 'env', environment: { C: '{{ c }}' } })], { environment: { B: "it's $HOME; `x`" } })], {
          environment: { A: 'play' },
          vars: { c: 'templated' },
        }),
      ],
      one(),
    );
    expect(await readFile(out, 'utf8')).toBe("play|it's $HOME; `x`|templated\n");
  });
});

describe('module_defaults', () => {
  it('gives a module its defaults by short name or FQCN; the task own parameters win', async () => {
    const out = join(dir, 'defaults');
    await runPlays(
      [
        play([task('t_cmd', {}, { name: 'uses default' }), task('t_cmd', { cmd: `echo own >> ${out}` }, { name: 'own' })], {
          moduleDefaults: { 'ansible.builtin.t_cmd': { cmd: `echo default >> ${out}` } },
        }),
      ],
      one(),
    );
    expect(await readFile(out, 'utf8')).toBe('default\nown\n');
  });
});

describe('notify and diff on blocks', () => {
  it("a block's notify is inherited by its tasks; diff: false keeps the diff out of the events", async () => {
    const run = await runPlays(
      [play([block([task('t_cmd', { cmd: 'true' }, { name: 'changes' })], { notify: ['restart'], diff: false })], { handlers: [handler('t_cmd', { cmd: 'true' }, 'restart')] })],
      one(),
    );
    expect(statuses(run, 'restart')).toEqual({ h1: 'changed' });
  });
});
