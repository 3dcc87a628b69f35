// What beastie writes on the controller may hold command output, which may be secret (README.md
// here: "another user of the controller"): the run log and the HTML report are created 0600, and
// the retry file is written whole under a name of its own run, then renamed into place, and a run
// replaces only its own hosts' lines (two runs of one playbook never drop each other's lists).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunLogger } from '../../src/log/run-logger.js';
import { HtmlReporter } from '../../src/html-report/html-reporter.js';
import { updateRetryFile } from '../../src/retry/retry-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-file-modes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('files beastie writes on the controller', () => {
  it('creates the run log and the HTML report readable by their owner only', async () => {
    const previous = process.umask(0o022);
    try {
      const log = join(dir, 'run.log');
      const logger = createRunLogger(log);
      logger.logger.info({ stdout: 'secret output' }, 'command');
      logger.close();
      expect((await stat(log)).mode & 0o777).toBe(0o600);
      const report = join(dir, 'report.html');
      const reporter = new HtmlReporter(report, { onWriteError: (message) => expect.fail(message) });
      await reporter.close();
      expect((await stat(report)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('writes the retry file whole and leaves no temporary file', async () => {
    const path = join(dir, 'site.retry');
    updateRetryFile(path, { failed: ['web01'], unreachable: ['web02'], untouched: [] });
    updateRetryFile(path, { failed: ['db01'], unreachable: [], untouched: [], ran: ['web01', 'web02', 'db01'] });
    expect(await readFile(path, 'utf8')).toBe('db01\n');
    expect((await readdir(dir)).filter((name) => name.startsWith('site.retry'))).toEqual(['site.retry']);
  });

  it('keeps the list of a run on other hosts: a run replaces only the lines of the hosts it ran', async () => {
    const path = join(dir, 'two-runs.retry');
    // Run 1 (--limit web) leaves web01 failed; run 2 (--limit db) finishes every host it has.
    updateRetryFile(path, { failed: ['web01'], unreachable: [], untouched: [], ran: ['web01', 'web02'] });
    expect(updateRetryFile(path, { failed: [], unreachable: [], untouched: [], ran: ['db01'] })).toMatchObject({ kind: 'written', hosts: ['web01'] });
    updateRetryFile(path, { failed: ['db01'], unreachable: [], untouched: [], ran: ['db01'] });
    expect(await readFile(path, 'utf8')).toBe('web01\ndb01\n');
    // The re-run of web01 finishes it: only db01 is left.
    updateRetryFile(path, { failed: [], unreachable: [], untouched: [], ran: ['web01'] });
    expect(await readFile(path, 'utf8')).toBe('db01\n');
  });

  it('loses no run\'s hosts when runs update the file at the same time', async () => {
    const path = join(dir, 'racing.retry');
    const script = join(dir, 'racer.mjs');
    // Each racer is one run after another, each run failing one new host of its own; bundled to
    // plain JavaScript first so the racers start as fast as node does.
    await build({
      stdin: {
        contents: `import { updateRetryFile } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'retry', 'retry-file.ts'))};
const [path, name] = process.argv.slice(2);
for (let i = 0; i < 60; i++) updateRetryFile(path, { failed: [name + i], unreachable: [], untouched: [], ran: [name + i] });`,
        resolveDir: dir,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'silent',
    });
    const racer = (name: string) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [script, path, name], { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('error', reject);
        child.on('close', resolve);
      });
    expect(await Promise.all([racer('a'), racer('b')])).toEqual([0, 0]);
    const listed = new Set((await readFile(path, 'utf8')).split('\n').filter((line) => line !== ''));
    const missing = ['a', 'b'].flatMap((name) => Array.from({ length: 60 }, (_, i) => `${name}${i}`)).filter((host) => !listed.has(host));
    expect(missing).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.startsWith('racing.retry'))).toEqual(['racing.retry']);
  });
});
