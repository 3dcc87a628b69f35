// --syntax-check (and every run) parses the template files a play reaches — the literal `src:` of
// template tasks, in roles too — and refuses a syntax error at the template's own line.
import { testModules } from '../fixtures/runner/test-modules.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_INVALID_INPUT } from '../../src/errors.js';
import { main, type MainWiring } from '../../src/cli/main.js';
import { allModules } from '../../modules/all.js';
import { moduleRegistry } from '../../src/module-api/registry.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { diskTaskFiles } from '../../src/runner/task-files.js';
import { TestTransportFactory, testServices } from '../fixtures/runner/harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-templates-'));
  await writeFile(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
  await mkdir(join(dir, 'roles', 'motd', 'tasks'), { recursive: true });
  await mkdir(join(dir, 'roles', 'motd', 'templates'), { recursive: true });
  await writeFile(join(dir, 'roles', 'motd', 'tasks', 'main.yml'), '- name: motd\n  template:\n    src: motd.j2\n    dest: /etc/motd\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function syntaxCheck(yaml: string) {
  await writeFile(join(dir, 'site.yml'), yaml);
  let stdout = '';
  let stderr = '';
  const transports = new TestTransportFactory();
  const wiring: MainWiring = {
    loadPlaybook: async (path, { extraVars }) => loadPlaybook(path, { extraVars, modules: moduleRegistry([...allModules, ...testModules]) }),
    services: { ...testServices(), taskFiles: diskTaskFiles({ modules: moduleRegistry([...allModules, ...testModules]) }) },
    transports: () => transports,
    modules: moduleRegistry(allModules),
  };
  const code = await main(['play', 'site.yml', '-i', 'hosts.yml', '--syntax-check'], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir }, wiring);
  return { code, stdout, stderr, opened: transports.opened };
}

const rolePlay = '- hosts: all\n  gather_facts: false\n  roles: [motd]\n';

describe('--syntax-check parses template files', () => {
  it("refuses a role's .j2 with a {% for %} error at the template's line", async () => {
    await writeFile(join(dir, 'roles', 'motd', 'templates', 'motd.j2'), 'Welcome to {{ inventory_hostname }}\n\n{% for u in users %}\n- {{ u }}\n');
    const run = await syntaxCheck(rolePlay);
    expect(run.code).toBe(EXIT_INVALID_INPUT);
    expect(run.stderr).toContain(`${join(dir, 'roles', 'motd', 'templates', 'motd.j2')}:3:1`);
    expect(run.stderr).toContain("the 'for' block opened here was never closed");
    expect(run.opened).toEqual([]);
  });

  it('points at the line and column of a bad expression inside the template', async () => {
    await writeFile(join(dir, 'roles', 'motd', 'templates', 'motd.j2'), 'ok\n{% if x %}\n  {{ x | lenght }}\n{% endif %}\n');
    const run = await syntaxCheck(rolePlay);
    expect(run.code).toBe(EXIT_INVALID_INPUT);
    expect(run.stderr).toContain(`motd.j2:3:8`);
    expect(run.stderr).toContain("No filter named 'lenght'");
  });

  it("checks a play's own template task, found beside the playbook", async () => {
    await writeFile(join(dir, 'rc.conf.j2'), '{% if a %}\n{% endfor %}\n');
    const run = await syntaxCheck('- hosts: all\n  gather_facts: false\n  tasks:\n    - template:\n        src: rc.conf.j2\n        dest: /etc/rc.conf\n');
    expect(run.code).toBe(EXIT_INVALID_INPUT);
    expect(run.stderr).toContain('rc.conf.j2:2:');
  });

  it("parses with the task's own delimiter arguments: another tool's {% %} is text, an error in <% %> is refused", async () => {
    await writeFile(join(dir, 'app.ini.j2'), 'raw={% not jinja\n<% if a %>\nx\n<% endfor %>\n');
    const task = "- hosts: all\n  gather_facts: false\n  tasks:\n    - template:\n        src: app.ini.j2\n        dest: /etc/app.ini\n        block_start_string: '<%'\n        block_end_string: '%>'\n";
    const refused = await syntaxCheck(task);
    expect(refused.code).toBe(EXIT_INVALID_INPUT);
    expect(refused.stderr).toContain('app.ini.j2:4:');
    await writeFile(join(dir, 'app.ini.j2'), 'raw={% not jinja\n<% if a %>\nx\n<% endif %>\n');
    const accepted = await syntaxCheck(task);
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
  });

  it('accepts templates that parse, Handlebars .hbs ones included', async () => {
    await writeFile(join(dir, 'roles', 'motd', 'templates', 'motd.j2'), '{% for u in users %}\n- {{ u }}\n{% endfor %}\n');
    await writeFile(join(dir, 'guest.conf.hbs'), '{{#each disks}}disk{{@index}}="{{this}}"\n{{/each}}');
    const run = await syntaxCheck(`${rolePlay}  tasks:\n    - template:\n        src: guest.conf.hbs\n        dest: /tmp/x\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('playbook: site.yml');
  });
});
