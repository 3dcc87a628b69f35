// What beastie writes on the controller may hold command output, which may be secret (README.md
// here: "another user of the controller"): the run log and the HTML report are created 0600, and
// the retry file is written whole under a name of its own run, then renamed into place.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    updateRetryFile(path, { failed: ['db01'], unreachable: [], untouched: [] });
    expect(await readFile(path, 'utf8')).toBe('db01\n');
    expect((await readdir(dir)).filter((name) => name.startsWith('site.retry'))).toEqual(['site.retry']);
  });
});
