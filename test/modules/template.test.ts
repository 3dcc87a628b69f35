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

describe("the template module's Jinja2 arguments", () => {
  it('delimiter strings, lstrip_blocks, newline_sequence and output_encoding shape what is written', async () => {
    // A Go template's {{ }} stays text when the task moves Jinja to other delimiters.
    await writeFile(join(playbook, 'templates', 'conf.j2'), 'name=[[ name ]] go={{ .Name }}\n    <% if on %>\ncafé=<< name >>\n    <% endif %>\n');
    const dest = join(playbook, 'conf');
    const params = {
      src: 'conf.j2', dest, lstrip_blocks: true, newline_sequence: '\\r\\n', output_encoding: 'latin-1',
      variable_start_string: '[[', variable_end_string: ']]', block_start_string: '<%', block_end_string: '%>',
    };
    const outcome = await runLocal(template, params, { vars: { playbook_dir: playbook, name: 'www', on: true } });
    expect(outcome.status, outcome.msg).toBe('changed');
    expect(await readFile(dest)).toEqual(Buffer.from('name=www go={{ .Name }}\r\ncafé=<< name >>\r\n', 'latin1'));
  });

  it("trim_blocks: false keeps the newline after a block tag; Ansible's newline_sequence choices only", async () => {
    await writeFile(join(playbook, 'templates', 'list.j2'), '{% for i in items %}\n{{ i }}\n{% endfor %}\n');
    const dest = join(playbook, 'list');
    const outcome = await runLocal(template, { src: 'list.j2', dest, trim_blocks: false }, { vars: { playbook_dir: playbook, items: ['a', 'b'] } });
    expect(outcome.status, outcome.msg).toBe('changed');
    expect(await readFile(dest, 'utf8')).toBe('\na\n\nb\n');
    const refused = template.params.safeParse({ src: 'list.j2', dest, newline_sequence: 'CRLF' });
    expect(refused.success ? [] : refused.error.issues.map((issue) => issue.message)).toEqual(['newline_sequence needs to be one of: \\n, \\r or \\r\\n']);
  });

  it('a character the output_encoding cannot write fails the task with Python\'s message and writes nothing', async () => {
    await writeFile(join(playbook, 'templates', 'motd.j2'), 'Grüße {{ name }}\n');
    const dest = join(playbook, 'motd');
    const outcome = await runLocal(template, { src: 'motd.j2', dest, output_encoding: 'ascii' }, { vars: { playbook_dir: playbook, name: 'www' } });
    expect(outcome.status).toBe('failed');
    expect(outcome.msg).toMatch(/'ascii' codec can't encode character '\\xfc' in position 2/);
    await expect(readFile(dest)).rejects.toThrow(/ENOENT/);
  });
});

describe("template mode: 'preserve'", () => {
  it("gives dest the template file's own mode, as Ansible's template action (three ways)", async () => {
    await writeFile(join(playbook, 'templates', 'run.sh.j2'), '#!/bin/sh\necho {{ word }}\n', { mode: 0o750 });
    const { dir, cleanup } = await threeWay({ module: template, vars: { playbook_dir: playbook, word: 'hi' }, params: (dir) => ({ src: 'run.sh.j2', dest: join(dir, 'run.sh'), mode: 'preserve' }) });
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(dir, 'run.sh'))).mode & 0o7777).toBe(0o750);
    expect(await readFile(join(dir, 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    await cleanup();
  });
});
