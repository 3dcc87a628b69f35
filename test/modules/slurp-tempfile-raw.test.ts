import { lstat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import raw from '../../modules/raw.js';
import slurp, { planSlurp } from '../../modules/slurp.js';
import tempfile, { planTempfile, tempfileCommand, tempfilePath } from '../../modules/tempfile.js';
import { parseFreeForm } from '../../src/playbook/free-form.js';
import { runLocal } from './helpers/three-way.js';

describe('slurp', () => {
  const p = slurp.params.parse({ src: '/etc/hostid' });
  it('returns base64 content, encoding and source; never changed', () => {
    expect(planSlurp(p, { kind: 'file', content: Buffer.from([0, 255, 10]) })).toEqual({
      steps: [{ kind: 'noop', reason: 'read 3 bytes of /etc/hostid' }],
      values: { content: 'AP8K', encoding: 'base64', source: '/etc/hostid' },
    });
  });
  it('fails with Ansible\'s messages', () => {
    expect(planSlurp(p, { kind: 'absent' }).failure).toBe('file not found: /etc/hostid');
    expect(planSlurp(p, { kind: 'not-a-file' }).failure).toBe('source is a directory and must be a file: /etc/hostid');
    expect(slurp.params.parse({ path: '/x' })).toEqual({ src: '/x' });
    expect(() => slurp.params.parse({})).toThrow(/"src"/);
  });
  it('reads bytes exactly on the local connection', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-slurp-'));
    await writeFile(join(dir, 'b'), Buffer.from([1, 2, 3, 0, 200]));
    const outcome = await runLocal(slurp, { src: join(dir, 'b') });
    expect(outcome.status).toBe('ok');
    expect(Buffer.from(String(outcome.values['content']), 'base64')).toEqual(Buffer.from([1, 2, 3, 0, 200]));
    await rm(dir, { recursive: true });
  });
});

describe('tempfile', () => {
  const params = (p: Record<string, unknown>) => tempfile.params.parse(p);
  it.each([
    ['a file in $TMPDIR', {}, 'mktemp "${TMPDIR:-/tmp}"/ansible.XXXXXXXXXX'],
    ['a directory under path', { state: 'directory', path: '/var/tmp/' }, 'mktemp -d /var/tmp/ansible.XXXXXXXXXX'],
    ['a prefix with a quote', { prefix: "it's." }, `mktemp "\${TMPDIR:-/tmp}"/'it'\\''s.'XXXXXXXXXX`],
  ])('%s', (_name, p, expected) => {
    expect(tempfileCommand(params(p)).text).toBe(expected);
  });
  it('a suffix: drawn with mktemp -u, created exclusively', () => {
    const text = tempfileCommand(params({ suffix: '.conf' })).text;
    expect(text).toContain('mktemp -u "${TMPDIR:-/tmp}"/ansible.XXXXXXXXXX');
    expect(text).toContain('( set -C; : > "$t" )');
    expect(() => params({ suffix: '/../x' })).toThrow(/no \//);
  });
  it('always one change; path comes from what mktemp printed', () => {
    expect(planTempfile(params({})).steps).toHaveLength(1);
    expect(tempfilePath([{ command: 'mktemp', exitCode: 0, stdout: '/tmp/ansible.AbC\n', stderr: '', durationMs: 1 } as never])).toEqual({ path: '/tmp/ansible.AbC' });
  });
  it('creates a new private file or directory every run (local connection)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'beastie-tmp-'));
    const a = await runLocal(tempfile, { path: dir, suffix: '.x' });
    const b = await runLocal(tempfile, { path: dir, state: 'directory' });
    expect([a.status, b.status]).toEqual(['changed', 'changed']);
    expect(String(a.values['path'])).toMatch(new RegExp(`^${dir}/ansible\\.[A-Za-z0-9]{10}\\.x$`));
    expect((await lstat(String(a.values['path']))).mode & 0o777).toBe(0o600);
    expect((await lstat(String(b.values['path']))).mode & 0o777).toBe(0o700);
    const check = await runLocal(tempfile, { path: dir }, { check: true });
    expect(check).toMatchObject({ status: 'changed', results: [] });
    await rm(dir, { recursive: true });
  });
});

describe('raw', () => {
  it('runs the line free-form through the shell, changed, with rc and stdout', async () => {
    expect(raw.params.parse(parseFreeForm('echo a | tr a b'))).toEqual({ cmd: 'echo a | tr a b' });
    const outcome = await runLocal(raw, { cmd: 'echo a | tr a b; echo err >&2' });
    expect(outcome).toMatchObject({ status: 'changed', values: { rc: 0, stdout: 'b', stdout_lines: ['b'], stderr: 'err' } });
    const failed = await runLocal(raw, { cmd: 'exit 3' });
    expect(failed).toMatchObject({ status: 'failed', values: { rc: 3 } });
    expect(() => raw.params.parse({ cmd: 'x', chdir: '/' })).toThrow();
  });
});
