import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HtmlReporter } from '../../src/html-report/html-reporter.js';
import { counts, result, TestClock } from './events.js';

describe('HtmlReporter', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the page when the run closes, not before', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-html-reporter-'));
    const path = join(dir, 'run.html');
    const errors: string[] = [];
    const reporter = new HtmlReporter(path, { clock: new TestClock().read, onWriteError: (message) => errors.push(message) });
    reporter.emit({ event: 'run_start', playbook: 'site.yml', check: false, hosts: ['a'] });
    reporter.emit(result('a', 'hello', 'ok', 3));
    reporter.emit({ event: 'recap', hosts: { a: counts({ ok: 1 }) }, durationMs: 10, exitCode: 0 });
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
    await reporter.close();
    const html = await readFile(path, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('title="hello — ok — 3 ms — site.yml:7:7"');
    expect(errors).toEqual([]);
  });

  it('says where it could not write, without throwing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'beastie-html-reporter-'));
    const path = join(dir, 'missing', 'run.html');
    const errors: string[] = [];
    const reporter = new HtmlReporter(path, { onWriteError: (message) => errors.push(message) });
    reporter.emit({ event: 'run_start', playbook: 'site.yml', check: false, hosts: [] });
    await reporter.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`could not write the run report ${path}: ENOENT`);
  });
});
