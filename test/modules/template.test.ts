import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir, userInfo } from 'node:os';
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

describe("the template module's own variables", () => {
  it('template_path (src as written), template_fullpath, template_destpath, template_host, template_uid, ansible_managed', async () => {
    const file = join(playbook, 'templates', 'motd.j2');
    await writeFile(file, '# {{ ansible_managed }}\n{{ template_path }} {{ template_fullpath == full }} {{ template_destpath }} {{ template_host == host }} {{ template_uid == user }}\n');
    const out = renderTemplateFile(file, await readFile(file, 'utf8'), { full: file, host: hostname(), user: userInfo().username }, [], { src: 'motd.j2', dest: '/etc/motd' });
    expect(out.kind === 'found' && out.content.toString()).toBe('# Ansible managed\nmotd.j2 True /etc/motd True True\n');
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
