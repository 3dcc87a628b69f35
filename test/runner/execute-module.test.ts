import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sh } from '../../src/command/command.js';
import { defineFact } from '../../src/facts/fact.js';
import { defineModule } from '../../src/module-api/module.js';
import { executeModule } from '../../src/runner/execute-module.js';
import { HostSession } from '../../src/runner/host-session.js';
import { LocalTransport } from '../../src/transport/local.js';

// A small module written against the contract: ensure a file holds a line.
const fileText = (path: string) =>
  defineFact(`text:${path}`, sh`cat ${path} 2>/dev/null`, (o) => (o.exitCode === 0 ? o.stdout : undefined));

const ensureText = defineModule({
  name: 'ensure_text',
  summary: 'test module',
  params: z.strictObject({ path: z.string(), text: z.string(), lie: z.boolean().default(false) }),
  example: '',
  async observe(host, params) {
    const [text] = await host.facts(fileText(params.path));
    return { text };
  },
  plan({ params, facts }) {
    if (facts.text === params.text) return { steps: [{ kind: 'noop', reason: `${params.path} holds the text` }] };
    const command = params.lie ? sh`true` : sh`printf %s ${params.text} > ${params.path}`;
    return {
      steps: [
        {
          kind: 'change',
          summary: `write ${params.path}`,
          actions: [{ kind: 'run', command }],
          diff: { header: params.path, before: facts.text ?? '', after: params.text },
        },
      ],
    };
  },
  verify({ params, facts }) {
    return facts.text === params.text ? undefined : `${params.path} still does not hold the text after writing it`;
  },
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-exec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (params: Record<string, unknown>, check = false, session = new HostSession(new LocalTransport())) =>
  executeModule({ module: ensureText, params: ensureText.params.parse(params), session, vars: {}, check });

describe('executeModule', () => {
  it('applies (changed), then a second run is ok with the reason', async () => {
    const path = join(dir, 'f');
    const first = await run({ path, text: "it's" });
    expect(first.status).toBe('changed');
    expect(first.diffs).toEqual([{ header: path, before: '', after: "it's" }]);
    expect(await readFile(path, 'utf8')).toBe("it's");
    const second = await run({ path, text: "it's" });
    expect(second).toMatchObject({ status: 'ok', msg: `${path} holds the text` });
  });

  it('--check reports the change and changes nothing', async () => {
    const path = join(dir, 'f');
    await writeFile(path, 'old');
    const outcome = await run({ path, text: 'new' }, true);
    expect(outcome.status).toBe('changed');
    expect(outcome.results).toHaveLength(0);
    expect(await readFile(path, 'utf8')).toBe('old');
  });

  it('observes again after acting: a tool that lies about success fails the task', async () => {
    const outcome = await run({ path: join(dir, 'f'), text: 'x', lie: true });
    expect(outcome.status).toBe('failed');
    expect(outcome.msg).toMatch(/still does not hold the text/);
  });

  it('a failing command fails the task with its exit code and stderr', async () => {
    const outcome = await run({ path: join(dir, 'missing-dir', 'f'), text: 'x' });
    expect(outcome.status).toBe('failed');
    expect(outcome.msg).toMatch(/exited [12]/);
    expect(outcome.msg).toMatch(/No such file or directory|nonexistent|cannot create/);
    expect(outcome.values['rc']).not.toBe(0);
  });
});

describe('a task inside a jail that does not run', async () => {
  const { JailNotRunningError, JailTransport } = await import('../../src/transport/jail.js');
  const jexecNotFound = {
    host: 'h',
    run: async () => ({ command: 'jexec', exitCode: 1, stdout: '', stderr: 'jexec: jail "bhyve" not found\n', durationMs: 1 }),
    put: async () => undefined,
    get: async () => undefined,
    close: async () => undefined,
  };
  const inJail = () => new HostSession(new JailTransport(jexecNotFound, 'bhyve'));
  const params = ensureText.params.parse({ path: '/etc/x', text: 'y' });

  it('--check reports it as changed and says why nothing could be observed', async () => {
    const outcome = await executeModule({ module: ensureText, params, session: inJail(), vars: {}, check: true });
    expect(outcome.status).toBe('changed');
    expect(outcome.msg).toMatch(/jail 'bhyve' does not run yet, so nothing inside it can be observed in --check/);
  });

  it('a real run fails with jexec\'s own words and the fix', async () => {
    const run = executeModule({ module: ensureText, params, session: inJail(), vars: {}, check: false });
    await expect(run).rejects.toThrow(JailNotRunningError);
    await expect(run).rejects.toThrow(`jail 'bhyve' is not running: jexec: jail "bhyve" not found`);
  });
});
