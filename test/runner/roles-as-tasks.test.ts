// Roles used as tasks (include_role, import_role), include handlers, apply:, the old include:, the
// meta actions beyond flush_handlers, and Ansible's role duplicate rule — YAML playbooks run end
// to end over the local connection, in the idioms Ansible roles use.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localHosts, runYaml, type YamlRun } from '../fixtures/runner/yaml-run.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'beastie-roles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh directory per test (roles of one test must not leak into the next). */
let count = 0;
async function play(files: Record<string, string>, args: readonly string[] = []): Promise<YamlRun> {
  count += 1;
  return runYaml(join(dir, String(count)), files, args);
}

/** A role `name` with the given files (tasks/main.yml and friends), relative to roles/name/. */
function role(name: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([file, text]) => [`roles/${name}/${file}`, text]));
}

const greeter = role('greeter', {
  'tasks/main.yml': '- debug: msg="main {{ greeting }} {{ role_name }}"\n',
  'tasks/other.yml': '- debug: msg="other {{ greeting }} {{ extra | default(\'none\') }}"\n',
  'defaults/main.yml': 'greeting: hello\n',
  'defaults/loud.yml': 'greeting: HELLO\n',
  'vars/more.yml': 'extra: more\n',
  'handlers/main.yml': '- name: greeted\n  debug: msg="handler of greeter"\n',
});

describe('include_role', () => {
  it('runs the role (tasks_from, vars_from, defaults_from); its defaults and vars stay private unless public', async () => {
    const run = await play({
      ...greeter,
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_role:
        name: greeter
    - ansible.builtin.include_role:
        name: greeter
        tasks_from: other
        vars_from: more.yml
        defaults_from: loud
    - debug: msg="after {{ greeting | default('private') }}"
    - include_role: {name: greeter, public: true}
    - debug: msg="after public {{ greeting }}"
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.debug()).toEqual(['main hello greeter', 'other HELLO more', 'after private', 'main hello greeter', 'after public hello']);
  });

  it('loops (one include per item), decides by its own when, and notifies the role handlers', async () => {
    const run = await play({
      ...role('pkg', { 'tasks/main.yml': '- command: "true"\n  changed_when: true\n  notify: installed\n- debug: msg="pkg {{ item }}"\n', 'handlers/main.yml': '- name: installed\n  debug: msg="handler ran"\n' }),
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_role: {name: pkg}
      loop: [a, b]
    - include_role: {name: pkg}
      vars: {item: c}
      when: false
`,
    });
    expect(run.stderr).toBe('');
    expect(run.debug()).toEqual(['pkg a', 'pkg b', 'handler ran']);
  });

  it('apply: gives the included tasks keywords (a block around them); include_tasks takes apply: too', async () => {
    const run = await play({
      ...role('r', { 'tasks/main.yml': '- debug: msg="r {{ who }}"\n' }),
      'inc.yml': '- debug: msg="inc {{ who }}"\n- debug: msg="inc second"\n  when: who != "skipper"\n',
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_role:
        name: r
        apply:
          vars: {who: applied}
    - include_tasks:
        file: inc.yml
        apply:
          vars: {who: skipper}
`,
    });
    expect(run.stderr).toBe('');
    expect(run.debug()).toEqual(['r applied', 'inc skipper']);
  });

  it("takes role: as name's alias; a role's own include_role and import_tasks names may use role_path", async () => {
    // ansible-core's lookup_first_found idiom: include_role: {role: "{{ role_path }}/roles/a"}.
    const run = await play({
      ...role('outer', {
        'tasks/main.yml': '- include_role:\n    role: "{{ role_path }}/roles/inner"\n- import_tasks: "{{ role_path }}/tasks/more.yml"\n',
        'tasks/more.yml': '- debug: msg="more of {{ role_name }}"\n',
        'roles/inner/tasks/main.yml': '- debug: msg="inner {{ role_name }}"\n',
      }),
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [outer]\n',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.debug()).toEqual(['inner inner', 'more of outer']);
  });

  it('a name only the run knows (loop item, host variables, set_fact) loads the role when reached, with its defaults and handlers; a missing one fails its host', async () => {
    // jantuomi's home-server idiom: include_role: {name: "{{ item }}"} over a host's list of roles,
    // and a role directory found by a set_fact.
    const files = {
      'hosts.yml': localHosts({ h1: { host_roles: ['web', 'db'] }, h2: { host_roles: ['db'], extra_role: 'nope' } }),
      ...role('web', {
        'tasks/main.yml': '- debug: msg="web {{ greeting }}"\n- command: "true"\n  changed_when: true\n  notify: web restarted\n',
        'defaults/main.yml': 'greeting: hi\n',
        'handlers/main.yml': '- name: web restarted\n  debug: msg="web handler"\n',
      }),
      ...role('db', { 'tasks/main.yml': '- debug: msg="db {{ inventory_hostname }}"\n' }),
      'roles/jails/01_ingress/tasks/main.yml': '- debug: msg="jail {{ role_name }}"\n',
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - include_role:
        name: "{{ item }}"
      loop: "{{ host_roles }}"
    - set_fact:
        jail_role_dir: "{{ playbook_dir }}/roles/jails/01_ingress"
    - include_role:
        name: "{{ jail_role_dir }}"
    - include_role:
        name: "{{ extra_role | default('db') }}"
`,
    };
    for (const check of ['--syntax-check', '--list-tasks']) expect((await play(files, [check])).code).toBe(0);
    const run = await play(files);
    expect(run.debug('h1')).toEqual(['web hi', 'db h1', 'jail 01_ingress', 'db h1', 'web handler']);
    expect(run.debug('h2')).toEqual(['db h2', 'jail 01_ingress']);
    const failed = run.events.filter((e) => e.event === 'task_result' && e.status === 'failed');
    expect(failed.map((e) => e.host)).toEqual(['h2']);
    expect(failed[0]?.msg).toMatch(/site\.yml:11:7: role 'nope' not found \(looked for .*roles\/nope/);
  });

  it('a task file loaded at run time brings the handlers of the roles it includes or imports, as Ansible does', async () => {
    // The per-OS idiom: include_tasks: "{{ flavour }}.yml" (a name only the run knows), whose file
    // uses a role; the role's tasks notify its own handlers, which join the running play.
    const files = {
      'hosts.yml': localHosts({ h1: { flavour: 'jails' }, h2: { flavour: 'plain' } }),
      ...role('web', {
        'tasks/main.yml': '- command: "true"\n  changed_when: true\n  notify: web restarted\n',
        'handlers/main.yml': '- name: web restarted\n  debug: msg="web handler on {{ inventory_hostname }}"\n',
      }),
      ...role('jail', {
        'tasks/main.yml': '- command: "true"\n  changed_when: true\n  notify: [jail restarted]\n',
        'handlers/main.yml': '- name: Restart jail\n  listen: jail restarted\n  debug: msg="jail handler"\n',
      }),
      'tasks/jails.yml': '- ansible.builtin.include_role:\n    name: web\n- ansible.builtin.import_role:\n    name: jail\n',
      'tasks/plain.yml': '- include_role: {name: web}\n',
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.include_tasks: "tasks/{{ flavour }}.yml"
    - debug: msg="tasks done"
`,
    };
    for (const check of ['--syntax-check', '--list-tasks']) expect((await play(files, [check])).code).toBe(0);
    const run = await play(files);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.debug('h1')).toEqual(['tasks done', 'web handler on h1', 'jail handler']);
    expect(run.debug('h2')).toEqual(['tasks done', 'web handler on h2']);
  });

  it('a role that is not installed is a load warning; the task fails only where a host reaches it', async () => {
    const files = { 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_role: {name: galaxy.missing}\n      when: wanted | default(false)\n    - debug: msg=after\n' };
    const check = await play(files, ['--syntax-check']);
    expect(check.code).toBe(0);
    expect(check.stdout + check.stderr).toContain("role 'galaxy.missing' not found");
    const skipped = await play(files);
    expect(skipped.code).toBe(0);
    expect(skipped.debug()).toEqual(['after']);
    const reached = await play(files, ['-e', 'wanted=true']);
    expect(reached.code).toBe(2);
    expect(reached.events.find((e) => e.event === 'task_result' && e.status === 'failed')?.msg).toContain("site.yml:4:7: role 'galaxy.missing' not found");
  });

  it('import_role stays static: a name from host variables is a load error naming the line', async () => {
    const run = await play({ 'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - import_role:\n        name: "{{ item }}"\n      loop: [a]\n' });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("site.yml:5:15: import_role is static: its name can only use extra vars, play vars and role_path: 'item' is undefined");
  });

  it('refuses an unknown option and a missing tasks_from file at load, with their lines', async () => {
    const run = await play({
      ...greeter,
      'site.yml': '- hosts: all\n  tasks:\n    - include_role:\n        name: greeter\n        task_from: other\n    - import_role: {name: greeter, tasks_from: nope}\n',
    });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("site.yml:5:9: 'include_role' has no option 'task_from'");
    expect(run.stderr).toContain("did you mean 'tasks_from'?");
    expect(run.stderr).toContain("site.yml:6:7: role 'greeter' has no tasks file 'nope'");
  });
});

describe('import_role', () => {
  it('puts the role in place: its keywords go to every task, its defaults are the play\'s from the start', async () => {
    const run = await play({
      ...greeter,
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="before {{ greeting }}"
    - import_role: {name: greeter}
      vars: {greeting: hi}
    - import_role: {name: greeter, tasks_from: other}
      when: false
`,
    });
    expect(run.stderr).toBe('');
    expect(run.debug()).toEqual(['before hello', 'main hi greeter']);
  });
});

describe('handlers', () => {
  it('a handler may be include_tasks (notified by name or listen topic); imported handler files are handlers', async () => {
    const run = await play({
      'cleanup.yml': '- debug: msg="cleanup {{ what }}"\n',
      'more-handlers.yml': '- name: imported one\n  debug: msg="imported handler"\n',
      'site.yml': `- hosts: all
  gather_facts: false
  vars: {what: tmp}
  tasks:
    - command: "true"
      changed_when: true
      notify: [clean up, imported one]
    - command: "true"
      changed_when: true
      notify: tidy
  handlers:
    - name: clean up
      ansible.builtin.include_tasks: cleanup.yml
    - name: by topic
      include_tasks: cleanup.yml
      vars: {what: topic}
      listen: tidy
    - import_tasks: more-handlers.yml
`,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.debug()).toEqual(['cleanup tmp', 'cleanup topic', 'imported handler']);
  });

  it("in a role: an include handler finds its file in the role's tasks/, imported handler files keep listen", async () => {
    // community.general's setup_remote_tmp_dir idiom: handlers/main.yml includes tasks/default-cleanup.yml.
    const run = await play({
      ...role('tmpdir', {
        'tasks/main.yml': '- command: "true"\n  changed_when: true\n  notify: [delete tmp dir, reboot message]\n',
        'tasks/default-cleanup.yml': '- debug: msg="cleanup from tasks/"\n',
        'handlers/main.yml': '- name: delete tmp dir\n  include_tasks: default-cleanup.yml\n- import_tasks: messages.yml\n',
        'handlers/messages.yml': '- name: Loader message\n  listen: reboot message\n  debug: msg="listened"\n',
      }),
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [tmpdir]\n',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.debug()).toEqual(['cleanup from tasks/', 'listened']);
  });
});

describe('the old include:', () => {
  it('is include_tasks with NAME=VALUE vars in a task list, import_playbook in a playbook — with Ansible\'s deprecation warning', async () => {
    const run = await play({
      'inc.yml': '- debug: msg="inc {{ colour }}"\n',
      'other.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - include: inc.yml colour=blue\n',
      'site.yml': '- include: other.yml\n',
    });
    expect(run.stderr).toBe('');
    expect(run.debug()).toEqual(['inc blue']);
    const warnings = run.events.filter((e) => e.event === 'warning').map((e) => e.msg);
    expect(warnings).toEqual([
      expect.stringContaining("'include' for playbook includes is deprecated"),
      expect.stringContaining("'include' is deprecated (Ansible 2.16 removed it): beastie reads it as include_tasks"),
    ]);
  });
});

describe('meta actions', () => {
  it('end_role ends the role for that host only; the play goes on after the role', async () => {
    const run = await play({
      'hosts.yml': localHosts({ h1: {}, h2: {} }),
      ...role('stopper', { 'tasks/main.yml': '- meta: end_role\n  when: inventory_hostname == "h1"\n- debug: msg="rest of role"\n' }),
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [stopper]\n  tasks:\n    - debug: msg="after role"\n    - meta: end_role\n',
    });
    expect(run.debug('h1')).toEqual(['after role']);
    expect(run.debug('h2')).toEqual(['rest of role', 'after role']);
    // Outside a role it fails the host, as Ansible refuses it.
    expect(run.code).not.toBe(0);
    expect(run.events.filter((e) => e.event === 'task_result' && e.status === 'failed').map((e) => e.msg)).toEqual([
      expect.stringContaining('meta: end_role can only be used inside a role'),
      expect.stringContaining('meta: end_role can only be used inside a role'),
    ]);
  });

  it('end_batch ends the serial batch, not the play; clear_host_errors; reset_connection; refresh_inventory warns', async () => {
    const run = await play({
      'hosts.yml': localHosts({ h1: {}, h2: {} }),
      'site.yml': `- hosts: all
  gather_facts: false
  serial: 1
  tasks:
    - meta: end_batch
      when: inventory_hostname == "h1"
    - debug: msg="batch goes on"
- hosts: all
  gather_facts: false
  tasks:
    - fail: msg=boom
      when: inventory_hostname == "h2"
    - meta: clear_host_errors
    - meta: reset_connection
    - meta: refresh_inventory
    - debug: msg="second play"
- hosts: all
  gather_facts: false
  tasks:
    - debug: msg="third play"
`,
    });
    expect(run.debug('h1')).toEqual(['second play', 'third play']);
    // h2's failure was cleared: it takes no more tasks in that play, but the next play's.
    expect(run.debug('h2')).toEqual(['batch goes on', 'boom', 'third play']);
    expect(run.events.filter((e) => e.event === 'warning').map((e) => e.msg)).toContain('meta: refresh_inventory does nothing in beastie: the inventory is read once, when the run starts (README)');
  });
});

describe('roles listed twice', () => {
  it('run once with the same parameters, twice with different ones or with allow_duplicates', async () => {
    const run = await play({
      ...role('once', { 'tasks/main.yml': '- debug: msg="once {{ p | default(0) }}"\n' }),
      ...role('twice', { 'tasks/main.yml': '- debug: msg="twice"\n', 'meta/main.yml': 'allow_duplicates: true\n' }),
      'site.yml': '- hosts: all\n  gather_facts: false\n  roles: [once, once, {role: once, p: 1}, twice, twice]\n',
    });
    expect(run.stderr).toBe('');
    expect(run.debug()).toEqual(['once 0', 'once 1', 'twice', 'twice']);
  });
});

describe('include_role in the recap', () => {
  it('an included role shows and counts nothing of its own (Ansible: IncludeRole is a TaskInclude); include_tasks is ok; a skipped one is skipped', async () => {
    const run = await play({
      'hosts.yml': localHosts({ h1: {} }),
      ...role('one', { 'tasks/main.yml': '- ansible.builtin.debug:\n    msg: from the role\n' }),
      'more.yml': '- ansible.builtin.debug:\n    msg: from the file\n',
      'site.yml': `- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: one
    - ansible.builtin.include_role:
        name: one
      when: false
    - ansible.builtin.include_tasks: more.yml
`,
    });
    expect(run.debug('h1')).toEqual(['from the role', 'from the file']);
    const results = run.events.filter((e) => e.event === 'task_result').map((e) => `${e.task}: ${e.status}`);
    expect(results).toEqual(['debug: ok', 'include_role: skipped', 'include_tasks: ok', 'debug: ok']);
    // ok: the two debug tasks and include_tasks' `included:` (ansible-playbook 2.14.18: ok=3 skipped=1).
    expect(run.events.find((e) => e.event === 'recap')?.hosts?.['h1']).toMatchObject({ ok: 3, skipped: 1 });
  });
});

describe('ansible_search_path', () => {
  it("a role's task: the role, its tasks directory, the playbook's; a play's task: the playbook's (ansible-playbook 2.14.18 prints the same)", async () => {
    const run = await play({
      'hosts.yml': localHosts({ h1: {} }),
      ...role('r', { 'tasks/main.yml': '- ansible.builtin.debug:\n    msg: "{{ ansible_search_path }}"\n' }),
      'site.yml': `- hosts: all
  gather_facts: false
  roles: [r]
  tasks:
    - ansible.builtin.debug:
        msg: "{{ ansible_search_path }}"
`,
    });
    const base = join(dir, String(count));
    expect(run.debug('h1')).toEqual([[join(base, 'roles/r'), join(base, 'roles/r/tasks'), base], [base]]);
  });
});
