import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import template, { renderTemplateFile } from '../../modules/template.js';
import { runLocal, threeWay } from './helpers/three-way.js';

let playbook: string;
beforeEach(async () => {
  playbook = await mkdtemp(join(tmpdir(), 'beastie-tpl-'));
  await mkdir(join(playbook, 'templates'));
});
afterEach(async () => {
  await rm(playbook, { recursive: true, force: true });
});

describe('renderTemplateFile', () => {
  it('renders strictly, without HTML escaping', () => {
    const out = renderTemplateFile('/t/guest.conf.hbs', 'loader="{{ loader }}"\nname=<{{ name }}>\n', { loader: 'uefi', name: 'a&b' }, []);
    expect(out).toEqual({ kind: 'found', content: Buffer.from('loader="uefi"\nname=<a&b>\n') });
  });

  it('an undefined variable names the variable and the template file', () => {
    const out = renderTemplateFile('/t/guest.conf.hbs', 'cpu={{ cpus }}\n', {}, []);
    expect(out.kind).toBe('missing');
    expect(out.kind === 'missing' && out.message).toMatch(/template \/t\/guest\.conf\.hbs: .*cpus/);
  });
});

describe('template on the local connection', () => {
  it('three ways: renders from playbook_dir/templates into dest/ without the .hbs suffix', async () => {
    await writeFile(join(playbook, 'templates', 'guest.conf.hbs'), 'loader="{{ loader }}"\ncpu={{ cpus }}\n');
    const vars = { playbook_dir: playbook, loader: 'bhyveload', cpus: 2 };
    const { first, dir, cleanup } = await threeWay({
      module: template,
      vars,
      prepare: (dir) => mkdir(join(dir, 'vm')),
      params: (dir) => ({ src: 'guest.conf.hbs', dest: `${join(dir, 'vm')}/`, mode: '0644' }),
    });
    expect(await readFile(join(dir, 'vm', 'guest.conf'), 'utf8')).toBe('loader="bhyveload"\ncpu=2\n');
    expect(first.diffs[0]?.after).toBe('loader="bhyveload"\ncpu=2\n');
    await cleanup();
  });

  it('an undefined variable fails the task and writes nothing', async () => {
    await writeFile(join(playbook, 'templates', 't.hbs'), '{{ missing_var }}');
    const dest = join(playbook, 'out');
    const outcome = await runLocal(template, { src: 't.hbs', dest }, { vars: { playbook_dir: playbook } });
    expect(outcome.status).toBe('failed');
    expect(outcome.msg).toMatch(/missing_var/);
    await expect(readFile(dest)).rejects.toThrow(/ENOENT/);
  });
});
