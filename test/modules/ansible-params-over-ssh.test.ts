// Parameters public roles pass that beastie lacked (issue 12; bench/compat/language.ts), on the
// simulated FreeBSD fleet over the real SSH transport, three ways (apply → changed, --check on a
// fresh host → changed and nothing written, apply again → ok): copy/template `follow` and
// `local_follow`; setup `fact_path`; `attributes`; command's `$VAR` and `~`.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import command from '../../modules/command.js';
import copy from '../../modules/copy.js';
import file from '../../modules/file.js';
import setup from '../../modules/setup.js';
import template from '../../modules/template.js';
import { startFleet, type TestFleet } from '../helpers/fleet.js';
import { FleetSessions, threeWayOverSsh } from './helpers/fleet-session.js';

let fleet: TestFleet;
let sessions: FleetSessions;
let files: string;
const hosts = { applied: 'sim01', fresh: 'sim02' };

beforeAll(async () => {
  fleet = await startFleet({ hosts: 2, profile: 'current' });
  sessions = await FleetSessions.open(fleet);
  files = await mkdtemp(join(tmpdir(), 'beastie-ansible-params-'));
  await mkdir(join(files, 'files'));
  await mkdir(join(files, 'templates'));
  await writeFile(join(files, 'files', 'foo.txt'), 'foo.txt\n');
  await symlink('foo.txt', join(files, 'files', 'foo-link.txt'));
  await writeFile(join(files, 'templates', 'app.conf.j2'), 'port={{ port }}\n');
}, 180_000);
afterAll(async () => {
  await sessions?.close();
  await fleet?.down();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

const vars = () => ({ playbook_dir: files, inventory_hostname: 'sim01', port: 8080 });
const sh = async (host: string, command: string) => (await fleet.ssh(host, command)).stdout;
const both = async (command: string) => {
  for (const host of ['sim01', 'sim02']) {
    const result = await fleet.ssh(host, command);
    expect(result.exitCode, `${host}: ${result.stderr}`).toBe(0);
  }
};

describe('copy and template onto a symbolic link', () => {
  it('copy follow: true writes through the link (kept), dest is the real path; follow: false replaces the link', async () => {
    await both('mkdir -p /usr/local/etc/app && printf old > /usr/local/etc/app/real.conf && ln -sf app/real.conf /usr/local/etc/app.conf');
    const followed = { src: 'foo.txt', dest: '/usr/local/etc/app.conf', follow: true };
    const { first, second } = await threeWayOverSsh(sessions, fleet, copy, followed, { ...hosts, vars: vars() });
    expect(await sh('sim01', 'readlink /usr/local/etc/app.conf; cat /usr/local/etc/app/real.conf')).toBe('app/real.conf\nfoo.txt\n');
    expect(first.values).toMatchObject({ dest: '/usr/local/etc/app/real.conf', checksum: 'c79a6506c1c948be0d456ab5104d5e753ab2f3e6' });
    expect(second.values).toMatchObject({ dest: '/usr/local/etc/app/real.conf' });

    // The link's target now holds the same bytes: without follow the link is still replaced.
    const replaced = { src: 'foo-link.txt', local_follow: false, dest: '/usr/local/etc/app.conf' };
    await both('printf "foo.txt\\n" > /usr/local/etc/app/real.conf');
    await threeWayOverSsh(sessions, fleet, copy, replaced, { ...hosts, vars: vars() });
    expect(await sh('sim01', 'test -L /usr/local/etc/app.conf || stat -c "%F %a" /usr/local/etc/app.conf; cat /usr/local/etc/app.conf')).toBe('regular file 644\nfoo.txt\n');
  });

  it('template follow: true with a mode: the target gets content and mode, the link stays', async () => {
    await both('mkdir -p /usr/local/etc/tpl && printf old > /usr/local/etc/tpl/app.conf && chmod 0644 /usr/local/etc/tpl/app.conf && ln -sf tpl/app.conf /usr/local/etc/tpl.conf');
    await threeWayOverSsh(sessions, fleet, template, { src: 'app.conf.j2', dest: '/usr/local/etc/tpl.conf', follow: true, mode: '0600' }, { ...hosts, vars: vars() });
    expect(await sh('sim01', 'readlink /usr/local/etc/tpl.conf; stat -c %a /usr/local/etc/tpl/app.conf; cat /usr/local/etc/tpl/app.conf')).toBe('tpl/app.conf\n600\nport=8080\n');
  });
});

describe('setup fact_path', () => {
  it("reads another fact_path's *.fact files into ansible_local: JSON, INI, a /bin/sh script run; the default path is not read then", async () => {
    const dir = '/usr/local/etc/ansible/facts.d';
    const files = {
      [`${dir}/php.fact`]: '{"version": "8.2"}',
      [`${dir}/fpm.fact`]: '[pool]\nMax_Children = 5',
      [`${dir}/os.fact`]: '#!/bin/sh\necho "{\\"os\\": \\"$(uname -s)\\"}"',
      '/etc/ansible/facts.d/d.fact': '{"default": true}',
    };
    const writes = Object.entries(files).map(([path, text]) => `cat > ${path} <<'EOF'\n${text}\nEOF`);
    await both([`mkdir -p ${dir} /etc/ansible/facts.d`, ...writes, `chmod 0755 ${dir}/os.fact`].join('\n'));
    const outcome = await sessions.run(setup, 'sim01', { fact_path: dir, filter: 'ansible_local' });
    expect(outcome.status, outcome.msg).toBe('ok');
    const local = { fpm: { pool: { max_children: '5' } }, os: { os: 'FreeBSD' }, php: { version: '8.2' } };
    expect(outcome.values).toEqual({ ansible_facts: { ansible_local: local } });
    const check = await sessions.run(setup, 'sim02', { fact_path: dir, filter: 'ansible_local' }, { check: true });
    expect(check.values).toEqual({ ansible_facts: { ansible_local: local } });
    const byDefault = await sessions.run(setup, 'sim01', { filter: 'ansible_local' });
    expect(byDefault.values).toEqual({ ansible_facts: { ansible_local: { d: { default: true } } } });
  });
});

describe('attributes on FreeBSD', () => {
  it('file and template with attributes change only what they would without them, three ways; the flags are not applied', async () => {
    const { first } = await threeWayOverSsh(sessions, fleet, file, { path: '/usr/local/etc/attr.d', state: 'directory', mode: '0750', attributes: '-e' }, hosts);
    expect(first.values).not.toHaveProperty('attributes');
    await threeWayOverSsh(sessions, fleet, template, { src: 'app.conf.j2', dest: '/usr/local/etc/attr.d/app.conf', attr: '+i' }, { ...hosts, vars: vars() });
    // Nothing made it immutable: it can be written and removed.
    expect(await sh('sim01', 'echo x >> /usr/local/etc/attr.d/app.conf && rm /usr/local/etc/attr.d/app.conf && echo gone')).toBe('gone\n');
  });
});

describe("command's $VAR and ~, expanded on the host", () => {
  it('echo $PATH runs (bench/compat/language.ts found it refused) and prints the login PATH; ~, ${NAME}, and unset names', async () => {
    const path = await sh('sim01', 'printf %s "$PATH"');
    const echo = await sessions.run(command, 'sim01', { cmd: 'echo $PATH' });
    expect(echo.status, echo.msg).toBe('changed');
    expect(echo.values).toMatchObject({ stdout: path, cmd: "echo '$PATH'" });
    const words = await sessions.run(command, 'sim01', { argv: ['printf', '%s|', '~', '~root/x', '${HOME}', '$NOPE', "'$(id)'"] });
    expect(words.values['stdout']).toBe("/root|/root/x|/root|$NOPE|'$(id)'|");
  });
});
